package site

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"sync"

	"github.com/foil-slides/foil/render/chromium"
	"github.com/foil-slides/foil/render/deck"
)

// Thumbnails are the first slide of each deck, rendered alone (thumbDoc)
// and shot in batches: up to maxBatch decks of one canvas size share one
// page, each in an iframe. A page of its own per thumbnail cost about as
// much as printing the deck's PDF: most of it is making the tab and loading
// a document. BenchmarkBuild (20 decks of 20 slides, 2 busy CPUs), cold
// build time over printing the 20 PDFs alone: 1.75 with a page per
// thumbnail, 1.20 with batches of 10, 1.16 with one batch of 20.
//
// Scripts do not run in the frames (sandbox): foil.js would set the slide
// number in the URL, which in a srcdoc frame resolves against the page's
// URL and navigates the frame away, and print media needs no script to lay
// out a slide. The one script a thumbnail needs, fit.js, shrinks slides
// marked fit: decks whose first slide is fitted get a page of their own,
// as do decks with html: true (their own markup, their own scripts) and
// every deck of a batch that failed, so that one bad deck fails alone.

// maxBatch is the most thumbnails one page makes. The screenshots of one
// page are taken one after the other (~30 ms each at 640x360), so bigger
// batches only save tabs while PDFs print alongside.
const maxBatch = 20

// thumbnail is a deck's thumbnail, ready when done is closed.
type thumbnail struct {
	done     chan struct{}
	png      []byte
	warnings []string
	err      error
}

// thumbDoc renders the deck's first slide alone: the browser then lays out
// one slide instead of all of them. The slide keeps the layout it has in
// the whole deck (alone it would also be the last slide, which can change
// what is detected).
func (b *builder) thumbDoc(j *job) ([]byte, error) {
	first := *j.deck.Slides[0]
	first.Layout, _ = j.r.LayoutOf(j.deck, j.deck.Slides[0])
	d := *j.deck
	d.Slides = []*deck.Slide{&first}
	var buf bytes.Buffer
	if _, err := j.r.Render(&buf, &d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// thumbnails starts making the thumbnails of jobs, on wg.
func (b *builder) thumbnails(ctx context.Context, br Browser, jobs []*job, wg *sync.WaitGroup) {
	type size struct{ w, h int }
	groups := map[size][]*job{}
	var sizes []size
	for _, j := range jobs {
		j.thumb = &thumbnail{done: make(chan struct{})}
		if j.deck.Meta.HTML || j.deck.Meta.Fit || j.deck.Slides[0].Fit {
			wg.Go(func() { b.thumbOne(ctx, br, j) })
			continue
		}
		s := size{j.d.Width, j.d.Height}
		if groups[s] == nil {
			sizes = append(sizes, s)
		}
		groups[s] = append(groups[s], j)
	}
	for _, s := range sizes {
		g := groups[s]
		n := (len(g) + maxBatch - 1) / maxBatch
		per := (len(g) + n - 1) / n // even batches: 11 decks make 6 + 5, not 10 + 1
		for len(g) > 0 {
			batch := g[:min(per, len(g))]
			g = g[len(batch):]
			wg.Go(func() { b.thumbBatch(ctx, br, batch) })
		}
	}
}

// thumbOne makes j's thumbnail in a page of its own.
func (b *builder) thumbOne(ctx context.Context, br Browser, j *job) {
	defer close(j.thumb.done)
	b.pages <- struct{}{}
	defer func() { <-b.pages }()
	imgs, warnings, err := br.PNG(ctx, j.thumbDoc, chromium.PNGOptions{Width: j.d.Width, Height: j.d.Height, Scale: thumbScale, Slide: 1})
	j.thumb.warnings, j.thumb.err = warnings, err
	if err == nil {
		j.thumb.png = imgs[0]
	}
}

// thumbBatch makes the thumbnails of batch in one page; if that fails,
// each in a page of its own.
func (b *builder) thumbBatch(ctx context.Context, br Browser, batch []*job) {
	if len(batch) == 1 {
		b.thumbOne(ctx, br, batch[0])
		return
	}
	w, h := batch[0].d.Width, batch[0].d.Height
	b.pages <- struct{}{}
	// The batch's warnings are not told apart by deck; each deck's PDF
	// load reports the same refused requests, and more.
	imgs, _, err := br.PNG(ctx, batchDoc(batch, w, h), chromium.PNGOptions{Width: w, Height: h, Scale: thumbScale})
	<-b.pages
	if err == nil && len(imgs) == len(batch) {
		for i, j := range batch {
			j.thumb.png = imgs[i]
			close(j.thumb.done)
		}
		return
	}
	if ctx.Err() != nil {
		for _, j := range batch {
			j.thumb.err = err
			close(j.thumb.done)
		}
		return
	}
	var wg sync.WaitGroup
	for _, j := range batch {
		wg.Go(func() { b.thumbOne(ctx, br, j) })
	}
	wg.Wait()
}

// batchDoc is a page with each job's thumbDoc in an iframe of the canvas
// size, each in a section.slide as package chromium expects. The page
// counts as fitted (data-fitted, see chromium's load) only when every
// frame has its images decoded, its fonts loaded and its own fitting done.
func batchDoc(batch []*job, w, h int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!doctype html>
<html data-fitted="false"><head><meta charset="utf-8"><meta name="foil:size" content="%dx%d">
<style>@page{size:%dpx %dpx;margin:0}html,body{margin:0;padding:0}
section.slide{display:block;width:%dpx;height:%dpx;overflow:hidden;break-after:page}
iframe{display:block;border:0;width:%dpx;height:%dpx}</style></head><body>
`, w, h, w, h, w, h, w, h)
	for i, j := range batch {
		fmt.Fprintf(&b, "<section class=\"slide\" id=\"slide-%d\"><iframe sandbox=\"allow-same-origin\" scrolling=\"no\" srcdoc=\"%s\"></iframe></section>\n",
			i+1, html.EscapeString(string(j.thumbDoc)))
	}
	b.WriteString(`<script>
addEventListener("load", async () => {
	try {
		await Promise.all([...document.querySelectorAll("iframe")].map(async f => {
			const d = f.contentDocument;
			await Promise.all([...d.images].map(i => i.decode().catch(() => {})));
			await d.fonts.ready;
			while (d.documentElement.getAttribute("data-fitted") === "false") {
				await new Promise(r => setTimeout(r, 10));
			}
		}));
	} finally {
		document.documentElement.removeAttribute("data-fitted");
	}
}, {once: true});
</script>
</body></html>
`)
	return b.Bytes()
}
