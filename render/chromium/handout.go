package chromium

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// Paper is a paper size in millimetres, portrait.
type Paper struct {
	Name          string
	Width, Height float64
}

// Papers are the paper sizes [Browser.Handout] knows, by name.
var Papers = []Paper{
	{"a4", 210, 297},
	{"letter", 215.9, 279.4},
}

// PaperNamed returns the paper called name (case-insensitive).
func PaperNamed(name string) (Paper, bool) {
	i := slices.IndexFunc(Papers, func(p Paper) bool { return strings.EqualFold(p.Name, name) })
	if i < 0 {
		return Paper{}, false
	}
	return Papers[i], true
}

// HandoutOptions configures [Browser.Handout]. The zero value prints A4
// with three slides a page.
type HandoutOptions struct {
	Paper   Paper // zero: A4
	PerPage int   // slides per page: 1, 2 or 3; zero: 3
	Title   string
}

//go:embed handout.js
var handoutJS string

// Handout loads doc and prints it to w as a handout: PerPage slides on each
// page of the paper with their speaker notes (under each slide for 1 and 2
// a page, beside it for 3; ruled lines where a slide has none), a head line
// with the document's title and the page number. Slides are scaled with
// CSS zoom, so they stay vector, their text selectable and their links
// clickable. The layout is the document's handout.css (see package
// layouts); this method only moves the slides into pages and sizes them.
//
// The warnings name refused requests, as for [Browser.PDF], and slides
// whose notes did not fit their box even in 7.5pt type.
func (b *Browser) Handout(ctx context.Context, doc []byte, o HandoutOptions, w io.Writer) (warnings []string, err error) {
	if o.Paper.Width <= 0 || o.Paper.Height <= 0 {
		o.Paper = Papers[0]
	}
	if o.PerPage == 0 {
		o.PerPage = 3
	}
	if o.PerPage < 1 || o.PerPage > 3 {
		return nil, fmt.Errorf("handout: %d slides per page: want 1, 2 or 3", o.PerPage)
	}
	// Laid out for print from the start, so that what the script measures
	// (notes that do not fit) is what is printed.
	setup := func(ctx context.Context, p *rod.Page) error {
		return proto.EmulationSetEmulatedMedia{Media: "print"}.Call(p.Context(ctx))
	}
	s, err := b.open(ctx, doc, setup)
	if err != nil {
		return nil, err
	}
	defer s.close()
	p := s.page.Context(ctx)

	if err := setTitle(p, o.Title); err != nil {
		return s.takeWarnings(), b.callErr(ctx, "setting title", err)
	}
	raw, err := evaluate(p, fmt.Sprintf("(%s)(%d, %g, %g)", handoutJS, o.PerPage, o.Paper.Width, o.Paper.Height))
	if err != nil {
		return s.takeWarnings(), b.callErr(ctx, "laying out the handout", err)
	}
	var cut []int
	if err := json.Unmarshal(raw, &cut); err != nil {
		return s.takeWarnings(), fmt.Errorf("laying out the handout: %w", err)
	}
	for _, n := range cut {
		s.warnf("slide %d: notes cut off in the handout; shorten them or print fewer slides a page (--per-page)", n)
	}

	mm := 25.4 // per inch
	return s.takeWarnings(), b.print(ctx, p, o.Paper.Width/mm, o.Paper.Height/mm, w)
}
