package parse

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/foil-slides/foil/internal/golden"
	"github.com/foil-slides/foil/render/deck"
)

var update = flag.Bool("update", false, "rewrite golden files")

// dump writes the deck model in a stable, reviewable text form.
func dump(d *deck.Deck, diags deck.Diags) string {
	var b strings.Builder
	m := d.Meta
	fmt.Fprintf(&b, "meta title=%q subtitle=%q date=%q theme=%q aspect=%q split=%d footer=%q paginate=%v lang=%q html=%v\n",
		m.Title, m.Subtitle, m.Date, m.Theme, m.Aspect, m.Split, m.Footer, m.Paginate, m.Lang, m.HTML)
	for _, s := range d.Slides {
		fmt.Fprintf(&b, "slide %d line %d", s.Number, s.Pos.Line)
		if s.Title != nil {
			fmt.Fprintf(&b, " title=%q", s.Title.Text)
		}
		if s.Layout != "" {
			fmt.Fprintf(&b, " layout=%s", s.Layout)
		}
		if len(s.Classes) > 0 {
			fmt.Fprintf(&b, " classes=%q", s.Classes)
		}
		if s.Background != "" {
			fmt.Fprintf(&b, " background=%q", s.Background)
		}
		if s.Paginate != nil {
			fmt.Fprintf(&b, " paginate=%v", *s.Paginate)
		}
		if s.Footer != nil {
			fmt.Fprintf(&b, " footer=%q", *s.Footer)
		}
		if s.Fit {
			b.WriteString(" fit")
		}
		b.WriteByte('\n')
		for _, n := range s.Notes {
			fmt.Fprintf(&b, "  note line %d: %q\n", n.Pos.Line, strings.TrimSpace(string(n.HTML)))
		}
		for _, bl := range s.Blocks {
			dumpBlock(&b, bl, "  ")
		}
	}
	for _, d := range diags {
		kind := "error"
		if d.Warning {
			kind = "warning"
		}
		fmt.Fprintf(&b, "%s %s\n", kind, d.Error())
	}
	return b.String()
}

func dumpBlock(b *strings.Builder, bl *deck.Block, indent string) {
	fmt.Fprintf(b, "%s%s line %d", indent, bl.Kind, bl.Pos.Line)
	if bl.Level > 0 {
		fmt.Fprintf(b, " level %d", bl.Level)
	}
	if bl.Strong {
		b.WriteString(" strong")
	}
	if bl.Emph {
		b.WriteString(" emph")
	}
	if bl.Lang != "" {
		fmt.Fprintf(b, " lang %s", bl.Lang)
	}
	if bl.Text != "" {
		fmt.Fprintf(b, " text %q", bl.Text)
	}
	b.WriteByte('\n')
	for _, l := range bl.Links {
		fmt.Fprintf(b, "%s  link %q %q\n", indent, l.URL, l.Text)
	}
	for _, im := range bl.Images {
		fmt.Fprintf(b, "%s  image %q alt %q\n", indent, im.Src, im.Alt)
	}
	dumpItems(b, bl.Items, indent+"  ")
	for _, q := range bl.Blocks {
		dumpBlock(b, q, indent+"  ")
	}
	fmt.Fprintf(b, "%s  html %s\n", indent, strings.ReplaceAll(strings.TrimSpace(string(bl.HTML)), "\n", "\n"+indent+"       "))
}

func dumpItems(b *strings.Builder, items []*deck.Item, indent string) {
	for _, it := range items {
		fmt.Fprintf(b, "%sitem line %d %q", indent, it.Pos.Line, it.Text)
		if it.Task != nil {
			fmt.Fprintf(b, " task=%v", *it.Task)
		}
		b.WriteByte('\n')
		dumpItems(b, it.Items, indent+"  ")
	}
}

// TestParse parses testdata/TestParse/*.md and compares the model with the
// .golden file beside it.
func TestParse(t *testing.T) {
	files, _ := filepath.Glob("testdata/TestParse/*.md")
	if len(files) == 0 {
		t.Fatal("no test decks")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			d, diags := Parse(name+".md", src, Options{})
			got := dump(d, diags)
			golden.Check(t, strings.TrimSuffix(file, ".md")+".golden", []byte(got), *update)
		})
	}
}

