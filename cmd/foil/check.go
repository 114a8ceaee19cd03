package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/foil-slides/foil/render"
	"github.com/foil-slides/foil/render/chromium"
	"github.com/foil-slides/foil/render/deck"
)

type checkFlags struct {
	deckFlags
	browserFlags
	format string
	jobs   int
}

func (f *checkFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.format, "format", "text", `output: "text" (file:line: message) or "json" (an array of problems)`)
	fs.IntVarP(&f.jobs, "jobs", "j", 2*runtime.NumCPU(), "decks measured at once, in one browser")
	f.deckFlags.register(fs)
	f.browserFlags.register(fs)
}

// problem is one thing wrong in a deck, as check reports it. The JSON field
// names are the documented output of --format json.
type problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`  // 0 when it concerns the whole file
	Slide   int    `json:"slide"` // 0 when it concerns no slide
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Element string `json:"element"` // short CSS path, for overflow, glyph and image problems
	Pixels  int    `json:"pixels"`  // how far content is cut off, for overflow
}

func (p problem) String() string {
	pos := deck.Pos{File: p.File, Line: p.Line}.String()
	return pos + ": " + p.Message
}

func checkCommand() *command {
	c := &command{
		name: "check", args: "DECK...", short: "find what is wrong in decks, without writing anything",
		long: `Checks each deck and prints every problem as file:line: message; exits 1 when
there is any (warnings count), 0 when there is none, so it can run in CI.

In the source: errors and warnings of the deck (unknown front matter keys,
directives and layouts, missing images, unsafe HTML…), links to slides or
headings that do not exist (#slide-9 in a 5-slide deck, #no-such-heading),
and empty slides.

In the browser, with each slide laid out as it is printed (after fitting
slides marked fit): content cut off at the edge of the slide or of a box
that hides overflow, with the element and by how many pixels; characters
that no installed font has (drawn as a box); images that do not display.

--format json prints an array of {file, line, slide, kind, message,
element, pixels}; kind is one of overflow, glyph, image, link, empty,
directive, layout, frontmatter, html, request, deck.`,
	}
	var f checkFlags
	c.flags = f.register
	c.run = func(a *app, args []string) int {
		fs := c.flagSet()
		if code, ok := a.parseFlags(c, fs, args); !ok {
			return code
		}
		if f.format != "text" && f.format != "json" {
			fmt.Fprintf(a.stderr, "foil check: --format %q: want text or json\n", f.format)
			return exitUsage
		}
		ins := fs.Args()
		if len(ins) == 0 {
			fmt.Fprintf(a.stderr, "foil check: no deck given\nUsage: foil check %s\n", c.args)
			return exitUsage
		}
		var problems []problem
		var todo []*checked
		for _, in := range ins {
			ck, ps := a.checkSource(in, f.deckFlags)
			problems = append(problems, ps...)
			if ck != nil {
				todo = append(todo, ck)
			}
		}
		if len(todo) > 0 {
			ctx, cancel := a.withInterrupt()
			defer cancel()
			b, code, ok := a.startBrowser(ctx, f.browserFlags, f.verbose)
			if !ok {
				return code
			}
			defer b.Close()
			ps, err := measureDecks(ctx, b, todo, max(1, f.jobs))
			if err != nil {
				fmt.Fprintln(a.stderr, err)
				return exitDeck
			}
			problems = append(problems, ps...)
		}
		slices.SortStableFunc(problems, func(x, y problem) int {
			if x.File != y.File {
				return strings.Compare(x.File, y.File)
			}
			return x.Line - y.Line
		})
		if f.format == "json" {
			if problems == nil {
				problems = []problem{}
			}
			enc := json.NewEncoder(a.stdout)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(problems); err != nil {
				fmt.Fprintf(a.stderr, "foil: writing standard output: %v\n", err)
				return exitDeck
			}
		} else {
			for _, p := range problems {
				fmt.Fprintln(a.stdout, p)
			}
		}
		if !f.quiet {
			switch n := len(problems); n {
			case 0:
				fmt.Fprintf(a.stderr, "checked %s: no problems\n", plural(len(ins), "deck"))
			default:
				fmt.Fprintf(a.stderr, "checked %s: %s\n", plural(len(ins), "deck"), plural(n, "problem"))
			}
		}
		if len(problems) > 0 {
			return exitDeck
		}
		return exitOK
	}
	return c
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// checked is a deck rendered for measuring in the browser.
type checked struct {
	deck *deck.Deck
	html []byte
	// warned holds the diagnostics' text, so that a request the browser
	// refused is not reported again when the deck was warned about it.
	warned string
}

// checkSource reads and renders a deck and finds the problems that need no
// browser. ck is nil when the deck could not be rendered.
func (a *app) checkSource(in string, f deckFlags) (ck *checked, problems []problem) {
	src, dir, name, err := a.readDeck(in)
	if err != nil {
		return nil, []problem{{File: in, Kind: "deck", Message: err.Error()}}
	}
	r, err := render.New(render.Options{Dir: dir, Layouts: f.layouts, HTML: f.html, AllowOutside: f.allowOutside})
	if err != nil {
		return nil, []problem{{File: name, Kind: "deck", Message: err.Error()}}
	}
	var buf bytes.Buffer
	d, diags, err := r.Build(&buf, name, src)
	var warned strings.Builder
	for _, dg := range diags {
		problems = append(problems, problem{File: dg.Pos.File, Line: dg.Pos.Line, Slide: slideAt(d, dg.Pos.Line),
			Kind: diagKind(dg.Msg), Message: dg.Msg})
		warned.WriteString(dg.Msg + "\n")
	}
	if err != nil && len(diags.Errors()) == 0 {
		problems = append(problems, problem{File: name, Kind: "deck", Message: err.Error()})
	}
	if d == nil {
		return nil, problems
	}
	problems = append(problems, emptySlides(d)...)
	if err != nil {
		// No page to measure; links are checked against the ids the
		// source gives.
		problems = append(problems, badLinks(d, nil)...)
		return nil, problems
	}
	problems = append(problems, badLinks(d, buf.Bytes())...)
	return &checked{deck: d, html: buf.Bytes(), warned: warned.String()}, problems
}

// slideAt returns the number of the slide that holds line, 0 when none.
func slideAt(d *deck.Deck, line int) int {
	n := 0
	if d == nil {
		return 0
	}
	for _, s := range d.Slides {
		if s.Pos.Line > line {
			break
		}
		n = s.Number
	}
	return n
}

// diagKind sorts the deck's diagnostics into the kinds of check's output.
func diagKind(msg string) string {
	switch {
	case strings.Contains(msg, "empty slide"):
		return "empty"
	case strings.Contains(msg, "unknown layout"):
		return "layout"
	case strings.Contains(msg, "directive"), strings.Contains(msg, "want true or false"):
		return "directive"
	case strings.Contains(msg, "front matter"):
		return "frontmatter"
	case strings.Contains(msg, "image"):
		return "image"
	case strings.Contains(msg, "raw HTML"):
		return "html"
	case strings.HasPrefix(msg, "link to"):
		return "link"
	}
	return "deck"
}

// emptySlides reports slides that show nothing: no title text, no content,
// no background.
func emptySlides(d *deck.Deck) []problem {
	var out []problem
	for _, s := range d.Slides {
		if len(s.Blocks) > 0 || s.Background != "" || s.Title != nil && (s.Title.Text != "" || s.Title.Inline != "") {
			continue
		}
		out = append(out, problem{File: d.File, Line: s.Pos.Line, Slide: s.Number, Kind: "empty",
			Message: fmt.Sprintf("slide %d is empty: give it content or remove the break or heading that starts it", s.Number)})
	}
	return out
}

var idAttr = regexp.MustCompile(`\sid="([^"]*)"`)

