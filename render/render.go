package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/foil-slides/foil/layouts"
	"github.com/foil-slides/foil/render/deck"
	"github.com/foil-slides/foil/render/highlight"
	"github.com/foil-slides/foil/render/parse"
)

// Options configure a Renderer. The zero value renders a deck from the
// current directory with the built-in layouts and safe HTML.
type Options struct {
	// Dir is the deck's folder: images and a theme file are read from it
	// and a layouts/ folder in it overlays the built-in layouts. "" is the
	// current directory.
	Dir string
	// Layouts is a layouts folder to use instead of Dir/layouts.
	Layouts string
	// HTML allows all raw HTML, as html: true in the front matter does.
	HTML bool
	// AllowOutside lets images and themes come from outside Dir.
	AllowOutside bool
	// Social, when set, gives the link-preview tags of a deck's page (site
	// builds set it; nil writes none).
	Social func(d *deck.Deck) *Social
	// Defaults, when set, changes the front matter defaults (see
	// parse.Options.Defaults).
	Defaults func(m *deck.Meta)
}

// A Renderer turns decks into HTML. It is safe for concurrent use.
type Renderer struct {
	opts Options
	set  *layouts.Set
	hl   *highlight.Highlighter

	mu     sync.Mutex
	images map[string]string // resolved file -> data URI
	files  map[string]bool   // every file read for the deck: images, theme, layouts
}

// New makes a Renderer, loading the layouts overlay from Options.Layouts or
// Dir/layouts when it exists.
func New(o Options) (*Renderer, error) {
	r := &Renderer{opts: o, hl: highlight.New(highlight.Options{}), images: map[string]string{}, files: map[string]bool{}}
	dir := o.Layouts
	if dir == "" {
		dir = filepath.Join(o.Dir, "layouts")
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			dir = ""
		}
	} else if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("layouts folder %s: not a readable folder", dir)
	}
	var overlay fs.FS
	if dir != "" {
		overlay = os.DirFS(dir)
		_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				r.files[p] = true
			}
			return nil
		})
	}
	set, err := layouts.Load(overlay)
	if err != nil {
		if dir != "" {
			return nil, fmt.Errorf("loading layouts from %s: %w", dir, err)
		}
		return nil, err
	}
	r.set = set
	return r, nil
}

// Files returns every file the Renderer has read besides decks: images,
// a theme, the layouts overlay. A site build keys its cache on them.
func (r *Renderer) Files() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.files))
	for f := range r.files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Layouts returns the layout set in use.
func (r *Renderer) Layouts() *layouts.Set { return r.set }

// Parse parses a deck, resolving its images against the Renderer's folder.
func (r *Renderer) Parse(file string, src []byte) (*deck.Deck, deck.Diags) {
	return parse.Parse(file, src, parse.Options{HTML: r.opts.HTML, Highlighter: r.hl, Resolve: r.resolve, Defaults: r.opts.Defaults, QR: QR})
}

// Build parses src and writes the deck's HTML to w. It returns the deck and
// every problem found; the HTML is written (and err is nil) unless there are
// errors among the diagnostics.
func (r *Renderer) Build(w io.Writer, file string, src []byte) (*deck.Deck, deck.Diags, error) {
	d, diags := r.Parse(file, src)
	if len(diags.Errors()) > 0 {
		return d, diags, diags.Errors()
	}
	more, err := r.Render(w, d)
	diags = append(diags, more...)
	diags.Sort()
	return d, diags, err
}