// TestDiagnostics checks the exact file:line messages for bad input.
func TestDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // Error() of every diagnostic, in order; warnings prefixed "warning "
	}{
		{"invalid YAML", "---\ntitle: [x\n---\n# A\n", []string{`deck.md:2:8: invalid front matter: sequence end token ']' not found`}},
		{"unknown key", "---\ntitle: A\nsplt: 2\n---\n# A\n", []string{`deck.md:3: unknown front matter key "splt" (known: title, subtitle, date, author, url, theme, accent, aspect, split, footer, paginate, lang, html, fit, qr, draft, slug)`}},
		{"two unknown keys", "---\ntitel: A\nsplt: 2\n---\n# A\n", []string{
			`deck.md:2: unknown front matter key "titel" (known: title, subtitle, date, author, url, theme, accent, aspect, split, footer, paginate, lang, html, fit, qr, draft, slug)`,
			`deck.md:3: unknown front matter key "splt" (known: title, subtitle, date, author, url, theme, accent, aspect, split, footer, paginate, lang, html, fit, qr, draft, slug)`}},
		{"bad type", "---\nsplit: two\n---\n# A\n", []string{`deck.md:2:8: invalid front matter: cannot unmarshal string into Go struct field frontMatter.Split of type int`}},
		{"bad split", "---\nsplit: 9\n---\n# A\n", []string{`deck.md:2: front matter split: 9 is not a heading level 1..6`}},
		{"bad date", "---\ndate: 13.02.2023\n---\n# A\n", []string{`deck.md:2: front matter date: "13.02.2023" is not an ISO date like 2023-02-13`}},
		{"bad aspect", "---\naspect: 21:9\n---\n# A\n", []string{`deck.md:2: front matter aspect: "21:9" is not supported (use "16:9" or "4:3", in quotes)`}},
		{"not a mapping", "---\n- a\n---\n# A\n", []string{`deck.md:2:1: front matter must be a mapping of keys to values (title: …)`}},
		{"unclosed front matter", "---\ntitle: A\n# A\n", []string{`deck.md:1: front matter is not closed: add a line with --- after it`}},
		{"binary", "# A\n\x00\x01\x02", []string{`deck.md:2: binary data (a NUL byte): a deck is a UTF-8 Markdown text file`}},
		{"invalid UTF-8", "# A\n\nok\n\xff\xfe bad\n", []string{"warning deck.md:4: invalid UTF-8 replaced with \uFFFD; save the deck as UTF-8"}},
		{"unknown directive", "# A\n\n<!-- layuot: compare -->\n\ntext\n", []string{`warning deck.md:3: unknown directive "layuot" (known: layout, class, background, paginate, footer, notes, fit); the comment is kept as a speaker note`}},
		{"bad paginate", "# A\n<!-- paginate: maybe -->\n", []string{`warning deck.md:2: paginate: want true or false, not "maybe"`}},
		{"javascript link", "# A\n\n[x](javascript:alert(1))\n", []string{`warning deck.md:3: link to "javascript:alert(1)" removed: only http(s), mailto, tel and relative links are allowed`}},
		{"hostile HTML", "# A\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"file:///etc/passwd\"></iframe>\n", []string{
			`warning deck.md:3: raw HTML: <script> element removed (set html: true in the front matter for decks you trust)`,
			`warning deck.md:5: raw HTML: onerror attribute removed (set html: true in the front matter for decks you trust)`,
			`warning deck.md:7: raw HTML: <iframe> element removed (set html: true in the front matter for decks you trust)`}},
		{"deep nesting", "# A\n\n" + strings.Repeat("- ", 1000) + "x\n", []string{`deck.md:3: nesting deeper than 100 levels (lists or block quotes); flatten the structure`}},
		{"deep indentation", "# A\n\n" + deepList(1000), []string{`deck.md:103: nesting deeper than 100 levels (lists or block quotes); flatten the structure`}},
		{"deep quotes", "# A\n\n" + strings.Repeat(">", 500) + " x\n", []string{`deck.md:3: nesting deeper than 100 levels (lists or block quotes); flatten the structure`}},
		{"empty slide with notes", "# A\n\n---\n\n<!-- only a note -->\n", []string{`warning deck.md:3: empty slide skipped (it has notes or directives but no content)`}},
		{"never referred footnote", "# A\n\ntext\n\n[^x]: lonely\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse("deck.md", []byte(tt.src), Options{})
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
		})
	}
}

func deepList(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	return b.String()
}

// TestInputs checks inputs that must parse without problems or hangs.
func TestInputs(t *testing.T) {
	bigLine := "# A\n\n" + strings.Repeat("word ", 1<<20) + "\n"
	many := strings.Repeat("# Slide\n\ntext\n\n", 10000)
	tests := []struct {
		name   string
		src    string
		slides int
	}{
		{"empty file", "", 0},
		{"front matter only", "---\ntitle: T\n---\n", 0},
		{"whitespace only", "\n\n   \n", 0},
		{"5 MB single line", bigLine, 1},
		{"10000 slides", many, 10000},
		{"unclosed code fence", "# A\n\n```go\nfunc main() {\n# not a slide\n", 1},
		{"nested 50 deep renders", "# A\n\n" + deepList(50), 1},
		{"only a break", "---\n", 0},
		{"CR only line endings", "# A\r\rtext\r# B\r", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, diags := Parse("deck.md", []byte(tt.src), Options{})
			if len(diags.Errors()) > 0 {
				t.Fatalf("errors: %v", diags.Errors())
			}
			if len(d.Slides) != tt.slides {
				t.Errorf("slides = %d, want %d", len(d.Slides), tt.slides)
			}
		})
	}
}

