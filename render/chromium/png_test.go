package chromium

import (
	"bytes"
	"context"
	"image/png"
	"testing"
)

func TestPNG(t *testing.T) {
	b := newTestBrowser(t, Options{})
	tests := []struct {
		name          string
		deck          deckOptions
		opts          PNGOptions
		count         int
		width, height int // pixels
	}{
		{"all slides", deckOptions{Slides: 3}, PNGOptions{}, 3, 1280, 720},
		{"retina", deckOptions{Slides: 2}, PNGOptions{Scale: 2}, 2, 2560, 1440},
		{"4:3 from meta", deckOptions{Slides: 2, Width: 960, Height: 720}, PNGOptions{}, 2, 960, 720},
		{"one slide", deckOptions{Slides: 4}, PNGOptions{Slide: 4, Scale: 0.5}, 1, 640, 360},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imgs, warnings, err := b.PNG(context.Background(), testDeck(tt.deck), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) != 0 {
				t.Errorf("warnings: %q", warnings)
			}
			if len(imgs) != tt.count {
				t.Fatalf("got %d images, want %d", len(imgs), tt.count)
			}
			for i, data := range imgs {
				cfg, err := png.DecodeConfig(bytes.NewReader(data))
				if err != nil {
					t.Fatalf("image %d: %v", i+1, err)
				}
				if cfg.Width != tt.width || cfg.Height != tt.height {
					t.Errorf("image %d: got %dx%d, want %dx%d", i+1, cfg.Width, cfg.Height, tt.width, tt.height)
				}
			}
		})
	}
}

// TestPNGSlideMatches checks that --slide N renders the same image as the
// Nth of all slides, so clips line up with the slides.
func TestPNGSlideMatches(t *testing.T) {
	b := newTestBrowser(t, Options{})
	doc := testDeck(deckOptions{Slides: 3})
	all, _, err := b.PNG(context.Background(), doc, PNGOptions{})
	if err != nil {
		t.Fatal(err)
	}
	one, _, err := b.PNG(context.Background(), doc, PNGOptions{Slide: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || len(one) != 1 {
		t.Fatalf("got %d and %d images, want 3 and 1", len(all), len(one))
	}
	a, err := png.Decode(bytes.NewReader(all[1]))
	if err != nil {
		t.Fatal(err)
	}
	o, err := png.Decode(bytes.NewReader(one[0]))
	if err != nil {
		t.Fatal(err)
	}
	bounds := a.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 7 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 7 {
			if a.At(x, y) != o.At(x, y) {
				t.Fatalf("pixel (%d,%d) differs: %v vs %v", x, y, a.At(x, y), o.At(x, y))
			}
		}
	}
	if bytes.Equal(all[0], all[1]) {
		t.Error("slides 1 and 2 rendered identical images")
	}
}

func TestPNGErrors(t *testing.T) {
	b := newTestBrowser(t, Options{})
	tests := []struct {
		name string
		doc  []byte
		opts PNGOptions
		want string
	}{
		{"slide out of range", testDeck(deckOptions{Slides: 2}), PNGOptions{Slide: 3}, "png: slide 3 out of range (deck has 2 slides)"},
		{"negative slide", testDeck(deckOptions{Slides: 2}), PNGOptions{Slide: -1}, "png: slide -1 out of range"},
		{"no slides", []byte("<p>hello</p>"), PNGOptions{}, "png: no slides (section.slide) in document"},
		{"too large", testDeck(deckOptions{Slides: 1}), PNGOptions{Scale: 100}, "png: size 1280x720 at scale 100 is too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := b.PNG(context.Background(), tt.doc, tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got error %v, want %q", err, tt.want)
			}
		})
	}
	if t.Failed() {
		return
	}
	// The browser still works after errors.
	imgs, _, err := b.PNG(context.Background(), testDeck(deckOptions{Slides: 1}), PNGOptions{})
	if err != nil || len(imgs) != 1 {
		t.Errorf("after errors: got %d images, %v", len(imgs), err)
	}
}

// TestPDFAndPNG: one load gives the PDF and the thumbnail, the thumbnail
// the same picture PNG makes, and the page is plain again for the next
// document.
func TestPDFAndPNG(t *testing.T) {
	b := newTestBrowser(t, Options{})
	doc := testDeck(deckOptions{Slides: 4})
	var pdf bytes.Buffer
	thumbs, _, err := b.PDFAndPNG(context.Background(), doc, PDFOptions{}, &pdf, PNGOptions{Slide: 1, Scale: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(readPDF(t, pdf.Bytes()).Pages); n != 4 || len(thumbs) != 1 {
		t.Fatalf("%d pages and %d images, want 4 and 1", n, len(thumbs))
	}
	alone, _, err := b.PNG(context.Background(), doc, PNGOptions{Slide: 1, Scale: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	a, err := png.Decode(bytes.NewReader(thumbs[0]))
	if err != nil {
		t.Fatal(err)
	}
	o, err := png.Decode(bytes.NewReader(alone[0]))
	if err != nil {
		t.Fatal(err)
	}
	if a.Bounds() != o.Bounds() || a.Bounds().Dx() != 640 || a.Bounds().Dy() != 360 {
		t.Fatalf("thumbnail %v, alone %v, want 640x360", a.Bounds(), o.Bounds())
	}
	for y := 0; y < 360; y += 5 {
		for x := 0; x < 640; x += 5 {
			if a.At(x, y) != o.At(x, y) {
				t.Fatalf("pixel (%d,%d) differs: %v vs %v", x, y, a.At(x, y), o.At(x, y))
			}
		}
	}
	// The page went back to the pool plain: the next PDF has its pages
	// at the slide size, not laid out for screenshots.
	pdf.Reset()
	if _, err := b.PDF(context.Background(), doc, PDFOptions{}, &pdf); err != nil {
		t.Fatal(err)
	}
	d := readPDF(t, pdf.Bytes())
	if len(d.Pages) != 4 || d.Pages[0].Width != 960 || d.Pages[0].Height != 540 {
		t.Errorf("next PDF on the reused page: %d pages of %gx%g pt", len(d.Pages), d.Pages[0].Width, d.Pages[0].Height)
	}
}
