package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPDFHandout(t *testing.T) {
	dir := t.TempDir()
	deck := filepath.Join(dir, "deck.md")
	writeFile(t, deck, "# Title\n\nintro\n\n<!-- say hello -->\n\n## Two\n\ntext\n\n## Three\n\ntext\n")
	usage := []struct {
		args []string
		want string
	}{
		{[]string{"pdf", "--handout", "--paper", "a5", deck}, `foil pdf: --paper "a5": want a4 or letter`},
		{[]string{"pdf", "--handout", "--per-page", "4", deck}, "foil pdf: --per-page 4: want 1, 2 or 3"},
		{[]string{"pdf", "--per-page", "2", deck}, "foil pdf: --paper and --per-page are for --handout"},
	}
	for _, u := range usage {
		code, _, stderr := run(t, "", u.args...)
		if code != exitUsage || !strings.Contains(stderr, u.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", u.args, code, stderr, u.want)
		}
	}

	needBrowser(t)
	out := filepath.Join(dir, "handout.pdf")
	code, _, stderr := run(t, "", "pdf", "--handout", "--per-page", "2", "--paper", "letter", deck, "-o", out)
	if code != 0 || stderr != "wrote "+out+" (2 pages)\n" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %v", err)
	}
	// Letter: 612x792 pt.
	if !bytes.Contains(data, []byte("/MediaBox [0 0 612 792]")) {
		t.Errorf("no Letter-sized page in the PDF")
	}
}
