package deck

import (
	"html/template"
	"strconv"
)

// Pos is a position in a deck's source: the file as the user named it, a
// 1-based line (0 when the problem concerns the whole file) and, where known,
// a 1-based column.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats p as "file:line" ("file:line:col" when the column is known),
// or "file" when the line is unknown.
func (p Pos) String() string {
	if p.Line <= 0 {
		return p.File
	}
	s := p.File + ":" + strconv.Itoa(p.Line)
	if p.Col > 0 {
		s += ":" + strconv.Itoa(p.Col)
	}
	return s
}

// Meta is the deck's front matter after defaults are applied.
// The keys and their meaning are documented in package parse.
type Meta struct {
	Title    string
	Subtitle string
	Date     string // ISO date (2006-01-02) or empty
	Author   string
	URL      string
	Theme    string // "default", "dark" or a path to a CSS file, relative to the deck
	Accent   string // CSS colour or empty
	Aspect   string // "16:9" or "4:3"
	Split    int    // headings of level <= Split start a slide (1..6)
	Footer   string
	Paginate bool
	Lang     string
	HTML     bool // raw HTML allowed without sanitising
	Fit      bool // shrink overfull slides (all slides)
	QR       bool // QR codes for links on summary and end slides
	Draft    bool // skipped by site builds
	Slug     string
}

// Size returns the slide canvas in CSS pixels for the deck's aspect.
func (m Meta) Size() (w, h int) {
	if m.Aspect == "4:3" {
		return 960, 720
	}
	return 1280, 720
}

// Deck is a parsed deck.
type Deck struct {
	File   string // the name used in positions
	Meta   Meta
	Slides []*Slide
}

// Slide is one slide. Layout is empty until a layout was forced with a
// directive or detected by the renderer.
type Slide struct {
	Number int // 1-based
	Pos    Pos // where the slide starts: its heading, or its first content

	// Title is the slide's splitting heading, nil when the slide has none.
	// An empty heading ("#" alone) gives a non-nil Title with no text.
	Title *Block

	Layout     string // forced layout name, or "" to detect
	LayoutPos  Pos    // where the layout directive stands
	Classes    []string
	Background string // CSS colour or image reference (resolved data: URI for images)
	Paginate   *bool  // nil: deck default
	Footer     *string
	Fit        bool
	Notes      []Note
	Blocks     []*Block
}

// Note is a speaker note: Markdown from an HTML comment or a notes directive.
type Note struct {
	Pos  Pos
	Text string        // the Markdown source
	HTML template.HTML // rendered
}

// Kind is the kind of a block.
type Kind int

const (
	Paragraph Kind = iota
	Heading
	List
	Code
	Quote
	Table
	HTMLBlock
	Break // a hard boundary inside a slide: not produced by the splitter, kept for completeness
	Footnotes
)

var kindNames = [...]string{"paragraph", "heading", "list", "code", "quote", "table", "html", "break", "footnotes"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Block is one block of a slide's content.
type Block struct {
	Kind Kind
	Pos  Pos

	// HTML is the whole block rendered (the <p>, <ul>, <pre>… element).
	HTML template.HTML
	// Inline is the inline content of a paragraph or heading without the
	// enclosing element; empty for other kinds.
	Inline template.HTML
	// Text is the plain text of the block: inline markup removed, soft line
	// breaks as spaces, hard line breaks as "\n".
	Text string

	Level int    // heading level
	ID    string // heading id, for links

	// Emphasis is set for a paragraph made of exactly one strong ("**x**",
	// Strong=true) or emphasis ("*x*") span: a label or a statement.
	Strong, Emph bool

	Images []Image // images of a paragraph, in order (an image-only paragraph has no Text)
	Links  []Link  // links of a paragraph or heading, in order

	Items   []*Item // list items
	Ordered bool

	Lang string // code: the fence language
	Code string // code: the source

	Blocks []*Block // quote: the quoted blocks
}

// ImageOnly reports whether b is a paragraph holding images and nothing else.
func (b *Block) ImageOnly() bool {
	return b.Kind == Paragraph && len(b.Images) > 0 && b.Text == ""
}

// Item is a list item. Text and Inline come from the item's first paragraph;
// Items is its nested list (the first one), Rest any other content.
type Item struct {
	Pos    Pos
	Text   string
	Inline template.HTML
	Links  []Link
	Images []Image
	Task   *bool // checked state of a task list item
	Items  []*Item
	Rest   template.HTML
}

// Image is an image reference as written (Src) and as it will be used (URL:
// a data: URI for a local image, the original URL for a remote one).
type Image struct {
	Src    string
	URL    string
	Alt    string // without Marp's size keywords
	Title  string
	Width  int // from Marp's "w:300" in the alt text; 0 when not given
	Height int
}

// Link is a link: its destination and its plain text.
type Link struct {
	URL  string
	Text string
}
