package main

import (
	"bytes"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"

	"github.com/foil-slides/foil/internal/outfile"
	"github.com/foil-slides/foil/layouts"
	"github.com/foil-slides/foil/render"
	"github.com/foil-slides/foil/render/chromium"
)

// galleryDemo is one layout's demo: its example as the slide it picks the
// layout on, inside a deck that gives it the position it needs (title
// first, end last, everything else between the two).
type galleryDemo struct {
	layouts.Info
	Deck  string // the whole demo deck
	Slide int    // the example's slide in it
	HTML  []byte
}

func demoDeck(l layouts.Info) galleryDemo {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: The %s layout\nfooter: foil layouts\n---\n\n", l.Name)
	slide := 1
	if l.Name != "title" {
		b.WriteString("# foil layouts\n\nOne slide per layout\n\n---\n\n")
		slide = 2
	}
	b.WriteString(l.Example)
	if l.Name != "end" {
		b.WriteString("\n---\n\n# Thanks!\n")
	}
	return galleryDemo{Info: l, Deck: b.String(), Slide: slide}
}

// gallery writes every built-in layout's demo to dir: NAME.png (the slide),
// NAME.html (its deck, opened at the slide), index.html and README.md (each
// layout's picture next to its Markdown).
func (a *app) gallery(dir string, f browserFlags, quiet, verbose bool) int {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
		return exitDeck
	}
	// The image layout's example shows webb.jpg: a picture made here, so
	// that the gallery needs no file of its own.
	assets, err := os.MkdirTemp("", "foil-gallery-")
	if err != nil {
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
		return exitDeck
	}
	defer os.RemoveAll(assets)
	if err := os.WriteFile(filepath.Join(assets, "webb.jpg"), starfield(1280, 720), 0o644); err != nil {
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
		return exitDeck
	}
	r, err := render.New(render.Options{Dir: assets})
	if err != nil {
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
		return exitDeck
	}
	var demos []galleryDemo
	for _, l := range layouts.Builtin() {
		g := demoDeck(l)
		var buf bytes.Buffer
		d, diags, err := r.Build(&buf, l.Name+".md", []byte(g.Deck))
		if err != nil || len(diags) > 0 {
			fmt.Fprintf(a.stderr, "foil: layout %s: its example does not render cleanly: %v\n", l.Name, errorsOf(err, diags.Error()))
			return exitDeck
		}
		if got, _ := r.LayoutOf(d, d.Slides[g.Slide-1]); got != l.Name {
			fmt.Fprintf(a.stderr, "foil: layout %s: its example picks layout %s\n", l.Name, got)
			return exitDeck
		}
		g.HTML = buf.Bytes()
		demos = append(demos, g)
	}

	ctx, cancel := a.withInterrupt()
	defer cancel()
	b, code, ok := a.startBrowser(ctx, f, verbose)
	if !ok {
		return code
	}
	defer b.Close()
	for _, g := range demos {
		shots, _, err := b.PNG(ctx, g.HTML, chromium.PNGOptions{Slide: g.Slide})
		if err != nil {
			fmt.Fprintln(a.stderr, exportError(ctx, g.Name, err))
			return exitDeck
		}
		for name, data := range map[string][]byte{g.Name + ".png": shots[0], g.Name + ".html": g.HTML} {
			if err := writeAll(filepath.Join(dir, name), data); err != nil {
				fmt.Fprintf(a.stderr, "foil: %v\n", err)
				return exitDeck
			}
		}
	}
	// index.html through html/template, README.md (Markdown, where HTML
	// escapes would show) through text/template.
	var page, readme bytes.Buffer
	if err := template.Must(template.New("index.html").Parse(galleryHTML)).Execute(&page, demos); err != nil {
		fmt.Fprintf(a.stderr, "foil: index.html: %v\n", err)
		return exitDeck
	}
	if err := texttemplate.Must(texttemplate.New("README.md").Parse(galleryMD)).Execute(&readme, demos); err != nil {
		fmt.Fprintf(a.stderr, "foil: README.md: %v\n", err)
		return exitDeck
	}
	for name, data := range map[string][]byte{"index.html": page.Bytes(), "README.md": readme.Bytes()} {
		if err := writeAll(filepath.Join(dir, name), data); err != nil {
			fmt.Fprintf(a.stderr, "foil: %v\n", err)
			return exitDeck
		}
	}
	if !quiet {
		fmt.Fprintf(a.stderr, "wrote %d layouts to %s (index.html, README.md)\n", len(demos), dir)
	}
	return exitOK
}

