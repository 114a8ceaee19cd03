package chromium

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPDF(t *testing.T) {
	b := newTestBrowser(t, Options{})
	tests := []struct {
		name          string
		deck          deckOptions
		opts          PDFOptions
		width, height float64 // pt
		title         string
	}{
		{"16:9", deckOptions{Slides: 5}, PDFOptions{}, 960, 540, "Test Deck"},
		{"4:3", deckOptions{Slides: 5, Width: 960, Height: 720}, PDFOptions{Width: 960, Height: 720}, 720, 540, "Test Deck"},
		{"title option", deckOptions{Slides: 3, Title: "Ignored"}, PDFOptions{Title: "Über Talk"}, 960, 540, "Über Talk"},
		{"one slide", deckOptions{Slides: 1}, PDFOptions{}, 960, 540, "Test Deck"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			warnings, err := b.PDF(context.Background(), testDeck(tt.deck), tt.opts, &buf)
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) != 0 {
				t.Errorf("warnings: %q", warnings)
			}
			d := readPDF(t, buf.Bytes())
			if d.Title != tt.title {
				t.Errorf("title: got %q, want %q", d.Title, tt.title)
			}
			if got, want := len(d.Pages), tt.deck.Slides; got != want {
				t.Fatalf("pages: got %d, want %d", got, want)
			}
			for i, p := range d.Pages {
				n := i + 1
				if p.Width != tt.width || p.Height != tt.height {
					t.Errorf("page %d: got %gx%g pt, want %gx%g", n, p.Width, p.Height, tt.width, tt.height)
				}
				if want := fmt.Sprintf("body text of slide %d", n); !strings.Contains(p.Text, want) {
					t.Errorf("page %d: text %q does not contain %q", n, p.Text, want)
				}
				if got, want := fmt.Sprint(p.URIs), fmt.Sprintf("[https://example.com/%d]", n); got != want {
					t.Errorf("page %d: link URIs: got %q, want %q", n, got, want)
				}
				wantLinks := "[]"
				if n == 1 && tt.deck.Slides >= 3 {
					wantLinks = "[3]" // <a href="#slide-3">
				}
				if got := fmt.Sprint(p.Links); got != wantLinks && !(n == 1 && tt.deck.Slides < 3) {
					t.Errorf("page %d: internal links point to pages %s, want %s", n, got, wantLinks)
				}
			}
			// Chromium's outline nests headings by level: the h1 of slide
			// 1 holds the h2s of the other slides.
			var want []outlineItem
			for n := 1; n <= tt.deck.Slides; n++ {
				want = append(want, outlineItem{Title: fmt.Sprintf("Slide %d title", n), Page: n, Depth: min(n-1, 1)})
			}
			if got, w := fmt.Sprint(d.Outline), fmt.Sprint(want); got != w {
				t.Errorf("outline:\ngot  %s\nwant %s", got, w)
			}
		})
	}
}

// TestPDFConcurrent prints several documents from one browser at once.
// Each has an image: img.decode() hangs in a tab that is not visible.
func TestPDFConcurrent(t *testing.T) {
	b := newTestBrowser(t, Options{Timeout: 20 * time.Second})
	var wg sync.WaitGroup
	for i := 1; i <= 4; i++ {
		wg.Go(func() {
			var buf bytes.Buffer
			img := `<img alt="" src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(tinyPNG) + `">`
			doc := testDeck(deckOptions{Slides: i + 1, Title: fmt.Sprintf("Deck %d", i), Body: img})
			if _, err := b.PDF(context.Background(), doc, PDFOptions{}, &buf); err != nil {
				t.Errorf("deck %d: %v", i, err)
				return
			}
			d := readPDF(t, buf.Bytes())
			if len(d.Pages) != i+1 || d.Title != fmt.Sprintf("Deck %d", i) {
				t.Errorf("deck %d: got %d pages titled %q, want %d titled %q", i, len(d.Pages), d.Title, i+1, fmt.Sprintf("Deck %d", i))
			}
		})
	}
	wg.Wait()
}

// TestPDFLarge loads a document well above the ~2 MB a data: URL allows.
func TestPDFLarge(t *testing.T) {
	b := newTestBrowser(t, Options{})
	pad := "<!--" + strings.Repeat("x", 3<<20) + "-->"
	doc := testDeck(deckOptions{Slides: 2, Head: pad})
	var buf bytes.Buffer
	if _, err := b.PDF(context.Background(), doc, PDFOptions{}, &buf); err != nil {
		t.Fatal(err)
	}
	if d := readPDF(t, buf.Bytes()); len(d.Pages) != 2 {
		t.Errorf("pages: got %d, want 2", len(d.Pages))
	}
}
