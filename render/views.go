package render

import (
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/foil-slides/foil/render/deck"
)

// view builds the template data of slide s, laid out as layout.
func (r *Renderer) view(d *deck.Deck, s *deck.Slide, layout string, info *DeckInfo) *Slide {
	v := &Slide{
		Number: s.Number, Total: len(d.Slides), Line: s.Pos.Line, Layout: layout,
		Deck: info, Body: joinBlocks(s.Blocks), Lead: joinBlocks(s.Blocks),
		Paginate: d.Meta.Paginate, Footer: d.Meta.Footer,
	}
	if s.Title != nil {
		v.Title, v.TitleTxt, v.Level, v.ID = s.Title.Inline, s.Title.Text, s.Title.Level, s.Title.ID
	}
	if s.Paginate != nil {
		v.Paginate = *s.Paginate
	}
	if s.Footer != nil {
		v.Footer = *s.Footer
	}
	if layout == "title" {
		v.Paginate, v.Footer = false, ""
	}
	var notes strings.Builder
	for _, n := range s.Notes {
		notes.WriteString(string(n.HTML))
	}
	v.Notes = template.HTML(notes.String())
	w, _ := d.Meta.Size()
	classes := append(slices.Clip(s.Classes), fitClasses(s, float64(w)/1280)...)
	if d.Meta.Fit && !s.Fit {
		classes = append(classes, "fit")
	}
	v.Classes = strings.Join(classes, " ")
	if s.Background != "" {
		if strings.HasPrefix(s.Background, "url(") {
			v.Style = template.CSS("background-image:" + s.Background)
		} else {
			v.Style = template.CSS("background:" + s.Background)
		}
	}
	switch layout {
	case "title":
		v.Cover = r.cover(d, s)
		v.Lead = ""
	case "end":
		v.End = r.end(d, s)
		v.Lead = ""
	case "agenda":
		v.Agenda, v.Lead = agendaView(s)
	case "talk":
		v.Talk, v.Lead = talkView(s, info.schedule)
	case "compare":
		v.Compare, v.Lead = compareView(s)
	case "stats":
		v.Stats, v.Lead = statsView(s)
	case "summary":
		v.Summary, v.Lead = r.summaryView(d, s)
	case "columns":
		v.Columns, v.Lead = columnsView(d, s)
	case "quote":
		v.Quote, v.Lead = quoteView(s)
	case "image":
		v.Image, v.Lead = imageView(s)
		// Vector images are logos and diagrams: show all of them rather
		// than cropping to fill the slide.
		if strings.HasPrefix(string(v.Image.URL), "data:image/svg") && !strings.Contains(" "+v.Classes+" ", " cover ") {
			v.Classes = strings.TrimSpace(v.Classes + " contain")
		}
	}
	return v
}

func joinBlocks(bs []*deck.Block) template.HTML {
	var b strings.Builder
	for _, x := range bs {
		b.WriteString(string(x.HTML))
	}
	return template.HTML(b.String())
}

// fitClasses are hints for the CSS to shrink long titles and dense bodies,
// decided here rather than measured in the browser so that HTML, PDF and PNG
// agree without running script.
//
// width is the canvas width relative to 16:9's 1280 px: a 4:3 slide holds
// three quarters of the text per line, so every threshold scales with it.
func fitClasses(s *deck.Slide, width float64) []string {
	var c []string
	scale := func(n int) int { return int(float64(n) * width) }
	if s.Title != nil {
		switch n := len([]rune(s.Title.Text)); {
		case n > scale(70):
			c = append(c, "title-xlong")
		case n > scale(40):
			c = append(c, "title-long")
		}
	}
	chars, lines := 0, 0
	for _, b := range s.Blocks {
		switch b.Kind {
		case deck.List:
			lines += countItems(b.Items)
			chars += itemsLen(b.Items)
		case deck.Code:
			lines += strings.Count(b.Code, "\n")
			chars += len(b.Code) / 2
		case deck.Table:
			lines += strings.Count(string(b.HTML), "<tr")
			chars += len(b.Text)
		default:
			lines += 1 + len(b.Text)/scale(70)
			chars += len(b.Text)
		}
	}
	switch {
	case chars > scale(650) || lines > 12:
		c = append(c, "xdense")
	case chars > scale(380) || lines > 8:
		c = append(c, "dense")
	}
	for _, b := range s.Blocks {
		if b.Kind == deck.List && len(b.Items) >= 8 && itemsLen(b.Items) <= len(b.Items)*scale(40) {
			c = append(c, "cols-2")
			break
		}
	}
	if s.Fit {
		c = append(c, "fit")
	}
	return c
}

