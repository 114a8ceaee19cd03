package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/foil-slides/foil/internal/outfile"
	"github.com/foil-slides/foil/render"
	"github.com/foil-slides/foil/render/chromium"
	"github.com/foil-slides/foil/render/deck"
)

// Browser prints decks; *chromium.Browser is one. It is called from
// several goroutines at once.
type Browser interface {
	// PDFAndPNG prints a deck and renders slides of it from one load.
	PDFAndPNG(ctx context.Context, doc []byte, o chromium.PDFOptions, w io.Writer, po chromium.PNGOptions) ([][]byte, []string, error)
}

// Options configure [Build]. Src and Out are required; the zero value of
// every other field is useful.
type Options struct {
	Src string // folder of decks, searched recursively
	Out string // the site; created when missing

	// Title and BaseURL override foil.yaml's title and base-url.
	Title, BaseURL string

	// Layouts, HTML and AllowOutside are render.Options for every deck.
	Layouts      string
	HTML         bool
	AllowOutside bool
	// Strict fails a deck on warnings too.
	Strict bool

	// Force rebuilds every deck, cached or not.
	Force bool
	// Jobs is how many browser pages work at once; zero means two per CPU.
	Jobs int
	// Version names everything outside the decks that changes the outputs:
	// foil's version, the browser, browser options. It is part of every
	// deck's cache key.
	Version string

	// Browser starts the browser. It is called at most once, and only when
	// a deck needs printing: a build with nothing to do never starts one.
	// The caller closes the browser after Build returns.
	Browser func(ctx context.Context) (Browser, error)

	// Start, when set, is called with the number of decks found, before
	// any is built; Done as each one finishes (built, up to date, draft
	// or failed). Calls to Done never overlap.
	Start func(decks int)
	Done  func(d *Deck)
}

// Status is what became of a deck.
type Status int

const (
	Built       Status = iota // printed now
	UpToDate                  // outputs kept from an earlier build
	Draft                     // draft: true, not published
	Failed                    // see Deck.Err; earlier outputs are kept
	Interrupted               // the build was cancelled before the deck was done; earlier outputs are kept
)

func (s Status) String() string {
	return [...]string{"built", "up to date", "draft", "failed", "interrupted"}[s]
}

// Deck is one deck of the site and what became of it.
type Deck struct {
	File string // path as found: Src joined with the path inside it
	Slug string // folder in Out; "" when unknown (the deck did not parse)

	Title, Subtitle, Date, Author string
	Slides                        int
	Width, Height                 int // slide canvas in CSS px

	Status   Status
	Err      error    // for Failed: "file:line: message" lines, or "file: message"
	Warnings []string // "file:line: message"
	Time     time.Duration
}

// Result is the outcome of a build.
type Result struct {
	Decks   []*Deck  // every deck found, in path order
	Removed []string // slugs whose folders were removed: their decks are gone or drafts now
	Index   string   // Out/index.html; "" when not written (interrupted)
	Feed    string   // Out/feed.xml; "" when not written
}

// Count returns the number of decks with status s.
func (r *Result) Count(s Status) int {
	n := 0
	for _, d := range r.Decks {
		if d.Status == s {
			n++
		}
	}
	return n
}

// Names of foil's own entries in Out.
const (
	CacheFile = ".foil-cache.json"
	stageDir  = ".foil-tmp"
	feedFile  = "feed.xml"
	indexFile = "index.html"
	thumbFile = "thumb.png"
)

// thumbScale makes thumbnails 360 px high: 640x360 for 16:9 slides,
// 480x360 for 4:3.
const thumbScale = 0.5

// maxDeck bounds a deck's size, as foil html does.
const maxDeck = 64 << 20

type job struct {
	d     *Deck
	rel   string // path inside Src, with slashes: the cache's key
	src   []byte
	r     *render.Renderer
	deck  *deck.Deck
	start time.Time

	fresh bool // up to date by the cache, not parsed

	// set by check for a deck to print
	html  []byte
	files []string // read by the renderer, relative to Src
	key   string
	stale bool
}

type builder struct {
	o       Options
	cfg     *config
	base    string // base URL, "" or ending in "/"
	title   string
	cache   *cache
	stage   string
	cpu     chan struct{} // bounds rendering to the CPUs
	pages   chan struct{} // bounds browser pages to Options.Jobs
	doneMu  sync.Mutex
	brOnce  sync.Once
	browser Browser
	brErr   error
}

