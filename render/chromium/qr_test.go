package chromium

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"testing"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
	qr "github.com/piglig/go-qr"
)

// TestQRDecodes renders QR codes in the real browser (a summary slide's
// link, ![qr](…) in a slide, the end slide's links) and decodes each
// screenshot back to its URL.
func TestQRDecodes(t *testing.T) {
	b := newTestBrowser(t, Options{})
	src := `# QR codes

2024-05-01

---

## Caching Entire Systems without Invalidation

- Caching is simplest with stateless components.
- <https://www.usenix.org/conference/srecon22emea/presentation/sperl>

## Anywhere

Scan this: ![qr w:240](https://example.com/slides?id=42&lang=en)

## Thanks for coming!

Feedback: <https://muc.sre.xyz/feedback>
`
	doc := renderDeck(t, t.TempDir(), "deck.md", []byte(src))
	want := []string{
		"https://www.usenix.org/conference/srecon22emea/presentation/sperl",
		"https://example.com/slides?id=42&lang=en",
		"https://muc.sre.xyz/feedback",
	}
	setup := func(ctx context.Context, p *rod.Page) error {
		p = p.Context(ctx)
		if err := (proto.EmulationSetDeviceMetricsOverride{Width: 1280, Height: 720, DeviceScaleFactor: 1}).Call(p); err != nil {
			return err
		}
		return proto.EmulationSetEmulatedMedia{Media: "print"}.Call(p)
	}
	ctx := context.Background()
	s, err := b.open(ctx, doc, setup)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	p := s.page.Context(ctx)
	raw, err := evaluate(p, `[...document.querySelectorAll("svg.qr")].map(q => {
		const r = q.getBoundingClientRect();
		return [r.left + scrollX, r.top + scrollY, r.width, r.height];
	})`)
	if err != nil {
		t.Fatal(err)
	}
	var rects [][4]float64
	if err := json.Unmarshal(raw, &rects); err != nil {
		t.Fatal(err)
	}
	if len(rects) != len(want) {
		t.Fatalf("%d QR codes in the page, want %d", len(rects), len(want))
	}
	for i, r := range rects {
		if r[2] < 100 {
			t.Errorf("QR code %d is %gpx wide: too small to scan from a seat", i+1, r[2])
		}
		shot, err := proto.PageCaptureScreenshot{
			Format:                proto.PageCaptureScreenshotFormatPng,
			Clip:                  &proto.PageViewport{X: r[0], Y: r[1], Width: r[2], Height: r[3], Scale: 1},
			CaptureBeyondViewport: true,
		}.Call(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(shot.Data))
		if err != nil {
			t.Fatal(err)
		}
		got, err := qr.Decode(img)
		if err != nil || got != want[i] {
			t.Errorf("QR code %d decodes to %q (%v), want %q", i+1, got, err, want[i])
		}
	}
}
