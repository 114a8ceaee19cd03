package render

import (
	"bytes"
	"flag"
	"fmt"
	stdhtml "html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/foil-slides/foil/internal/golden"
	"github.com/foil-slides/foil/render/deck"
)

var update = flag.Bool("update", false, "rewrite golden files")

// examples returns every deck in examples/.
func examples(t testing.TB) []string {
	var decks []string
	err := filepath.WalkDir("../examples", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") && d.Name() != "README.md" {
			decks = append(decks, path)
		}
		return nil
	})
	if err != nil || len(decks) == 0 {
		t.Fatalf("no example decks: %v", err)
	}
	return decks
}

func build(t testing.TB, path string, o Options) (*deck.Deck, deck.Diags, string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if o.Dir == "" {
		o.Dir = filepath.Dir(path)
	}
	r, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	d, diags, err := r.Build(&buf, path, src)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return d, diags, buf.String()
}

var (
	sectionRE = regexp.MustCompile(`<section class="slide[^"]*" id="slide-(\d+)" data-layout="([a-z0-9-]+)" data-line="(\d+)"`)
	// Anything that would make the page load something from elsewhere.
	externalRE = regexp.MustCompile(`(?i)(<(img|script|iframe|link|video|audio|source|embed|object)\b[^>]*\b(src|href)\s*=\s*["']?(https?:|//|file:))|url\(\s*["']?(https?:|//|file:)|@import`)
)

// TestExamples renders every example deck and checks the DOM contract:
// one section per slide, numbered from 1, with its layout and source line,
// the deck's title and language, notes inside their slide, nothing loaded
// from outside the file.
func TestExamples(t *testing.T) {
	for _, path := range examples(t) {
		t.Run(filepath.ToSlash(path), func(t *testing.T) {
			d, diags, html := build(t, path, Options{})
			for _, dg := range diags {
				t.Errorf("diagnostic: %v", dg)
			}
			m := sectionRE.FindAllStringSubmatch(html, -1)
			if len(m) != len(d.Slides) || len(m) == 0 {
				t.Fatalf("%d sections for %d slides", len(m), len(d.Slides))
			}
			for i, s := range d.Slides {
				if m[i][1] != strconv.Itoa(i+1) {
					t.Errorf("section %d has id slide-%s", i+1, m[i][1])
				}
				if m[i][3] != strconv.Itoa(s.Pos.Line) {
					t.Errorf("slide %d: data-line %s, want %d", i+1, m[i][3], s.Pos.Line)
				}
			}
			if want := `<html lang="` + d.Meta.Lang + `"`; !strings.Contains(html, want) {
				t.Errorf("no %s", want)
			}
			if m := titleRE.FindStringSubmatch(html); m == nil || stdhtml.UnescapeString(m[1]) != d.Meta.Title {
				t.Errorf("title %q, want %q", m, d.Meta.Title)
			}
			if loc := externalRE.FindStringIndex(html); loc != nil {
				t.Errorf("loads from outside the file: %q", html[loc[0]:min(loc[1]+60, len(html))])
			}
			if !strings.Contains(html, `http-equiv="Content-Security-Policy"`) {
				t.Error("no Content-Security-Policy")
			}
			notes := 0
			for _, s := range d.Slides {
				if len(s.Notes) > 0 {
					notes++
				}
			}
			if got := strings.Count(html, `<aside class="notes">`); got != notes {
				t.Errorf("%d notes asides, want %d", got, notes)
			}
		})
	}
}

var titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)

// TestDetect checks each layout rule on the slides of the SRE-MUC example,
// without a browser.
func TestDetect(t *testing.T) {
	d, _, _ := build(t, "../examples/sre-muc-2023-02.md", Options{})
	want := map[int]string{
		1: "title", 2: "agenda", 3: "default", 4: "stats", 6: "talk", 7: "talk", 8: "section",
		10: "columns", 11: "summary", 13: "summary", 14: "compare", 18: "quote", 22: "columns", 30: "end",
	}
	r, _ := New(Options{})
	used := map[string]bool{}
	for _, s := range d.Slides {
		got, _ := r.LayoutOf(d, s)
		used[got] = true
		if w, ok := want[s.Number]; ok && got != w {
			title := ""
			if s.Title != nil {
				title = s.Title.Text
			}
			t.Errorf("slide %d %q: layout %s, want %s", s.Number, title, got, w)
		}
	}
	for _, l := range []string{"title", "agenda", "stats", "talk", "section", "summary", "compare", "columns", "quote", "end"} {
		if !used[l] {
			t.Errorf("the example uses no %s slide", l)
		}
	}
}