// linkOnlyPara reports a paragraph made only of links and separators.
var separatorsRE = regexp.MustCompile(`^[\s/|·•,–—-]*$`)

func linkRow(b *deck.Block) bool {
	if b.Kind != deck.Paragraph || len(b.Links) == 0 {
		return false
	}
	t := b.Text
	for _, l := range b.Links {
		t = strings.Replace(t, l.Text, "", 1)
	}
	return separatorsRE.MatchString(t)
}

// isoDateRE finds a date written on the title slide, with the separator that
// joins it to the rest of its line ("2023-02-13 / Winter Edition").
var isoDateRE = regexp.MustCompile(`^\s*(\d{4}-\d{2}-\d{2})\s*(?:[/|·•,–—-]\s*)?|\s*(?:[/|·•,–—-]\s*)?(\d{4}-\d{2}-\d{2})\s*$`)

func (r *Renderer) cover(d *deck.Deck, s *deck.Slide) *Cover {
	c := &Cover{Date: dateText(d.Meta.Date)}
	sub := d.Meta.Subtitle
	for _, b := range s.Blocks {
		// The date goes to Cover.Date (the layout shows it as a label), the
		// rest of its line stays a line.
		if b.Kind == deck.Paragraph && len(b.Links) == 0 {
			if m := isoDateRE.FindStringSubmatch(string(b.Inline)); m != nil {
				c.Date = dateText(m[1] + m[2])
				rest := strings.TrimSpace(isoDateRE.ReplaceAllString(string(b.Inline), ""))
				if rest != "" {
					if sub != "" && strings.Contains(rest, template.HTMLEscapeString(sub)) {
						sub = ""
					}
					c.Lines = append(c.Lines, template.HTML(rest))
				}
				continue
			}
		}
		switch {
		case linkRow(b):
			for _, l := range b.Links {
				c.Links = append(c.Links, r.link(l, false))
			}
			continue
		case b.Kind == deck.List:
			for _, it := range b.Items {
				c.Lines = append(c.Lines, it.Inline)
			}
			continue
		}
		if b.Kind == deck.Paragraph && sub != "" && strings.Contains(b.Text, sub) {
			sub = ""
		}
		c.Lines = append(c.Lines, inner(b))
	}
	if sub != "" {
		c.Lines = append([]template.HTML{template.HTML(template.HTMLEscapeString(sub))}, c.Lines...)
	}
	return c
}

// inner is a block's inline HTML for paragraphs and headings, its whole HTML
// otherwise.
func inner(b *deck.Block) template.HTML {
	if b.Kind == deck.Paragraph || b.Kind == deck.Heading {
		return b.Inline
	}
	return b.HTML
}

func dateText(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("2 January 2006")
}

