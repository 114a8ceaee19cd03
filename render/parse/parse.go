package parse

import (
	"bufio"
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	emoji "github.com/yuin/goldmark-emoji"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/foil-slides/foil/render/deck"
	"github.com/foil-slides/foil/render/highlight"
)

// Options configure Parse. The zero value is useful: safe HTML, no image
// resolution, default highlighting.
type Options struct {
	// HTML allows all raw HTML, as html: true in the front matter does.
	HTML bool
	// Highlighter highlights fenced code; nil uses highlight.New with defaults.
	Highlighter *highlight.Highlighter
	// Resolve turns an image reference as written in the deck into the URL
	// the HTML uses (a data: URI for a local file). An error becomes a
	// warning at the image's line and the reference is kept as written.
	// nil keeps every reference as written.
	Resolve func(src string) (string, error)
	// QR draws a URL as a QR code for ![qr](https://…); nil (or qr: false in
	// the front matter) writes a plain link instead.
	QR func(url string) template.HTML
	// MaxNesting caps the nesting of lists and block quotes (default 100).
	MaxNesting int
	// Defaults, when set, changes the built-in defaults before the front
	// matter is read: a site build gives every deck its foil.yaml defaults.
	Defaults func(m *deck.Meta)
}

// Parse parses the deck src, named file in positions. It always returns a
// deck (possibly with no slides); problems come back as diagnostics, errors
// and warnings sorted by line.
func Parse(file string, src []byte, o Options) (*deck.Deck, deck.Diags) {
	p := &parsing{file: file, opts: o}
	d := p.parse(src)
	p.diags.Sort()
	return d, p.diags
}

type parsing struct {
	file  string
	opts  Options
	src   []byte
	lines []int // byte offset of the start of each line
	diags deck.Diags
	md    goldmark.Markdown
	bw    *bufio.Writer // reused by renderTo
	html  bool
	qr    bool // QR codes on (front matter qr:)

	// state while rendering one slide
	notes    []deck.Note
	cur      *deck.Slide
	noteLine int               // while a note renders: its line, for every problem inside
	mute     bool              // rendering again what was already rendered: no warnings, no notes
	resolved map[string]string // image reference -> URL used
}

func (p *parsing) errorf(line int, format string, args ...any) {
	p.diags = append(p.diags, &deck.Diag{Pos: deck.Pos{File: p.file, Line: line}, Msg: fmt.Sprintf(format, args...)})
}

func (p *parsing) warnf(line int, format string, args ...any) {
	if p.mute {
		return
	}
	p.diags = append(p.diags, &deck.Diag{Pos: deck.Pos{File: p.file, Line: line}, Msg: fmt.Sprintf(format, args...), Warning: true})
}

func (p *parsing) pos(line int) deck.Pos { return deck.Pos{File: p.file, Line: line} }

// lineAt returns the 1-based line holding byte offset off.
func (p *parsing) lineAt(off int) int {
	return sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off })
}

// nodeLine returns the line of n, looking at its ancestors and children when
// n itself carries no position (goldmark sets positions on most nodes only).
func (p *parsing) nodeLine(n ast.Node) int {
	if p.noteLine > 0 {
		return p.noteLine
	}
	for m := n; m != nil; m = m.Parent() {
		if l, ok := p.ownLine(m); ok {
			return l
		}
		if m.Type() == ast.TypeBlock {
			for c := m.FirstChild(); c != nil; c = c.FirstChild() {
				if l, ok := p.ownLine(c); ok {
					return l
				}
			}
		}
	}
	return 0
}

// ownLine is the line of n when n itself knows where it is.
func (p *parsing) ownLine(n ast.Node) (int, bool) {
	if t, ok := n.(*ast.Text); ok {
		return p.lineAt(t.Segment.Start), true
	}
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return p.lineAt(l.At(0).Start), true
		}
	}
	if off := n.Pos(); off >= 0 {
		return p.lineAt(off), true
	}
	return 0, false
}