// Build builds the site: every deck under o.Src into o.Out, then the index
// and the feed. A deck that fails does not stop the others; the returned
// error is for problems with the whole build (foil.yaml, Out not
// writable, interrupted), with the result so far.
func Build(ctx context.Context, o Options) (*Result, error) {
	if o.Jobs <= 0 {
		o.Jobs = 2 * runtime.NumCPU()
	}
	cfg, err := loadConfig(o.Src)
	if err != nil {
		return nil, err
	}
	b := &builder{o: o, cfg: cfg, title: cfg.Title, base: cfg.BaseURL,
		cpu: make(chan struct{}, runtime.NumCPU()), pages: make(chan struct{}, o.Jobs)}
	if o.Title != "" {
		b.title = o.Title
	}
	if b.title == "" {
		b.title = "Slides"
	}
	if o.BaseURL != "" {
		if b.base, err = BaseURL(o.BaseURL); err != nil {
			return nil, err
		}
	}
	files, err := findDecks(o.Src, o.Out)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, fmt.Errorf("making %s: %w", o.Out, err)
	}
	b.stage = filepath.Join(o.Out, stageDir)
	if err := recoverStage(o.Out, b.stage); err != nil {
		return nil, err
	}
	if err := os.Mkdir(b.stage, 0o755); err != nil {
		return nil, fmt.Errorf("making %s: %w", b.stage, err)
	}
	defer os.RemoveAll(b.stage)
	b.cache = readCache(filepath.Join(o.Out, CacheFile))

	res := &Result{}
	jobs := make([]*job, len(files))
	for i, f := range files {
		rel, _ := filepath.Rel(o.Src, f)
		jobs[i] = &job{d: &Deck{File: f}, rel: filepath.ToSlash(rel), start: time.Now()}
		res.Decks = append(res.Decks, jobs[i].d)
	}
	if o.Start != nil {
		o.Start(len(jobs))
	}

	// Parse every deck first: slugs must be known, and unique, before
	// anything is written.
	b.each(jobs, b.parse)
	b.slugs(jobs)
	b.each(jobs, b.check)
	b.printAll(ctx, jobs)

	res.Removed = b.prune(jobs)
	if err := b.cache.write(filepath.Join(o.Out, CacheFile)); err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		// The decks that were interrupted would vanish from the index
		// although their earlier outputs are still there: keep the old one.
		return res, fmt.Errorf("interrupted: %w", err)
	}
	if res.Index, res.Feed, err = b.writeIndex(res.Decks); err != nil {
		return res, err
	}
	return res, nil
}

// each runs f on every job that has not failed yet, concurrently.
func (b *builder) each(jobs []*job, f func(*job)) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		if j.d.Status == Failed || j.d.Status == Draft {
			continue
		}
		wg.Go(func() { f(j) })
	}
	wg.Wait()
}

// finish records what became of j and reports it.
func (b *builder) finish(j *job, s Status, err error) {
	j.d.Status, j.d.Err, j.d.Time = s, err, time.Since(j.start)
	if b.o.Done != nil {
		b.doneMu.Lock()
		defer b.doneMu.Unlock()
		b.o.Done(j.d)
	}
}

// diags records warnings and returns the errors of diags (warnings too
// under Strict), or nil.
func (b *builder) diags(j *job, diags deck.Diags) error {
	var errs []string
	for _, d := range diags {
		if d.Warning {
			j.d.Warnings = append(j.d.Warnings, d.Pos.String()+": "+d.Msg)
			if !b.o.Strict {
				continue
			}
		}
		errs = append(errs, d.Pos.String()+": "+d.Msg)
	}
	if len(errs) == 0 {
		return nil
	}
	if b.o.Strict && len(diags.Errors()) == 0 {
		errs = append(errs, j.d.File+": warnings are errors under --strict")
	}
	return errors.New(strings.Join(errs, "\n"))
}

