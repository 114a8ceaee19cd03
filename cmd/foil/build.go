package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/foil-slides/foil/internal/outfile"
	"github.com/foil-slides/foil/internal/site"
	"github.com/foil-slides/foil/render/chromium"
)

type buildFlags struct {
	deckFlags
	browserFlags
	out     string
	title   string
	baseURL string
	jobs    int
	force   bool
}

func (f *buildFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "output", "o", "", "the site's folder (required; created when missing)")
	fs.StringVar(&f.title, "title", "", "the site's title (default: title in SRC/foil.yaml, else \"Slides\")")
	fs.StringVar(&f.baseURL, "base-url", "", "the site's address, for link previews and the feed (default: base-url in SRC/foil.yaml)")
	fs.IntVarP(&f.jobs, "jobs", "j", 2*runtime.NumCPU(), "browser pages at work at once (PDFs and thumbnails), in one browser")
	fs.BoolVar(&f.force, "force", false, "rebuild every deck, even those the cache says are up to date")
	f.deckFlags.register(fs)
	f.browserFlags.register(fs)
}

func buildCommand() *command {
	c := &command{
		name: "build", args: "SRC -o OUT", short: "build a website from a folder of decks: HTML, PDF, thumbnails, index",
		long: `Builds every deck under SRC (*.md, recursively; README.md and decks with
draft: true are skipped) into OUT:

  OUT/<slug>/index.html    the deck, ready to present
  OUT/<slug>/<slug>.pdf    the deck as PDF
  OUT/<slug>/thumb.png     the first slide, 640x360 (480x360 for 4:3)
  OUT/index.html           the decks newest first, by year
  OUT/feed.xml             an Atom feed

The slug is the front matter's slug, else the date and title
(2023-02-13-sre-muc-meetup). SRC/foil.yaml may set the site's title, its
base URL and front matter defaults for every deck:

  title: SRE-MUC slides
  base-url: https://muc.sre.xyz/slides/
  defaults:
    theme: dark
    footer: muc.sre.xyz

Decks that did not change since the last build are skipped (OUT/.foil-cache.json);
--force rebuilds all. A deck that fails does not stop the others: it is listed
at the end, keeps its earlier outputs, is left out of the index, and foil
exits with 1. Each deck's folder is replaced as a whole, never half-written.`,
	}
	var f buildFlags
	c.flags = f.register
	c.run = func(a *app, args []string) int {
		fs := c.flagSet()
		if code, ok := a.parseFlags(c, fs, args); !ok {
			return code
		}
		if fs.NArg() != 1 {
			fmt.Fprintf(a.stderr, "foil build: want one folder of decks, got %d\nUsage: foil build %s\n", fs.NArg(), c.args)
			return exitUsage
		}
		src := fs.Arg(0)
		if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
			fmt.Fprintf(a.stderr, "foil build: %s is not a folder of decks\n", src)
			return exitUsage
		}
		if f.out == "" {
			fmt.Fprintf(a.stderr, "foil build: no output folder; add -o OUT\n")
			return exitUsage
		}
		if outfile.Same(src, f.out) {
			fmt.Fprintf(a.stderr, "foil build: -o %s is the source folder; choose another\n", f.out)
			return exitUsage
		}
		if fi, err := os.Stat(f.out); err == nil && !fi.IsDir() {
			fmt.Fprintf(a.stderr, "foil build: -o %s is a file, not a folder\n", f.out)
			return exitUsage
		}
		if _, err := site.BaseURL(f.baseURL); err != nil {
			fmt.Fprintf(a.stderr, "foil build: --base-url: %v\n", err)
			return exitUsage
		}
		if f.jobs < 1 {
			fmt.Fprintf(a.stderr, "foil build: --jobs %d: want at least 1\n", f.jobs)
			return exitUsage
		}
		return a.build(src, f)
	}
	return c
}

func (a *app) build(src string, f buildFlags) int {
	ctx, cancel := a.withInterrupt()
	defer cancel()

	var (
		brMu      sync.Mutex
		br        *chromium.Browser
		brCode    = exitOK
		errNoBrow = errors.New("the browser did not start (see above)")
	)
	defer func() {
		brMu.Lock()
		defer brMu.Unlock()
		if br != nil {
			br.Close()
		}
	}()
	start := time.Now()
	p := a.newProgress(f)
	res, err := site.Build(ctx, site.Options{
		Src: src, Out: f.out, Title: f.title, BaseURL: f.baseURL,
		Layouts: f.layouts, HTML: f.html, AllowOutside: f.allowOutside, Strict: f.strict,
		Force: f.force, Jobs: f.jobs, Version: a.buildStamp(f),
		Browser: func(ctx context.Context) (site.Browser, error) {
			brMu.Lock()
			defer brMu.Unlock()
			b, code, ok := a.startBrowser(ctx, f.browserFlags, f.verbose)
			if !ok {
				brCode = code
				return nil, errNoBrow
			}
			br = b
			return b, nil
		},
		Start: p.start,
		Done:  p.done,
	})
	p.finish()
	if res == nil {
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
		return exitDeck
	}
	return a.buildSummary(res, err, brCode, time.Since(start), f)
}