// badLinks reports links within the deck (#slide-9, #heading-id, #9) whose
// target does not exist. The targets are the ids of the rendered page (page
// nil: the slides and headings of the source).
func badLinks(d *deck.Deck, page []byte) []problem {
	headings := map[string]*deck.Slide{} // heading id -> its slide
	for _, s := range d.Slides {
		walkBlocks(s, func(b *deck.Block) {
			if b.ID != "" && headings[b.ID] == nil {
				headings[b.ID] = s
			}
		})
	}
	ids := map[string]bool{}
	if page != nil {
		for _, m := range idAttr.FindAllSubmatch(page, -1) {
			ids[html.UnescapeString(string(m[1]))] = true
		}
	} else {
		for id := range headings {
			ids[id] = true
		}
		for _, s := range d.Slides {
			ids["slide-"+strconv.Itoa(s.Number)] = true
		}
	}
	var out []problem
	check := func(pos deck.Pos, s *deck.Slide, links []deck.Link) {
		for _, l := range links {
			frag, ok := strings.CutPrefix(l.URL, "#")
			if !ok || frag == "" {
				continue
			}
			if u, err := url.PathUnescape(frag); err == nil {
				frag = u
			}
			if ids[frag] {
				continue
			}
			msg := fmt.Sprintf("link to %s: no slide or heading has that id", l.URL)
			n, err := strconv.Atoi(strings.TrimPrefix(frag, "slide-"))
			switch {
			case err == nil && n >= 1 && n <= len(d.Slides):
				continue // #9: the slide number, as the deck's script reads it
			case headings[frag] != nil:
				// The heading exists but its slide's layout writes it
				// without the id (an image caption, a quote's eyebrow).
				h := headings[frag]
				msg = fmt.Sprintf("link to %s: the heading on slide %d loses its id in that slide's layout; link to #slide-%d instead", l.URL, h.Number, h.Number)
			case err == nil:
				msg = fmt.Sprintf("link to %s: no such slide (the deck has %d)", l.URL, len(d.Slides))
			}
			out = append(out, problem{File: d.File, Line: pos.Line, Slide: s.Number, Kind: "link", Message: msg})
		}
	}
	for _, s := range d.Slides {
		walkBlocks(s, func(b *deck.Block) {
			check(b.Pos, s, b.Links)
			var items func([]*deck.Item)
			items = func(its []*deck.Item) {
				for _, it := range its {
					check(it.Pos, s, it.Links)
					items(it.Items)
				}
			}
			items(b.Items)
		})
	}
	return out
}

