// Package parse turns a Markdown deck into a deck.Deck.
//
// # Deck syntax
//
// A deck is one UTF-8 Markdown file: CommonMark plus GitHub tables,
// strikethrough, task lists and autolinks, footnotes and emoji shortcodes
// (":tada:"). A byte order mark and CRLF line endings are accepted.
//
// Optional YAML front matter between two "---" lines at the very top sets:
//
//	title     deck title (default: text of the first heading)
//	subtitle  shown on the title slide
//	date      ISO date, 2006-01-02: shown on the title slide, sorts decks in a site build
//	author    document metadata
//	url       the deck's web address: shown on the end slide
//	theme     default | dark | path/to/theme.css (relative to the deck)
//	accent    accent colour, any CSS colour ("#0b7a75")
//	aspect    "16:9" (1280x720, default) | "4:3" (960x720)
//	split     headings of level <= split start a new slide (1..6, default 2)
//	footer    text on every slide but the title slide
//	paginate  slide numbers (default true)
//	lang      document language (default en)
//	html      allow all raw HTML (default false: only a safe allowlist)
//	fit       shrink overfull slides to fit (default false)
//	qr        QR codes for links on summary and end slides and ![qr](url) (default true)
//	draft     skip this deck in a site build
//	slug      the deck's folder name in a site build
//
// An unknown key is an error naming its line and the known keys, so a typo
// never passes silently.
//
// # Slides
//
// Every heading of level <= split starts a slide; deeper headings stay in the
// slide as sub-blocks. A thematic break (---, ***, ___) also starts a slide,
// and a break directly followed by a splitting heading is one boundary. An
// empty heading ("#" alone) starts a slide without a title. Splitting is done
// on the syntax tree, so a "# " inside a code fence never splits.
//
// # Directives and notes
//
// An HTML comment of the form <!-- key: value --> with a lower-case key is a
// directive for its slide:
//
//	layout      force a layout: <!-- layout: compare -->
//	class       extra CSS classes: <!-- class: lead -->
//	background  a CSS colour or an image path: <!-- background: "#123" -->
//	paginate    true | false
//	footer      footer text for this slide
//	notes       a one-line speaker note
//	fit         shrink this slide to fit: <!-- fit --> (no value needed)
//
// Marp's spellings _class, _paginate, _footer, _backgroundColor and
// _backgroundImage are accepted too, as are ![bg](image.jpg) for a background
// image and ![w:300](image.png) / ![h:200](...) for image sizes.
// ![qr](https://…) draws a QR code of the URL (inline SVG, sharp in a PDF,
// a link too) anywhere; ![qr w:300](…) sizes it; with qr: false it is a
// plain link.
//
// A lower-case key that is not a directive is a warning (the comment stays
// a note). Every other HTML comment is a speaker note for its slide;
// Markdown works inside.
//
// # What parse does not do
//
// It does no I/O: images are resolved through Options.Resolve, supplied by
// the caller. It does not pick layouts for slides (package render does) and
// does not check layout names, which depend on the user's layout overlay.
//
// Parsing never panics on author input. Raw HTML is sanitised unless allowed;
// nesting deeper than Options.MaxNesting is refused before goldmark sees it,
// because goldmark recurses without a limit.
package parse
