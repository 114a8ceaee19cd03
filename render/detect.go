package render

import (
	"regexp"
	"strings"

	"github.com/foil-slides/foil/render/deck"
)

// Layout detection: DESIGN §2's rules, first match wins, in this order. Each
// rule looks at the slide's model, never at its HTML.

// Builtin layout names in detection order.
var detectOrder = []string{"title", "end", "agenda", "talk", "compare", "stats", "summary", "columns", "quote", "image", "section", "default"}

// Detect returns the layout for slide s of d by content.
func Detect(d *deck.Deck, s *deck.Slide) string {
	switch {
	case isTitle(d, s):
		return "title"
	case isEnd(d, s):
		return "end"
	case agendaList(s) != nil:
		return "agenda"
	case talkOf(s) != nil:
		return "talk"
	case isCompare(s):
		return "compare"
	case isStats(s):
		return "stats"
	case summaryLink(s) >= 0:
		return "summary"
	case len(groups(s.Blocks, splitOf(d)).groups) >= 2:
		return "columns"
	case isQuote(s):
		return "quote"
	case isImage(s):
		return "image"
	case isSection(s):
		return "section"
	}
	return "default"
}

func splitOf(d *deck.Deck) int { return d.Meta.Split }

// textLen is the amount of text on a slide, list items included.
func textLen(bs []*deck.Block) int {
	n := 0
	for _, b := range bs {
		n += len(b.Text)
		n += itemsLen(b.Items)
	}
	return n
}

func itemsLen(items []*deck.Item) int {
	n := 0
	for _, it := range items {
		n += len(it.Text) + itemsLen(it.Items)
	}
	return n
}

func countItems(items []*deck.Item) int {
	n := len(items)
	for _, it := range items {
		n += countItems(it.Items)
	}
	return n
}