func (r *Renderer) end(d *deck.Deck, s *deck.Slide) *End {
	e := &End{}
	var lines strings.Builder
	seen := map[string]bool{}
	add := func(l deck.Link) {
		if !seen[l.URL] {
			seen[l.URL] = true
			e.Links = append(e.Links, r.link(l, d.Meta.QR))
		}
	}
	for _, b := range s.Blocks {
		if linkRow(b) {
			for _, l := range b.Links {
				add(l)
			}
			continue
		}
		if b.Kind == deck.List {
			for _, it := range b.Items {
				for _, l := range it.Links {
					add(l)
				}
			}
		}
		for _, l := range b.Links {
			add(l)
		}
		lines.WriteString(string(b.HTML))
	}
	if len(e.Links) == 0 && d.Meta.URL != "" {
		add(deck.Link{URL: d.Meta.URL, Text: d.Meta.URL})
	}
	e.Lines = template.HTML(lines.String())
	return e
}

// link makes a display link: a short label and, when qr is set (a summary
// or end slide, QR codes on in the front matter), a QR code.
func (r *Renderer) link(l deck.Link, qr bool) Link {
	out := Link{URL: l.URL, Label: shortLabel(l.URL, l.Text)}
	if qr && (strings.HasPrefix(l.URL, "http://") || strings.HasPrefix(l.URL, "https://")) {
		out.QR = QR(l.URL)
	}
	return out
}

// shortLabel shortens a URL for display: no scheme, no "www.", no trailing
// slash, and long paths cut to host/…/last.
func shortLabel(u, text string) string {
	if text != "" && text != u && !strings.Contains(text, "://") {
		return text
	}
	if strings.HasPrefix(u, "mailto:") {
		return strings.TrimPrefix(u, "mailto:")
	}
	pu, err := url.Parse(u)
	if err != nil || pu.Host == "" {
		return u
	}
	host := strings.TrimPrefix(pu.Host, "www.")
	path := strings.Trim(pu.Path, "/")
	label := host
	if path != "" {
		label += "/" + path
	}
	if len(label) > 36 && path != "" {
		parts := strings.Split(path, "/")
		label = host + "/…/" + parts[len(parts)-1]
	}
	return label
}

func agendaView(s *deck.Slide) (*Agenda, template.HTML) {
	list := agendaList(s)
	a := &Agenda{}
	var lead, rest strings.Builder
	after := false
	for _, b := range s.Blocks {
		if b == list {
			after = true
			continue
		}
		if after {
			rest.WriteString(string(b.HTML))
		} else {
			lead.WriteString(string(b.HTML))
		}
	}
	a.Rest = template.HTML(rest.String())
	for _, it := range list.Items {
		ai := &AgendaItem{Text: it.Inline}
		if m := timeRE.FindStringSubmatch(it.Text); m != nil {
			ai.Time = m[1]
			if m[2] != "" {
				ai.Time += "–" + m[2]
			}
			ai.Text = stripPrefix(it.Inline, m[0])
		}
		for _, sub := range it.Items {
			ai.Details = append(ai.Details, sub.Inline)
		}
		if it.Rest != "" {
			ai.Details = append(ai.Details, it.Rest)
		}
		if len(ai.Details) > 0 {
			ai.Text = template.HTML(strings.TrimSuffix(strings.TrimSpace(string(ai.Text)), ":"))
		}
		ai.Kind = agendaKind(it.Text)
		a.Items = append(a.Items, ai)
	}
	return a, template.HTML(lead.String())
}

var (
	breakRE  = regexp.MustCompile(`(?i)\b(break|pause|lunch|coffee)\b`)
	socialRE = regexp.MustCompile(`(?i)\b(networking|drinks|pizza|food|dinner|beer|party|social)\b`)
	talkWord = regexp.MustCompile(`(?i)\b(talk|keynote|session|lightning)\b`)
)

func agendaKind(text string) string {
	switch {
	case talkWord.MatchString(text):
		return "talk"
	case breakRE.MatchString(text):
		return "break"
	case socialRE.MatchString(text):
		return "social"
	}
	return ""
}

