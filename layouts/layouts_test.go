package layouts_test

import (
	"bytes"
	"html/template"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/foil-slides/foil/layouts"
	"github.com/foil-slides/foil/render"
)

var builtinNames = []string{"agenda", "columns", "compare", "default", "end", "image", "quote", "section", "stats", "summary", "talk", "title"}

func TestLoadBuiltin(t *testing.T) {
	s, err := layouts.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Names(); !slices.Equal(got, builtinNames) {
		t.Errorf("Names() = %q, want %q", got, builtinNames)
	}
	for _, name := range builtinNames {
		if !s.Has(name) {
			t.Errorf("Has(%q) = false", name)
		}
	}
	if s.Has("compre") || s.Has("base") {
		t.Errorf("Has reports a layout that does not exist")
	}
	for _, p := range []string{"css/foil.css", "css/default.css", "css/dark.css", "js/foil.js"} {
		if b, ok := s.Asset(p); !ok || len(b) == 0 {
			t.Errorf("Asset(%q) missing", p)
		}
	}
	if _, ok := s.Asset("css/nope.css"); ok {
		t.Errorf("Asset(css/nope.css) found")
	}
}

func TestOverlay(t *testing.T) {
	overlay := fstest.MapFS{
		"slide/talk.html":   {Data: []byte(`<p class="mine">{{.Talk.Speaker}}</p>`)},
		"slide/custom.html": {Data: []byte(`<div class="custom">{{.TitleTxt}}</div>`)},
		"css/dark.css":      {Data: []byte(`:root{--bg:#000}`)},
		"README.md":         {Data: []byte(`not a template`)},
	}
	s, err := layouts.Load(overlay)
	if err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(builtinNames), "custom")
	slices.Sort(want)
	if got := s.Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	tests := []struct {
		name, layout string
		slide        *render.Slide
		want         string
	}{
		{"replaced", "talk", &render.Slide{Talk: &render.Talk{Speaker: "Tal Zwick"}}, `<p class="mine">Tal Zwick</p>`},
		{"added", "custom", &render.Slide{TitleTxt: "A & B"}, `<div class="custom">A &amp; B</div>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := s.Slide(&b, tt.layout, tt.slide); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if b, _ := s.Asset("css/dark.css"); string(b) != ":root{--bg:#000}" {
		t.Errorf("Asset(css/dark.css) = %q, want the overlay's", b)
	}
	if b, _ := s.Asset("css/default.css"); !bytes.Contains(b, []byte("--accent")) {
		t.Errorf("Asset(css/default.css) lost the built-in")
	}
}

// A deck's layouts/ folder may hold NAME.html directly.
func TestOverlayRootShorthand(t *testing.T) {
	s, err := layouts.Load(fstest.MapFS{"talk.html": {Data: []byte(`short`)}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := s.Slide(&b, "talk", &render.Slide{}); err != nil || b.String() != "short" {
		t.Errorf("got %q, %v; want %q", b.String(), err, "short")
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		overlay fstest.MapFS
		want    string
	}{
		{"syntax", fstest.MapFS{"slide/custom.html": {Data: []byte("<h2>{{.Title}}</h2>\n<p>{{.Body}</p>\n")}},
			`slide/custom.html:2: bad character U+007D '}'`},
		{"unclosed action", fstest.MapFS{"base.html": {Data: []byte("<html>\n{{if .CSP}}\n")}},
			`base.html:3: unexpected EOF`},
		{"escaping", fstest.MapFS{"slide/talk.html": {Data: []byte("<p>ok</p>\n<a href=\"{{.Title}}\n")}},
			`slide/talk.html: template ends inside a tag, attribute or comment (unclosed quote or tag?)`},
		{"escaping with line", fstest.MapFS{"slide/talk.html": {Data: []byte("<p>\n{{if .Title}}<a href=\"{{end}}\">x</a>\n")}},
			`slide/talk.html: {{if}} branches end in different contexts (a tag or quote opened in one branch only?)`},
		{"twice", fstest.MapFS{"talk.html": {Data: []byte(`a`)}, "slide/talk.html": {Data: []byte(`b`)}},
			`talk.html: layout "talk" is also defined by slide/talk.html`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := layouts.Load(tt.overlay)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestUnknownLayout(t *testing.T) {
	s, err := layouts.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Slide(&bytes.Buffer{}, "compre", &render.Slide{})
	want := `unknown layout "compre" (known: agenda, columns, compare, default, end, image, quote, section, stats, summary, talk, title)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

func TestBuiltin(t *testing.T) {
	infos := layouts.Builtin()
	order := []string{"title", "end", "agenda", "talk", "compare", "stats", "summary", "columns", "quote", "image", "section", "default"}
	var names []string
	for _, in := range infos {
		names = append(names, in.Name)
		if in.Summary == "" || in.Example == "" {
			t.Errorf("%s: empty summary or example", in.Name)
		}
		if strings.Contains(in.Summary, "\n") {
			t.Errorf("%s: summary is more than one line", in.Name)
		}
	}
	if !slices.Equal(names, order) {
		t.Errorf("Builtin() names = %q, want %q", names, order)
	}
	infos[0].Name = "changed"
	if layouts.Builtin()[0].Name != "title" {
		t.Errorf("Builtin() shares its slice")
	}
}

// Every built-in layout executes on a zero slide, on a zero slide with each
// layout's part present but zero, and on a full one.
func TestSlideZero(t *testing.T) {
	s, err := layouts.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range builtinNames {
		t.Run(name, func(t *testing.T) {
			for _, v := range []*render.Slide{{}, zeroParts(), full()} {
				if err := s.Slide(&bytes.Buffer{}, name, v); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		})
	}
}

// zeroParts has every layout's part set to its zero value.
func zeroParts() *render.Slide {
	return &render.Slide{
		Cover: &render.Cover{}, Agenda: &render.Agenda{}, Talk: &render.Talk{},
		Compare: []*render.Group{{}, {}}, Columns: []*render.Group{{}}, Stats: &render.Stats{Charts: []*render.Chart{{}}, Figures: []*render.Figure{{}}},
		Summary: &render.Summary{}, Quote: &render.Quote{}, Image: &render.Image{}, End: &render.End{Links: []render.Link{{}}},
		Deck: &render.DeckInfo{},
	}
}

func full() *render.Slide {
	link := render.Link{URL: "https://muc.sre.xyz", Label: "muc.sre.xyz", QR: `<svg class="qr-code" viewBox="0 0 21 21"><path d="M0 0h1v1h-1z"/></svg>`}
	return &render.Slide{
		Number: 2, Total: 3, Line: 7, Layout: "x", Classes: "dense", Title: "A <em>title</em>", TitleTxt: "A title",
		Lead: "<p>lead</p>", Body: "<p>body</p>", Notes: "<p>note</p>", Footer: "foot", Paginate: true,
		Deck:    &render.DeckInfo{Title: "Deck"},
		Cover:   &render.Cover{Lines: []template.HTML{"Winter Edition"}, Date: "13 February 2023", Links: []render.Link{link}},
		Agenda:  &render.Agenda{Items: []*render.AgendaItem{{Time: "19:00", Text: "Welcome", Kind: "talk", Details: []template.HTML{"d"}}}, Rest: "<p>r</p>"},
		Talk:    &render.Talk{Number: "Talk 1", Speaker: "Max", Title: "T", Time: "19:15"},
		Compare: []*render.Group{{Label: "Do not!", Tone: "neg", Items: []template.HTML{"x"}}, {Label: "Do!", Tone: "pos", Body: "<ul><li>y</li></ul>"}},
		Columns: []*render.Group{{Label: "A", Items: []template.HTML{"a"}}, {Label: "B", Body: "<p>b</p>"}},
		Stats: &render.Stats{Figures: []*render.Figure{{Value: "92", Unit: "%", Label: "agreed", Note: "n"}},
			Charts:  []*render.Chart{{Label: "L", Note: "N", Bars: []*render.Bar{{Value: 35, Text: "35%", Label: "good"}}}},
			Caption: "n=14", Rest: "<p>r</p>"},
		Summary: &render.Summary{Abstract: "<p>a</p>", Link: link},
		Quote:   &render.Quote{Text: "<p>q</p>", By: "me"},
		Image:   &render.Image{URL: "data:image/png;base64,AA==", Alt: "alt", Caption: "c"},
		End:     &render.End{Lines: "<p>Thanks!</p>", Links: []render.Link{link}},
	}
}

func TestPage(t *testing.T) {
	s, err := layouts.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	var title, talk bytes.Buffer
	t1 := &render.Slide{Number: 1, Layout: "title", Line: 1, Paginate: true, Title: "Deck", Cover: &render.Cover{}}
	t2 := &render.Slide{Number: 2, Layout: "talk", Line: 9, Paginate: true, Footer: "muc.sre.xyz", Classes: "lead", Style: "background-image:url(data:image/png;base64,AA==)", Notes: "<p>n</p>", Talk: &render.Talk{Number: "Talk 1"}}
	if err := s.Slide(&title, "title", t1); err != nil {
		t.Fatal(err)
	}
	if err := s.Slide(&talk, "talk", t2); err != nil {
		t.Fatal(err)
	}
	t1.HTML, t2.HTML = template.HTML(title.String()), template.HTML(talk.String())
	p := &render.Page{Lang: "en", Title: "Deck", Width: 1280, Height: 720, Classes: "theme-default aspect-16-9",
		CSS: "body{}", JS: "var x = 1;", CSP: "default-src 'none'", Slides: []*render.Slide{t1, t2}}
	var b bytes.Buffer
	if err := s.Page(&b, p); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"<!doctype html>\n<html lang=\"en\" class=\"theme-default aspect-16-9\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;\">\n",
		`<meta name="foil:size" content="1280x720">`,
		`<title>Deck</title>`,
		`<style>@page{size:1280px 720px;margin:0}:root{--w:1280px;--h:720px}</style>`,
		`<style>body{}</style>`,
		`<main class="deck">`,
		`<section class="slide layout-title" id="slide-1" data-layout="title" data-line="1">`,
		`<section class="slide layout-talk lead" id="slide-2" data-layout="talk" data-line="9" style="background-image:url(data:image/png;base64,AA==)">`,
		`<footer class="footer">muc.sre.xyz</footer>`,
		`<span class="pageno">2</span>`,
		`<aside class="notes"><p>n</p></aside>`,
		"<script>var x = 1;</script>\n</body>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(got, `<span class="pageno">1</span>`) {
		t.Errorf("page number on the title slide")
	}
	p.CSP = ""
	b.Reset()
	if err := s.Page(&b, p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Content-Security-Policy") {
		t.Errorf("CSP meta without a CSP")
	}
}

// The view model's layout parts and the built-ins agree: every part of
// render.Slide named like a layout has a template.
func TestPartsHaveLayouts(t *testing.T) {
	s, err := layouts.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeFor[render.Slide]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		switch f.Type.Kind() {
		case reflect.Pointer, reflect.Slice:
			if f.Name == "Deck" || f.Type.Elem().Kind() != reflect.Struct && f.Type.Elem().Kind() != reflect.Pointer {
				continue
			}
			name := strings.ToLower(f.Name)
			if name == "cover" {
				name = "title"
			}
			if !s.Has(name) {
				t.Errorf("render.Slide.%s has no layout %q", f.Name, name)
			}
		}
	}
}