// TestLines checks that every slide and block knows its source line, also
// with front matter, CRLF and a BOM.
func TestLines(t *testing.T) {
	src := "\ufeff---\r\ntitle: T\r\n---\r\n\r\n# One\r\n\r\ntext\r\n\r\n---\r\n\r\n## Two\r\n\r\n- a\r\n"
	d, diags := Parse("deck.md", []byte(src), Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var got []string
	for _, s := range d.Slides {
		got = append(got, fmt.Sprintf("%d:%d", s.Number, s.Pos.Line))
		for _, b := range s.Blocks {
			got = append(got, fmt.Sprintf("%s@%d", b.Kind, b.Pos.Line))
		}
	}
	want := "1:5 paragraph@7 2:11 list@13"
	if strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
}

// TestHTMLAllowed: html: true keeps raw HTML as written.
func TestHTMLAllowed(t *testing.T) {
	src := "---\nhtml: true\n---\n# A\n\n<div onclick=\"x()\">hi</div>\n"
	d, diags := Parse("deck.md", []byte(src), Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if got := string(d.Slides[0].Blocks[0].HTML); !strings.Contains(got, `onclick="x()"`) {
		t.Errorf("html: true dropped the attribute: %q", got)
	}
	d, _ = Parse("deck.md", []byte("# A\n\n<div onclick=\"x()\">hi</div>\n"), Options{HTML: true})
	if got := string(d.Slides[0].Blocks[0].HTML); !strings.Contains(got, `onclick`) {
		t.Errorf("Options.HTML dropped the attribute: %q", got)
	}
}

// TestResolve: images go through Options.Resolve; its errors are warnings at
// the image's line.
func TestResolve(t *testing.T) {
	src := "# A\n\n![logo](logo.png)\n\n![missing](gone.png)\n"
	resolve := func(s string) (string, error) {
		if s == "logo.png" {
			return "data:image/png;base64,AAAA", nil
		}
		return "", fmt.Errorf("image %q: no such file", s)
	}
	d, diags := Parse("deck.md", []byte(src), Options{Resolve: resolve})
	want := `deck.md:5: image "gone.png": no such file`
	if len(diags) != 1 || diags[0].Error() != want || !diags[0].Warning {
		t.Fatalf("diags = %v, want warning %q", diags, want)
	}
	h := string(d.Slides[0].Blocks[0].HTML)
	if !strings.Contains(h, `src="data:image/png;base64,AAAA"`) {
		t.Errorf("image not resolved: %q", h)
	}
	if d.Slides[0].Blocks[0].Images[0].URL != "data:image/png;base64,AAAA" {
		t.Errorf("model URL = %q", d.Slides[0].Blocks[0].Images[0].URL)
	}
}

func BenchmarkParse(b *testing.B) {
	for _, n := range []int{10, 200, 1000} {
		src, err := os.ReadFile(fmt.Sprintf("../../testdata/bench/deck-%d.md", n))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("slides=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				d, _ := Parse("deck.md", src, Options{})
				if len(d.Slides) != n {
					b.Fatalf("slides = %d, want %d", len(d.Slides), n)
				}
			}
		})
	}
}

// FuzzParse checks invariants on any input: no panic, positions inside the
// file, slides numbered in order, no script in the HTML of a safe deck.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/TestParse/*.md")
	for _, file := range files {
		src, _ := os.ReadFile(file)
		f.Add(src)
	}
	f.Add([]byte("# A\n\n<script>x</script>\n"))
	f.Add([]byte("---\ntitle: [\n---\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		var d *deck.Deck
		var diags deck.Diags
		done := make(chan struct{})
		go func() {
			defer close(done)
			d, diags = Parse("f.md", src, Options{})
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("Parse took over 5s on %d bytes: %q", len(src), truncateQ(src))
		}
		// CR, LF and CRLF all end lines (the kept crasher "\r00" has two).
		norm := bytes.ReplaceAll(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
		lines := bytes.Count(norm, []byte("\n")) + 1
		for _, dg := range diags {
			if dg.Pos.Line < 0 || dg.Pos.Line > lines {
				t.Errorf("diagnostic line %d outside 1..%d: %v", dg.Pos.Line, lines, dg)
			}
		}
		for i, s := range d.Slides {
			if s.Number != i+1 {
				t.Errorf("slide %d numbered %d", i+1, s.Number)
			}
			if s.Pos.Line < 1 || s.Pos.Line > lines {
				t.Errorf("slide %d line %d outside 1..%d", s.Number, s.Pos.Line, lines)
			}
			for _, b := range s.Blocks {
				h := strings.ToLower(string(b.HTML))
				if strings.Contains(h, "<script") || strings.Contains(h, "javascript:") || strings.Contains(h, "<iframe") {
					t.Errorf("unsafe HTML in slide %d: %q", s.Number, h)
				}
			}
		}
	})
}

func truncateQ(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}