// stripPrefix removes the plain-text prefix p from inline HTML h. The prefix
// (a time and a separator) holds no markup in practice; when it does, h is
// returned unchanged rather than cut in the middle of a tag.
func stripPrefix(h template.HTML, p string) template.HTML {
	s := string(h)
	esc := template.HTMLEscapeString(p)
	if strings.HasPrefix(s, esc) {
		return template.HTML(strings.TrimSpace(s[len(esc):]))
	}
	trimmed := strings.TrimSpace(esc)
	if strings.HasPrefix(s, trimmed) {
		return template.HTML(strings.TrimSpace(s[len(trimmed):]))
	}
	return h
}

func talkView(s *deck.Slide, sched []ScheduleItem) (*Talk, template.HTML) {
	tp := talkOf(s)
	if tp == nil { // forced: use what there is
		t := &Talk{}
		if s.Title != nil {
			t.Title = s.Title.Inline
		}
		return t, joinBlocks(s.Blocks)
	}
	t := &Talk{Number: tp.number, Speaker: tp.speaker}
	var parts []string
	for _, b := range tp.titleBlocks {
		parts = append(parts, string(b.Inline))
	}
	t.Title = template.HTML(strings.Join(parts, "<br>"))
	// The agenda knows when the talk is on.
	for _, it := range sched {
		if strings.Contains(strings.ToLower(it.Text), strings.ToLower(tp.number)) {
			t.Time = it.Time
		}
	}
	return t, ""
}

func groupsOf(s *deck.Slide, split int) grouping {
	g := groups(s.Blocks, split)
	if len(g.groups) < 2 {
		if g2 := groups(s.Blocks, 2); len(g2.groups) > len(g.groups) {
			g = g2
		}
	}
	return g
}

func makeGroup(gr group, tone string) *Group {
	g := &Group{Label: gr.label.Inline, LabelTxt: gr.label.Text, Tone: tone, Body: joinBlocks(gr.body)}
	for _, b := range gr.body {
		for _, it := range b.Items {
			h := string(it.Inline)
			if len(it.Items) > 0 {
				h += "<ul>"
				for _, sub := range it.Items {
					h += "<li>" + string(sub.Inline) + "</li>"
				}
				h += "</ul>"
			}
			g.Items = append(g.Items, template.HTML(h))
		}
	}
	return g
}

func compareView(s *deck.Slide) ([]*Group, template.HTML) {
	g := groupsOf(s, 6)
	var out []*Group
	for _, gr := range g.groups {
		out = append(out, makeGroup(gr, Tone(gr.label.Text)))
	}
	if len(out) == 2 && out[0].Tone == "pos" && out[1].Tone == "neg" {
		out[0], out[1] = out[1], out[0]
	}
	return out, joinBlocks(g.lead)
}

func columnsView(d *deck.Deck, s *deck.Slide) ([]*Group, template.HTML) {
	g := groupsOf(s, d.Meta.Split)
	if len(g.groups) == 0 {
		// Forced columns without labels: one column per block.
		var out []*Group
		for _, b := range s.Blocks {
			out = append(out, &Group{Body: b.HTML})
		}
		return out, ""
	}
	var out []*Group
	for _, gr := range g.groups {
		out = append(out, makeGroup(gr, ""))
	}
	return out, joinBlocks(g.lead)
}

