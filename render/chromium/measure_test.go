package chromium

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foil-slides/foil/render"
)

// renderDeck renders Markdown src with the render package, as foil does.
func renderDeck(t testing.TB, dir, name string, src []byte) []byte {
	t.Helper()
	r, err := render.New(render.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var html bytes.Buffer
	if _, _, err := r.Build(&html, name, src); err != nil {
		t.Fatal(err)
	}
	return html.Bytes()
}

// longList is a slide of n list items, each a line of text, with a
// directive (or "") under its title.
func longList(title string, n int, directive string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n%s\n\n", title, directive)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "- Item %d: a line of text that an organizer wrote without counting\n", i)
	}
	return b.String()
}

// TestMeasureExamples: nothing cut off, no missing glyph, no broken image
// in any example deck.
func TestMeasureExamples(t *testing.T) {
	b := newTestBrowser(t, Options{})
	files, _ := filepath.Glob("../../examples/*.md")
	files = append(files, "../../examples/custom-layouts/deck.md")
	for _, f := range files {
		if filepath.Base(f) == "README.md" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc := renderDeck(t, filepath.Dir(f), filepath.Base(f), src)
		m, warnings, err := b.Measure(context.Background(), doc, MeasureOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d slides, warnings %q", f, m.Slides, warnings)
		for _, o := range m.Overflows {
			t.Errorf("%s: %+v", f, o)
		}
		for _, g := range m.Glyphs {
			t.Errorf("%s: %+v", f, g)
		}
		for _, g := range m.Images {
			t.Errorf("%s: %+v", f, g)
		}
	}
}

func TestMeasure(t *testing.T) {
	b := newTestBrowser(t, Options{})
	head := "---\ntitle: Measured\nfooter: a footer\n---\n\n# Measured\n\n2024-05-01\n\n---\n\n"
	tests := []struct {
		name string
		src  string
		// want: "slide N line L element" of each overflow; glyphs as "slide N U+XXXX"
		overflows []string
		glyphs    []string
	}{
		{"clean", head + "## Fine\n\n- one\n- two\n\n## Also fine\n\nNon-ASCII is fine: é, ß, ✓, →, 🎉, 👍🏽, 🇩🇪, 1️⃣\n", nil, nil},
		{"overlong list", head + "## Fine\n\ntext\n\n" + longList("Too long", 30, ""), []string{"slide 3 line 16 div.content > ul > li:nth-child(16)"}, nil},
		{"overlong unfitted", head + longList("Fits when shrunk", 22, ""), []string{"slide 2 line 12 div.content > ul > li:nth-child(16)"}, nil},
		{"overlong fitted", head + longList("Fits when shrunk", 22, "<!-- fit -->"), nil, nil},
		{"all fitted", strings.Replace(head, "title:", "fit: true\ntitle:", 1) + longList("Fits when shrunk", 22, ""), nil, nil},
		{"overlong beyond the floor", head + longList("Too long even so", 40, "<!-- fit -->"), []string{"slide 2 line 12 div.content > ul > li:nth-child(27) fit 0.6"}, nil},
		{"wide code", head + "## Code\n\n```\n" + strings.Repeat("x", 200) + "\n```\n", []string{"slide 2 line 12 code > span.line > span.cl"}, nil},
		{"long footer", "---\nfooter: " + strings.Repeat("a very long footer ", 12) + "\n---\n\n# Title\n\n---\n\n## Second\n\ntext\n", []string{"slide 2 line 9 footer.footer"}, nil},
		{"private use", head + "## Icons\n\nA private-use icon: \ue000 and \U0010fffd here\n", nil, []string{"slide 2 U+E000", "slide 2 U+10FFFD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := renderDeck(t, t.TempDir(), "deck.md", []byte(tt.src))
			m, _, err := b.Measure(context.Background(), doc, MeasureOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range m.Overflows {
				s := fmt.Sprintf("slide %d line %d %s", o.Slide, o.Line, o.Element)
				if o.Fit != 0 {
					s += fmt.Sprintf(" fit %g", o.Fit)
				}
				got = append(got, s)
				t.Logf("%+v", o)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.overflows) {
				t.Errorf("overflows:\ngot  %q\nwant %q", got, tt.overflows)
			}
			got = nil
			for _, g := range m.Glyphs {
				got = append(got, fmt.Sprintf("slide %d %U", g.Slide, g.Char))
				t.Logf("%+v", g)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.glyphs) {
				t.Errorf("glyphs:\ngot  %q\nwant %q", got, tt.glyphs)
			}
		})
	}
}

// BenchmarkMeasure measures the 35-slide feature tour, and prints it for
// comparison.
func BenchmarkMeasure(b *testing.B) {
	br := newTestBrowser(b, Options{})
	src, err := os.ReadFile("../../examples/features.md")
	if err != nil {
		b.Fatal(err)
	}
	doc := renderDeck(b, "../../examples", "features.md", src)
	b.Run("measure", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := br.Measure(context.Background(), doc, MeasureOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pdf", func(b *testing.B) {
		for b.Loop() {
			if _, err := br.PDF(context.Background(), doc, PDFOptions{}, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
}
