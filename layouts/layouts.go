package layouts

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
)

// builtin holds the page shell, the slide templates and the assets.
//
//go:embed base.html slide css js
var builtin embed.FS

// Set is a loaded set of templates and assets: the built-ins overlaid with a
// user's files. It is immutable after Load and safe for concurrent use.
type Set struct {
	page   *template.Template
	slides map[string]*template.Template // by layout name
	assets map[string][]byte             // by path: "css/foil.css"
	names  []string
}

// Load parses the built-in templates overlaid with overlay (nil: none).
//
// A file in overlay at the same relative path as a built-in one
// ("slide/talk.html", "base.html", "css/dark.css") replaces it; a new
// "slide/NAME.html" adds the layout NAME. A "NAME.html" at the root of overlay
// (other than base.html) is shorthand for "slide/NAME.html", so a deck's
// layouts/ folder may hold its templates without a slide/ subfolder; having
// both is an error. Files in css/ and js/ are assets (see Set.Asset).
//
// Errors read "file:line: message", with file the path inside overlay for an
// overlay file.
func Load(overlay fs.FS) (*Set, error) {
	files, err := collect(overlay)
	if err != nil {
		return nil, err
	}
	s := &Set{slides: map[string]*template.Template{}, assets: map[string][]byte{}}
	var errs []error
	for _, f := range files {
		switch {
		case f.rel == "base.html":
			s.page, err = parse(f)
		case strings.HasPrefix(f.rel, "slide/"):
			name := strings.TrimSuffix(strings.TrimPrefix(f.rel, "slide/"), ".html")
			s.slides[name], err = parse(f)
			s.names = append(s.names, name)
		default:
			s.assets[f.rel] = f.data
			err = nil
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.Sort(s.names)
	return s, nil
}

// file is one template or asset and where it comes from.
type file struct {
	rel  string // path in the set: "slide/talk.html"
	src  string // path in its file system, for errors
	data []byte
}

// collect returns the built-in files overlaid with overlay's, sorted by rel.
func collect(overlay fs.FS) ([]file, error) {
	byRel := map[string]file{}
	if err := walk(builtin, byRel); err != nil {
		return nil, err // cannot happen: embedded
	}
	if overlay != nil {
		user := map[string]file{}
		if err := walk(overlay, user); err != nil {
			return nil, err
		}
		maps.Copy(byRel, user)
	}
	files := slices.Collect(maps.Values(byRel))
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.rel, b.rel) })
	return files, nil
}

// walk reads the set's files in fsys into byRel.
func walk(fsys fs.FS, byRel map[string]file) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reading layouts: %w", err)
		}
		if d.IsDir() {
			return nil
		}
		rel, ok := relPath(p)
		if !ok {
			return nil // not ours: README, images, editor backups
		}
		if prev, dup := byRel[rel]; dup {
			// NAME.html and slide/NAME.html both.
			return fmt.Errorf("%s: layout %q is also defined by %s", p, strings.TrimSuffix(path.Base(rel), ".html"), prev.src)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("reading layouts: %w", err)
		}
		byRel[rel] = file{rel: rel, src: p, data: data}
		return nil
	})
}

// relPath maps a path in a file system to its path in the set, reporting
// whether the file belongs to the set at all.
func relPath(p string) (string, bool) {
	dir, base := path.Split(p)
	switch dir {
	case "":
		if !strings.HasSuffix(base, ".html") || strings.HasPrefix(base, ".") {
			return "", false
		}
		if base == "base.html" {
			return base, true
		}
		return "slide/" + base, true
	case "slide/":
		return p, strings.HasSuffix(base, ".html") && !strings.HasPrefix(base, ".")
	case "css/", "js/":
		return p, !strings.HasPrefix(base, ".")
	}
	return "", false
}

// parse parses one template, named by its path so that slide/talk.html and a
// future partials/talk.html cannot collide (ParseFS names by base name), and
// runs html/template's escaper once so that an escaping error (a template
// ending inside a tag, an action in an unquoted attribute that changes
// context…) is reported at load time instead of on the first slide.
func parse(f file) (*template.Template, error) {
	t, err := template.New(f.rel).Option("missingkey=error").Parse(string(f.data))
	if err != nil {
		return nil, fileError(f, err)
	}
	// Executing with nil data fails on the first field access, after the
	// escaper ran; only the escaper's errors matter here.
	if err := t.Execute(io.Discard, nil); err != nil {
		var e *template.Error
		if errors.As(err, &e) {
			return nil, fileError(f, err)
		}
	}
	return t, nil
}