// TestRules checks each detection rule on small slides.
func TestRules(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"title first", "# Meetup\n\n2023-02-13 / Winter\n\n# Next\n\ntext\n\n# Last\n\n- a\n- b\n- c\n- d\n", "title"},
		{"agenda 24h", "# x\n\n- a\n\n# Agenda\n\n- 19:00 - Welcome!\n- 19:15 Talk\n- 20:00 Drinks\n\n# y\n\n- a\n- b\n- c\n- d\n", "agenda"},
		{"agenda pm", "# x\n\n- a\n\n# Agenda\n\n- 7pm Doors\n- 7:30 pm Talk\n- 9pm Pizza\n\n# y\n\n- a\n- b\n- c\n- d\n", "agenda"},
		{"talk heading", "# x\n\n- a\n\n# Talk 1 - Ana Pérez:\n\nContext cancellation in practice\n\n# y\n\n- a\n- b\n- c\n- d\n", "talk"},
		{"talk first line", "# x\n\n- a\n\n---\n\nTalk 2: Bob\n\nGenerics, two years later\n\n# y\n\n- a\n- b\n- c\n- d\n", "talk"},
		{"talk without speaker is a section", "# x\n\n- a\n\n# Talk 3\n\nSREcon recap\n\n# y\n\n- a\n- b\n- c\n- d\n", "section"},
		{"compare bold", "# x\n\n- a\n\n## Webb way\n\n**Do not!**\n\n- a\n\n**Do!**\n\n- b\n\n# y\n\n- a\n- b\n- c\n- d\n", "compare"},
		{"compare headings", "# x\n\n- a\n\n## Change\n\n### Before\n\n- a\n\n### After\n\n- b\n\n# y\n\n- a\n- b\n- c\n- d\n", "compare"},
		{"columns", "# x\n\n- a\n\n## Facts\n\n### Attendees\n\n- many\n\n### Talks\n\n- some\n\n# y\n\n- a\n- b\n- c\n- d\n", "columns"},
		{"stats", "# x\n\n- a\n\n## Feedback\n\n- 35% really good\n- ~540 attendees\n- 92% agreed\n\nn=14\n\n# y\n\n- a\n- b\n- c\n- d\n", "stats"},
		{"stats chart item", "# x\n\n- a\n\n## Feedback\n\n- Quality: 35% really good, 50% good, 15% meh (rating 1-5)\n- Length: 71% spot on, 29% a bit too short\n\n# y\n\n- a\n- b\n- c\n- d\n", "stats"},
		{"summary", "# x\n\n- a\n\n## A talk\n\n- It was about things.\n- <https://example.com/talk>\n\n# y\n\n- a\n- b\n- c\n- d\n", "summary"},
		{"quote", "# x\n\n- a\n\n---\n\n> Clear is better than clever.\n>\n> — Go Proverbs\n\n# y\n\n- a\n- b\n- c\n- d\n", "quote"},
		{"quote emphasis", "# x\n\n- a\n\n---\n\n*Your SRE won't look like my SRE*\n\n# y\n\n- a\n- b\n- c\n- d\n", "quote"},
		{"image", "# x\n\n- a\n\n---\n\n![a](data:image/png;base64,AA)\n\nA caption\n\n# y\n\n- a\n- b\n- c\n- d\n", "image"},
		{"sized image is not full-bleed", "# x\n\n- a\n\n---\n\n![w:300 a](data:image/png;base64,AA)\n\n# y\n\n- a\n- b\n- c\n- d\n", "default"},
		{"section", "# x\n\n- a\n\n# Part 2\n\nThe recap\n\n# y\n\n- a\n- b\n- c\n- d\n", "section"},
		{"default", "# x\n\n- a\n\n# Website\n\n- one\n- two\n\n# y\n\n- a\n- b\n- c\n- d\n", "default"},
		{"end last", "# x\n\n- a\n\n# y\n\n- a\n- b\n- c\n- d\n\n# Thanks!\n\n[feedback](https://example.com/f)\n", "end"},
		{"forced", "# x\n\n- a\n\n# Website\n\n<!-- layout: columns -->\n\n- one\n- two\n\n# y\n\n- a\n- b\n- c\n- d\n", "columns"},
	}
	r, _ := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, diags := r.Parse("deck.md", []byte(tt.src))
			if len(diags.Errors()) > 0 {
				t.Fatal(diags)
			}
			// The slide under test is the second, or the last for "end".
			s := d.Slides[1]
			if tt.want == "end" || tt.want == "title" {
				s = d.Slides[len(d.Slides)-1]
				if tt.want == "title" {
					s = d.Slides[0]
				}
			}
			if got, _ := r.LayoutOf(d, s); got != tt.want {
				t.Errorf("layout %s, want %s", got, tt.want)
			}
			if err := r.set.Slide(io.Discard, tt.want, r.view(d, s, tt.want, &DeckInfo{})); err != nil {
				t.Errorf("template: %v", err)
			}
		})
	}
}