// buildSummary prints the counts and every failure, and picks the exit code.
func (a *app) buildSummary(res *site.Result, err error, brCode int, took time.Duration, f buildFlags) int {
	failed := res.Count(site.Failed)
	if !f.quiet || failed > 0 || err != nil {
		parts := []string{fmt.Sprintf("%d built", res.Count(site.Built)), fmt.Sprintf("%d up to date", res.Count(site.UpToDate))}
		if n := res.Count(site.Draft); n > 0 {
			parts = append(parts, fmt.Sprintf("%d drafts", n))
		}
		if failed > 0 {
			parts = append(parts, fmt.Sprintf("%d failed", failed))
		}
		if n := res.Count(site.Interrupted); n > 0 {
			parts = append(parts, fmt.Sprintf("%d interrupted", n))
		}
		if len(res.Removed) > 0 {
			parts = append(parts, fmt.Sprintf("%d removed (%s)", len(res.Removed), strings.Join(res.Removed, ", ")))
		}
		line := fmt.Sprintf("foil build: %d decks: %s in %s", len(res.Decks), strings.Join(parts, ", "), took.Round(10*time.Millisecond))
		if res.Index != "" {
			line += "; wrote " + res.Index
		}
		fmt.Fprintln(a.stderr, line)
	}
	if failed > 0 {
		fmt.Fprintln(a.stderr, "failed:")
		for _, d := range res.Decks {
			if d.Status == site.Failed {
				fmt.Fprintf(a.stderr, "  %s\n", strings.ReplaceAll(d.Err.Error(), "\n", "\n  "))
			}
		}
	}
	switch {
	case err != nil:
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(a.stderr, "foil: interrupted; finished decks are kept, the index is unchanged")
		} else {
			fmt.Fprintf(a.stderr, "foil: %v\n", err)
		}
		return exitDeck
	case brCode != exitOK:
		return brCode
	case failed > 0:
		return exitDeck
	}
	return exitOK
}

// buildStamp names what outside the decks changes a site's outputs: foil
// itself and the browser. It is part of every deck's cache key.
func (a *app) buildStamp(f buildFlags) string {
	v := version
	modified := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v += " " + s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	// A development build may differ from the last one under the same
	// name: its executable tells them apart.
	if v == "" || strings.HasPrefix(v, "(devel)") || modified {
		if exe, err := os.Executable(); err == nil {
			v += " " + fileStamp(exe)
		}
	}
	stamp := "foil " + v
	if bin, err := chromium.Find(f.browser, a.getenv("FOIL_BROWSER"), a.getenv("CHROME_PATH")); err == nil {
		stamp += "; browser " + fileStamp(bin)
	}
	return fmt.Sprintf("%s; allow-remote=%t", stamp, f.allowRemote)
}

// fileStamp identifies a file's version by path, size and time, following
// symlinks (/usr/bin/chromium is often one).
func fileStamp(name string) string {
	if p, err := filepath.EvalSymlinks(name); err == nil {
		name = p
	}
	fi, err := os.Stat(name)
	if err != nil {
		return name
	}
	return fmt.Sprintf("%s %d %d", name, fi.Size(), fi.ModTime().UnixNano())
}

// buildProgress shows the build: a bar on a terminal, one line per deck
// otherwise.
type buildProgress struct {
	a     *app
	f     buildFlags
	p     *mpb.Progress
	bar   *mpb.Bar
	out   io.Writer // above the bar, or stderr
	total int
	n     int
}

func (a *app) newProgress(f buildFlags) *buildProgress {
	return &buildProgress{a: a, f: f, out: a.stderr}
}

// isTerminal reports whether w is a terminal that can redraw a bar.
func (a *app) isTerminal(w io.Writer) bool {
	file, ok := w.(*os.File)
	if !ok || a.getenv("TERM") == "dumb" {
		return false
	}
	fi, err := file.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (b *buildProgress) start(n int) {
	b.total = n
	if b.f.quiet || b.f.verbose || n == 0 || !b.a.isTerminal(b.a.stderr) {
		return
	}
	b.p = mpb.New(mpb.WithOutput(b.a.stderr), mpb.WithWidth(40), mpb.WithRefreshRate(100*time.Millisecond))
	b.bar = b.p.AddBar(int64(n),
		mpb.PrependDecorators(decor.Name("building "), decor.CountersNoUnit("%d/%d decks", decor.WCSyncWidth)),
		mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO, decor.WCSyncSpace)),
		mpb.BarRemoveOnComplete(),
	)
	b.out = b.p
}

func (b *buildProgress) done(d *site.Deck) {
	b.n++
	if !b.f.quiet {
		for _, w := range d.Warnings {
			fmt.Fprintf(b.out, "%s\n", strings.Replace(w, ": ", ": warning: ", 1))
		}
	}
	switch {
	case d.Status == site.Failed:
		fmt.Fprintf(b.out, "failed      %s\n", firstLine(d.Err.Error()))
	case b.bar != nil || b.f.quiet || d.Status == site.Interrupted:
	case d.Status == site.Built:
		fmt.Fprintf(b.out, "built       %s (%s, %d slides, %s)\n", d.Slug, d.File, d.Slides, d.Time.Round(10*time.Millisecond))
	case d.Status == site.UpToDate && b.f.verbose:
		fmt.Fprintf(b.out, "up to date  %s (%s)\n", d.Slug, d.File)
	case d.Status == site.Draft:
		fmt.Fprintf(b.out, "draft       %s\n", d.File)
	}
	if b.bar != nil {
		b.bar.Increment()
	}
}

func (b *buildProgress) finish() {
	if b.p != nil {
		if b.bar != nil && b.n < b.total {
			b.bar.Abort(true)
		}
		b.p.Wait()
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