func (p *parsing) parse(src []byte) *deck.Deck {
	d := &deck.Deck{File: p.file, Meta: defaultMeta()}
	if p.opts.Defaults != nil {
		p.opts.Defaults(&d.Meta)
	}
	src, ok := p.clean(src)
	if !ok {
		return d
	}
	src = p.frontMatter(src, &d.Meta)
	p.index(src)
	if p.opts.HTML {
		d.Meta.HTML = true
	}
	p.html = d.Meta.HTML
	p.qr = d.Meta.QR
	p.src = src
	if !p.checkNesting(src) {
		return d
	}
	p.md = p.newMarkdown()
	doc := p.md.Parser().Parse(text.NewReader(src))
	p.split(doc, d)
	if d.Meta.Title == "" {
		for _, s := range d.Slides {
			if s.Title != nil && s.Title.Text != "" {
				d.Meta.Title = s.Title.Text
				break
			}
		}
	}
	return d
}

func defaultMeta() deck.Meta {
	return deck.Meta{Theme: "default", Aspect: "16:9", Split: 2, Paginate: true, Lang: "en", QR: true}
}

// clean normalises the input: no BOM, LF line endings, valid UTF-8. Binary
// input is refused.
func (p *parsing) clean(src []byte) ([]byte, bool) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line := bytes.Count(src[:i], []byte("\n")) + 1
		p.errorf(line, "binary data (a NUL byte): a deck is a UTF-8 Markdown text file")
		return nil, false
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	if !utf8.Valid(src) {
		bad := 0
		for i := 0; i < len(src); {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n == 1 {
				bad = i
				break
			}
			i += n
		}
		line := bytes.Count(src[:bad], []byte("\n")) + 1
		p.warnf(line, "invalid UTF-8 replaced with \uFFFD; save the deck as UTF-8")
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	p.index(src)
	return src, true
}

// index records where each line of src starts.
func (p *parsing) index(src []byte) {
	p.lines = p.lines[:0]
	p.lines = append(p.lines, 0)
	for i, c := range src {
		if c == '\n' {
			p.lines = append(p.lines, i+1)
		}
	}
}

// checkNesting refuses lists and quotes nested deeper than the limit before
// goldmark sees them: goldmark recurses without a limit, and a few kilobytes
// of "- - - - …" would otherwise cost time and stack quadratically.
func (p *parsing) checkNesting(src []byte) bool {
	limit := p.opts.MaxNesting
	if limit <= 0 {
		limit = 100
	}
	for ln := 0; ln < len(p.lines); ln++ {
		start := p.lines[ln]
		end := len(src)
		if ln+1 < len(p.lines) {
			end = p.lines[ln+1]
		}
		if depth := nesting(src[start:end], limit); depth > limit {
			p.errorf(ln+1, "nesting deeper than %d levels (lists or block quotes); flatten the structure", limit)
			return false
		}
	}
	return true
}

// nesting estimates how many containers a line opens: two columns of
// indentation or one list marker or ">" each. It stops counting past limit.
func nesting(line []byte, limit int) int {
	depth, cols, i := 0, 0, 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		if line[i] == '\t' {
			cols += 4
		} else {
			cols++
		}
		i++
	}
	depth = cols / 2
	for i < len(line) && depth <= limit {
		switch c := line[i]; {
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
			i += 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				depth++
				i = j + 2
				continue
			}
			return depth
		case c == ' ' || c == '\t':
			i++
		default:
			return depth
		}
	}
	return depth
}

func (p *parsing) newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.Table, extension.Strikethrough, extension.Linkify,
			extension.TaskList, extension.Footnote, emoji.Emoji,
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(
			html.WithUnsafe(), // raw HTML is sanitised by our own renderers below
			renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{p: p}, 100)),
		),
	)
}

var directiveRE = regexp.MustCompile(`^<!--\s*(_?[a-z][a-zA-Z-]*)\s*(?::\s*(.*?))?\s*-->\s*$`)

// knownDirectives maps every accepted directive spelling to its canonical key.
var knownDirectives = map[string]string{
	"layout": "layout", "class": "class", "background": "background", "paginate": "paginate",
	"footer": "footer", "notes": "notes", "fit": "fit",
	"_class": "class", "_paginate": "paginate", "_footer": "footer",
	"_backgroundColor": "background", "_backgroundImage": "background", "_layout": "layout",
}

const directiveList = "layout, class, background, paginate, footer, notes, fit"

