package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foil-slides/foil/layouts"
	"github.com/foil-slides/foil/render"
)

// TestGalleryExamples: every layout's example, in its demo deck, picks
// that layout and renders without a warning (the gallery would refuse it).
func TestGalleryExamples(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "webb.jpg"), string(starfield(64, 36)))
	r, err := render.New(render.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layouts.Builtin() {
		g := demoDeck(l)
		var buf bytes.Buffer
		d, diags, err := r.Build(&buf, l.Name+".md", []byte(g.Deck))
		if err != nil || len(diags) > 0 {
			t.Errorf("%s: %v %v", l.Name, err, diags)
			continue
		}
		if got, _ := r.LayoutOf(d, d.Slides[g.Slide-1]); got != l.Name {
			t.Errorf("the example of layout %s picks %s:\n%s", l.Name, got, l.Example)
		}
	}
}

func TestGallery(t *testing.T) {
	code, _, stderr := run(t, "", "layouts", "--gallery")
	if code != exitUsage || !strings.Contains(stderr, "--gallery needs -o DIR") {
		t.Errorf("--gallery without -o: exit %d, stderr %q", code, stderr)
	}
	needBrowser(t)
	dir := filepath.Join(t.TempDir(), "gallery")
	code, _, stderr = run(t, "", "layouts", "--gallery", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layouts.Builtin() {
		f, err := os.Open(filepath.Join(dir, l.Name+".png"))
		if err != nil {
			t.Error(err)
			continue
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != 1280 || cfg.Height != 720 {
			t.Errorf("%s.png: %dx%d (%v), want 1280x720", l.Name, cfg.Width, cfg.Height, err)
		}
		if _, err := os.Stat(filepath.Join(dir, l.Name+".html")); err != nil {
			t.Error(err)
		}
		if !bytes.Contains(readme, []byte(`<img src="`+l.Name+`.png"`)) || !bytes.Contains(index, []byte(`<img src="`+l.Name+`.png"`)) {
			t.Errorf("README.md or index.html lacks %s.png", l.Name)
		}
		// The Markdown as written: README.md is not HTML-escaped.
		if first, _, _ := strings.Cut(l.Example, "\n"); !bytes.Contains(readme, []byte(first)) {
			t.Errorf("README.md lacks %q", first)
		}
	}
}