// fileError rewrites a parse error, "template: slide/talk.html:3: msg", or an
// escaping error as "src:3: msg".
func fileError(f file, err error) error {
	var e *template.Error
	if errors.As(err, &e) {
		// Descriptions dump the escaper's state ("…: {stateURL …}"):
		// drop it, and say what the common ones mean.
		msg, _, _ := strings.Cut(e.Description, ": {")
		switch e.ErrorCode {
		case template.ErrEndContext:
			msg = "template ends inside a tag, attribute or comment (unclosed quote or tag?)"
		case template.ErrBranchEnd:
			msg += " (a tag or quote opened in one branch only?)"
		}
		if e.Line > 0 {
			return fmt.Errorf("%s:%d: %s", f.src, e.Line, msg)
		}
		return fmt.Errorf("%s: %s", f.src, msg)
	}
	msg := strings.TrimPrefix(err.Error(), "template: ")
	if rest, ok := strings.CutPrefix(msg, f.rel+":"); ok {
		if line, rest, ok := strings.Cut(rest, ": "); ok {
			if _, err := strconv.Atoi(line); err == nil {
				return fmt.Errorf("%s:%s: %s", f.src, line, rest)
			}
		}
	}
	return fmt.Errorf("%s: %s", f.src, msg)
}

// Names returns the layout names, built-in and added, sorted.
func (s *Set) Names() []string { return slices.Clone(s.names) }

// Has reports whether the set has a layout called name.
func (s *Set) Has(name string) bool {
	_, ok := s.slides[name]
	return ok
}

// Slide executes the template of layout (slide/LAYOUT.html) with v, normally a
// *render.Slide.
func (s *Set) Slide(w io.Writer, layout string, v any) error {
	t, ok := s.slides[layout]
	if !ok {
		return fmt.Errorf("unknown layout %q (known: %s)", layout, strings.Join(s.names, ", "))
	}
	return execute(w, t, v)
}

// Page executes the page shell (base.html) with v, normally a *render.Page.
func (s *Set) Page(w io.Writer, v any) error { return execute(w, s.page, v) }

// execute runs t into a buffer first so that a failing template writes
// nothing to w.
func execute(w io.Writer, t *template.Template, v any) error {
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "template: "))
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Asset returns the file at path ("css/foil.css", "css/default.css",
// "css/dark.css", "js/foil.js"), the overlay's when it has one. The bytes are
// shared: do not modify them.
func (s *Set) Asset(path string) ([]byte, bool) {
	b, ok := s.assets[path]
	return b, ok
}

// Info describes a built-in layout for `foil layouts`.
type Info struct {
	Name    string
	Summary string // one line
	Example string // Markdown that selects the layout
}

// Builtin returns the built-in layouts in detection order (the order of
// DESIGN §2: the first whose rule matches a slide wins).
func Builtin() []Info { return slices.Clone(builtinInfo) }

var builtinInfo = []Info{
	{"title", "Opening slide: big title, subtitle lines, date and a row of links.",
		"# SRE-MUC Meetup\n\n2023-02-13 / Winter Edition\n\n[muc.sre.xyz](https://muc.sre.xyz) / [muc@sre.xyz](mailto:muc@sre.xyz)\n"},
	{"end", "Closing slide: a big thank-you; its links become QR codes.",
		"# Thanks for coming!\n\nPlease give feedback: <https://muc.sre.xyz/feedback>\n"},
	{"agenda", "Timeline: times in a column, item text, nested items as detail.",
		"# Agenda\n\n- 19:00 - Welcome!\n- 19:15 - Talk 1 - Maximilian Schaugg:\n  - Building reliable platforms\n- 19:45 - Short Break\n"},
	{"talk", "Talk card: \"Talk 1\", the speaker and the talk's title, big.",
		"Talk 1 - Maximilian Schaugg:\n\n...and now it is yours! Building reliable and maintainable platforms\n"},
	{"compare", "Two columns under strong headers: the negative side ✗ red, the positive ✓ green.",
		"## SREs shouldn't do it the Webb way\n\n### Do not!\n\n- Aim for 100% availability\n\n### Do!\n\n- Set SLOs below 100%\n"},
	{"stats", "Big figures with small labels; percentages become bar charts; n=14 a caption.",
		"# Feedback\n\n- Length: 71% spot on, 29% a bit too short\n- 92% agreed to join again\n\nn=14\n"},
	{"summary", "Talk summary: title, abstract, the link as a short label with a QR code.",
		"# Caching Entire Systems without Invalidation\n\n- Caching is simplest with stateless components.\n- <https://www.usenix.org/conference/srecon22emea/presentation/sperl>\n"},
	{"columns", "Neutral cards side by side, one per group.",
		"## SREcon at a glance\n\n### Attendees\n\n- From 30 countries\n- Mostly SREs and platform teams\n\n### Talks\n\n- Three tracks\n- Workshops on day one\n"},
	{"quote", "Large centred statement with an attribution.",
		"#\n\n> Don't just do what everyone else is doing.\n>\n> — Niall Murphy\n"},
	{"image", "Full-bleed image with a caption overlay.",
		"![The Webb telescope](webb.jpg)\n\nJWST at L2\n"},
	{"section", "Divider: a big heading and at most one short paragraph.",
		"# Talk 3\n\nSREcon 2022 EMEA recap\n"},
	{"default", "Heading and content: lists, code, tables, images.",
		"## The Webb \"SRE Strategy\"\n\n- Aim for 100% availability\n- Chaos Engineering as a strategy\n"},
}