// comment handles an HTML comment at line: a directive for the current slide,
// or a speaker note.
func (p *parsing) comment(raw string, line int) {
	raw = strings.TrimSpace(raw)
	if m := directiveRE.FindStringSubmatch(raw); m != nil && !strings.Contains(m[2], "\n") {
		key, val := m[1], unquote(m[2])
		canon, ok := knownDirectives[key]
		hasColon := strings.Contains(raw, ":")
		switch {
		case ok && (hasColon || canon == "fit"):
			p.directive(canon, val, line)
			return
		case !ok && hasColon && key == strings.ToLower(key):
			p.warnf(line, "unknown directive %q (known: %s); the comment is kept as a speaker note", key, directiveList)
		}
	}
	body := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(raw, "<!--"), "-->"))
	if body == "" {
		return
	}
	p.addNote(body, line)
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

func (p *parsing) addNote(md string, line int) {
	var buf bytes.Buffer
	// Notes are Markdown too. While one renders, comments inside it are
	// dropped rather than nested, and problems are reported at the note's line.
	p.noteLine = line
	src := p.src
	err := p.md.Convert([]byte(md), &buf)
	p.src, p.noteLine = src, 0
	if err != nil {
		buf.Reset()
		buf.WriteString(template.HTMLEscapeString(md))
	}
	p.notes = append(p.notes, deck.Note{Pos: p.pos(line), Text: md, HTML: template.HTML(buf.String())})
}

func (p *parsing) directive(key, val string, line int) {
	s := p.cur
	switch key {
	case "layout":
		s.Layout = strings.ToLower(strings.TrimSpace(val))
		s.LayoutPos = p.pos(line)
	case "class":
		s.Classes = append(s.Classes, strings.Fields(val)...)
	case "background":
		s.Background = p.background(val, line)
	case "paginate", "fit":
		b := true
		if val != "" {
			v, err := strconv.ParseBool(val)
			if err != nil {
				p.warnf(line, "%s: want true or false, not %q", key, val)
				return
			}
			b = v
		}
		if key == "fit" {
			s.Fit = b
		} else {
			s.Paginate = &b
		}
	case "footer":
		s.Footer = &val
	case "notes":
		if val != "" {
			p.addNote(val, line)
		}
	}
}

var cssColorRE = regexp.MustCompile(`^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|(rgb|rgba|hsl|hsla|oklch|color-mix)\([0-9a-zA-Z.,%\s/+-]*\)|(linear|radial)-gradient\([#0-9a-zA-Z.,%\s/+()-]*\))$`)

// background turns a background directive's value into CSS: a colour as is,
// anything else as an image reference resolved like other images.
func (p *parsing) background(val string, line int) string {
	val = strings.TrimSpace(val)
	if val == "" {
		return ""
	}
	if cssColorRE.MatchString(val) && !strings.Contains(val, ".") {
		return val
	}
	if strings.HasPrefix(val, "url(") {
		val = strings.Trim(strings.TrimSuffix(strings.TrimPrefix(val, "url("), ")"), `"' `)
	}
	u, ok := p.image(val, line)
	if !ok {
		return ""
	}
	return `url("` + cssEscape(u) + `")`
}

func cssEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '\n' || r == '\r' || r == '(' || r == ')' || r < ' ':
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// image resolves an image reference; ok is false when it must not be used.
func (p *parsing) image(src string, line int) (string, bool) {
	if !safeSrc(src) {
		p.warnf(line, "image %q removed: only local files, data: images and http(s) URLs are allowed", src)
		return "", false
	}
	if p.opts.Resolve == nil || strings.HasPrefix(src, "data:") {
		return src, true
	}
	u, err := p.opts.Resolve(src)
	if err != nil {
		p.warnf(line, "%v", err)
		return src, true
	}
	return u, true
}

