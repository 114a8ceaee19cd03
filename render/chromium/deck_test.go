package chromium

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/foil-slides/foil/render"
)

// TestFoilDeckPDF prints a real foil deck (the SRE-MUC example) and checks
// what publishing needs: a page per slide, the outline listing the slide
// titles in order at the top level, links to the talks' pages, a link to
// another slide landing on its page, and the deck's title.
func TestFoilDeckPDF(t *testing.T) {
	b := newTestBrowser(t, Options{})
	src, err := os.ReadFile("../../examples/sre-muc-2023-02.md")
	if err != nil {
		t.Fatal(err)
	}
	// A link to another slide, as an author writes it.
	src = append(src, "\n# See also\n\nBack to [the agenda](#slide-2) or [the feedback](#feedback-from-the-last-session).\n"...)
	r, err := render.New(render.Options{Dir: "../../examples"})
	if err != nil {
		t.Fatal(err)
	}
	var html bytes.Buffer
	d, _, err := r.Build(&html, "sre-muc-2023-02.md", src)
	if err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if _, err := b.PDF(context.Background(), html.Bytes(), PDFOptions{Width: 1280, Height: 720}, &pdf); err != nil {
		t.Fatal(err)
	}
	doc := readPDF(t, pdf.Bytes())
	if len(doc.Pages) != len(d.Slides) {
		t.Fatalf("%d pages for %d slides", len(doc.Pages), len(d.Slides))
	}
	if doc.Title != "SRE-MUC Meetup" {
		t.Errorf("title %q", doc.Title)
	}
	// Top-level outline entries: the slide titles, in order.
	var got, want []string
	for _, o := range doc.Outline {
		if o.Depth == 0 {
			got = append(got, o.Title)
		}
	}
	for _, s := range d.Slides {
		switch {
		case s.Number == 6: // talk cards: the talk's title is the heading
			want = append(want, "...and now it is yours! Building reliable and maintainable platforms for customers")
		case s.Number == 7:
			want = append(want, "Simplifying Development and Testing Infrastructure with mirrord")
		case s.Title != nil && s.Title.Text != "":
			want = append(want, s.Title.Text)
		}
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("outline:\ngot  %q\nwant %q", got, want)
	}
	found := false
	for _, p := range doc.Pages {
		for _, u := range p.URIs {
			if u == "https://www.usenix.org/conference/srecon22emea/presentation/sinjakli" {
				found = true
			}
		}
	}
	if !found {
		t.Error("no link annotation to the sinjakli talk page")
	}
	// Chromium writes a link annotation per link and per tag structure
	// entry; which pages they lead to is what matters.
	pages := map[int]bool{}
	for _, p := range doc.Pages[len(doc.Pages)-1].Links {
		pages[p] = true
	}
	if len(pages) != 2 || !pages[2] || !pages[4] {
		t.Errorf("links on the last page go to pages %v, want 2 and 4", doc.Pages[len(doc.Pages)-1].Links)
	}
}
