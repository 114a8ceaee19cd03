package main

import (
	"fmt"
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

// buildSource writes a folder with two good decks and, when broken is
// set, one with bad front matter.
func buildSource(t *testing.T, broken bool) string {
	t.Helper()
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "a.md"), "---\ntitle: First\ndate: 2024-01-02\n---\n# First\n\n# Two\n")
	writeFile(t, filepath.Join(src, "b.md"), "---\ntitle: Second\ndate: 2024-02-03\n---\n# Second\n\n# Two\n\n# Three\n")
	writeFile(t, filepath.Join(src, "README.md"), "# Not a deck\n")
	if broken {
		writeFile(t, filepath.Join(src, "broken.md"), "---\ntitle: Broken\nthme: dark\n---\n# Broken\n")
	}
	return src
}

// TestBuildCommand runs foil build in-process with the real browser: plain
// lines per deck when stderr is no terminal, the summary with each failure
// at file:line, exit codes, and a second run that prints nothing.
func TestBuildCommand(t *testing.T) {
	needBrowser(t)
	src := buildSource(t, true)
	out := filepath.Join(t.TempDir(), "site")
	broken := filepath.Join(src, "broken.md")

	code, _, stderr := run(t, "", "build", src, "-o", out)
	if code != exitDeck {
		t.Errorf("exit %d, want %d", code, exitDeck)
	}
	for _, want := range []string{
		"built       2024-01-02-first (" + filepath.Join(src, "a.md") + ", 2 slides, ",
		"built       2024-02-03-second (" + filepath.Join(src, "b.md") + ", 3 slides, ",
		"failed      " + broken + `:3: unknown front matter key "thme"`,
		"foil build: 3 decks: 2 built, 0 up to date, 1 failed in ",
		"; wrote " + filepath.Join(out, "index.html") + "\n",
		"failed:\n  " + broken + `:3: unknown front matter key "thme" (known: `,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, f := range []string{"index.html", "feed.xml", "2024-01-02-first/2024-01-02-first.pdf", "2024-02-03-second/thumb.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("not written: %v", err)
		}
	}

	// Fixed: the two others are up to date, the fixed one is built.
	writeFile(t, broken, "---\ntitle: Broken\ntheme: dark\n---\n# Broken\n")
	code, _, stderr = run(t, "", "build", src, "-o", out)
	if code != exitOK || !strings.Contains(stderr, "foil build: 3 decks: 1 built, 2 up to date in ") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}

	// Nothing to do, quietly.
	code, _, stderr = run(t, "", "build", "-q", src, "-o", out)
	if code != exitOK || stderr != "" {
		t.Errorf("exit %d, stderr %q, want 0 and nothing", code, stderr)
	}

	// A terminal gets a progress bar (mpb) instead of lines; /dev/null
	// is a character device too, enough to run that code.
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	a := &app{stdin: strings.NewReader(""), stdout: null, stderr: null, getenv: func(string) string { return "" }}
	if code := a.main([]string{"build", "--force", src, "-o", out}); code != exitOK {
		t.Errorf("with a progress bar: exit %d", code)
	}
}

// TestBuildNoBrowser: decks that need printing fail, foil exits 3 and
// writes no deck.
func TestBuildNoBrowser(t *testing.T) {
	src := buildSource(t, false)
	out := filepath.Join(t.TempDir(), "site")
	code, _, stderr := run(t, "", "build", src, "-o", out, "--browser", "/nonexistent/chromium")
	if code != exitNoBrowser {
		t.Errorf("exit %d, want %d", code, exitNoBrowser)
	}
	for _, want := range []string{
		"foil: --browser /nonexistent/chromium: not an executable file",
		"failed:\n  " + filepath.Join(src, "a.md") + ": the browser did not start (see above)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if e.IsDir() {
			t.Errorf("%s made", e.Name())
		}
	}
}

// TestBuildInterrupt: Ctrl-C in the middle of a build through the real
// binary leaves every deck folder complete, no staging folder, no
// browser; the next build finishes the rest.
func TestBuildInterrupt(t *testing.T) {
	needBrowser(t)
	bin := buildFoil(t)
	src := t.TempDir()
	deck, err := os.ReadFile("../../testdata/bench/deck-200.md")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		writeFile(t, filepath.Join(src, fmt.Sprintf("d%d.md", i)), fmt.Sprintf("---\ntitle: Deck %d\n---\n", i)+string(deck))
	}
	out := filepath.Join(t.TempDir(), "site")
	p := startFoil(t, bin, "build", src, "-o", out, "-j", "2")
	p.mainChromium(t)
	// Interrupt once the first deck is in: some done, some not.
	waitFor(t, func() bool {
		ents, _ := os.ReadDir(out)
		for _, e := range ents {
			if e.IsDir() && e.Name() != ".foil-tmp" {
				return true
			}
		}
		return false
	})
	p.cmd.Process.Signal(os.Interrupt)
	if code := p.wait(); code != exitDeck {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitDeck, p.stderr.String())
	}
	if !strings.Contains(p.stderr.String(), "foil: interrupted; finished decks are kept, the index is unchanged") {
		t.Errorf("stderr:\n%s", p.stderr.String())
	}
	p.noneLeft(t)
	checkComplete := func() int {
		ents, _ := os.ReadDir(out)
		n := 0
		for _, e := range ents {
			if !e.IsDir() {
				continue
			}
			if e.Name() == ".foil-tmp" {
				t.Errorf(".foil-tmp left")
				continue
			}
			n++
			for _, f := range []string{"index.html", e.Name() + ".pdf", "thumb.png"} {
				if _, err := os.Stat(filepath.Join(out, e.Name(), f)); err != nil {
					t.Errorf("half-built deck: %v", err)
				}
			}
		}
		return n
	}
	done := checkComplete()
	t.Logf("%d of 6 decks done when interrupted; stderr:\n%s", done, p.stderr.String())
	if _, err := os.Stat(filepath.Join(out, "index.html")); err == nil {
		t.Error("an interrupted first build wrote an index")
	}

	p = startFoil(t, bin, "build", src, "-o", out)
	if code := p.wait(); code != exitOK {
		t.Fatalf("second build: exit %d; stderr:\n%s", code, p.stderr.String())
	}
	want := fmt.Sprintf("foil build: 6 decks: %d built, %d up to date in ", 6-done, done)
	if !strings.Contains(p.stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, p.stderr.String())
	}
	if n := checkComplete(); n != 6 {
		t.Errorf("%d decks, want 6", n)
	}
}