// short reports whether every block is a short line: paragraphs and small
// headings of at most max characters, images, and lists of a few short items.
func short(bs []*deck.Block, max, maxBlocks int) bool {
	if len(bs) > maxBlocks {
		return false
	}
	for _, b := range bs {
		switch b.Kind {
		case deck.Paragraph, deck.Heading:
			for _, l := range strings.Split(b.Text, "\n") {
				if len(l) > max {
					return false
				}
			}
		case deck.List:
			if countItems(b.Items) > 3 {
				return false
			}
			for _, it := range b.Items {
				if len(it.Text) > max {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

func isTitle(d *deck.Deck, s *deck.Slide) bool {
	return s.Number == 1 && s.Title != nil && s.Title.Text != "" && short(s.Blocks, 120, 5)
}

func isEnd(d *deck.Deck, s *deck.Slide) bool {
	return s.Number == len(d.Slides) && s.Number > 1 && short(s.Blocks, 120, 4) &&
		textLen(s.Blocks)+titleLen(s) <= 240 && (s.Title != nil || len(s.Blocks) > 0)
}

func titleLen(s *deck.Slide) int {
	if s.Title == nil {
		return 0
	}
	return len(s.Title.Text)
}

// timeRE matches an agenda time at the start of an item: "19:00", "7.30",
// "7pm", "7:30 pm", optionally a range "19:00-19:15", then a separator.
var timeRE = regexp.MustCompile(`(?i)^((?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*[ap]\.?m\.?)?|(?:1[0-2]|0?[1-9])\s*[ap]\.?m\.?)(?:\s*[-–]\s*((?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*[ap]\.?m\.?)?|(?:1[0-2]|0?[1-9])\s*[ap]\.?m\.?))?(?:\s*[-–—:|]\s*|\s+|$)`)

// agendaList returns the slide's list whose items mostly start with a time.
func agendaList(s *deck.Slide) *deck.Block {
	for _, b := range s.Blocks {
		if b.Kind != deck.List || len(b.Items) < 2 {
			continue
		}
		timed := 0
		for _, it := range b.Items {
			if timeRE.MatchString(it.Text) {
				timed++
			}
		}
		if timed*2 > len(b.Items) && timed >= 2 {
			return b
		}
	}
	return nil
}

// talkRE matches "Talk 1 - Name:", "Talk 1: Name", "Talk #2 – Name".
var talkRE = regexp.MustCompile(`(?i)^(talk|keynote|lightning talk|session)\s*#?\s*(\d+)\s*[-–—:]\s*(.+?)\s*:?\s*$`)

type talkParts struct {
	number, speaker string
	titleBlocks     []*deck.Block
}

// talkOf recognises a talk card: a heading or first paragraph like
// "Talk 1 - Name:" followed by the talk's title and nothing else.
func talkOf(s *deck.Slide) *talkParts {
	var line string
	rest := s.Blocks
	switch {
	case s.Title != nil && talkRE.MatchString(s.Title.Text):
		line = s.Title.Text
	case (s.Title == nil || s.Title.Text == "") && len(s.Blocks) > 0 && s.Blocks[0].Kind == deck.Paragraph && talkRE.MatchString(s.Blocks[0].Text):
		line, rest = s.Blocks[0].Text, s.Blocks[1:]
	default:
		return nil
	}
	if len(rest) == 0 || len(rest) > 2 {
		return nil
	}
	for _, b := range rest {
		if b.Kind != deck.Paragraph && b.Kind != deck.Heading || len(b.Text) > 200 {
			return nil
		}
	}
	m := talkRE.FindStringSubmatch(line)
	word := strings.ToUpper(m[1][:1]) + strings.ToLower(m[1][1:])
	return &talkParts{number: word + " " + m[2], speaker: m[3], titleBlocks: rest}
}

// A labelled group: "### Label" or a paragraph that is only "**Label**",
// followed by content.
type group struct {
	label *deck.Block
	body  []*deck.Block
}

type grouping struct {
	lead   []*deck.Block
	groups []group
}

// groups cuts blocks into a lead and labelled groups. Groups without content
// do not count.
func groups(bs []*deck.Block, split int) grouping {
	var g grouping
	for _, b := range bs {
		if isLabel(b, split) {
			g.groups = append(g.groups, group{label: b})
			continue
		}
		if len(g.groups) == 0 {
			g.lead = append(g.lead, b)
			continue
		}
		last := &g.groups[len(g.groups)-1]
		last.body = append(last.body, b)
	}
	kept := g.groups[:0]
	for _, gr := range g.groups {
		if len(gr.body) > 0 {
			kept = append(kept, gr)
		}
	}
	g.groups = kept
	return g
}

func isLabel(b *deck.Block, split int) bool {
	return b.Kind == deck.Heading && b.Level > split || b.Kind == deck.Paragraph && b.Strong && len(b.Text) <= 60
}

// Tone words for compare labels. A label is negative when it starts with a
// negative word ("Do not!", "Avoid", "Before"), positive when it starts with
// a positive one ("Do!", "Prefer", "After").
var (
	negRE = regexp.MustCompile(`(?i)^(✗|❌|👎|don'?t|do not|avoid|before|myth|cons?\b|bad|wrong|never|old|no\b|without|anti-?patterns?|instead of|not)`)
	posRE = regexp.MustCompile(`(?i)^(✓|✔|✅|👍|do\b|prefer|after|fact|pros?\b|good|right|always|new|yes|with\b|better|instead|patterns?)`)
)

// Tone returns "neg", "pos" or "" for a compare label.
func Tone(label string) string {
	l := strings.TrimSpace(label)
	switch {
	case negRE.MatchString(l):
		return "neg"
	case posRE.MatchString(l):
		return "pos"
	}
	return ""
}

func isCompare(s *deck.Slide) bool {
	g := groups(s.Blocks, 6)
	g2 := groups(s.Blocks, 2)
	if len(g2.groups) > len(g.groups) {
		g = g2
	}
	if len(g.groups) != 2 {
		return false
	}
	a, b := Tone(g.groups[0].label.Text), Tone(g.groups[1].label.Text)
	return a != "" && b != "" && a != b
}

// Figures. A figure item starts with a number ("35% really good",
// "~540 attendees", "n=14" is a caption); a chart item is a label followed by
// percentages ("Quality of talks: 35% really good, 50% good, 15% meh").
var (
	figureRE  = regexp.MustCompile(`^([~≈<>+]?\s?[$€£]?\d[\d,.]*)\s?(%|\+|[kKMB]\b\+?|x\b|×)?\s*(.*)$`)
	percentRE = regexp.MustCompile(`(\d+(?:\.\d+)?)\s?%\s*([^,;%]*?)\s*(?:[,;]|$)`)
	chartRE   = regexp.MustCompile(`^(?:([^:%]{1,60}):\s*)?((?:\d+(?:\.\d+)?\s?%[^,;%]*[,;]?\s*){2,})(?:\(([^)]*)\))?\s*$`)
	captionRE = regexp.MustCompile(`(?i)^\(?n\s*=\s*\d[\d,]*\)?$`)
)

func isFigure(text string) bool { return figureRE.MatchString(text) && !captionRE.MatchString(text) }
func isChart(text string) bool  { return chartRE.MatchString(text) }

// isStats: list items that are mostly figures.
func isStats(s *deck.Slide) bool {
	total, figs := 0, 0
	for _, b := range s.Blocks {
		if b.Kind != deck.List {
			continue
		}
		for _, it := range b.Items {
			total++
			if isFigure(it.Text) || isChart(it.Text) {
				figs++
			}
		}
	}
	return figs >= 2 && figs*10 >= total*6
}

// summaryLink returns the index of the block holding a summary's link — the
// last block, a paragraph that is only a link or a list whose last item is
// only a link — or -1 when the slide is not a summary.
func summaryLink(s *deck.Slide) int {
	if s.Title == nil || s.Title.Text == "" || len(s.Blocks) < 2 && !(len(s.Blocks) == 1 && s.Blocks[0].Kind == deck.List && len(s.Blocks[0].Items) >= 2) {
		return -1
	}
	last := s.Blocks[len(s.Blocks)-1]
	switch last.Kind {
	case deck.Paragraph:
		if linkOnly(last.Text, last.Links) {
			return len(s.Blocks) - 1
		}
	case deck.List:
		it := last.Items[len(last.Items)-1]
		if len(it.Items) == 0 && linkOnly(it.Text, it.Links) && (len(last.Items) >= 2 || len(s.Blocks) >= 2) {
			return len(s.Blocks) - 1
		}
	}
	return -1
}

func linkOnly(text string, links []deck.Link) bool {
	if len(links) != 1 {
		return false
	}
	u := strings.ToLower(links[0].URL)
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return false
	}
	t := strings.TrimSpace(text)
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(t, "<"), ">"))
	return t == strings.TrimSpace(links[0].Text)
}

// attribution matches a trailing "— Name" line of a quote.
var attributionRE = regexp.MustCompile(`^\s*(?:—|–|--|~|―)\s*(.+)$`)

func isQuote(s *deck.Slide) bool {
	if s.Title != nil && s.Title.Text != "" {
		return false
	}
	bs := s.Blocks
	if len(bs) == 2 && bs[1].Kind == deck.Paragraph && attributionRE.MatchString(bs[1].Text) {
		bs = bs[:1]
	}
	if len(bs) != 1 {
		return false
	}
	b := bs[0]
	return b.Kind == deck.Quote || b.Kind == deck.Paragraph && (b.Emph || b.Strong) && len(b.Text) <= 200
}

func isImage(s *deck.Slide) bool {
	var img, caption int
	for _, b := range s.Blocks {
		switch {
		case b.ImageOnly() && len(b.Images) == 1 && b.Images[0].Width == 0 && b.Images[0].Height == 0:
			// A sized image ("w:300") asked not to fill the slide.
			img++
		case b.Kind == deck.Paragraph && len(b.Images) == 0 && len(b.Text) <= 160:
			caption++
		default:
			return false
		}
	}
	return img == 1 && caption <= 1
}

func isSection(s *deck.Slide) bool {
	if s.Title == nil || s.Title.Text == "" {
		return false
	}
	if len(s.Blocks) == 0 {
		return true
	}
	return len(s.Blocks) == 1 && s.Blocks[0].Kind == deck.Paragraph && len(s.Blocks[0].Text) <= 120 && len(s.Blocks[0].Images) == 0
}
