package render

import (
	"html/template"

	"github.com/foil-slides/foil/render/deck"
)

// The view model: what layout templates receive. Templates never get raw
// Markdown or HTML to re-parse; every field is already escaped or sanitised.
// The model is documented for template authors in package layouts.

// Page is the data of layouts/base.html.
type Page struct {
	Lang        string
	Title       string
	Description string // subtitle or first paragraph, for <meta name=description>
	Meta        deck.Meta
	Width       int // canvas size in CSS px
	Height      int
	Classes     string       // classes for <html>: "theme-default" or "theme-dark" or "theme-custom", "aspect-16-9"/"aspect-4-3"
	CSS         template.CSS // all CSS: framework, theme, code, accent override
	JS          template.JS  // our script
	CSP         string       // Content-Security-Policy, empty when html: true
	Slides      []*Slide
	// Social is what link previews show (Open Graph and Twitter card
	// tags); nil for a deck on its own, set by site builds.
	Social *Social
	// Schedule is the deck's agenda as data for the presenter view's pacing
	// (empty when the deck has no agenda with times).
	Schedule []ScheduleItem
}

// Social describes a deck's page for link previews. URL and Image are
// absolute URLs.
type Social struct {
	Title, Description, URL, Image string
}

// ScheduleItem is one timed agenda entry.
type ScheduleItem struct {
	Time    string `json:"time"`    // as written: "19:15", "7pm"
	Minutes int    `json:"minutes"` // minutes after midnight
	Text    string `json:"text"`    // plain text: "Talk 1 - Maximilian Schaugg"
	Slide   int    `json:"slide"`   // the slide where the item starts (a talk card, the agenda for the first item), 0 when unknown
}

// Slide is the data of one slide template (layouts/slide/NAME.html). The
// section.slide wrapper, notes, footer and page number are written by
// base.html; the slide template writes only the inside of the canvas.
type Slide struct {
	Number   int
	Total    int
	Line     int    // source line
	Layout   string // layout name
	Classes  string // extra classes: directive classes plus fit hints (title-long, title-xlong, dense, xdense, cols-2)
	Style    template.CSS
	ID       string        // the title's id, for links to the slide's heading (#heading-id)
	Title    template.HTML // slide title (inline HTML); empty when none
	TitleTxt string        // slide title as plain text
	Level    int           // heading level of the title
	Lead     template.HTML // content before the layout's structured part (or all content for default)
	Body     template.HTML // all content blocks in order (what default renders)
	Notes    template.HTML // speaker notes, rendered Markdown; empty when none
	Footer   string
	Paginate bool
	Deck     *DeckInfo
	HTML     template.HTML // the layout template's output, for base.html

	// Exactly one of these is set, for the layout of the same name
	// (none for default and section).
	Cover   *Cover
	Agenda  *Agenda
	Talk    *Talk
	Compare []*Group // two groups: the negative side first
	Columns []*Group
	Stats   *Stats
	Summary *Summary
	Quote   *Quote
	Image   *Image
	End     *End
}

// DeckInfo is the deck's metadata as slides see it.
type DeckInfo struct {
	Title, Subtitle, Date, Author, URL string
	DateText                           string // Date formatted for people: "13 February 2023"

	schedule []ScheduleItem // the agenda, found once per deck (talk cards take their time from it)
}

// Link is a link with a short label for display and, on summary and end
// slides, a QR code as inline SVG.
type Link struct {
	URL   string
	Label string // "muc.sre.xyz", "muc@sre.xyz", "usenix.org/…/sinjakli"
	QR    template.HTML
}

// Cover is the title slide: subtitle lines, date and a row of links.
type Cover struct {
	Lines []template.HTML
	Date  string
	Links []Link
}

// Agenda is a timeline.
type Agenda struct {
	Items []*AgendaItem
	Rest  template.HTML // content after the list
}

// AgendaItem is one agenda entry: "19:15 - Talk 1 - Maximilian Schaugg:" with
// the talk title as a nested item becomes Time "19:15", Text "Talk 1 -
// Maximilian Schaugg", Details ["…and now it is yours! …"].
type AgendaItem struct {
	Time    string
	Text    template.HTML
	Details []template.HTML
	Kind    string // "talk", "break", "social" or ""
}

// Talk is a talk card.
type Talk struct {
	Number  string        // "Talk 1"
	Speaker string        // "Maximilian Schaugg"
	Title   template.HTML // the talk's title
	Time    string        // from the agenda, when found
}

// Group is a labelled group of a compare or columns slide.
type Group struct {
	Label    template.HTML
	LabelTxt string
	Tone     string // "neg" (don't, avoid, before, myth, cons), "pos", or "" for neutral
	Items    []template.HTML
	Body     template.HTML // the group's content as rendered blocks (lists included)
}

// Stats are big figures and percentage bar charts.
type Stats struct {
	Figures []*Figure
	Charts  []*Chart
	Caption string        // "n=14"
	Rest    template.HTML // content that is not a figure
}

// Figure is one number with its label: "~540 attendees" is Value "~540",
// Unit "", Label "attendees"; "92% agreed" is Value "92", Unit "%".
type Figure struct {
	Value string
	Unit  string
	Label template.HTML
	Note  string // parenthesised remainder: "(~500 in-person, ~40 virtual)"
}

// Chart is a group of percentages drawn as horizontal bars.
type Chart struct {
	Label string // "Quality of talks"
	Note  string // "rating 1-5"
	Bars  []*Bar
	SVG   template.HTML // the chart as inline SVG
}

// Bar is one bar of a chart.
type Bar struct {
	Value float64 // 0..100
	Text  string  // "35%"
	Label string  // "really good"
}

// Summary is a talk summary: abstract plus the talk's link.
type Summary struct {
	Abstract template.HTML
	Link     Link
}

// Quote is a statement with an optional attribution.
type Quote struct {
	Text template.HTML
	By   template.HTML
}

// Image is a full-bleed image with an optional caption.
type Image struct {
	URL     template.URL // data: URI for local images
	Alt     string
	Caption template.HTML
}

// End is the closing slide.
type End struct {
	Lines template.HTML
	Links []Link
}