func (b *builder) parse(j *job) {
	b.cpu <- struct{}{}
	defer func() { <-b.cpu }()
	src, err := readDeck(j.d.File)
	if err != nil {
		b.finish(j, Failed, err)
		return
	}
	j.src = src
	if e, ok := b.cache.last(j.rel); ok && !b.o.Force && b.key(j, e.Files) == e.Key && complete(filepath.Join(b.o.Out, e.Slug), e.Slug) {
		// Nothing the deck is made of changed: no need to parse it.
		j.fresh = true
		j.d.Slug, j.d.Title, j.d.Subtitle, j.d.Date, j.d.Author = e.Slug, e.Title, e.Subtitle, e.Date, e.Author
		j.d.Slides, j.d.Width, j.d.Height = e.Slides, e.Width, e.Height
		return
	}
	r, err := render.New(render.Options{
		Dir: filepath.Dir(j.d.File), Layouts: b.o.Layouts, HTML: b.o.HTML, AllowOutside: b.o.AllowOutside,
		Defaults: b.cfg.apply, Social: func(d *deck.Deck) *render.Social { return b.social(j) },
	})
	if err != nil {
		b.finish(j, Failed, fmt.Errorf("%s: %w", j.d.File, err))
		return
	}
	j.r = r
	d, diags := r.Parse(j.d.File, src)
	j.deck = d
	m := d.Meta
	j.d.Title, j.d.Subtitle, j.d.Date, j.d.Author = m.Title, m.Subtitle, m.Date, m.Author
	j.d.Slides = len(d.Slides)
	j.d.Width, j.d.Height = m.Size()
	if m.Draft && len(diags.Errors()) == 0 {
		b.finish(j, Draft, nil)
		return
	}
	if err := b.diags(j, diags); err != nil {
		b.finish(j, Failed, err)
		return
	}
	if len(d.Slides) == 0 {
		b.finish(j, Failed, fmt.Errorf("%s: no slides", j.d.File))
		return
	}
	j.d.Slug = m.Slug
	if j.d.Slug == "" {
		j.d.Slug = Slug(m.Date, m.Title, j.d.File)
	}
}

// slugs fails decks whose slugs collide, with each other or with the
// site's own files.
func (b *builder) slugs(jobs []*job) {
	bySlug := map[string][]*job{}
	for _, j := range jobs {
		if j.d.Status != Failed && j.d.Status != Draft {
			bySlug[j.d.Slug] = append(bySlug[j.d.Slug], j)
		}
	}
	for _, j := range jobs {
		if j.d.Status == Failed || j.d.Status == Draft {
			continue
		}
		same := bySlug[j.d.Slug]
		switch {
		case j.d.Slug == indexFile || j.d.Slug == feedFile:
			b.finish(j, Failed, fmt.Errorf("%s: slug %q is taken by the site's own %s; set another slug: in the front matter", j.d.File, j.d.Slug, j.d.Slug))
		case len(same) > 1:
			var others []string
			for _, o := range same {
				if o != j {
					others = append(others, o.d.File)
				}
			}
			b.finish(j, Failed, fmt.Errorf("%s: slug %q is also the slug of %s; set slug: in the front matter of one of them",
				j.d.File, j.d.Slug, strings.Join(others, ", ")))
		}
	}
}

// social is what link previews of j's page show. og:url and og:image must
// be absolute URLs, so without a base URL there are neither.
func (b *builder) social(j *job) *render.Social {
	s := &render.Social{Title: j.d.Title, Description: j.d.Subtitle}
	if b.base != "" {
		s.URL = b.base + j.d.Slug + "/"
		s.Image = b.base + j.d.Slug + "/" + thumbFile
	}
	return s
}

// check renders j's HTML and decides, from the cache, whether j needs
// printing; if not, j is up to date.
func (b *builder) check(j *job) {
	if j.fresh {
		b.cache.keep(j.rel)
		b.finish(j, UpToDate, nil)
		return
	}
	var html bytes.Buffer
	b.cpu <- struct{}{}
	diags, err := j.r.Render(&html, j.deck)
	if err == nil || len(diags.Errors()) > 0 {
		err = b.diags(j, diags)
	} else {
		err = fmt.Errorf("%s: %w", j.d.File, err)
	}
	if err == nil {
		j.html = html.Bytes()
		j.files = b.rel(j.r.Files())
		j.key = b.key(j, j.files)
	}
	<-b.cpu
	if err != nil {
		b.finish(j, Failed, err)
		return
	}
	dir := filepath.Join(b.o.Out, j.d.Slug)
	if err := b.owned(dir, j); err != nil {
		b.finish(j, Failed, err)
		return
	}
	j.stale = true
}

