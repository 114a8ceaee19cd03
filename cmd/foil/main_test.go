package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// run runs foil in-process with args and stdin, returning exit code and output.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = a.main(args)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readOnly makes dir unwritable, also for root (chattr +i), and undoes it
// when the test ends.
func readOnly(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
			t.Fatalf("chattr +i: %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
		return
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
}

func TestCLI(t *testing.T) {
	dir := t.TempDir()
	deck := filepath.Join(dir, "deck.md")
	writeFile(t, deck, "# Hello\n\nworld\n\n# Next\n\n- a\n- b\n")
	bad := filepath.Join(dir, "bad.md")
	writeFile(t, bad, "---\nsplt: 2\n---\n# A\n")
	img := filepath.Join(dir, "img.md")
	writeFile(t, img, "# A\n\n![x](missing.png)\n")
	roDir := filepath.Join(dir, "ro")
	os.Mkdir(roDir, 0o755)
	readOnly(t, roDir)

	tests := []struct {
		name      string
		args      []string
		stdin     string
		code      int
		stdout    string // substring
		stderr    string // substring
		wantFiles []string
		noFiles   []string
	}{
		{name: "no args", code: 2, stderr: "Usage:"},
		{name: "help", args: []string{"help"}, code: 0, stdout: "foil html DECK [-o OUT]"},
		{name: "help html", args: []string{"help", "html"}, code: 0, stdout: "--strict"},
		{name: "html -h", args: []string{"html", "-h"}, code: 0, stdout: "Usage: foil html DECK [-o OUT]"},
		{name: "unknown command", args: []string{"htlm"}, code: 2, stderr: `foil: unknown command "htlm" (known: ` + strings.Join(names(), ", ") + ")"},
		{name: "unknown flag", args: []string{"html", "--nope", deck}, code: 2, stderr: "unknown flag: --nope"},
		{name: "no deck", args: []string{"html"}, code: 2, stderr: "foil html: want one deck, got 0"},
		{name: "missing deck", args: []string{"html", filepath.Join(dir, "nope.md")}, code: 1, stderr: "reading deck: open " + filepath.Join(dir, "nope.md") + ": no such file or directory"},
		{name: "default output beside the deck", args: []string{"html", deck}, code: 0, stderr: "wrote " + filepath.Join(dir, "deck.html") + " (2 slides)", wantFiles: []string{filepath.Join(dir, "deck.html")}},
		{name: "quiet", args: []string{"html", "-q", deck, "-o", filepath.Join(dir, "q.html")}, code: 0, wantFiles: []string{filepath.Join(dir, "q.html")}},
		{name: "stdin to stdout", args: []string{"html", "-"}, stdin: "# From stdin\n", code: 0, stdout: `<title>From stdin</title>`},
		{name: "output is the input", args: []string{"html", deck, "-o", deck}, code: 2, stderr: "foil: output " + deck + " is the input deck; choose another -o"},
		{name: "output folder missing", args: []string{"html", deck, "-o", filepath.Join(dir, "nope", "x.html")}, code: 1,
			stderr: "foil: writing " + filepath.Join(dir, "nope", "x.html") + ": folder " + filepath.Join(dir, "nope") + " does not exist"},
		{name: "output folder read-only", args: []string{"html", deck, "-o", filepath.Join(roDir, "x.html")}, code: 1,
			stderr: "foil: writing " + filepath.Join(roDir, "x.html") + ": open " + roDir + "/.x.html.", noFiles: []string{filepath.Join(roDir, "x.html")}},
		{name: "bad front matter", args: []string{"html", bad, "-o", filepath.Join(dir, "bad.html")}, code: 1,
			stderr: bad + `:2: unknown front matter key "splt"`, noFiles: []string{filepath.Join(dir, "bad.html")}},
		{name: "missing image warns", args: []string{"html", img, "-o", filepath.Join(dir, "img.html")}, code: 0,
			stderr: img + `:3: warning: image "missing.png": no such file in ` + dir, wantFiles: []string{filepath.Join(dir, "img.html")}},
		{name: "missing image is an error under --strict", args: []string{"html", "--strict", img, "-o", filepath.Join(dir, "strict.html")}, code: 1,
			stderr: img + `:3: image "missing.png": no such file in ` + dir, noFiles: []string{filepath.Join(dir, "strict.html")}},
		{name: "layouts", args: []string{"layouts"}, code: 0, stdout: "agenda — "},
		{name: "version", args: []string{"version"}, code: 0, stdout: "foil "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout %q lacks %q", truncate(stdout), tt.stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.stderr)
			}
			for _, f := range tt.wantFiles {
				if _, err := os.Stat(f); err != nil {
					t.Errorf("not written: %v", err)
				}
			}
			for _, f := range tt.noFiles {
				if _, err := os.Stat(f); err == nil {
					t.Errorf("%s written", f)
				}
			}
			// No temp files are ever left behind.
			for _, d := range []string{dir, roDir} {
				left, _ := filepath.Glob(filepath.Join(d, ".*.tmp"))
				if len(left) > 0 {
					t.Errorf("temp files left: %v", left)
				}
			}
		})
	}
}

// TestFailureKeepsOutput: a failed render leaves the previous output as it
// was.
func TestFailureKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	deck := filepath.Join(dir, "deck.md")
	out := filepath.Join(dir, "deck.html")
	writeFile(t, out, "previous output")
	writeFile(t, deck, "---\ntitle: [broken\n---\n# A\n")
	if code, _, stderr := run(t, "", "html", deck); code != 1 || !strings.Contains(stderr, deck+":2:8: invalid front matter") {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(out); string(got) != "previous output" {
		t.Errorf("previous output changed: %q", got)
	}
}

// TestExamples renders every example deck through the command.
func TestExamples(t *testing.T) {
	decks, _ := filepath.Glob("../../examples/*.md")
	sub, _ := filepath.Glob("../../examples/*/*.md")
	decks = append(decks, sub...)
	out := t.TempDir()
	n := 0
	for _, d := range decks {
		if filepath.Base(d) == "README.md" {
			continue
		}
		n++
		code, _, stderr := run(t, "", "html", "-q", d, "-o", filepath.Join(out, filepath.Base(d)+".html"))
		if code != 0 || stderr != "" {
			t.Errorf("%s: exit %d, stderr %q", d, code, stderr)
		}
	}
	if n < 4 {
		t.Errorf("only %d example decks", n)
	}
}

func truncate(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