func statsView(s *deck.Slide) (*Stats, template.HTML) {
	st := &Stats{}
	var rest strings.Builder
	var lead strings.Builder
	label := ""
	for _, b := range s.Blocks {
		switch {
		case isLabel(b, 2) && b.Kind != deck.List:
			label = b.Text
			continue
		case b.Kind == deck.Paragraph && captionRE.MatchString(strings.TrimSpace(b.Text)):
			st.Caption = strings.Trim(strings.TrimSpace(b.Text), "()")
			continue
		case b.Kind != deck.List:
			if len(st.Figures) == 0 && len(st.Charts) == 0 {
				lead.WriteString(string(b.HTML))
			} else {
				rest.WriteString(string(b.HTML))
			}
			continue
		}
		// A list of percentages only is one chart under its label.
		if pct := percentItems(b.Items); pct != nil && len(pct) >= 2 {
			st.Charts = append(st.Charts, newChart(label, pct))
			label = ""
			continue
		}
		var others []*deck.Item
		for _, it := range b.Items {
			switch {
			case isChart(it.Text):
				m := chartRE.FindStringSubmatch(it.Text)
				st.Charts = append(st.Charts, newChart(strings.TrimSpace(m[1])+noteOf(m[3]), parsePercents(m[2])))
			case isFigure(it.Text):
				st.Figures = append(st.Figures, figure(it))
			case captionRE.MatchString(it.Text):
				st.Caption = strings.Trim(it.Text, "()")
			default:
				others = append(others, it)
			}
		}
		label = ""
		if len(others) > 0 {
			rest.WriteString("<ul>")
			for _, it := range others {
				rest.WriteString("<li>" + string(it.Inline) + "</li>")
			}
			rest.WriteString("</ul>")
		}
	}
	st.Rest = template.HTML(rest.String())
	return st, template.HTML(lead.String())
}

