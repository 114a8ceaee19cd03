package chromium

import (
	"context"
	"io"
	"os"
	"testing"
)

// BenchmarkLaunch measures starting and closing a browser.
func BenchmarkLaunch(b *testing.B) {
	bin := testBrowser(b)
	for b.Loop() {
		br, err := New(context.Background(), bin, Options{NoSandbox: os.Geteuid() == 0})
		if err != nil {
			b.Fatal(err)
		}
		if err := br.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDF prints a 50-slide deck with one browser.
func BenchmarkPDF(b *testing.B) {
	br := newTestBrowser(b, Options{})
	doc := testDeck(deckOptions{Slides: 50})
	for b.Loop() {
		if _, err := br.PDF(context.Background(), doc, PDFOptions{}, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPNG renders a 10-slide deck at 1x with one browser.
func BenchmarkPNG(b *testing.B) {
	br := newTestBrowser(b, Options{})
	doc := testDeck(deckOptions{Slides: 10})
	for b.Loop() {
		if _, _, err := br.PNG(context.Background(), doc, PNGOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPNGFirst renders only the first slide (the site's thumbnail).
func BenchmarkPNGFirst(b *testing.B) {
	br := newTestBrowser(b, Options{})
	doc := testDeck(deckOptions{Slides: 10})
	for b.Loop() {
		if _, _, err := br.PNG(context.Background(), doc, PNGOptions{Slide: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
