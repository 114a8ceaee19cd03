package parse

import (
	"bufio"
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/foil-slides/foil/render/deck"
)

// block converts one block node into the model, rendering its HTML.
func (p *parsing) block(n ast.Node) *deck.Block {
	b := &deck.Block{Pos: p.pos(p.nodeLine(n))}
	if para, ok := n.(*ast.Paragraph); ok {
		// A paragraph is its inline content in <p>, as goldmark writes it:
		// rendered once, not once for the block and again for the model.
		b.Kind = deck.Paragraph
		p.inline(b, para)
		b.HTML = "<p>" + b.Inline + "</p>\n"
		return b
	}
	b.HTML = p.render(n)
	// The model below renders parts of n again: its problems and notes
	// were reported by the render above.
	defer func(m bool) { p.mute = m }(p.mute)
	p.mute = true
	switch n := n.(type) {
	case *ast.Heading:
		b.Kind, b.Level = deck.Heading, n.Level
		if id, ok := n.AttributeString("id"); ok {
			if v, ok := id.([]byte); ok {
				b.ID = string(v)
			}
		}
		p.inline(b, n)
	case *ast.TextBlock:
		b.Kind = deck.Paragraph
		p.inline(b, n)
	case *ast.List:
		b.Kind, b.Ordered = deck.List, n.IsOrdered()
		b.Items = p.items(n)
	case *ast.FencedCodeBlock:
		b.Kind = deck.Code
		b.Lang = string(n.Language(p.src))
		b.Code = p.code(n)
	case *ast.CodeBlock:
		b.Kind = deck.Code
		b.Code = p.code(n)
	case *ast.Blockquote:
		b.Kind = deck.Quote
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			qb := p.block(c)
			b.Blocks = append(b.Blocks, qb)
			if b.Text != "" {
				b.Text += "\n"
			}
			b.Text += qb.Text
		}
	case *east.Table:
		b.Kind = deck.Table
		b.Text = p.plain(n)
	case *ast.HTMLBlock:
		b.Kind = deck.HTMLBlock
	default:
		b.Kind = deck.HTMLBlock
		b.Text = p.plain(n)
	}
	return b
}

func (p *parsing) code(n ast.Node) string {
	var buf bytes.Buffer
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		buf.Write(seg.Value(p.src))
	}
	return buf.String()
}

// render renders a node with its children.
func (p *parsing) render(n ast.Node) template.HTML {
	var buf bytes.Buffer
	if err := p.renderTo(&buf, n); err != nil {
		p.warnf(p.nodeLine(n), "rendering: %v", err)
	}
	return template.HTML(buf.String())
}

// renderTo renders n into buf through one reused buffered writer: goldmark
// wraps any other writer in a new 4 KB bufio.Writer per call, which was 62%
// of all bytes allocated for a 1,000-slide deck (BenchmarkHTML, -memprofile).
func (p *parsing) renderTo(buf *bytes.Buffer, n ast.Node) error {
	if p.bw == nil {
		p.bw = bufio.NewWriterSize(buf, 4096)
	} else {
		p.bw.Reset(buf)
	}
	return p.md.Renderer().Render(p.bw, p.src, n)
}

// inline fills the inline fields of a paragraph or heading block.
func (p *parsing) inline(b *deck.Block, n ast.Node) {
	var buf bytes.Buffer
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if err := p.renderTo(&buf, c); err != nil {
			p.warnf(b.Pos.Line, "rendering: %v", err)
		}
	}
	b.Inline = template.HTML(strings.TrimSpace(buf.String()))
	b.Text = strings.TrimSpace(p.plain(n))
	b.Images, b.Links = p.refs(n)
	// A paragraph that is one strong or emphasis span (ignoring spaces) is a
	// label or a statement.
	var only ast.Node
	count := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok && len(bytes.TrimSpace(t.Segment.Value(p.src))) == 0 {
			continue
		}
		only = c
		count++
	}
	if e, ok := only.(*ast.Emphasis); ok && count == 1 {
		if e.Level >= 2 {
			b.Strong = true
		} else {
			b.Emph = true
		}
	}
}

// refs collects the images and links under n.
func (p *parsing) refs(n ast.Node) (imgs []deck.Image, links []deck.Link) {
	_ = ast.Walk(n, func(m ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch m := m.(type) {
		case *ast.List:
			if m != n {
				return ast.WalkSkipChildren, nil
			}
		case *ast.Image:
			img := deck.Image{Src: string(m.Destination), URL: p.resolved[string(m.Destination)], Title: string(m.Title)}
			img.Alt, img.Width, img.Height = sizes(p.plain(m))
			if isQR(img.Alt) {
				// A QR code is drawn, not loaded: not an image to embed,
				// allow in the CSP, or lay out as a picture.
				return ast.WalkSkipChildren, nil
			}
			imgs = append(imgs, img)
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			links = append(links, deck.Link{URL: string(m.Destination), Text: p.plain(m)})
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			u := string(m.URL(p.src))
			if m.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
				u = "mailto:" + u
			}
			links = append(links, deck.Link{URL: u, Text: string(m.Label(p.src))})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return imgs, links
}

// items converts a list's items.
func (p *parsing) items(l *ast.List) []*deck.Item {
	var out []*deck.Item
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		li, ok := c.(*ast.ListItem)
		if !ok {
			continue
		}
		it := &deck.Item{Pos: p.pos(p.nodeLine(li))}
		var rest bytes.Buffer
		first := true
		for ch := li.FirstChild(); ch != nil; ch = ch.NextSibling() {
			switch ch := ch.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				if first {
					b := &deck.Block{Pos: it.Pos}
					p.inline(b, ch)
					it.Text, it.Inline, it.Links, it.Images = b.Text, b.Inline, b.Links, b.Images
					if cb, ok := ch.FirstChild().(*east.TaskCheckBox); ok {
						checked := cb.IsChecked
						it.Task = &checked
					}
					first = false
					continue
				}
			case *ast.List:
				if it.Items == nil {
					it.Items = p.items(ch)
					continue
				}
			}
			first = false
			rest.WriteString(string(p.render(ch)))
		}
		it.Rest = template.HTML(rest.String())
		out = append(out, it)
	}
	return out
}

// plain returns the text of n without markup: soft line breaks become
// spaces, hard ones "\n"; images contribute nothing (their alt text is not
// content a layout should measure).
func (p *parsing) plain(n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(m ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch m := m.(type) {
		case *ast.Image:
			if m != n {
				return ast.WalkSkipChildren, nil
			}
		case *ast.Text:
			b.Write(m.Segment.Value(p.src))
			if m.HardLineBreak() {
				b.WriteByte('\n')
			} else if m.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(m.Value)
		case *ast.CodeSpan:
			for c := m.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					b.Write(t.Segment.Value(p.src))
				} else if s, ok := c.(*ast.String); ok {
					b.Write(s.Value)
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(m.Label(p.src))
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML, *east.FootnoteLink:
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
			if m != n && b.Len() > 0 {
				b.WriteByte('\n')
			}
		case *east.TableCell:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