func noteOf(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// percentItems returns the bars of a list whose items are all "N% label".
func percentItems(items []*deck.Item) []*Bar {
	var bars []*Bar
	for _, it := range items {
		m := figureRE.FindStringSubmatch(it.Text)
		if m == nil || m[2] != "%" {
			return nil
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(m[1]), 64)
		if err != nil {
			return nil
		}
		bars = append(bars, &Bar{Value: v, Text: strings.TrimSpace(m[1]) + "%", Label: m[3]})
	}
	return bars
}

func parsePercents(s string) []*Bar {
	var bars []*Bar
	for _, m := range percentRE.FindAllStringSubmatch(s, -1) {
		v, _ := strconv.ParseFloat(m[1], 64)
		bars = append(bars, &Bar{Value: v, Text: m[1] + "%", Label: strings.TrimSpace(m[2])})
	}
	return bars
}

var noteRE = regexp.MustCompile(`^(.*?)\s*\(([^)]*)\)\s*$`)

func newChart(label string, bars []*Bar) *Chart {
	c := &Chart{Label: label, Bars: bars}
	if m := noteRE.FindStringSubmatch(label); m != nil {
		c.Label, c.Note = m[1], m[2]
	}
	c.SVG = chartSVG(c)
	return c
}

func figure(it *deck.Item) *Figure {
	m := figureRE.FindStringSubmatch(it.Text)
	f := &Figure{Value: strings.ReplaceAll(m[1], " ", ""), Unit: m[2]}
	label := m[3]
	if nm := noteRE.FindStringSubmatch(label); nm != nil {
		label, f.Note = nm[1], nm[2]
	}
	f.Label = template.HTML(template.HTMLEscapeString(label))
	return f
}

func (r *Renderer) summaryView(d *deck.Deck, s *deck.Slide) (*Summary, template.HTML) {
	i := summaryLink(s)
	if i < 0 { // forced: the slide's last link, if any
		sm := &Summary{Abstract: joinBlocks(s.Blocks)}
		for _, b := range s.Blocks {
			for _, l := range b.Links {
				sm.Link = r.link(l, d.Meta.QR)
			}
			for _, it := range b.Items {
				for _, l := range it.Links {
					sm.Link = r.link(l, d.Meta.QR)
				}
			}
		}
		return sm, ""
	}
	var abs strings.Builder
	for _, b := range s.Blocks[:i] {
		abs.WriteString(string(b.HTML))
	}
	last := s.Blocks[i]
	sm := &Summary{}
	if last.Kind == deck.Paragraph {
		sm.Link = r.link(last.Links[0], d.Meta.QR)
	} else {
		items := last.Items[:len(last.Items)-1]
		sm.Link = r.link(last.Items[len(last.Items)-1].Links[0], d.Meta.QR)
		if len(items) > 0 {
			tag := "ul"
			if last.Ordered {
				tag = "ol"
			}
			abs.WriteString("<" + tag + ">")
			for _, it := range items {
				abs.WriteString("<li>" + string(it.Inline) + string(subList(it)) + string(it.Rest) + "</li>")
			}
			abs.WriteString("</" + tag + ">")
		}
	}
	sm.Abstract = template.HTML(abs.String())
	return sm, ""
}

func subList(it *deck.Item) template.HTML {
	if len(it.Items) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("<ul>")
	for _, sub := range it.Items {
		b.WriteString("<li>" + string(sub.Inline) + string(subList(sub)) + "</li>")
	}
	b.WriteString("</ul>")
	return template.HTML(b.String())
}

func quoteView(s *deck.Slide) (*Quote, template.HTML) {
	q := &Quote{}
	bs := s.Blocks
	if len(bs) == 0 {
		return q, ""
	}
	if len(bs) >= 2 && bs[len(bs)-1].Kind == deck.Paragraph && attributionRE.MatchString(bs[len(bs)-1].Text) {
		q.By = attributionHTML(bs[len(bs)-1])
		bs = bs[:len(bs)-1]
	}
	b := bs[0]
	if b.Kind == deck.Quote {
		inside := b.Blocks
		if n := len(inside); n >= 2 && inside[n-1].Kind == deck.Paragraph && attributionRE.MatchString(inside[n-1].Text) {
			q.By = attributionHTML(inside[n-1])
			inside = inside[:n-1]
		} else if n == 1 && inside[0].Kind == deck.Paragraph {
			// "text\n— Name" in one paragraph: the last line is the attribution.
			if i := strings.LastIndex(inside[0].Text, "\n"); i >= 0 && attributionRE.MatchString(inside[0].Text[i+1:]) {
				h := string(inside[0].Inline)
				if j := strings.LastIndex(h, "<br>"); j >= 0 {
					q.Text = template.HTML(h[:j])
					q.By = template.HTML(template.HTMLEscapeString(attributionRE.FindStringSubmatch(inside[0].Text[i+1:])[1]))
					return q, ""
				}
			}
		}
		var t strings.Builder
		for _, x := range inside {
			t.WriteString(string(inner(x)))
			if len(inside) > 1 {
				t.WriteString("<br>")
			}
		}
		q.Text = template.HTML(strings.TrimSuffix(t.String(), "<br>"))
	} else {
		q.Text = joinBlocks(bs)
		if len(bs) == 1 {
			q.Text = inner(bs[0])
		}
	}
	return q, ""
}

func attributionHTML(b *deck.Block) template.HTML {
	h := strings.TrimSpace(string(b.Inline))
	for _, p := range []string{"—", "–", "--", "~", "―"} {
		if strings.HasPrefix(h, p) {
			return template.HTML(strings.TrimSpace(h[len(p):]))
		}
	}
	return h2(b.Text)
}

func h2(s string) template.HTML { return template.HTML(template.HTMLEscapeString(s)) }

func imageView(s *deck.Slide) (*Image, template.HTML) {
	im := &Image{}
	for _, b := range s.Blocks {
		if b.ImageOnly() && im.URL == "" {
			img := b.Images[0]
			im.URL = template.URL(img.URL)
			im.Alt = img.Alt
			continue
		}
		if b.Kind == deck.Paragraph && im.Caption == "" {
			im.Caption = b.Inline
		}
	}
	if im.URL == "" {
		for _, b := range s.Blocks {
			if len(b.Images) > 0 {
				im.URL, im.Alt = template.URL(b.Images[0].URL), b.Images[0].Alt
				break
			}
		}
	}
	if im.Caption == "" && s.Title != nil {
		im.Caption = s.Title.Inline
	}
	return im, ""
}

// chartSVG draws a chart's bars as inline SVG, one row per bar: label and
// value on a line, the bar below. One SVG unit is one CSS pixel, so labels
// keep the theme's type size (22 px) instead of shrinking with a viewBox;
// colours and fonts come from the CSS classes.
func chartSVG(c *Chart) template.HTML {
	const (
		w     = 560
		rowH  = 56
		textY = 22
		barY  = 32
		barH  = 14
	)
	h := rowH * len(c.Bars)
	var b strings.Builder
	var aria []string
	for _, bar := range c.Bars {
		aria = append(aria, strings.TrimSpace(bar.Text+" "+bar.Label))
	}
	title := c.Label
	if title != "" {
		title += ": "
	}
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, w, h, w, h,
		template.HTMLEscapeString(title+strings.Join(aria, ", ")))
	for i, bar := range c.Bars {
		v := min(max(bar.Value, 0), 100)
		fmt.Fprintf(&b, `<g class="bar" transform="translate(0 %d)">`, i*rowH)
		fmt.Fprintf(&b, `<text class="bar-label" x="0" y="%d">%s</text>`, textY, template.HTMLEscapeString(bar.Label))
		fmt.Fprintf(&b, `<text class="bar-value" x="%d" y="%d" text-anchor="end">%s</text>`, w, textY, template.HTMLEscapeString(bar.Text))
		fmt.Fprintf(&b, `<rect class="bar-track" x="0" y="%d" width="%d" height="%d" rx="7"/>`, barY, w, barH)
		fmt.Fprintf(&b, `<rect class="bar-fill" x="0" y="%d" width="%s" height="%d" rx="7"/>`, barY, strconv.FormatFloat(w*v/100, 'f', -1, 64), barH)
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

var clockRE = regexp.MustCompile(`(?i)^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])?\.?m?\.?$`)

// minutes converts an agenda time ("19:15", "7.30", "7pm", "7:30 pm") to
// minutes after midnight; ok is false for anything else.
func minutes(t string) (int, bool) {
	m := clockRE.FindStringSubmatch(strings.TrimSpace(t))
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mins := 0
	if m[2] != "" {
		mins, _ = strconv.Atoi(m[2])
	}
	switch strings.ToLower(m[3]) {
	case "p":
		if h < 12 {
			h += 12
		}
	case "a":
		if h == 12 {
			h = 0
		}
	}
	if h > 23 || mins > 59 {
		return 0, false
	}
	return h*60 + mins, true
}

// schedule extracts the first timed agenda of d and links each entry to the
// slide where it starts: the agenda slide for the first entry, a talk card
// whose number the entry names ("Talk 2"), or a slide whose title the entry
// names.
func schedule(d *deck.Deck) []ScheduleItem {
	var agenda *deck.Slide
	var list *deck.Block
	for _, s := range d.Slides {
		if l := agendaList(s); l != nil {
			agenda, list = s, l
			break
		}
	}
	if list == nil {
		return nil
	}
	var out []ScheduleItem
	for i, it := range list.Items {
		m := timeRE.FindStringSubmatch(it.Text)
		if m == nil {
			continue
		}
		mins, ok := minutes(m[1])
		if !ok {
			continue
		}
		text := strings.TrimSuffix(strings.TrimSpace(it.Text[len(m[0]):]), ":")
		item := ScheduleItem{Time: m[1], Minutes: mins, Text: text}
		if i == 0 {
			item.Slide = agenda.Number
		}
		lower := strings.ToLower(text)
		for _, s := range d.Slides {
			if s.Number <= agenda.Number || item.Slide != 0 {
				continue
			}
			if tp := talkOf(s); tp != nil && strings.Contains(lower, strings.ToLower(tp.number)) {
				item.Slide = s.Number
			} else if s.Title != nil && len(s.Title.Text) > 3 && strings.Contains(lower, strings.ToLower(s.Title.Text)) {
				item.Slide = s.Number
			}
		}
		out = append(out, item)
	}
	return out
}