// TestViews checks the structured data layouts get.
func TestViews(t *testing.T) {
	d, _, _ := build(t, "../examples/sre-muc-2023-02.md", Options{})
	r, _ := New(Options{Dir: "../examples"})
	view := func(n int) *Slide {
		s := d.Slides[n-1]
		l, _ := r.LayoutOf(d, s)
		return r.view(d, s, l, &DeckInfo{schedule: schedule(d)})
	}
	a := view(2).Agenda
	if a == nil || len(a.Items) != 7 {
		t.Fatalf("agenda = %+v", a)
	}
	if it := a.Items[1]; it.Time != "19:15" || it.Text != "Talk 1 - Maximilian Schaugg" || len(it.Details) != 1 || it.Kind != "talk" {
		t.Errorf("agenda item 2 = %q %q %q %q", it.Time, it.Text, it.Details, it.Kind)
	}
	if it := a.Items[2]; it.Time != "19:45" || it.Kind != "break" {
		t.Errorf("agenda item 3 = %q %q", it.Time, it.Kind)
	}
	tk := view(6).Talk
	if tk == nil || tk.Number != "Talk 1" || tk.Speaker != "Maximilian Schaugg" || tk.Time != "19:15" || !strings.Contains(string(tk.Title), "now it is yours") {
		t.Errorf("talk = %+v", tk)
	}
	st := view(4).Stats
	if st == nil || st.Caption != "n=14" || len(st.Charts) != 2 || len(st.Figures) != 1 {
		t.Fatalf("stats = %+v", st)
	}
	if c := st.Charts[0]; c.Label != "Quality of talks" || c.Note != "rating 1-5" || len(c.Bars) != 3 || c.Bars[0].Value != 35 || c.Bars[0].Label != "really good" {
		t.Errorf("chart = %+v %+v", c, c.Bars[0])
	}
	if f := st.Figures[0]; f.Value != "92" || f.Unit != "%" {
		t.Errorf("figure = %+v", f)
	}
	if !strings.Contains(string(st.Charts[0].SVG), `class="bar-fill"`) {
		t.Errorf("chart SVG = %s", st.Charts[0].SVG)
	}
	cmp := view(14).Compare
	if len(cmp) != 2 || cmp[0].Tone != "neg" || cmp[1].Tone != "pos" || len(cmp[0].Items) == 0 || len(cmp[1].Items) == 0 {
		t.Errorf("compare = %+v", cmp)
	}
	sm := view(11).Summary
	if sm == nil || sm.Link.URL != "https://www.usenix.org/conference/srecon22emea/presentation/sinjakli" ||
		sm.Link.Label != "usenix.org/…/sinjakli" || !strings.Contains(string(sm.Link.QR), "<svg") {
		t.Errorf("summary = %+v", sm)
	}
	q := view(18).Quote
	if q == nil || q.Text == "" {
		t.Errorf("quote = %+v", q)
	}
	sched := schedule(d)
	if len(sched) != 7 || sched[0].Slide != 2 || sched[1].Slide != 6 || sched[3].Slide != 7 || sched[1].Minutes != 19*60+15 || sched[1].Text != "Talk 1 - Maximilian Schaugg" {
		t.Errorf("schedule = %+v", sched)
	}
	e := view(30).End
	if e == nil || len(e.Links) == 0 {
		t.Errorf("end = %+v", e)
	}
}