// walkBlocks calls fn for the slide's title and every block, quoted blocks
// included.
func walkBlocks(s *deck.Slide, fn func(*deck.Block)) {
	if s.Title != nil {
		fn(s.Title)
	}
	var walk func([]*deck.Block)
	walk = func(bs []*deck.Block) {
		for _, b := range bs {
			fn(b)
			walk(b.Blocks)
		}
	}
	walk(s.Blocks)
}

// docURL matches a relative reference resolved against the browser's
// private document URL.
var docURL = regexp.MustCompile(`^http://127\.0\.0\.1:\d+/[0-9a-f]{32}/(.*)$`)

// measureDecks measures the decks in the browser, jobs at a time.
func measureDecks(ctx context.Context, b *chromium.Browser, decks []*checked, jobs int) ([]problem, error) {
	type result struct {
		m        *chromium.Measurement
		warnings []string
		err      error
	}
	results := make([]result, len(decks))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, ck := range decks {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			w, h := ck.deck.Meta.Size()
			m, warnings, err := b.Measure(ctx, ck.html, chromium.MeasureOptions{Width: w, Height: h})
			results[i] = result{m, warnings, err}
		})
	}
	wg.Wait()
	var out []problem
	for i, r := range results {
		d := decks[i].deck
		if r.err != nil {
			return nil, fmt.Errorf("%s", exportError(ctx, d.File, r.err))
		}
		warned := func(u string) bool {
			if m := docURL.FindStringSubmatch(u); m != nil {
				u = m[1] // a relative reference, as the deck wrote it
			}
			return u != "" && strings.Contains(decks[i].warned, strconv.Quote(u))
		}
		for _, w := range r.warnings {
			if u, ok := strings.CutPrefix(w, "blocked request to "); ok && warned(strings.Fields(u)[0]) {
				continue // the deck was warned about it
			}
			out = append(out, problem{File: d.File, Kind: "request", Message: w})
		}
		for _, o := range r.m.Overflows {
			msg := fmt.Sprintf("slide %d: content cut off by %dpx at the %s, from %s", o.Slide, o.Pixels, o.Side, o.Element)
			if o.Worst != "" && o.Worst != o.Element {
				msg += fmt.Sprintf(" (most: %s)", o.Worst)
			}
			if o.Fit > 0 {
				msg += fmt.Sprintf(", even shrunk to %d%% by fit: shorten or split the slide", int(o.Fit*100+0.5))
			} else {
				msg += ": shorten or split the slide, or shrink it with <!-- fit -->"
			}
			out = append(out, problem{File: d.File, Line: o.Line, Slide: o.Slide, Kind: "overflow", Message: msg, Element: o.Element, Pixels: o.Pixels})
		}
		for _, g := range r.m.Glyphs {
			msg := fmt.Sprintf("slide %d: no installed font has %U %s (drawn as a box) in %q; install a font with it or use another character",
				g.Slide, g.Char, strconv.QuoteRuneToASCII(g.Char), g.Text)
			out = append(out, problem{File: d.File, Line: g.Line, Slide: g.Slide, Kind: "glyph", Message: msg, Element: g.Element})
		}
		for _, im := range r.m.Images {
			if warned(im.Src) {
				continue
			}
			what := im.Src
			if im.Alt != "" {
				what = fmt.Sprintf("%q", im.Alt)
			}
			msg := fmt.Sprintf("slide %d: image %s does not display (not an image the browser can show?)", im.Slide, what)
			out = append(out, problem{File: d.File, Line: im.Line, Slide: im.Slide, Kind: "image", Message: msg, Element: im.Element})
		}
	}
	return out, nil
}
