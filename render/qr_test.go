package render

import (
	"bytes"
	"strings"
	"testing"
)

// TestQRImage: ![qr](url) draws a QR code that links to url anywhere in a
// deck, is not an image to embed or allow, and qr: false turns every QR
// code into a plain link.
func TestQRImage(t *testing.T) {
	const body = "# Title\n\nintro\n\n## Scan\n\nSlides: ![qr](https://example.com/s?a=1&b=2)\n\n## Thanks!\n\n<https://example.com/feedback>\n"
	tests := []struct {
		name     string
		src      string
		qr       int      // svg.qr elements
		contains []string // in the HTML
		warnings []string
	}{
		{"on", body, 2, []string{
			`<a class="qr-tile qr-code" href="https://example.com/s?a=1&amp;b=2" rel="noopener noreferrer" style="display:inline-block;vertical-align:middle"><svg class="qr"`,
			`aria-label="QR code: https://example.com/feedback"`}, nil},
		{"sized", strings.Replace(body, "![qr]", "![qr w:300]", 1), 2, []string{`style="display:inline-block;vertical-align:middle;--qr:300px"`}, nil},
		{"off", "---\nqr: false\n---\n\n" + body, 0, []string{
			`Slides: <a href="https://example.com/s?a=1&amp;b=2" rel="noopener noreferrer">https://example.com/s?a=1&amp;b=2</a>`}, nil},
		{"unsafe", strings.Replace(body, "https://example.com/s?a=1&b=2", "javascript:alert(1)", 1), 1, nil,
			[]string{`deck.md:7: QR code for "javascript:alert(1)" removed: only http(s), mailto and tel URLs are allowed`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(Options{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			d, diags, err := r.Build(&buf, "deck.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			html := buf.String()
			if n := strings.Count(html, `<svg class="qr"`); n != tt.qr {
				t.Errorf("%d QR codes, want %d", n, tt.qr)
			}
			for _, c := range tt.contains {
				if !strings.Contains(html, c) {
					t.Errorf("HTML lacks %q", c)
				}
			}
			var got []string
			for _, dg := range diags {
				got = append(got, dg.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.warnings, "\n") {
				t.Errorf("diagnostics:\ngot  %q\nwant %q", got, tt.warnings)
			}
			// Not an image: nothing to allow in the CSP, no image layout.
			if strings.Contains(html, "img-src data: https://example.com") {
				t.Errorf("the QR code's URL is allowed as an image source")
			}
			for _, s := range d.Slides {
				for _, b := range s.Blocks {
					if len(b.Images) > 0 {
						t.Errorf("slide %d: QR code recorded as an image: %+v", s.Number, b.Images)
					}
				}
			}
		})
	}
}
