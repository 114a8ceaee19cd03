package site

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	yast "github.com/goccy/go-yaml/ast"
	yparser "github.com/goccy/go-yaml/parser"

	"github.com/foil-slides/foil/render/deck"
	"github.com/foil-slides/foil/render/parse"
)

// ConfigFile is the site's settings file, looked up in the source folder.
const ConfigFile = "foil.yaml"

// configKeys are the top-level keys of foil.yaml.
var configKeys = []string{"title", "base-url", "defaults"}

// perDeck are front matter keys that make no sense as a default for every
// deck.
var perDeck = []string{"title", "subtitle", "date", "slug", "draft"}

// config is foil.yaml after checking.
type config struct {
	Title   string
	BaseURL string // absolute, ends with "/"; "" when not set
	// defaults are the front matter keys every deck starts from, as the
	// front matter they were checked as (part of the cache key).
	defaults     string
	defaultKeys  []string
	defaultsMeta deck.Meta
}

// apply gives m the defaults of foil.yaml (parse.Options.Defaults).
func (c *config) apply(m *deck.Meta) {
	d := c.defaultsMeta
	for _, k := range c.defaultKeys {
		switch k {
		case "author":
			m.Author = d.Author
		case "url":
			m.URL = d.URL
		case "theme":
			m.Theme = d.Theme
		case "accent":
			m.Accent = d.Accent
		case "aspect":
			m.Aspect = d.Aspect
		case "split":
			m.Split = d.Split
		case "footer":
			m.Footer = d.Footer
		case "paginate":
			m.Paginate = d.Paginate
		case "lang":
			m.Lang = d.Lang
		case "html":
			m.HTML = d.HTML
		case "fit":
			m.Fit = d.Fit
		case "qr":
			m.QR = d.QR
		}
	}
}

// loadConfig reads dir/foil.yaml; a missing file is an empty config.
// Problems read "dir/foil.yaml:line: message".
func loadConfig(dir string) (*config, error) {
	name := filepath.Join(dir, ConfigFile)
	src, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return &config{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	c := &config{}
	if len(bytes.TrimSpace(src)) == 0 {
		return c, nil
	}
	at := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s: "+format, append([]any{deck.Pos{File: name, Line: line}}, args...)...)
	}
	file, err := yparser.ParseBytes(src, 0)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			return nil, at(ye.GetToken().Position.Line, "%s", ye.GetMessage())
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var top *yast.MappingNode
	for _, doc := range file.Docs {
		if doc.Body == nil {
			continue
		}
		m, ok := doc.Body.(*yast.MappingNode)
		if !ok || top != nil {
			return nil, at(doc.Body.GetToken().Position.Line, "want one mapping of keys to values (title: …)")
		}
		top = m
	}
	if top == nil {
		return c, nil
	}
	var defaults *yast.MappingNode
	for _, v := range top.Values {
		key, line := v.Key.String(), v.Key.GetToken().Position.Line
		switch key {
		case "title", "base-url":
			s, ok := v.Value.(*yast.StringNode)
			if !ok {
				return nil, at(line, "%s: want text", key)
			}
			if key == "title" {
				c.Title = s.Value
			} else if c.BaseURL, err = BaseURL(s.Value); err != nil {
				return nil, at(line, "%v", err)
			}
		case "defaults":
			switch n := v.Value.(type) {
			case *yast.MappingNode:
				defaults = n
			case *yast.MappingValueNode:
				defaults = yast.Mapping(n.GetToken(), false, n)
			case *yast.NullNode:
			default:
				return nil, at(line, "defaults: want front matter keys (theme: dark, …)")
			}
		default:
			return nil, at(line, "unknown key %q (known: %s)", key, strings.Join(configKeys, ", "))
		}
	}
	if defaults != nil {
		if err := c.checkDefaults(defaults, at); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// checkDefaults checks the defaults as front matter, through package parse,
// so that they obey exactly the rules of a deck's own front matter.
func (c *config) checkDefaults(defaults *yast.MappingNode, at func(int, string, ...any) error) error {
	var fm strings.Builder
	fm.WriteString("---\n")
	var lines []int // foil.yaml line of each front matter line from 2 on
	for _, v := range defaults.Values {
		key, line := v.Key.String(), v.Key.GetToken().Position.Line
		if slices.Contains(perDeck, key) {
			return at(line, "defaults: %s belongs in each deck's front matter, not in the defaults", key)
		}
		if !slices.Contains(parse.FrontMatterKeys, key) {
			var known []string
			for _, k := range parse.FrontMatterKeys {
				if !slices.Contains(perDeck, k) {
					known = append(known, k)
				}
			}
			return at(line, "defaults: unknown key %q (known: %s)", key, strings.Join(known, ", "))
		}
		val, err := v.Value.MarshalYAML()
		if err != nil || bytes.ContainsRune(bytes.TrimSpace(val), '\n') {
			return at(line, "defaults: %s: want one value on the line", key)
		}
		fmt.Fprintf(&fm, "%s: %s\n", key, bytes.TrimSpace(val))
		lines = append(lines, line)
		c.defaultKeys = append(c.defaultKeys, key)
	}
	fm.WriteString("---\n")
	d, diags := parse.Parse(ConfigFile, []byte(fm.String()), parse.Options{})
	if errs := diags.Errors(); len(errs) > 0 {
		e := errs[0]
		line := 0
		if i := e.Pos.Line - 2; i >= 0 && i < len(lines) {
			line = lines[i]
		}
		return at(line, "defaults: %s", strings.TrimPrefix(e.Msg, "front matter "))
	}
	c.defaults = fm.String()
	c.defaultsMeta = d.Meta
	return nil
}

// BaseURL checks a site's base URL and returns it ending in "/".
func BaseURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q: want an absolute http(s) URL like https://example.com/slides/", s)
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}
