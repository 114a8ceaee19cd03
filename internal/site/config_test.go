package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foil-slides/foil/render/deck"
)

func TestSlug(t *testing.T) {
	tests := []struct {
		name, date, title, file, want string
	}{
		{"date and title", "2023-02-13", "SRE-MUC Meetup", "x.md", "2023-02-13-sre-muc-meetup"},
		{"no date", "", "SRE-MUC Meetup", "x.md", "sre-muc-meetup"},
		{"accents", "", "Ana Pérez: Ünïcode — “quoted”", "x.md", "ana-perez-unicode-quoted"},
		{"no letters", "2024-01-02", "🎉 東京", "talks/tokyo-night.md", "2024-01-02-tokyo-night"},
		{"nothing at all", "", "", "🎉.md", "deck"},
		{"date already in file name", "2024-01-02", "", "2024-01-02-meetup.md", "2024-01-02-meetup"},
		{"long", "", "a very long title that goes on and on and on well past sixty characters", "x.md", "a-very-long-title-that-goes-on-and-on-and-on-well-past-sixty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Slug(tt.date, tt.title, tt.file); got != tt.want {
				t.Errorf("Slug(%q, %q, %q) = %q, want %q", tt.date, tt.title, tt.file, got, tt.want)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       string // error, or "" for none
		prefix     bool   // want is the error's start
	}{
		{"empty", "", "", false},
		{"all", "title: Talks\nbase-url: https://example.com/talks\ndefaults:\n  theme: dark\n  accent: \"#0b7a75\"\n  footer: example.com\n  url: https://example.com\n  paginate: false\n", "", false},
		{"unknown key", "title: Talks\ntheme: dark\n", "foil.yaml:2: unknown key \"theme\" (known: title, base-url, defaults)", false},
		{"per deck default", "defaults:\n  theme: dark\n  title: x\n", "foil.yaml:3: defaults: title belongs in each deck's front matter, not in the defaults", false},
		{"unknown default", "defaults:\n  them: dark\n", "foil.yaml:2: defaults: unknown key \"them\" (known: author, url, theme, accent, aspect, split, footer, paginate, lang, html, fit, qr)", false},
		{"bad accent", "defaults:\n  theme: dark\n  accent: \"url(x)\"\n", "foil.yaml:3: defaults: accent: \"url(x)\" is not a CSS colour (use e.g. \"#0b7a75\" in quotes)", false},
		{"bad aspect", "defaults:\n  aspect: 3:2\n", "foil.yaml:2: defaults: aspect: \"3:2\" is not supported (use \"16:9\" or \"4:3\", in quotes)", false},
		{"bad base URL", "base-url: example.com\n", "foil.yaml:1: base URL \"example.com\": want an absolute http(s) URL like https://example.com/slides/", false},
		{"bad YAML", "title: [x\n", "foil.yaml:1: ", true},
		{"not a mapping", "- a\n- b\n", "foil.yaml:1: want one mapping of keys to values (title: …)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := loadConfig(dir)
			got := ""
			if err != nil {
				got = strings.TrimPrefix(err.Error(), dir+string(filepath.Separator))
			}
			if tt.prefix && !strings.HasPrefix(got, tt.want) || !tt.prefix && got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestConfigDefaults: the defaults reach a deck's meta, and its own front
// matter wins.
func TestConfigDefaults(t *testing.T) {
	dir := t.TempDir()
	yaml := "title: Talks\nbase-url: https://example.com/talks\ndefaults:\n  theme: dark\n  footer: example.com\n  paginate: false\n"
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := loadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Talks" || c.BaseURL != "https://example.com/talks/" {
		t.Errorf("got title %q base %q", c.Title, c.BaseURL)
	}
	m := deck.Meta{Theme: "default", Paginate: true, Footer: "", Accent: "red"}
	c.apply(&m)
	if m.Theme != "dark" || m.Footer != "example.com" || m.Paginate || m.Accent != "red" {
		t.Errorf("got %+v", m)
	}
}
