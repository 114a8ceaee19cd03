package site

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"golang.org/x/net/html"

	"github.com/foil-slides/foil/render/chromium"
	"github.com/foil-slides/foil/render/chromium/chromiumtest"
)

// testBrowser starts a real browser for t, or skips t when there is none
// (fails it when FOIL_REQUIRE_BROWSER is set).
func testBrowser(t testing.TB, opts chromium.Options) *chromium.Browser {
	t.Helper()
	bin := chromiumtest.Bin(t)
	opts.NoSandbox = os.Geteuid() == 0
	b, err := chromium.New(context.Background(), bin, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// counter passes calls on to the real browser and counts them, so a test
// can tell how much a build printed and whether it asked for a browser at
// all.
type counter struct {
	b            Browser
	started, pdf atomic.Int32
}

func (c *counter) start(context.Context) (Browser, error) { c.started.Add(1); return c, nil }

func (c *counter) PDFAndPNG(ctx context.Context, doc []byte, o chromium.PDFOptions, w io.Writer, po chromium.PNGOptions) ([][]byte, []string, error) {
	c.pdf.Add(1)
	return c.b.PDFAndPNG(ctx, doc, o, w, po)
}

func (c *counter) reset() { c.started.Store(0); c.pdf.Store(0) }

func write(t testing.TB, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writePNG writes a w x h image of one colour.
func writePNG(t testing.TB, name string, w, h int, c color.Color) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	write(t, name, buf.String())
}

// genDeck is the n-slide bench deck with its own title and date.
func genDeck(t testing.TB, n int, title, date string) string {
	t.Helper()
	src, err := os.ReadFile(fmt.Sprintf("../../testdata/bench/deck-%d.md", n))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("---\ntitle: %s\nsubtitle: Generated, %d slides\ndate: %s\n---\n\n", title, n, date) + string(src)
}

// testSite makes a source folder: the examples, a deck with an image, two
// generated decks, a draft, a README and a foil.yaml. It returns the folder
// and the slide count of each deck by slug.
func testSite(t testing.TB) (string, map[string]int) {
	t.Helper()
	src := t.TempDir()
	if err := os.CopyFS(src, os.DirFS("../../examples")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(src, ConfigFile), "title: SRE-MUC slides\nbase-url: https://example.com/talks\ndefaults:\n  footer: example.com\n")
	write(t, filepath.Join(src, "2022", "logo.md"), "---\ntitle: Logo Night\nsubtitle: With a picture\ndate: 2022-06-01\n---\n\n# Logo Night\n\n"+
		"# The logo\n\n![logo](img/logo.png)\n\nOur logo\n\n# Thanks\n")
	writePNG(t, filepath.Join(src, "2022", "img", "logo.png"), 64, 32, color.RGBA{200, 30, 30, 255})
	write(t, filepath.Join(src, "gen", "one.md"), genDeck(t, 10, "Generated One", "2021-03-04"))
	write(t, filepath.Join(src, "gen", "two.md"), genDeck(t, 10, "Generated Two", "2021-09-10"))
	write(t, filepath.Join(src, "gen", "draft.md"), "---\ntitle: Not yet\ndraft: true\n---\n# Not yet\n")
	write(t, filepath.Join(src, ".hidden", "deck.md"), "# Hidden\n")
	return src, map[string]int{
		"2023-02-13-sre-muc-meetup":                           30,
		"2024-04-15-kubecon-cloudnativecon-europe-2024-recap": 11,
		"2024-05-01-foil-feature-tour":                        35,
		"2024-04-15-spring-lightning-night":                   4,
		"2022-06-01-logo-night":                               3,
		"2021-03-04-generated-one":                            10,
		"2021-09-10-generated-two":                            10,
	}
}

func statuses(res *Result) map[string]Status {
	m := map[string]Status{}
	for _, d := range res.Decks {
		m[filepath.Base(filepath.Dir(d.File))+"/"+filepath.Base(d.File)] = d.Status
	}
	return m
}

func countStatus(res *Result) string {
	return fmt.Sprintf("built %d, up to date %d, draft %d, failed %d",
		res.Count(Built), res.Count(UpToDate), res.Count(Draft), res.Count(Failed))
}

// TestBuild builds a folder of decks with the real browser, checks every
// output, then builds again: nothing changed, an image changed, a deck
// broken, decks with one slug, a deck removed.
func TestBuild(t *testing.T) {
	br := &counter{b: testBrowser(t, chromium.Options{})}
	src, want := testSite(t)
	out := filepath.Join(t.TempDir(), "site")
	opts := Options{Src: src, Out: out, Version: "test", Browser: br.start}
	build := func(t *testing.T) *Result {
		t.Helper()
		br.reset()
		res, err := Build(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Decks {
			if d.Status == Failed {
				t.Logf("%s failed: %v", d.File, d.Err)
			}
		}
		return res
	}

	res := build(t)
	if got, w := countStatus(res), fmt.Sprintf("built %d, up to date 0, draft 1, failed 0", len(want)); got != w {
		t.Fatalf("first build: %s, want %s", got, w)
	}
	if n := br.started.Load(); n != 1 {
		t.Errorf("browser started %d times, want 1", n)
	}
	checkSite(t, out, want, "https://example.com/talks/")

	t.Run("nothing changed", func(t *testing.T) {
		before := mtimes(t, out)
		start := time.Now()
		res := build(t)
		took := time.Since(start)
		if got, w := countStatus(res), fmt.Sprintf("built 0, up to date %d, draft 1, failed 0", len(want)); got != w {
			t.Errorf("got %s, want %s", got, w)
		}
		if n := br.started.Load(); n != 0 {
			t.Errorf("browser asked for %d times, want 0", n)
		}
		after := mtimes(t, out)
		for f, m := range before {
			if f != indexFile && f != feedFile && f != CacheFile && !after[f].Equal(m) {
				t.Errorf("%s rewritten", f)
			}
		}
		t.Logf("warm build of %d decks: %v", len(want), took)
	})

	t.Run("image changed", func(t *testing.T) {
		writePNG(t, filepath.Join(src, "2022", "img", "logo.png"), 64, 32, color.RGBA{30, 30, 200, 255})
		res := build(t)
		st := statuses(res)
		if st["2022/logo.md"] != Built || res.Count(Built) != 1 {
			t.Errorf("got %s (logo.md %v), want only logo.md built", countStatus(res), st["2022/logo.md"])
		}
		if p := br.pdf.Load(); p != 1 {
			t.Errorf("printed %d decks, want 1", p)
		}
		checkSite(t, out, want, "https://example.com/talks/")
	})

	t.Run("broken decks", func(t *testing.T) {
		// A new deck with bad YAML, and a deck that built before and is
		// broken now: its outputs stay as they were.
		write(t, filepath.Join(src, "broken.md"), "---\ntitle: [unclosed\n---\n# Broken\n")
		one := filepath.Join(src, "gen", "one.md")
		good, _ := os.ReadFile(one)
		write(t, one, "---\ntitle: One\ndate: 2021-03-04\nsplt: 2\n---\n# One\n")
		slug := "2021-03-04-generated-one"
		pdfBefore, _ := os.ReadFile(filepath.Join(out, slug, slug+".pdf"))

		res := build(t)
		if got, w := countStatus(res), fmt.Sprintf("built 0, up to date %d, draft 1, failed 2", len(want)-1); got != w {
			t.Errorf("got %s, want %s", got, w)
		}
		var errs []string
		for _, d := range res.Decks {
			if d.Status == Failed {
				errs = append(errs, d.Err.Error())
			}
		}
		slices.Sort(errs)
		wantErrs := []string{
			filepath.Join(src, "broken.md") + ":2:",
			one + `:4: unknown front matter key "splt"`,
		}
		for i, w := range wantErrs {
			if i >= len(errs) || !strings.HasPrefix(errs[i], w) {
				t.Errorf("errors %q, want one starting %q", errs, w)
			}
		}
		pdfAfter, err := os.ReadFile(filepath.Join(out, slug, slug+".pdf"))
		if err != nil || !bytes.Equal(pdfBefore, pdfAfter) {
			t.Errorf("the broken deck's earlier PDF changed or is gone (%v)", err)
		}
		index, _ := os.ReadFile(filepath.Join(out, indexFile))
		if bytes.Contains(index, []byte(slug)) {
			t.Errorf("index lists the failed deck %s", slug)
		}
		delete(want, slug)
		checkSite(t, out, want, "https://example.com/talks/", slug)

		// Fixed again: the deck is back.
		write(t, one, string(good))
		os.Remove(filepath.Join(src, "broken.md"))
		res = build(t)
		want[slug] = 10
		if st := statuses(res); st["gen/one.md"] != UpToDate {
			t.Errorf("fixed deck: %v, want up to date (its outputs were kept)", st["gen/one.md"])
		}
		checkSite(t, out, want, "https://example.com/talks/")
	})

	t.Run("same slug", func(t *testing.T) {
		write(t, filepath.Join(src, "a.md"), "---\nslug: twin\n---\n# A\n")
		write(t, filepath.Join(src, "b.md"), "---\nslug: twin\n---\n# B\n")
		res := build(t)
		var errs []string
		for _, d := range res.Decks {
			if d.Status == Failed {
				errs = append(errs, d.Err.Error())
			}
		}
		a, b := filepath.Join(src, "a.md"), filepath.Join(src, "b.md")
		wantErrs := []string{
			a + `: slug "twin" is also the slug of ` + b + "; set slug: in the front matter of one of them",
			b + `: slug "twin" is also the slug of ` + a + "; set slug: in the front matter of one of them",
		}
		if !slices.Equal(errs, wantErrs) {
			t.Errorf("got %q\nwant %q", errs, wantErrs)
		}
		if _, err := os.Stat(filepath.Join(out, "twin")); err == nil {
			t.Error("twin built")
		}
		os.Remove(a)
		os.Remove(b)
	})

	t.Run("deck removed", func(t *testing.T) {
		slug := "2021-09-10-generated-two"
		os.Remove(filepath.Join(src, "gen", "two.md"))
		res := build(t)
		if !slices.Equal(res.Removed, []string{slug}) {
			t.Errorf("removed %q, want %q", res.Removed, slug)
		}
		if _, err := os.Stat(filepath.Join(out, slug)); err == nil {
			t.Errorf("%s still there", slug)
		}
		delete(want, slug)
		checkSite(t, out, want, "https://example.com/talks/")
	})

	t.Run("leftovers of a build that died", func(t *testing.T) {
		// Died between moving a deck's old folder away and moving the new
		// one in (the fallback without RENAME_EXCHANGE).
		slug := "2022-06-01-logo-night"
		stage := filepath.Join(out, stageDir)
		os.MkdirAll(filepath.Join(stage, "junk.123"), 0o755)
		if err := os.Rename(filepath.Join(out, slug), filepath.Join(stage, slug+".456"+oldSuffix)); err != nil {
			t.Fatal(err)
		}
		res := build(t)
		if st := statuses(res); st["2022/logo.md"] != UpToDate {
			t.Errorf("logo.md %v, want up to date: its folder is back", st["2022/logo.md"])
		}
		if _, err := os.Stat(stage); err == nil {
			t.Errorf("%s left", stage)
		}
		checkSite(t, out, want, "https://example.com/talks/")
	})

	t.Run("force", func(t *testing.T) {
		opts.Force = true
		defer func() { opts.Force = false }()
		res := build(t)
		if res.Count(Built) != len(want) {
			t.Errorf("got %s, want all %d built", countStatus(res), len(want))
		}
	})
}

// TestBuildNoBaseURL: without a base URL the index and feed links are
// relative, deck pages have no og:url or og:image, and nothing but Out is
// written.
func TestBuildNoBaseURL(t *testing.T) {
	br := testBrowser(t, chromium.Options{})
	src := t.TempDir()
	write(t, filepath.Join(src, "talk.md"), genDeck(t, 10, "Plain", "2020-01-02"))
	write(t, filepath.Join(src, "old.md"), "---\naspect: \"4:3\"\n---\n# Undated & <odd> \"title\"\n\n# Two\n")
	out := filepath.Join(t.TempDir(), "site")
	res, err := Build(context.Background(), Options{Src: src, Out: out,
		Browser: func(context.Context) (Browser, error) { return br, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if got := countStatus(res); got != "built 2, up to date 0, draft 0, failed 0" {
		t.Fatalf("got %s", got)
	}
	checkSite(t, out, map[string]int{"2020-01-02-plain": 10, "undated-title": 2}, "")
	page, _ := os.ReadFile(filepath.Join(out, "2020-01-02-plain", indexFile))
	for _, tag := range []string{"og:url", "og:image"} {
		if bytes.Contains(page, []byte(tag)) {
			t.Errorf("deck page has %s without a base URL", tag)
		}
	}
	if !bytes.Contains(page, []byte(`<meta property="og:title" content="Plain">`)) {
		t.Error("deck page lacks og:title")
	}
	if ents, _ := os.ReadDir(src); len(ents) != 2 {
		t.Errorf("source folder changed: %d entries", len(ents))
	}
}

// TestBuildTimeout: a deck that never finishes loading fails with a
// timeout; the other deck builds.
func TestBuildTimeout(t *testing.T) {
	br := testBrowser(t, chromium.Options{Timeout: 3 * time.Second})
	src := t.TempDir()
	write(t, filepath.Join(src, "ok.md"), "# Fine\n\n# Two\n")
	// html: true drops the CSP, so this script runs: it keeps the load
	// event from ever firing.
	write(t, filepath.Join(src, "hang.md"), "---\nhtml: true\n---\n# Hangs\n\n<img src=\"data:image/png;base64,AAAA\" id=x>\n<script>document.addEventListener('DOMContentLoaded',()=>{const s=Date.now();while(Date.now()-s<20000){}})</script>\n")
	out := filepath.Join(t.TempDir(), "site")
	res, err := Build(context.Background(), Options{Src: src, Out: out, Jobs: 4,
		Browser: func(context.Context) (Browser, error) { return br, nil }})
	if err != nil {
		t.Fatal(err)
	}
	st := statuses(res)
	base := filepath.Base(src)
	if st[base+"/ok.md"] != Built || st[base+"/hang.md"] != Failed {
		t.Fatalf("got %v", st)
	}
	for _, d := range res.Decks {
		if d.Status == Failed && !strings.Contains(d.Err.Error(), "timeout") {
			t.Errorf("error %q does not say timeout", d.Err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "hangs")); err == nil {
		t.Error("the failed deck has a folder")
	}
}

func mtimes(t *testing.T, out string) map[string]time.Time {
	t.Helper()
	m := map[string]time.Time{}
	filepath.WalkDir(out, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			fi, _ := e.Info()
			rel, _ := filepath.Rel(out, p)
			m[rel] = fi.ModTime()
		}
		return nil
	})
	return m
}

var (
	ogURL   = regexp.MustCompile(`<meta property="og:url" content="([^"]*)">`)
	ogImage = regexp.MustCompile(`<meta property="og:image" content="([^"]*)">`)
	ogTitle = regexp.MustCompile(`<meta property="og:title" content="([^"]*)">`)
	twCard  = regexp.MustCompile(`<meta name="twitter:card" content="summary_large_image">`)
)

// checkSite checks Out against the decks it should hold (slug -> slides):
// each deck's files, PDF page count, thumbnail size, Open Graph tags; the
// index lists exactly those decks, newest first, and every link of the
// index and the feed resolves to a file in Out.
func checkSite(t *testing.T, out string, want map[string]int, base string, failed ...string) {
	t.Helper()
	ents, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range ents {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	var slugs []string
	for s := range want {
		slugs = append(slugs, s)
	}
	slices.Sort(slugs)
	wantDirs := slices.Sorted(slices.Values(append(slices.Clone(slugs), failed...)))
	if !slices.Equal(dirs, wantDirs) {
		t.Errorf("folders in %s: %q, want %q", out, dirs, wantDirs)
	}
	for slug, slides := range want {
		dir := filepath.Join(out, slug)
		files, _ := os.ReadDir(dir)
		var names []string
		for _, f := range files {
			names = append(names, f.Name())
		}
		if w := slices.Sorted(slices.Values(outputs(slug))); !slices.Equal(names, w) {
			t.Errorf("%s holds %q, want %q", slug, names, w)
			continue
		}
		pdf, _ := os.ReadFile(filepath.Join(dir, slug+".pdf"))
		if n, err := api.PageCount(bytes.NewReader(pdf), model.NewDefaultConfiguration()); err != nil || n != slides {
			t.Errorf("%s.pdf: %d pages (%v), want %d", slug, n, err, slides)
		}
		thumb, _ := os.ReadFile(filepath.Join(dir, thumbFile))
		cfg, err := png.DecodeConfig(bytes.NewReader(thumb))
		wantW := 640
		if slug == "undated-title" {
			wantW = 480 // 4:3
		}
		if err != nil || cfg.Width != wantW || cfg.Height != 360 {
			t.Errorf("%s/thumb.png: %dx%d (%v), want %dx360", slug, cfg.Width, cfg.Height, err, wantW)
		}
		page, _ := os.ReadFile(filepath.Join(dir, indexFile))
		if m := ogTitle.FindSubmatch(page); m == nil || len(m[1]) == 0 {
			t.Errorf("%s: no og:title", slug)
		}
		if base != "" {
			if m := ogURL.FindSubmatch(page); m == nil || string(m[1]) != base+slug+"/" {
				t.Errorf("%s: og:url %q, want %q", slug, m, base+slug+"/")
			}
			if m := ogImage.FindSubmatch(page); m == nil || string(m[1]) != base+slug+"/thumb.png" {
				t.Errorf("%s: og:image %q, want %q", slug, m, base+slug+"/thumb.png")
			}
			if !twCard.Match(page) {
				t.Errorf("%s: no twitter:card summary_large_image", slug)
			}
		}
		// Self-contained: nothing loads from outside the page.
		if regexp.MustCompile(`(?i)<(img|script|link)[^>]+(src|href)="(https?:|/|\.\.)`).Match(page) {
			t.Errorf("%s/index.html loads something from outside", slug)
		}
	}

	// The index: every link resolves, the decks in order.
	index, err := os.ReadFile(filepath.Join(out, indexFile))
	if err != nil {
		t.Fatal(err)
	}
	links, order := indexLinks(t, index)
	for _, l := range links {
		checkLink(t, out, base, indexFile, l)
	}
	var listed []string
	for i, page := range order {
		slug := strings.TrimSuffix(page, "/"+indexFile)
		listed = append(listed, slug)
		if i > 0 && dateOf(order[i-1]) < dateOf(page) {
			t.Errorf("index: %s before %s, want newest first, undated last", order[i-1], page)
		}
	}
	slices.Sort(listed)
	if !slices.Equal(listed, slugs) {
		t.Errorf("index lists %q, want %q", listed, slugs)
	}

	// The feed: valid Atom with one entry per deck, every link resolves.
	data, err := os.ReadFile(filepath.Join(out, feedFile))
	if err != nil {
		t.Fatal(err)
	}
	var f atomFeed
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	if f.XMLName.Space != "http://www.w3.org/2005/Atom" || f.Title == "" || f.ID == "" || f.Updated == "" || f.Author.Name == "" {
		t.Errorf("feed lacks required elements: %+v", f)
	}
	if len(f.Entries) != len(want) {
		t.Errorf("feed has %d entries, want %d", len(f.Entries), len(want))
	}
	for _, e := range f.Entries {
		if e.Title == "" || e.ID == "" {
			t.Errorf("entry lacks title or id: %+v", e)
		}
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("entry %q: updated %q: %v", e.Title, e.Updated, err)
		}
		for _, l := range e.Links {
			checkLink(t, out, base, feedFile, l.Href)
		}
	}
	for _, l := range f.Links {
		checkLink(t, out, base, feedFile, l.Href)
	}
}

// dateOf is the date a slug starts with; "" sorts after every date.
func dateOf(slug string) string {
	if len(slug) >= 10 && slug[4] == '-' && slug[0] >= '0' && slug[0] <= '9' {
		return slug[:10]
	}
	return ""
}

// indexLinks returns every href and src of the index, and the deck pages
// its headings link to, in order.
func indexLinks(t *testing.T, data []byte) (links, decks []string) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node, inH3 bool)
	walk = func(n *html.Node, inH3 bool) {
		if n.Type == html.ElementNode {
			inH3 = inH3 || n.Data == "h3"
			for _, a := range n.Attr {
				if a.Key == "href" || a.Key == "src" {
					links = append(links, a.Val)
					if inH3 && n.Data == "a" {
						decks = append(decks, a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inH3)
		}
	}
	walk(doc, false)
	return links, decks
}

// checkLink checks that link, found in Out/from, names a file in Out.
func checkLink(t *testing.T, out, base, from, link string) {
	t.Helper()
	rel := link
	switch {
	case base != "" && strings.HasPrefix(link, base):
		rel = strings.TrimPrefix(link, base)
	case strings.Contains(link, ":") || strings.HasPrefix(link, "/"):
		t.Errorf("%s: link %q leaves the site", from, link)
		return
	}
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += indexFile
	}
	if fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(rel))); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("%s: link %q: no such file in the site", from, link)
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
