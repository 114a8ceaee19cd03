package parse

import (
	"testing"

	"github.com/foil-slides/foil/render/deck"
)

// TestDefaults: Options.Defaults changes the built-in defaults and the
// deck's own front matter still wins.
func TestDefaults(t *testing.T) {
	defaults := func(m *deck.Meta) { m.Theme, m.Footer, m.Accent = "dark", "site footer", "#123456" }
	tests := []struct {
		name, src             string
		theme, footer, accent string
	}{
		{"inherited", "# Deck\n", "dark", "site footer", "#123456"},
		{"other front matter", "---\ntitle: Own\n---\n# Deck\n", "dark", "site footer", "#123456"},
		{"cleared", "---\nfooter: \"\"\n---\n# Deck\n", "dark", "", "#123456"},
		{"overridden", "---\ntheme: default\nfooter: own\n---\n# Deck\n", "default", "own", "#123456"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, diags := Parse("d.md", []byte(tt.src), Options{Defaults: defaults})
			if len(diags) > 0 {
				t.Fatalf("diags: %v", diags)
			}
			m := d.Meta
			if m.Theme != tt.theme || m.Footer != tt.footer || m.Accent != tt.accent {
				t.Errorf("got theme %q footer %q accent %q, want %q %q %q", m.Theme, m.Footer, m.Accent, tt.theme, tt.footer, tt.accent)
			}
		})
	}
}
