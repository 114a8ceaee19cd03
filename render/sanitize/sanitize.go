package sanitize

import (
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
)

// Policy adjusts HTML for one deck. The zero value keeps the allowlist's defaults.
type Policy struct {
	// URL rewrites or validates a src or poster URL (img, video, source); it returns the
	// new value, or ok=false to drop the attribute. The caller uses it to inline local
	// images as data: URIs and warns itself when it drops one, so HTML adds no message.
	// It is called only with URLs that already passed the scheme check, and its result is
	// checked again. nil keeps relative, http(s) and data:image|video|audio URLs as they are.
	URL func(src string) (string, bool)
}

// HTML returns s, one piece of raw HTML from a deck, with everything outside the
// allowlist removed, and one human message per kind of removal (for example
// "<script> element removed", "onclick attribute removed", "javascript: URL removed",
// "unsupported tag <marquee> removed (its text is kept)"), deduplicated, in order of
// first occurrence.
//
// Disallowed elements that can carry active or hidden content (script, style, iframe,
// object, svg, math, form controls, template, ...) are dropped with their content;
// other unknown elements lose only their tags. Comments, doctypes and processing
// instructions are dropped silently. s need not be balanced: a lone "</span>" stays,
// and a lone "<script>" or "<svg>" drops everything after it in s.
func HTML(s string, p Policy) (string, []string) {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	c := cleaner{policy: p}
	c.out.Grow(len(s))
	// skip is the element being dropped with its content, depth its nesting.
	skip, depth := "", 0
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			// io.EOF: the tokenizer has no buffer limit set, so no other error occurs.
			// A tag cut off by the end of s is dropped: it was never complete.
			break
		}
		tok := z.Token()
		if skip != "" {
			switch {
			case tt == xhtml.StartTagToken && tok.Data == skip:
				depth++
			case tt == xhtml.EndTagToken && tok.Data == skip:
				if depth--; depth == 0 {
					skip = ""
				}
			}
			continue
		}
		switch tt {
		case xhtml.TextToken:
			c.out.WriteString(escape(tok.Data))
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			switch name := tok.Data; {
			case allowedElement(name):
				c.start(tok)
			case droppedElement(name):
				c.note("<%s> element removed", name)
				// A self-closed or void element has no content to skip; skipping after it
				// would swallow the rest of the piece.
				if tt == xhtml.StartTagToken && !voidElement(name) {
					skip, depth = name, 1
				}
			default:
				c.note("unsupported tag <%s> removed (its text is kept)", printable(name))
			}
		case xhtml.EndTagToken:
			switch name := tok.Data; {
			case allowedElement(name):
				// "</br>" and friends mean nothing (or, to a browser, a new <br>); drop them.
				if !voidElement(name) {
					c.out.WriteString("</" + name + ">")
				}
			case droppedElement(name):
				c.note("<%s> element removed", name)
			default:
				c.note("unsupported tag <%s> removed (its text is kept)", printable(name))
			}
		case xhtml.CommentToken, xhtml.DoctypeToken:
			// goldmark passes comments as raw HTML too; they are not content.
		}
	}
	return c.out.String(), c.msgs
}

// cleaner accumulates one call's output and messages.
type cleaner struct {
	policy Policy
	out    strings.Builder
	msgs   []string
	seen   map[string]bool
}

func (c *cleaner) note(format string, args ...any) {
	m := fmt.Sprintf(format, args...)
	if c.seen[m] {
		return
	}
	if c.seen == nil {
		c.seen = make(map[string]bool)
	}
	c.seen[m] = true
	c.msgs = append(c.msgs, m)
}

