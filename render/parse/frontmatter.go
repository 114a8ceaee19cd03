package parse

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	yast "github.com/goccy/go-yaml/ast"
	yparser "github.com/goccy/go-yaml/parser"

	"github.com/foil-slides/foil/render/deck"
)

// frontMatter is the YAML at the top of a deck. Pointers tell "unset" from
// "false".
type frontMatter struct {
	Title    string `yaml:"title"`
	Subtitle string `yaml:"subtitle"`
	Date     string `yaml:"date"`
	Author   string `yaml:"author"`
	URL      string `yaml:"url"`
	Theme    string `yaml:"theme"`
	Accent   string `yaml:"accent"`
	Aspect   string `yaml:"aspect"`
	Split    int    `yaml:"split"`
	Footer   string `yaml:"footer"`
	Paginate *bool  `yaml:"paginate"`
	Lang     string `yaml:"lang"`
	HTML     *bool  `yaml:"html"`
	Fit      *bool  `yaml:"fit"`
	QR       *bool  `yaml:"qr"`
	Draft    *bool  `yaml:"draft"`
	Slug     string `yaml:"slug"`
}

// FrontMatterKeys lists the front matter keys in the order of the docs.
var FrontMatterKeys = []string{"title", "subtitle", "date", "author", "url", "theme", "accent", "aspect",
	"split", "footer", "paginate", "lang", "html", "fit", "qr", "draft", "slug"}

var (
	yamlKeyRE = regexp.MustCompile(`^[A-Za-z_][\w-]*[ \t]*:`)
	slugRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	langRE    = regexp.MustCompile(`^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$`)
	colorRE   = regexp.MustCompile(`^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(rgb|rgba|hsl|hsla|oklch)\([0-9.,%\s/+-]*\))$`)
)

// frontMatter parses the front matter at the top of src into m and returns
// src with the front matter replaced by blank lines, so that line numbers
// stay those of the file.
func (p *parsing) frontMatter(src []byte, m *deck.Meta) []byte {
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return src
	}
	end := -1
	for i := 1; i < len(p.lines); i++ {
		lineEnd := len(src)
		if i+1 < len(p.lines) {
			lineEnd = p.lines[i+1] - 1
		}
		l := strings.TrimRight(string(src[p.lines[i]:lineEnd]), " \t")
		if l == "---" || l == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		// "---" on the first line is a thematic break unless what follows
		// looks like YAML: then the author forgot the closing line.
		if len(p.lines) > 2 && yamlKeyRE.Match(src[p.lines[1]:p.lines[2]]) {
			p.errorf(1, "front matter is not closed: add a line with --- after it")
		}
		return src
	}
	body := src[p.lines[1]:p.lines[end]]
	p.decodeFrontMatter(body, m)
	rest := len(src)
	if end+1 < len(p.lines) {
		rest = p.lines[end+1]
	}
	out := make([]byte, 0, len(src))
	out = append(out, bytes.Repeat([]byte("\n"), end+1)...)
	out = append(out, src[rest:]...)
	return out
}

// decodeFrontMatter reports every unknown key and every bad value at its
// line; the YAML starts on line 2 of the file.
func (p *parsing) decodeFrontMatter(body []byte, m *deck.Meta) {
	const first = 2
	if len(bytes.TrimSpace(body)) == 0 {
		return
	}
	file, err := yparser.ParseBytes(body, 0)
	if err != nil {
		p.yamlError(err, first)
		return
	}
	keyLine := map[string]int{}
	known := map[string]bool{}
	for _, k := range FrontMatterKeys {
		known[k] = true
	}
	unknown := false
	for _, doc := range file.Docs {
		mapping, ok := doc.Body.(*yast.MappingNode)
		if !ok {
			if doc.Body != nil {
				tok := doc.Body.GetToken()
				p.diags = append(p.diags, &deck.Diag{Pos: deck.Pos{File: p.file, Line: first - 1 + tok.Position.Line, Col: tok.Position.Column},
					Msg: "front matter must be a mapping of keys to values (title: …)"})
				return
			}
			continue
		}
		for _, v := range mapping.Values {
			tok := v.Key.GetToken()
			name := v.Key.String()
			line := first - 1 + tok.Position.Line
			keyLine[name] = line
			if !known[name] {
				unknown = true
				p.diags = append(p.diags, &deck.Diag{Pos: deck.Pos{File: p.file, Line: line},
					Msg: fmt.Sprintf("unknown front matter key %q (known: %s)", name, strings.Join(FrontMatterKeys, ", "))})
			}
		}
	}
	if unknown {
		return
	}
	var fm frontMatter
	if err := yaml.UnmarshalWithOptions(body, &fm); err != nil {
		p.yamlError(err, first)
		return
	}
	bad := func(key, format string, args ...any) {
		p.errorf(keyLine[key], "front matter %s: "+format, append([]any{key}, args...)...)
	}
	// A key that is set, even to "", replaces the default (Options.Defaults
	// may have given one).
	str := func(key string, dst *string, v string) {
		if _, set := keyLine[key]; set {
			*dst = v
		}
	}
	str("title", &m.Title, fm.Title)
	str("subtitle", &m.Subtitle, fm.Subtitle)
	str("author", &m.Author, fm.Author)
	str("url", &m.URL, fm.URL)
	str("footer", &m.Footer, fm.Footer)
	if fm.Date != "" {
		if _, err := time.Parse(time.DateOnly, fm.Date); err != nil {
			bad("date", "%q is not an ISO date like 2023-02-13", fm.Date)
		} else {
			m.Date = fm.Date
		}
	}
	if fm.Theme != "" {
		m.Theme = fm.Theme
	}
	if fm.Accent != "" {
		if !colorRE.MatchString(fm.Accent) {
			bad("accent", "%q is not a CSS colour (use e.g. \"#0b7a75\" in quotes)", fm.Accent)
		} else {
			m.Accent = fm.Accent
		}
	}
	switch fm.Aspect {
	case "":
	case "16:9", "4:3":
		m.Aspect = fm.Aspect
	default:
		bad("aspect", "%q is not supported (use \"16:9\" or \"4:3\", in quotes)", fm.Aspect)
	}
	if _, set := keyLine["split"]; set {
		if fm.Split < 1 || fm.Split > 6 {
			bad("split", "%d is not a heading level 1..6", fm.Split)
		} else {
			m.Split = fm.Split
		}
	}
	if fm.Lang != "" {
		if !langRE.MatchString(fm.Lang) {
			bad("lang", "%q is not a language tag like en or de-DE", fm.Lang)
		} else {
			m.Lang = fm.Lang
		}
	}
	if fm.Slug != "" {
		if !slugRE.MatchString(fm.Slug) {
			bad("slug", "%q: use lower-case letters, digits, '-', '.' and '_'", fm.Slug)
		} else {
			m.Slug = fm.Slug
		}
	}
	setBool(&m.Paginate, fm.Paginate)
	setBool(&m.HTML, fm.HTML)
	setBool(&m.Fit, fm.Fit)
	setBool(&m.QR, fm.QR)
	setBool(&m.Draft, fm.Draft)
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

// yamlError reports a YAML error at its line and column in the file.
func (p *parsing) yamlError(err error, first int) {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		tok := ye.GetToken()
		p.diags = append(p.diags, &deck.Diag{
			Pos: deck.Pos{File: p.file, Line: first - 1 + tok.Position.Line, Col: tok.Position.Column},
			Msg: "invalid front matter: " + ye.GetMessage(),
		})
		return
	}
	p.errorf(first, "invalid front matter: %v", err)
}