// key is j's cache key: a SHA-256 over everything its outputs are made
// of. files are the files the renderer read for it (relative to Src, as
// rel makes them); the layouts overlay is listed afresh each time, so a
// layout added to it counts too.
func (b *builder) key(j *job, files []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "foil site 1\nversion %q\n", b.o.Version)
	fmt.Fprintf(h, "options html=%t outside=%t strict=%t layouts=%q base=%q\n", b.o.HTML, b.o.AllowOutside, b.o.Strict, b.o.Layouts, b.base)
	fmt.Fprintf(h, "defaults %q\n", b.cfg.defaults)
	fmt.Fprintf(h, "deck %q %d\n", j.rel, len(j.src))
	h.Write(j.src)
	overlay := b.o.Layouts
	if overlay == "" {
		overlay = filepath.Join(filepath.Dir(j.d.File), "layouts")
	}
	var listed []string
	_ = filepath.WalkDir(overlay, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			listed = append(listed, p)
		}
		return nil
	})
	all := append(slices.Clone(files), b.rel(listed)...)
	slices.Sort(all)
	for _, f := range slices.Compact(all) {
		sum := "missing"
		if data, err := os.ReadFile(b.abs(f)); err == nil {
			s := sha256.Sum256(data)
			sum = hex.EncodeToString(s[:])
		}
		fmt.Fprintf(h, "file %q %s\n", f, sum)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rel names files relative to Src, with slashes, so that the cache holds
// when the build runs from another folder.
func (b *builder) rel(files []string) []string {
	out := make([]string, 0, len(files))
	for _, f := range files {
		if r, err := filepath.Rel(b.o.Src, f); err == nil {
			f = filepath.ToSlash(r)
		}
		out = append(out, f)
	}
	return out
}

// abs is the file f of rel.
func (b *builder) abs(f string) string {
	if filepath.IsAbs(f) {
		return f
	}
	return filepath.Join(b.o.Src, filepath.FromSlash(f))
}

// complete reports whether dir holds all of a deck's outputs.
func complete(dir, slug string) bool {
	for _, f := range outputs(slug) {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// outputs are the files of a deck's folder.
func outputs(slug string) []string {
	return []string{indexFile, slug + ".pdf", thumbFile}
}

// startBrowser starts the browser on first use.
func (b *builder) startBrowser(ctx context.Context) (Browser, error) {
	b.brOnce.Do(func() {
		if b.o.Browser == nil {
			b.brErr = errors.New("no browser to print with")
			return
		}
		b.browser, b.brErr = b.o.Browser(ctx)
	})
	return b.browser, b.brErr
}

// printAll prints the decks that need it, each in a page of its own that
// gives its PDF and then its thumbnail: one document load per deck. (A
// page per thumbnail made the cold build 1.75 times as slow as printing the
// PDFs alone; thumbnails batched in iframes of one page, 1.16-1.20; from
// the PDF's page, see BenchmarkBuild.) Each deck's outputs are written to a
// staging folder and swapped in for Out/<slug> as a whole, so the site
// never holds a half-built deck.
func (b *builder) printAll(ctx context.Context, jobs []*job) {
	var stale []*job
	for _, j := range jobs {
		if j.stale && j.d.Status != Failed {
			stale = append(stale, j)
		}
	}
	if len(stale) == 0 {
		return
	}
	fail := func(j *job, err error) {
		if ctx.Err() != nil {
			b.finish(j, Interrupted, fmt.Errorf("%s: interrupted", j.d.File))
			return
		}
		b.finish(j, Failed, err)
	}
	br, err := b.startBrowser(ctx)
	if err != nil {
		for _, j := range stale {
			fail(j, fmt.Errorf("%s: %w", j.d.File, err))
		}
		return
	}
	var wg sync.WaitGroup
	for _, j := range stale {
		wg.Go(func() {
			if err := b.print(ctx, br, j); err != nil {
				fail(j, err)
				return
			}
			d := j.d
			b.cache.set(j.rel, entry{Key: j.key, Slug: d.Slug, Files: j.files, Title: d.Title, Subtitle: d.Subtitle,
				Date: d.Date, Author: d.Author, Slides: d.Slides, Width: d.Width, Height: d.Height})
			b.finish(j, Built, nil)
		})
	}
	wg.Wait()
}

// print writes j's page, PDF and thumbnail to a staging folder and swaps
// the folder in.
func (b *builder) print(ctx context.Context, br Browser, j *job) error {
	dir := filepath.Join(b.o.Out, j.d.Slug)
	stage, err := os.MkdirTemp(b.stage, j.d.Slug+".")
	if err != nil {
		return fmt.Errorf("%s: %w", j.d.File, err)
	}
	defer os.RemoveAll(stage)
	if err := os.Chmod(stage, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(stage, indexFile), j.html); err != nil {
		return err
	}
	var warnings []string
	var thumbs [][]byte
	b.pages <- struct{}{}
	err = outfile.Write(filepath.Join(stage, j.d.Slug+".pdf"), func(w io.Writer) error {
		var err error
		thumbs, warnings, err = br.PDFAndPNG(ctx, j.html, chromium.PDFOptions{Width: j.d.Width, Height: j.d.Height}, w,
			chromium.PNGOptions{Width: j.d.Width, Height: j.d.Height, Scale: thumbScale, Slide: 1})
		return err
	})
	<-b.pages
	for _, w := range warnings {
		w = j.d.File + ": " + w
		if !slices.Contains(j.d.Warnings, w) {
			j.d.Warnings = append(j.d.Warnings, w)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: PDF: %w", j.d.File, err)
	}
	if len(thumbs) != 1 {
		return fmt.Errorf("%s: thumbnail: got %d images", j.d.File, len(thumbs))
	}
	if err := writeFile(filepath.Join(stage, thumbFile), thumbs[0]); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", j.d.File, err)
	}
	if b.o.Strict && len(j.d.Warnings) > 0 {
		return fmt.Errorf("%s: warnings are errors under --strict", j.d.File)
	}
	if err := swap(stage, dir); err != nil {
		return fmt.Errorf("%s: %w", j.d.File, err)
	}
	return nil
}

// owned refuses to replace a folder that foil build did not make: a slug
// could name someone's own folder in Out.
func (b *builder) owned(dir string, j *job) error {
	ents, err := os.ReadDir(dir)
	if err != nil || b.cache.hasSlug(j.d.Slug) {
		return nil
	}
	for _, e := range ents {
		if !slices.Contains(outputs(j.d.Slug), e.Name()) {
			return fmt.Errorf("%s: %s exists and was not made by foil build (it holds %s); move it away or set another slug:", j.d.File, dir, e.Name())
		}
	}
	return nil
}

// prune removes the folders of decks that are gone from Src, drafts now or
// built under a new slug, and returns their slugs. A deck that failed keeps
// its folder and its cache entry.
func (b *builder) prune(jobs []*job) []string {
	used := map[string]bool{}
	for _, j := range jobs {
		switch j.d.Status {
		case Built, UpToDate:
			used[j.d.Slug] = true
		case Failed, Interrupted:
			if e, ok := b.cache.keep(j.rel); ok {
				used[e.Slug] = true
			}
		}
	}
	var removed []string
	for _, slug := range b.cache.oldSlugs() {
		if used[slug] {
			continue
		}
		if err := remove(filepath.Join(b.o.Out, slug), b.stage); err == nil {
			removed = append(removed, slug)
		}
	}
	return removed
}

// readDeck reads a deck, refusing what cannot be one.
func readDeck(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reading deck: %w", err)
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxDeck+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(src) > maxDeck {
		return nil, fmt.Errorf("%s: larger than 64 MB; is this a deck?", name)
	}
	return src, nil
}

// findDecks returns every deck under src: *.md files but README.md, not in
// hidden folders, not in out. The order is the paths'.
func findDecks(src, out string) ([]string, error) {
	fi, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("reading decks: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", src)
	}
	outInfo, _ := os.Stat(out)
	var files []string
	err = filepath.WalkDir(src, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := e.Name()
		if e.IsDir() {
			if p == src {
				return nil
			}
			if strings.HasPrefix(name, ".") || name == "node_modules" {
				return fs.SkipDir
			}
			if outInfo != nil {
				if fi, err := e.Info(); err == nil && os.SameFile(fi, outInfo) {
					return fs.SkipDir
				}
			}
			return nil
		}
		if strings.EqualFold(filepath.Ext(name), ".md") && !strings.EqualFold(name, "README.md") &&
			!strings.HasPrefix(name, ".") && e.Type()&fs.ModeType&^fs.ModeSymlink == 0 {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading decks: %w", err)
	}
	return files, nil
}
