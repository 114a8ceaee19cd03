package chromium

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// PNGOptions configures [Browser.PNG]. The zero value renders every slide
// at 1x of the size the document declares.
type PNGOptions struct {
	// Width and Height are the slide canvas in CSS px. Zero means the
	// document's <meta name="foil:size" content="WxH">, else 1280x720.
	Width, Height int

	// Scale is the device scale factor (2 for retina); zero means 1.
	// Each image is Width*Scale x Height*Scale pixels.
	Scale float64

	// Slide, when not zero, renders only that slide (1-based).
	Slide int
}

var metaSize = regexp.MustCompile(`(?i)<meta\s+name="foil:size"\s+content="(\d+)x(\d+)"`)

// docSize reads the canvas size from the document's foil:size meta tag.
func docSize(doc []byte) (w, h int, ok bool) {
	head := doc
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	m := metaSize.FindSubmatch(head)
	if m == nil {
		return 0, 0, false
	}
	w, _ = strconv.Atoi(string(m[1]))
	h, _ = strconv.Atoi(string(m[2]))
	return w, h, w > 0 && h > 0
}

// PNG loads doc and returns one PNG image per slide (each
// section.slide element), or only slide o.Slide. The document is laid out
// with print media, as for PDF, so slides stack one canvas apart.
func (b *Browser) PNG(ctx context.Context, doc []byte, o PNGOptions) ([][]byte, []string, error) {
	o, err := pngOptions(doc, o)
	if err != nil {
		return nil, nil, err
	}
	setup := func(ctx context.Context, p *rod.Page) error { return emulate(p.Context(ctx), o) }
	s, err := b.open(ctx, doc, setup)
	if err != nil {
		return nil, nil, err
	}
	defer s.close()
	out, err := b.capture(ctx, s.page.Context(ctx), o, 1)
	return out, s.takeWarnings(), err
}

// pngOptions fills in o's defaults and checks it.
func pngOptions(doc []byte, o PNGOptions) (PNGOptions, error) {
	if o.Width <= 0 || o.Height <= 0 {
		w, h, ok := docSize(doc)
		if !ok {
			w, h = 1280, 720
		}
		o.Width, o.Height = w, h
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	if o.Scale > 8 || o.Width > 10000 || o.Height > 10000 {
		return o, fmt.Errorf("png: size %dx%d at scale %g is too large", o.Width, o.Height, o.Scale)
	}
	if o.Slide < 0 {
		return o, fmt.Errorf("png: slide %d out of range", o.Slide)
	}
	return o, nil
}

// emulate lays the page out for screenshots: the canvas as viewport at the
// scale asked for, print media so that slides stack one canvas apart.
func emulate(p *rod.Page, o PNGOptions) error {
	err := proto.EmulationSetDeviceMetricsOverride{
		Width: o.Width, Height: o.Height, DeviceScaleFactor: o.Scale,
	}.Call(p)
	if err != nil {
		return err
	}
	return proto.EmulationSetEmulatedMedia{Media: "print"}.Call(p)
}

// capture takes the slides o asks for from a page laid out for print,
// each clip scaled by clipScale (1 when emulate set the device scale).
func (b *Browser) capture(ctx context.Context, p *rod.Page, o PNGOptions, clipScale float64) ([][]byte, error) {
	raw, err := evaluate(p, `[...document.querySelectorAll("section.slide")].map(s => {
		const r = s.getBoundingClientRect();
		return [r.left + scrollX, r.top + scrollY];
	})`)
	if err != nil {
		return nil, b.callErr(ctx, "finding slides", err)
	}
	var pos [][2]float64
	if err := json.Unmarshal(raw, &pos); err != nil {
		return nil, fmt.Errorf("finding slides: %w", err)
	}
	if len(pos) == 0 {
		return nil, fmt.Errorf("png: no slides (section.slide) in document")
	}
	first, last := 1, len(pos)
	if o.Slide != 0 {
		if o.Slide > len(pos) {
			return nil, fmt.Errorf("png: slide %d out of range (deck has %d slides)", o.Slide, len(pos))
		}
		first, last = o.Slide, o.Slide
	}
	// One screenshot per slide, clipped from the whole laid-out page. Each
	// 1280x720 shot took 55-80 ms (2 busy CPUs), mostly raster and PNG
	// encoding; scrolling to each slide and capturing only the viewport
	// measured no faster, and OptimizeForSpeed made files 1.8x bigger for
	// no reliable gain, so neither is used.
	var out [][]byte
	for i := first; i <= last; i++ {
		shot, err := proto.PageCaptureScreenshot{
			Format: proto.PageCaptureScreenshotFormatPng,
			Clip: &proto.PageViewport{
				X: pos[i-1][0], Y: pos[i-1][1],
				Width: float64(o.Width), Height: float64(o.Height), Scale: clipScale,
			},
			CaptureBeyondViewport: true,
		}.Call(p)
		if err != nil {
			return nil, b.callErr(ctx, fmt.Sprintf("capturing slide %d", i), err)
		}
		out = append(out, shot.Data)
	}
	return out, nil
}

// PDFAndPNG prints doc like [Browser.PDF] and then takes the slides po asks
// for like [Browser.PNG], from the same loaded page: a site build gets a
// deck's PDF and its thumbnail for one document load instead of two.
func (b *Browser) PDFAndPNG(ctx context.Context, doc []byte, o PDFOptions, w io.Writer, po PNGOptions) ([][]byte, []string, error) {
	po, err := pngOptions(doc, po)
	if err != nil {
		return nil, nil, err
	}
	s, err := b.openPrint(ctx, doc)
	if err != nil {
		return nil, nil, err
	}
	defer s.close()
	p := s.page.Context(ctx)
	if err := b.printPage(ctx, p, o, w); err != nil {
		return nil, s.takeWarnings(), err
	}
	// The page is laid out for print already: the images are clips of
	// that layout, scaled by the clip rather than by the device, so no
	// relayout happens between the PDF and the images.
	out, err := b.capture(ctx, p, po, po.Scale)
	s.keep = err == nil
	return out, s.takeWarnings(), err
}