// split walks the top-level blocks of doc and cuts them into slides.
func (p *parsing) split(doc ast.Node, d *deck.Deck) {
	splitLevel := d.Meta.Split
	var footnotes ast.Node
	open := func(line int) {
		s := &deck.Slide{Pos: p.pos(line)}
		d.Slides = append(d.Slides, s)
		p.cur = s
	}
	closeCur := func() {
		if p.cur != nil {
			p.cur.Notes = append(p.cur.Notes, p.notes...)
			p.notes = nil
		}
		p.cur = nil
	}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		line := p.nodeLine(n)
		switch n := n.(type) {
		case *ast.ThematicBreak:
			closeCur()
			open(line)
			continue
		case *ast.Heading:
			if n.Level <= splitLevel {
				if p.cur == nil || p.cur.Title != nil || len(p.cur.Blocks) > 0 {
					closeCur()
					open(line)
				}
				p.cur.Pos = p.pos(line)
				p.cur.Title = p.block(n)
				continue
			}
		case *ast.HTMLBlock:
			if raw := string(n.Text(p.src)); isComment(raw) {
				if p.cur == nil {
					open(line)
				}
				p.comment(raw, line)
				continue
			}
		case *east.FootnoteList:
			footnotes = n
			continue
		}
		if p.cur == nil {
			open(line)
		}
		if p.cur.Title == nil && len(p.cur.Blocks) == 0 {
			p.cur.Pos = p.pos(line)
		}
		if para, ok := n.(*ast.Paragraph); ok && p.background0(para, line) {
			continue
		}
		p.cur.Blocks = append(p.cur.Blocks, p.block(n))
	}
	closeCur()
	if footnotes != nil {
		p.placeFootnotes(doc, footnotes, d)
	}
	// Drop slides with nothing on them: two breaks in a row, a trailing
	// break. A slide with only notes or directives is dropped too, with a word.
	kept := d.Slides[:0]
	for _, s := range d.Slides {
		if s.Title == nil && len(s.Blocks) == 0 {
			if len(s.Notes) > 0 || s.Layout != "" || len(s.Classes) > 0 {
				p.warnf(s.Pos.Line, "empty slide skipped (it has notes or directives but no content)")
			}
			continue
		}
		kept = append(kept, s)
	}
	d.Slides = kept
	for i, s := range d.Slides {
		s.Number = i + 1
	}
}

// background0 handles Marp's ![bg](image) paragraphs: the image becomes the
// slide background and the paragraph disappears.
func (p *parsing) background0(para *ast.Paragraph, line int) bool {
	var img *ast.Image
	for c := para.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Image:
			if img != nil {
				return false
			}
			img = c
		case *ast.Text:
			if len(bytes.TrimSpace(c.Segment.Value(p.src))) > 0 {
				return false
			}
		default:
			return false
		}
	}
	if img == nil {
		return false
	}
	alt := strings.Fields(p.plain(img))
	if len(alt) == 0 || alt[0] != "bg" {
		return false
	}
	if u, ok := p.image(string(img.Destination), line); ok {
		p.cur.Background = `url("` + cssEscape(u) + `")`
	}
	return true
}

func isComment(raw string) bool {
	raw = strings.TrimSpace(raw)
	return strings.HasPrefix(raw, "<!--") && strings.HasSuffix(raw, "-->") && strings.Count(raw, "-->") == 1
}

// placeFootnotes puts each footnote on the slide that first refers to it.
func (p *parsing) placeFootnotes(doc, list ast.Node, d *deck.Deck) {
	where := map[int]*deck.Slide{}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		_ = ast.Walk(n, func(m ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			if fl, ok := m.(*east.FootnoteLink); ok {
				if _, seen := where[fl.Index]; !seen {
					where[fl.Index] = p.slideOf(n, d)
				}
			}
			return ast.WalkContinue, nil
		})
	}
	groups := map[*deck.Slide][]ast.Node{}
	var order []*deck.Slide
	for fn := list.FirstChild(); fn != nil; fn = fn.NextSibling() {
		f, ok := fn.(*east.Footnote)
		if !ok {
			continue
		}
		s := where[f.Index]
		if s == nil {
			p.warnf(p.nodeLine(f), "footnote [^%s] is never referred to", f.Ref)
			continue
		}
		if groups[s] == nil {
			order = append(order, s)
		}
		groups[s] = append(groups[s], f)
	}
	for _, s := range order {
		var buf bytes.Buffer
		first := groups[s][0].(*east.Footnote).Index
		fmt.Fprintf(&buf, `<section class="footnotes" role="doc-endnotes"><ol start="%d">`, first)
		for _, f := range groups[s] {
			p.cur = s
			_ = p.renderTo(&buf, f)
		}
		buf.WriteString("</ol></section>")
		s.Blocks = append(s.Blocks, &deck.Block{Kind: deck.Footnotes, Pos: p.pos(p.nodeLine(groups[s][0])), HTML: template.HTML(buf.String())})
		s.Notes = append(s.Notes, p.notes...)
		p.notes = nil
	}
	p.cur = nil
}

// slideOf finds the slide holding the top-level node n by its line.
func (p *parsing) slideOf(n ast.Node, d *deck.Deck) *deck.Slide {
	line := p.nodeLine(n)
	var s *deck.Slide
	for _, c := range d.Slides {
		if c.Pos.Line <= line {
			s = c
		}
	}
	return s
}