// start writes an allowed start tag with its allowed attributes, every value escaped.
// A self-closing slash is not kept: HTML ignores it on non-void elements anyway.
func (c *cleaner) start(tok xhtml.Token) {
	c.out.WriteString("<" + tok.Data)
	for i, a := range tok.Attr {
		// Browsers keep the first of duplicate attributes; so do we, silently, so that
		// a second, unchecked copy can never be the one that counts.
		if duplicate(tok.Attr[:i], a.Key) {
			continue
		}
		v, ok := c.attr(tok.Data, a.Key, a.Val)
		if !ok {
			continue
		}
		c.out.WriteString(" " + a.Key)
		if v != "" {
			c.out.WriteString(`="` + escape(v) + `"`)
		}
	}
	c.out.WriteString(">")
}

func duplicate(before []xhtml.Attribute, key string) bool {
	for _, b := range before {
		if b.Key == key {
			return true
		}
	}
	return false
}

// attr decides one attribute of an allowed element: the value to write, or false to
// drop it (with a message, except when Policy.URL said no).
func (c *cleaner) attr(elem, key, val string) (string, bool) {
	switch {
	case allowedAttr(key):
		return val, true
	case key == "type" && elem == "source":
		return val, true
	case key == "href" && elem == "a":
		if !SafeURL(val) {
			c.note("%s URL removed", schemeLabel(val))
			return "", false
		}
		return val, true
	case key == "src" && (elem == "img" || elem == "video" || elem == "source"),
		key == "poster" && elem == "video":
		return c.src(val)
	}
	// on* handlers, style (CSS can load url()), srcset (would bypass Policy.URL),
	// target, data-*, xlink:href and anything else not named above.
	c.note("%s attribute removed", printable(key))
	return "", false
}

func (c *cleaner) src(val string) (string, bool) {
	if !safeSrc(val) {
		c.note("%s URL removed", schemeLabel(val))
		return "", false
	}
	if c.policy.URL == nil {
		return val, true
	}
	v, ok := c.policy.URL(val)
	if !ok {
		return "", false
	}
	if !safeSrc(v) {
		c.note("%s URL removed", schemeLabel(v))
		return "", false
	}
	return v, true
}

// escape escapes text or an attribute value for output. A carriage return (which
// reaches us only from "&#13;", as the tokenizer turns raw ones into newlines) stays a
// reference, so that the output reads the same when tokenised again. NUL, which
// browsers drop or replace anyway, becomes U+FFFD.
func escape(s string) string {
	s = html.EscapeString(s)
	s = strings.ReplaceAll(s, "\r", "&#13;")
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

// printable makes an author-supplied name safe to show in a message on a terminal:
// at most 40 characters, control and invalid characters replaced.
func printable(s string) string {
	const max = 40
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// allowedElement: the elements kept, with their allowed attributes.
func allowedElement(name string) bool {
	switch name {
	case "br", "sub", "sup", "kbd", "mark", "small", "abbr", "b", "i", "em", "strong",
		"u", "s", "del", "ins", "code", "span", "div", "p", "img", "video", "source",
		"figure", "figcaption", "details", "summary", "ul", "ol", "li", "a", "hr",
		"table", "thead", "tbody", "tr", "th", "td", "blockquote", "pre":
		return true
	}
	return false
}

// droppedElement: elements removed together with their content, because the content
// is code, styles, a nested document, form plumbing or foreign markup (svg, math)
// that parses by other rules, not text meant for the slide.
func droppedElement(name string) bool {
	switch name {
	case "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
		"link", "meta", "base", "form", "input", "button", "textarea", "select", "svg",
		"math", "template", "noscript", "title", "xmp", "noembed", "noframes",
		"plaintext", "portal":
		return true
	}
	return false
}

// voidElement: elements with no content or end tag, among those named above.
func voidElement(name string) bool {
	switch name {
	case "br", "img", "source", "hr", "embed", "link", "meta", "base", "input", "frame":
		return true
	}
	return false
}

// allowedAttr: attributes allowed on any allowed element. None of them holds a URL
// or script; href, src, poster and type are checked per element in attr.
func allowedAttr(key string) bool {
	switch key {
	case "class", "title", "lang", "dir", "id", "alt", "width", "height", "controls",
		"loop", "muted", "autoplay", "playsinline", "colspan", "rowspan", "start", "open":
		return true
	}
	return false
}