// TestBadInput checks images and layouts that must not pass silently.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	must(t, os.WriteFile(filepath.Join(dir, "ok.png"), png, 0o644))
	must(t, os.WriteFile(filepath.Join(outside, "secret.png"), png, 0o644))
	must(t, os.Symlink(filepath.Join(outside, "secret.png"), filepath.Join(dir, "link.png")))
	must(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	tests := []struct {
		name, src string
		opts      Options
		want      []string // diagnostics as "warning file:line: msg" or "file:line: msg"
		contains  string   // in the HTML
	}{
		{"local image inlined", "# A\n\n![x](ok.png)\n", Options{}, nil, `src="data:image/png;base64,`},
		{"missing image", "# A\n\n![x](gone.png)\n", Options{},
			[]string{`warning deck.md:3: image "gone.png": no such file in ` + dir}, ""},
		{"escape with ..", "# A\n\n![x](../secret.png)\n", Options{},
			[]string{`warning deck.md:3: image "../secret.png": outside the deck's folder (use --allow-outside to allow it)`}, ""},
		{"absolute path", "# A\n\n![x](" + filepath.Join(outside, "secret.png") + ")\n", Options{},
			[]string{`warning deck.md:3: image "` + filepath.Join(outside, "secret.png") + `": outside the deck's folder (use --allow-outside to allow it)`}, ""},
		{"escape by symlink", "# A\n\n![x](link.png)\n", Options{},
			[]string{`warning deck.md:3: image "link.png": outside the deck's folder through a symlink (use --allow-outside to allow it)`}, ""},
		{"allow outside", "# A\n\n![x](link.png)\n", Options{AllowOutside: true}, nil, `src="data:image/png;base64,`},
		{"remote image", "# A\n\n![x](https://example.com/a.png)\n", Options{},
			[]string{`warning deck.md:3: remote image https://example.com/a.png is not embedded: it loads from the network when presenting and is blocked in PDF/PNG unless --allow-remote`}, `img-src data: https://example.com/a.png;`},
		{"file URL", "# A\n\n![x](file:///etc/passwd)\n", Options{},
			[]string{`warning deck.md:3: image "file:///etc/passwd" removed: only local files, data: images and http(s) URLs are allowed`}, ""},
		{"unknown layout", "# A\n\n<!-- layout: compre -->\n\ntext\n", Options{},
			[]string{`deck.md:3: unknown layout "compre" (known: agenda, columns, compare, default, end, image, quote, section, stats, summary, talk, title)`}, ""},
		{"unknown theme", "---\ntheme: fancy\n---\n# A\n", Options{},
			[]string{`deck.md:1: unknown theme "fancy" (use default, dark or a path to a .css file)`}, ""},
		{"missing theme file", "---\ntheme: t.css\n---\n# A\n", Options{},
			[]string{`deck.md:1: theme t.css: no such file in ` + dir}, ""},
		{"hostile HTML dropped", "# A\n\n<img src=x onerror=alert(1)>\n", Options{},
			[]string{`warning deck.md:3: image "x": no such file in ` + dir, `warning deck.md:3: raw HTML: onerror attribute removed (set html: true in the front matter for decks you trust)`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.Dir = dir
			r, err := New(o)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			_, diags, _ := r.Build(&buf, "deck.md", []byte(tt.src))
			var got []string
			for _, d := range diags {
				s := d.Error()
				if d.Warning {
					s = "warning " + s
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("diagnostics:\ngot  %q\nwant %q", got, tt.want)
			}
			if tt.contains != "" && !strings.Contains(buf.String(), tt.contains) {
				t.Errorf("HTML lacks %q", tt.contains)
			}
			if strings.Contains(buf.String(), "onerror") {
				t.Error("HTML keeps an event handler")
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSideBySide runs two Renderers with different options at once: no
// state leaks between them.
func TestSideBySide(t *testing.T) {
	safe, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	trusting, err := New(Options{HTML: true, Layouts: "../examples/custom-layouts/layouts"})
	if err != nil {
		t.Fatal(err)
	}
	src := []byte("# T\n\nx\n\n# Talk 1 - Ana:\n\nA title\n\n<b onclick=\"f()\">b</b>\n\n# End\n\nbye\n")
	done := make(chan string, 2)
	for _, r := range []*Renderer{safe, trusting} {
		go func() {
			var buf bytes.Buffer
			_, _, err := r.Build(&buf, "deck.md", src)
			if err != nil {
				done <- err.Error()
				return
			}
			done <- buf.String()
		}()
	}
	a, b := <-done, <-done
	if strings.Contains(a, "onclick") == strings.Contains(b, "onclick") {
		t.Error("the HTML option leaked between renderers")
	}
	if strings.Contains(a, "custom-talk") == strings.Contains(b, "custom-talk") {
		t.Error("the layouts overlay leaked between renderers")
	}
}

// TestGolden renders testdata/TestGolden/*.md and compares the slides (the
// <main> element; CSS and script are checked elsewhere) with .golden files.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/TestGolden/*.md")
	if len(files) == 0 {
		t.Fatal("no golden decks")
	}
	mainRE := regexp.MustCompile(`(?s)<main.*</main>`)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".md")
		t.Run(name, func(t *testing.T) {
			_, _, html := build(t, file, Options{})
			got := mainRE.FindString(html) + "\n"
			golden.Check(t, strings.TrimSuffix(file, ".md")+".golden", []byte(got), *update)
		})
	}
}

// BenchmarkHTML measures parse + HTML of the bench decks, the work of
// foil html without process start-up and I/O.
func BenchmarkHTML(b *testing.B) {
	for _, n := range []int{10, 200, 1000} {
		path := fmt.Sprintf("../testdata/bench/deck-%d.md", n)
		src, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("slides=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				// A new Renderer each time, as each foil html run makes
				// one: nothing is cached from the previous iteration.
				r, err := New(Options{Dir: filepath.Dir(path)})
				if err != nil {
					b.Fatal(err)
				}
				d, _, err := r.Build(io.Discard, path, src)
				if err != nil || len(d.Slides) != n {
					b.Fatalf("err %v, %d slides", err, len(d.Slides))
				}
			}
		})
	}
}

func TestMinutes(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"19:15", 19*60 + 15, true}, {"7.30", 7*60 + 30, true}, {"7pm", 19 * 60, true}, {"7:30 pm", 19*60 + 30, true},
		{"12am", 0, true}, {"12pm", 12 * 60, true}, {"25:00", 0, false}, {"noon", 0, false},
	}
	for _, tt := range tests {
		got, ok := minutes(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("minutes(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestSocialAndFiles: link-preview tags come from Options.Social, and Files
// names every file the deck used, a missing one included.
func TestSocialAndFiles(t *testing.T) {
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "a.png"), []byte("\x89PNG\r\n\x1a\n"), 0o644))
	r, err := New(Options{Dir: dir, Social: func(d *deck.Deck) *Social {
		return &Social{Title: d.Meta.Title, URL: "https://example.com/d/", Image: "https://example.com/d/thumb.png"}
	}})
	must(t, err)
	var buf bytes.Buffer
	_, _, err = r.Build(&buf, "deck.md", []byte("# Deck\n\n![a](a.png)\n\n![b](b.png)\n"))
	must(t, err)
	for _, want := range []string{`<meta property="og:title" content="Deck">`, `<meta property="og:image" content="https://example.com/d/thumb.png">`, `<meta name="twitter:card" content="summary_large_image">`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("no %s", want)
		}
	}
	got := strings.Join(r.Files(), " ")
	if want := filepath.Join(dir, "a.png") + " " + filepath.Join(dir, "b.png"); got != want {
		t.Errorf("Files() = %q, want %q", got, want)
	}
}

// TestHugeInput renders inputs that must neither hang nor fail: 10,000
// slides and a 5 MB line.
func TestHugeInput(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		slides int
	}{
		{"10000 slides", strings.Repeat("# Slide\n\n- a point\n- another\n\n", 10000), 10000},
		{"5 MB line", "# A\n\n" + strings.Repeat("long ", 1<<20) + "\n", 1},
		{"invalid UTF-8 and control bytes", "# A\xff\x01\n\n\x7f\x1b[31m text\n", 1},
	}
	r, err := New(Options{Dir: t.TempDir()})
	must(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _, err := r.Build(io.Discard, "deck.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Slides) != tt.slides {
				t.Errorf("%d slides, want %d", len(d.Slides), tt.slides)
			}
		})
	}
}
