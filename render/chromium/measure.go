package chromium

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// MeasureOptions configures [Browser.Measure]. The zero value measures at
// the canvas size the document declares.
type MeasureOptions struct {
	// Width and Height are the slide canvas in CSS px; zero means the
	// document's <meta name="foil:size">, else 1280x720.
	Width, Height int
}

// Measurement is what [Browser.Measure] found in a document: the problems
// a reader of its PDF would see, or rather not see.
type Measurement struct {
	Slides    int        // section.slide elements measured
	Overflows []Overflow // at most one per slide: its worst
	Glyphs    []Glyph    // one per slide and character
	Images    []Image    // images that did not load or decode
}

// Overflow is content cut off at the edge of its slide, or of a box inside
// it that hides what does not fit (overflow: hidden), as printed.
//
// The box is the whole canvas, not the safe area inside its margins: the
// built-in layouts put the footer, the page number and full-bleed images
// in the margins on purpose, and text that runs into the margin is still
// printed. What is measured is what gets lost.
type Overflow struct {
	Slide int // 1-based, from the section's id (slide-N)
	Line  int // the section's data-line: where the slide starts in the source
	// Pixels is how far the worst element or line of text sticks out, in
	// CSS px of the canvas, rounded up; Side is where ("bottom", "right",
	// "top", "left").
	Pixels int
	Side   string
	// Element is the first element cut off, in document order and as a
	// short CSS path from the slide ("div.content > ul > li:nth-child(9)"):
	// where a cut starts. Worst is the element that sticks out most.
	Element string
	Worst   string
	// Fit is the zoom fit.js left on the slide (0.6 to 1), 0 when the slide
	// is not marked fit.
	Fit float64
}

// Glyph is a character drawn with no font: the missing-glyph box (tofu).
type Glyph struct {
	Slide   int
	Line    int
	Char    rune
	Element string // short CSS path of the block holding it
	Font    string // the computed font-family there
	Text    string // the text around it, up to 60 characters
}

// Image is an <img> that did not load or decode (a broken file, a format
// the browser cannot show, a refused request).
type Image struct {
	Slide   int
	Line    int
	Element string
	Src     string // the src attribute, data: URIs shortened
	Alt     string
}

//go:embed measure.js
var measureJS string

// Measure loads doc laid out for print, as [Browser.PDF] prints it (each
// slide exactly one canvas, after fonts, images and the document's fit
// script), and reports content cut off, characters no installed font has,
// and images that did not show. It does not judge: an empty Measurement
// means nothing was found. The warnings name refused requests, as for PDF.
//
// Measuring the 35-slide feature tour took 0.40 s where printing it took
// 0.53 s (BenchmarkMeasure, 2 busy CPUs); the glyph check draws each
// distinct non-ASCII character once per font on a canvas.
func (b *Browser) Measure(ctx context.Context, doc []byte, o MeasureOptions) (*Measurement, []string, error) {
	if o.Width <= 0 || o.Height <= 0 {
		w, h, ok := docSize(doc)
		if !ok {
			w, h = 1280, 720
		}
		o.Width, o.Height = w, h
	}
	setup := func(ctx context.Context, p *rod.Page) error {
		p = p.Context(ctx)
		if err := (proto.EmulationSetDeviceMetricsOverride{Width: o.Width, Height: o.Height, DeviceScaleFactor: 1}).Call(p); err != nil {
			return err
		}
		return proto.EmulationSetEmulatedMedia{Media: "print"}.Call(p)
	}
	s, err := b.open(ctx, doc, setup)
	if err != nil {
		return nil, nil, err
	}
	defer s.close()
	p := s.page.Context(ctx)
	raw, err := evaluate(p, measureJS)
	if err != nil {
		return nil, s.takeWarnings(), b.callErr(ctx, "measuring", err)
	}
	var res struct {
		Slides    int
		Overflows []struct {
			Slide, Line, Px      int
			Side, Element, Worst string
			Fit                  float64
		}
		Glyphs []struct {
			Slide, Line, Char   int
			Element, Font, Text string
		}
		Images []struct {
			Slide, Line       int
			Element, Src, Alt string
		}
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, s.takeWarnings(), fmt.Errorf("measuring: %w", err)
	}
	m := &Measurement{Slides: res.Slides}
	for _, x := range res.Overflows {
		m.Overflows = append(m.Overflows, Overflow{Slide: x.Slide, Line: x.Line, Pixels: x.Px, Side: x.Side,
			Element: x.Element, Worst: x.Worst, Fit: x.Fit})
	}
	for _, x := range res.Glyphs {
		m.Glyphs = append(m.Glyphs, Glyph{Slide: x.Slide, Line: x.Line, Char: rune(x.Char), Element: x.Element, Font: x.Font, Text: x.Text})
	}
	for _, x := range res.Images {
		m.Images = append(m.Images, Image{Slide: x.Slide, Line: x.Line, Element: x.Element, Src: x.Src, Alt: x.Alt})
	}
	return m, s.takeWarnings(), nil
}
