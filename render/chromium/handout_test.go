package chromium

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// handoutDeck is a 7-slide deck: each slide has a note naming it, but
// slide 4, which has none; slide 2 links out and to slide 5.
func handoutDeck() string {
	var b strings.Builder
	b.WriteString("---\ntitle: Handout Test\n---\n\n# Handout Test\n\n2024-05-01\n\n<!-- Note for the title slide. -->\n")
	for i := 2; i <= 7; i++ {
		fmt.Fprintf(&b, "\n## Slide %d\n\n- point %d\n", i, i)
		if i == 2 {
			b.WriteString("- [a link](https://example.com/two) and [slide five](#slide-5)\n")
		}
		if i != 4 {
			fmt.Fprintf(&b, "\n<!-- Speaker note number %d: say it slowly. -->\n", i)
		}
	}
	return b.String()
}

func TestHandout(t *testing.T) {
	b := newTestBrowser(t, Options{})
	doc := renderDeck(t, t.TempDir(), "deck.md", []byte(handoutDeck()))
	letter, _ := PaperNamed("Letter")
	tests := []struct {
		paper   Paper
		perPage int
		pages   int
		w, h    float64 // pt
	}{
		{Papers[0], 1, 7, 595.3, 841.9},
		{Papers[0], 2, 4, 595.3, 841.9},
		{Papers[0], 3, 3, 595.3, 841.9},
		{letter, 3, 3, 612, 792},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.paper.Name, tt.perPage), func(t *testing.T) {
			var pdf bytes.Buffer
			warnings, err := b.Handout(context.Background(), doc, HandoutOptions{Paper: tt.paper, PerPage: tt.perPage}, &pdf)
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) > 0 {
				t.Errorf("warnings: %q", warnings)
			}
			d := readPDF(t, pdf.Bytes())
			if len(d.Pages) != tt.pages {
				t.Fatalf("%d pages, want %d", len(d.Pages), tt.pages)
			}
			var text strings.Builder
			for i, pg := range d.Pages {
				if math.Abs(pg.Width-tt.w) > 1 || math.Abs(pg.Height-tt.h) > 1 {
					t.Errorf("page %d is %.1fx%.1f pt, want %.1fx%.1f", i+1, pg.Width, pg.Height, tt.w, tt.h)
				}
				text.WriteString(pg.Text)
			}
			all := strings.Join(strings.Fields(text.String()), " ")
			for _, want := range []string{"Note for the title slide.", "Speaker note number 2: say it slowly.", "Speaker note number 7: say it slowly.", "point 7", "Handout Test"} {
				if !strings.Contains(all, want) {
					t.Errorf("handout lacks %q", want)
				}
			}
			// Slide 2's links still work: the external one, and the one
			// to slide 5 lands on slide 5's page.
			if !slices.Contains(d.Pages[0].URIs, "https://example.com/two") && !(len(d.Pages) > 1 && slices.Contains(d.Pages[1].URIs, "https://example.com/two")) {
				t.Errorf("no link to https://example.com/two on the pages of slide 2")
			}
			page2 := (2 - 1) / tt.perPage
			page5 := (5-1)/tt.perPage + 1
			if !slices.Contains(d.Pages[page2].Links, page5) {
				t.Errorf("slide 2's page links to pages %v, want %d (slide 5)", d.Pages[page2].Links, page5)
			}
		})
	}
}

// TestHandoutLongNotes: notes too long for their box are reported.
func TestHandoutLongNotes(t *testing.T) {
	b := newTestBrowser(t, Options{})
	src := "# Title\n\nintro\n\n## Talky\n\ntext\n\n<!--\n" + strings.Repeat("A long note that goes on and on. ", 400) + "\n-->\n"
	doc := renderDeck(t, t.TempDir(), "deck.md", []byte(src))
	var pdf bytes.Buffer
	warnings, err := b.Handout(context.Background(), doc, HandoutOptions{PerPage: 3}, &pdf)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"slide 2: notes cut off in the handout; shorten them or print fewer slides a page (--per-page)"}
	if !slices.Equal(warnings, want) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
}
