package render

import (
	"fmt"
	"html/template"
	"strings"

	qr "github.com/piglig/go-qr"
)

// QR returns text as a QR code in inline SVG: one path of dark modules on a
// light square with the standard four-module quiet zone. Vector, so it stays
// sharp in PDFs at any zoom. Empty when the text does not fit a QR code.
func QR(text string) template.HTML {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return ""
	}
	n := code.Size()
	const quiet = 4
	var p strings.Builder
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if !code.Module(x, y) {
				continue
			}
			// Runs of dark modules in a row become one rectangle: about
			// half the path length of one square per module.
			run := 1
			for x+run < n && code.Module(x+run, y) {
				run++
			}
			fmt.Fprintf(&p, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run - 1
		}
	}
	size := n + 2*quiet
	return template.HTML(fmt.Sprintf(`<svg class="qr" viewBox="0 0 %d %d" role="img" aria-label="QR code: %s" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		size, size, template.HTMLEscapeString(text), size, size, p.String()))
}