func errorsOf(err error, diags string) string {
	if diags != "" {
		return diags
	}
	return fmt.Sprint(err)
}

func writeAll(path string, data []byte) error {
	return outfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// starfield draws a night sky as a JPEG: a deep blue gradient, a faint
// glow and stars, the same every time (a fixed seed) so that a regenerated
// gallery changes only when foil's rendering does.
func starfield(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := float64(y) / float64(h)
			dx, dy := float64(x)-0.68*float64(w), float64(y)-0.4*float64(h)
			glow := math.Exp(-(dx*dx + dy*dy*2.2) / (2 * 190 * 190))
			img.Set(x, y, color.RGBA{
				R: uint8(8 + 20*t + 120*glow),
				G: uint8(12 + 18*t + 70*glow),
				B: uint8(34 + 40*t + 110*glow),
				A: 255,
			})
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 900; i++ {
		x, y := rng.IntN(w), rng.IntN(h)
		v := uint8(140 + rng.IntN(116))
		img.Set(x, y, color.RGBA{v, v, uint8(min(255, int(v)+20)), 255})
		if i%25 == 0 { // a few brighter ones
			for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				img.Set(x+d[0], y+d[1], color.RGBA{v / 2, v / 2, v / 2, 255})
			}
		}
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 82}) // cannot fail on a bytes.Buffer
	return buf.Bytes()
}

const galleryHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="foil layouts --gallery">
<title>foil layouts</title>
<style>
body { margin: 0 auto; max-width: 1320px; padding: 32px; font: 16px/1.5 "Noto Sans", "DejaVu Sans", system-ui, sans-serif; color: #15202b; }
h1 { font-size: 32px; margin: 0 0 8px; }
.layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 24px; align-items: start; padding: 28px 0; border-top: 1px solid #d9e0e4; }
.layout img { width: 100%; height: auto; display: block; border: 1px solid #d9e0e4; border-radius: 8px; }
.layout h2 { font-size: 22px; margin: 0 0 4px; }
.layout h2 code { color: #0b7a75; }
.layout p { margin: 0 0 12px; color: #5c6b78; }
pre { margin: 0; padding: 14px 16px; background: #f4f6f7; border-radius: 8px; font: 14px/1.5 "Noto Sans Mono", "DejaVu Sans Mono", monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
@media (max-width: 800px) { .layout { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<h1>foil layouts</h1>
<p>Every built-in layout with the Markdown that picks it. foil chooses a layout from a slide's content; <code>&lt;!-- layout: NAME --&gt;</code> forces one. Made by <code>foil layouts --gallery</code>.</p>
{{range .}}<section class="layout" id="{{.Name}}">
<a href="{{.Name}}.html#{{.Slide}}"><img src="{{.Name}}.png" alt="The {{.Name}} layout" width="1280" height="720" loading="lazy"></a>
<div>
<h2><code>{{.Name}}</code></h2>
<p>{{.Summary}}</p>
<pre>{{.Example}}</pre>
</div>
</section>
{{end}}</body>
</html>
`

const galleryMD = `<!-- Made by foil layouts --gallery; regenerate with make gallery. -->
# foil layouts

Every built-in layout with the Markdown that picks it. foil chooses a layout from a slide's
content; ` + "`<!-- layout: NAME -->`" + ` forces one.
{{range .}}
## {{.Name}}

{{.Summary}}

<img src="{{.Name}}.png" alt="The {{.Name}} layout" width="640">

` + "```markdown" + `
{{.Example}}` + "```" + `
{{end}}`
