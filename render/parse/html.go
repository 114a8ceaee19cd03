package parse

import (
	"bytes"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/foil-slides/foil/render/highlight"
	"github.com/foil-slides/foil/render/sanitize"
)

// nodeRenderer replaces goldmark's renderers for the nodes where foil
// differs: code (highlighted at build time), links and images (checked,
// resolved, Marp sizes), and raw HTML (comments become notes, the rest is
// sanitised unless the deck allows HTML).
type nodeRenderer struct{ p *parsing }

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.code)
	reg.Register(ast.KindCodeBlock, r.code)
	reg.Register(ast.KindLink, r.link)
	reg.Register(ast.KindImage, r.image)
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
}

func (r *nodeRenderer) highlighter() *highlight.Highlighter {
	p := r.p
	if p.opts.Highlighter == nil {
		p.opts.Highlighter = highlight.New(highlight.Options{})
	}
	return p.opts.Highlighter
}

func (r *nodeRenderer) code(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	var lang string
	var hl []int
	if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
		info := strings.TrimSpace(string(f.Info.Segment.Value(source)))
		lang = string(f.Language(source))
		if i := strings.IndexByte(info, '{'); i >= 0 {
			spec := info[i:]
			if j := strings.IndexByte(spec, '}'); j >= 0 {
				spec = spec[:j+1]
			}
			lines, err := highlight.Lines(spec)
			if err != nil {
				r.p.warnf(r.p.nodeLine(n), "code block line highlight %s: %v", spec, err)
			}
			hl = lines
			if strings.HasPrefix(lang, "{") {
				lang = ""
			}
		}
	}
	var code bytes.Buffer
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		code.Write(seg.Value(source))
	}
	if err := r.highlighter().Code(w, lang, code.String(), hl); err != nil {
		r.p.warnf(r.p.nodeLine(n), "code block not highlighted: %v", err)
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) link(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if entering {
		dest := string(n.Destination)
		_, _ = w.WriteString("<a")
		if sanitize.SafeURL(dest) {
			_, _ = w.WriteString(` href="` + html.EscapeString(dest) + `"`)
			if external(dest) {
				_, _ = w.WriteString(` rel="noopener noreferrer"`)
			}
		} else if !r.p.html {
			r.p.warnf(r.p.nodeLine(n), "link to %q removed: only http(s), mailto, tel and relative links are allowed", truncate(dest, 60))
		} else {
			_, _ = w.WriteString(` href="` + html.EscapeString(dest) + `"`)
		}
		if n.Title != nil {
			_, _ = w.WriteString(` title="` + html.EscapeString(string(n.Title)) + `"`)
		}
		_ = w.WriteByte('>')
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func external(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// safeSrc reports whether an image source may be used at all.
func safeSrc(src string) bool {
	l := strings.ToLower(strings.TrimSpace(src))
	if strings.HasPrefix(l, "data:") {
		return strings.HasPrefix(l, "data:image/")
	}
	return sanitize.SafeURL(src) && !strings.HasPrefix(l, "mailto:") && !strings.HasPrefix(l, "tel:")
}

// image renders an image. The alt text may carry Marp's size keywords
// ("w:300", "h:200", "width:300px"), which become attributes.
func (r *nodeRenderer) image(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	p := r.p
	src := string(n.Destination)
	line := p.nodeLine(n)
	if alt, width, _ := sizes(p.plainIn(n, source)); isQR(alt) {
		r.qrCode(w, src, width, line)
		return ast.WalkSkipChildren, nil
	}
	u, ok := p.image(src, line)
	if p.resolved == nil {
		p.resolved = map[string]string{}
	}
	p.resolved[src] = u
	alt, width, height := sizes(p.plainIn(n, source))
	_, _ = w.WriteString("<img")
	if ok {
		_, _ = w.WriteString(` src="` + html.EscapeString(u) + `"`)
	}
	_, _ = w.WriteString(` alt="` + html.EscapeString(alt) + `"`)
	if n.Title != nil {
		_, _ = w.WriteString(` title="` + html.EscapeString(string(n.Title)) + `"`)
	}
	if width > 0 {
		_, _ = w.WriteString(` width="` + strconv.Itoa(width) + `"`)
	}
	if height > 0 {
		_, _ = w.WriteString(` height="` + strconv.Itoa(height) + `"`)
	}
	_, _ = w.WriteString(">")
	return ast.WalkSkipChildren, nil
}

// isQR reports whether an image's alt text asks for a QR code: ![qr](url).
func isQR(alt string) bool { return strings.EqualFold(alt, "qr") }

// qrCode writes ![qr](url) as a QR code of url that is also a link to it,
// width px wide (0: the stylesheet's --qr), or as a plain link when QR
// codes are off. Nothing is loaded: the code is inline SVG.
func (r *nodeRenderer) qrCode(w util.BufWriter, u string, width, line int) {
	l := strings.ToLower(u)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "mailto:") && !strings.HasPrefix(l, "tel:") {
		r.p.warnf(line, "QR code for %q removed: only http(s), mailto and tel URLs are allowed", truncate(u, 60))
		return
	}
	href := html.EscapeString(u)
	var svg template.HTML
	if r.p.qr && r.p.opts.QR != nil {
		svg = r.p.opts.QR(u)
	}
	if svg == "" {
		_, _ = w.WriteString(`<a href="` + href + `" rel="noopener noreferrer">` + html.EscapeString(u) + `</a>`)
		return
	}
	style := "display:inline-block;vertical-align:middle"
	if width > 0 {
		style += ";--qr:" + strconv.Itoa(width) + "px"
	}
	_, _ = w.WriteString(`<a class="qr-tile qr-code" href="` + href + `" rel="noopener noreferrer" style="` + style + `">` + string(svg) + `</a>`)
}

// plainIn is plain for nodes of another source (a note being rendered).
func (p *parsing) plainIn(n ast.Node, source []byte) string {
	saved := p.src
	p.src = source
	s := p.plain(n)
	p.src = saved
	return s
}

// sizes splits Marp's size keywords ("w:300", "h:200", "width:300px") off
// an image's alt text.
func sizes(altText string) (alt string, width, height int) {
	var words []string
	for _, f := range strings.Fields(altText) {
		k, v, found := strings.Cut(f, ":")
		n, err := strconv.Atoi(strings.TrimSuffix(v, "px"))
		ok := found && err == nil && n > 0 && n < 10000
		switch {
		case ok && (k == "w" || k == "width"):
			width = n
		case ok && (k == "h" || k == "height"):
			height = n
		default:
			words = append(words, f)
		}
	}
	return strings.Join(words, " "), width, height
}

func (r *nodeRenderer) rawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	var raw bytes.Buffer
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		raw.Write(seg.Value(source))
	}
	r.raw(w, raw.String(), r.p.nodeLine(n))
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) htmlBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.HTMLBlock)
	var raw bytes.Buffer
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		raw.Write(seg.Value(source))
	}
	if n.HasClosure() {
		raw.Write(n.ClosureLine.Value(source))
	}
	r.raw(w, raw.String(), r.p.nodeLine(n))
	return ast.WalkSkipChildren, nil
}

// raw writes a piece of raw HTML: a comment becomes a note of the current
// slide (or is dropped inside a note), anything else is sanitised unless the
// deck allows HTML.
func (r *nodeRenderer) raw(w util.BufWriter, s string, line int) {
	p := r.p
	if isComment(s) {
		if p.noteLine == 0 && p.cur != nil && !p.mute {
			p.comment(s, line)
		}
		return
	}
	if p.html {
		_, _ = w.WriteString(s)
		return
	}
	out, removed := sanitize.HTML(s, sanitize.Policy{URL: func(src string) (string, bool) {
		return p.image(src, line)
	}})
	for _, m := range removed {
		p.warnf(line, "raw HTML: %s (set html: true in the front matter for decks you trust)", m)
	}
	_, _ = w.WriteString(out)
}