// Render writes d as one self-contained HTML page.
func (r *Renderer) Render(w io.Writer, d *deck.Deck) (deck.Diags, error) {
	var diags deck.Diags
	page, err := r.page(d, &diags)
	if err != nil {
		return diags, err
	}
	if errs := diags.Errors(); len(errs) > 0 {
		return diags, errs
	}
	var buf bytes.Buffer
	if err := r.set.Page(&buf, page); err != nil {
		return diags, fmt.Errorf("layout base.html: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return diags, err
}

// LayoutOf returns the layout slide s gets: the forced one when it names a
// known layout, else the detected one. ok is false for an unknown name.
func (r *Renderer) LayoutOf(d *deck.Deck, s *deck.Slide) (name string, ok bool) {
	if s.Layout != "" {
		if r.set.Has(s.Layout) {
			return s.Layout, true
		}
		return Detect(d, s), false
	}
	return Detect(d, s), true
}

func (r *Renderer) page(d *deck.Deck, diags *deck.Diags) (*Page, error) {
	m := d.Meta
	w, h := m.Size()
	p := &Page{Lang: m.Lang, Title: m.Title, Description: m.Subtitle, Meta: m, Width: w, Height: h}
	theme, css, err := r.css(d)
	if err != nil {
		bad := &deck.Diag{Pos: deck.Pos{File: d.File, Line: 1}, Msg: err.Error()}
		*diags = append(*diags, bad)
		return nil, deck.Diags{bad}
	}
	p.CSS = template.CSS(css)
	p.Classes = "theme-" + theme + " aspect-" + strings.ReplaceAll(m.Aspect, ":", "-")
	js := r.js()
	p.JS = template.JS(js)
	p.Schedule = schedule(d)
	info := &DeckInfo{Title: m.Title, Subtitle: m.Subtitle, Date: m.Date, Author: m.Author, URL: m.URL,
		DateText: dateText(m.Date), schedule: p.Schedule}
	var remote []string
	for _, s := range d.Slides {
		layout, ok := r.LayoutOf(d, s)
		if !ok {
			*diags = append(*diags, &deck.Diag{Pos: s.LayoutPos,
				Msg: fmt.Sprintf("unknown layout %q (known: %s)", s.Layout, strings.Join(r.set.Names(), ", "))})
			continue
		}
		v := r.view(d, s, layout, info)
		var buf bytes.Buffer
		if err := r.set.Slide(&buf, layout, v); err != nil {
			*diags = append(*diags, &deck.Diag{Pos: s.Pos, Msg: fmt.Sprintf("layout %s: %v", layout, err)})
			continue
		}
		v.HTML = template.HTML(buf.String())
		p.Slides = append(p.Slides, v)
		remote = append(remote, remoteImages(s)...)
	}
	if !m.HTML {
		p.CSP = csp(string(js), remote)
	}
	if r.opts.Social != nil {
		p.Social = r.opts.Social(d)
	}
	return p, nil
}

// js is the page's script: the deck's runtime, then fit.js, which shrinks
// slides marked fit (see layouts/js/fit.js). The CSP hashes the whole.
func (r *Renderer) js() string {
	main, _ := r.set.Asset("js/foil.js")
	fit, _ := r.set.Asset("js/fit.js")
	return string(main) + "\n" + string(fit)
}

// css assembles the page's stylesheet: the framework, the theme, the code
// colours and the accent override.
func (r *Renderer) css(d *deck.Deck) (theme, css string, err error) {
	var b strings.Builder
	add := func(name string) {
		data, _ := r.set.Asset(name)
		b.Write(data)
		b.WriteByte('\n')
	}
	add("css/foil.css")
	dark := false
	switch t := d.Meta.Theme; t {
	case "", "default":
		theme = "default"
		add("css/default.css")
	case "dark":
		theme, dark = "dark", true
		add("css/dark.css")
	default:
		if !strings.HasSuffix(strings.ToLower(t), ".css") {
			return "", "", fmt.Errorf("unknown theme %q (use default, dark or a path to a .css file)", t)
		}
		data, err := r.readFile(t)
		if err != nil {
			return "", "", fmt.Errorf("theme %s: %w", t, err)
		}
		theme = "custom"
		add("css/default.css")
		if bytes.Contains(bytes.ToLower(data), []byte("url(")) || bytes.Contains(bytes.ToLower(data), []byte("@import")) {
			// A theme may not load anything: url() and @import would
			// reach outside the page. The CSP blocks them anyway.
			return "", "", fmt.Errorf("theme %s: url() and @import are not allowed in a theme (inline images as data: URIs)", t)
		}
		b.Write(data)
		b.WriteByte('\n')
	}
	// Inert unless a handout is printed (html.handout, set by the PDF
	// export); a theme before it may restyle the slides, not the paper.
	add("css/handout.css")
	if err := r.hl.CSS(&b, dark); err != nil {
		return "", "", err
	}
	if a := d.Meta.Accent; a != "" {
		fmt.Fprintf(&b, ":root{--accent:%s}\n", a)
	}
	return theme, b.String(), nil
}

func remoteImages(s *deck.Slide) []string {
	var out []string
	var walk func(bs []*deck.Block)
	walk = func(bs []*deck.Block) {
		for _, b := range bs {
			for _, im := range b.Images {
				if strings.HasPrefix(im.URL, "http://") || strings.HasPrefix(im.URL, "https://") {
					out = append(out, im.URL)
				}
			}
			for _, it := range b.Items {
				for _, im := range it.Images {
					if strings.HasPrefix(im.URL, "http://") || strings.HasPrefix(im.URL, "https://") {
						out = append(out, im.URL)
					}
				}
			}
			walk(b.Blocks)
		}
	}
	walk(s.Blocks)
	return out
}

// csp is the page's Content-Security-Policy: nothing loads but data: URIs,
// inline styles and our one script (by hash), plus the exact remote images
// the deck names (each one was warned about).
func csp(js string, remote []string) string {
	sum := sha256.Sum256([]byte(js))
	img := "data:"
	sort.Strings(remote)
	for i, u := range remote {
		if i > 0 && remote[i-1] == u {
			continue
		}
		img += " " + strings.NewReplacer(";", "%3B", ",", "%2C", " ", "%20", "'", "%27").Replace(u)
	}
	return "default-src 'none'; img-src " + img + "; media-src data:; style-src 'unsafe-inline'; font-src data:; " +
		"script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
}

// ErrOutside is returned for a reference that leaves the deck's folder.
var ErrOutside = errors.New("outside the deck's folder")

// resolve turns an image reference into a data: URI (local files) or keeps
// it (remote URLs, with a warning).
func (r *Renderer) resolve(src string) (string, error) {
	l := strings.ToLower(src)
	if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "//") {
		return src, fmt.Errorf("remote image %s is not embedded: it loads from the network when presenting and is blocked in PDF/PNG unless --allow-remote", src)
	}
	if strings.HasPrefix(l, "file:") {
		return src, fmt.Errorf("image %q: file: URLs are not allowed; use a path relative to the deck", src)
	}
	rel := src
	if u, err := url.Parse(src); err == nil && u.Scheme == "" {
		rel = u.Path
	}
	r.mu.Lock()
	uri, ok := r.images[rel]
	r.mu.Unlock()
	if ok {
		return uri, nil
	}
	data, err := r.readFile(rel)
	if err != nil {
		return src, fmt.Errorf("image %q: %w", src, err)
	}
	typ := mime.TypeByExtension(strings.ToLower(path.Ext(rel)))
	if typ == "" || !strings.HasPrefix(typ, "image/") && !strings.HasPrefix(typ, "video/") {
		typ = http.DetectContentType(data)
	}
	if i := strings.IndexByte(typ, ';'); i >= 0 {
		typ = typ[:i]
	}
	uri = "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(data)
	r.mu.Lock()
	r.images[rel] = uri
	r.mu.Unlock()
	return uri, nil
}

// readFile reads a file named relative to the deck's folder. Unless
// AllowOutside is set, the file must stay inside the folder, symlinks
// included: os.Root refuses every escape.
func (r *Renderer) readFile(rel string) ([]byte, error) {
	dir := r.opts.Dir
	if dir == "" {
		dir = "."
	}
	// Remember the file even when it is missing: creating it changes the
	// deck's output.
	r.mu.Lock()
	r.files[filepath.Join(dir, filepath.FromSlash(rel))] = true
	r.mu.Unlock()
	if r.opts.AllowOutside {
		p := rel
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, rel)
		}
		return os.ReadFile(p)
	}
	clean := filepath.ToSlash(filepath.Clean(filepath.FromSlash(rel)))
	if filepath.IsAbs(rel) || !filepath.IsLocal(filepath.FromSlash(clean)) {
		return nil, fmt.Errorf("%w (use --allow-outside to allow it)", ErrOutside)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.Open(filepath.FromSlash(clean))
	if err != nil {
		var pe *fs.PathError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("no such file in %s", dir)
		case errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes"):
			return nil, fmt.Errorf("%w through a symlink (use --allow-outside to allow it)", ErrOutside)
		}
		return nil, err
	}
	defer f.Close()
	const max = 32 << 20
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if len(data) > max {
		return nil, fmt.Errorf("larger than 32 MB; make it smaller")
	}
	return data, nil
}
