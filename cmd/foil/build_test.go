package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildUsage: command-line mistakes exit 2 before anything is built.
func TestBuildUsage(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.Mkdir(src, 0o755)
	writeFile(t, filepath.Join(src, "a.md"), "# A\n")
	file := filepath.Join(dir, "file")
	writeFile(t, file, "x")
	out := filepath.Join(dir, "out")
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no source", []string{"build", "-o", out}, "foil build: want one folder of decks, got 0"},
		{"two sources", []string{"build", src, src, "-o", out}, "foil build: want one folder of decks, got 2"},
		{"source is a file", []string{"build", file, "-o", out}, "foil build: " + file + " is not a folder of decks"},
		{"no output", []string{"build", src}, "foil build: no output folder; add -o OUT"},
		{"output is the source", []string{"build", src, "-o", src}, "foil build: -o " + src + " is the source folder; choose another"},
		{"output is a file", []string{"build", src, "-o", file}, "foil build: -o " + file + " is a file, not a folder"},
		{"bad base URL", []string{"build", src, "-o", out, "--base-url", "example.com"}, `foil build: --base-url: base URL "example.com": want an absolute http(s) URL`},
		{"no jobs", []string{"build", src, "-o", out, "-j", "0"}, "foil build: --jobs 0: want at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s made", out)
			}
		})
	}
}
