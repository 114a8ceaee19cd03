package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCheckExamples: every example deck passes foil check, browser
// measurements included. CI runs it with FOIL_REQUIRE_BROWSER set.
func TestCheckExamples(t *testing.T) {
	needBrowser(t)
	decks, _ := filepath.Glob("../../examples/*.md")
	sub, _ := filepath.Glob("../../examples/*/*.md")
	decks = slices.DeleteFunc(append(decks, sub...), func(d string) bool { return filepath.Base(d) == "README.md" })
	code, stdout, stderr := run(t, "", append([]string{"check"}, decks...)...)
	if code != 0 || stdout != "" {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
	if want := fmt.Sprintf("checked %d decks: no problems\n", len(decks)); stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}

// TestCheckExamples43: the layouts hold up on a 4:3 canvas too, three
// quarters as wide: each example deck, switched to 4:3 in a copy of the
// examples folder (so its images and layouts still resolve), passes check.
func TestCheckExamples43(t *testing.T) {
	needBrowser(t)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../examples")); err != nil {
		t.Fatal(err)
	}
	decks, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	decks = slices.DeleteFunc(decks, func(d string) bool { return filepath.Base(d) == "README.md" })
	var copies []string
	for _, d := range decks {
		src, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		fm, body, ok := strings.Cut(strings.TrimPrefix(string(src), "---\n"), "\n---\n")
		if !ok || !strings.HasPrefix(string(src), "---\n") {
			t.Fatalf("%s has no front matter", d)
		}
		var keep []string
		for _, l := range strings.Split(fm, "\n") {
			if !strings.HasPrefix(l, "aspect:") {
				keep = append(keep, l)
			}
		}
		writeFile(t, d, "---\n"+strings.Join(keep, "\n")+"\naspect: \"4:3\"\n---\n"+body)
		copies = append(copies, d)
	}
	code, stdout, stderr := run(t, "", append([]string{"check"}, copies...)...)
	if code != 0 || stdout != "" {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}

// items is n list items of a line of text each.
func items(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "- Item %d: a line of text that an organizer wrote without counting\n", i)
	}
	return b.String()
}

func TestCheck(t *testing.T) {
	needBrowser(t)
	const head = "---\ntitle: Checked\n---\n\n# Checked\n\n2024-05-01\n\n" // 8 lines
	tests := []struct {
		name string
		deck string
		code int
		want string // stdout
	}{
		{"clean", head + "## Fine\n\n- one\n- two\n\nSee [the fine slide](#fine), [slide 2](#slide-2) and [the first](#1).\n", 0, ""},
		{"overlong", head + "## Too long\n\n" + items(30) + "\n## After\n\ntext\n", 1,
			"deck.md:9: slide 2: content cut off by 508px at the bottom, from div.content > ul > li:nth-child(16) (most: div.content > ul): shorten or split the slide, or shrink it with <!-- fit -->\n"},
		{"overlong fitted", head + "## Too long\n\n<!-- fit -->\n\n" + items(22) + "\n## After\n\ntext\n", 0, ""},
		{"overlong all fitted", strings.Replace(head, "title:", "fit: true\ntitle:", 1) + "## Too long\n\n" + items(22) + "\n## After\n\ntext\n", 0, ""},
		{"too long to fit", head + "## Too long\n\n<!-- fit -->\n\n" + items(40) + "\n## After\n\ntext\n", 1,
			"deck.md:9: slide 2: content cut off by 297px at the bottom, from div.content > ul > li:nth-child(27) (most: div.content > ul), even shrunk to 60% by fit: shorten or split the slide\n"},
		{"no font", head + "## Icons\n\nAn icon from a private-use area: \ue000\n\n## After\n\ntext\n", 1,
			`deck.md:9: slide 2: no installed font has U+E000 '\ue000' (drawn as a box) in "An icon from a private-use area: \ue000"; install a font with it or use another character` + "\n"},
		{"links", head + "## Links\n\n- [nine](#slide-9)\n- [heading](#no-such-heading)\n- [fine](#links)\n\n## After\n\nBack to [9](#9).\n", 1,
			"deck.md:11: link to #slide-9: no such slide (the deck has 3)\n" +
				"deck.md:12: link to #no-such-heading: no slide or heading has that id\n" +
				"deck.md:17: link to #9: no such slide (the deck has 3)\n"},
		{"missing image and unknown directive", head + "## Pictures\n\n<!-- layuot: image -->\n\n![a photo](photo.jpg)\n\ntext\n", 1,
			`deck.md:11: unknown directive "layuot" (known: layout, class, background, paginate, footer, notes, fit); the comment is kept as a speaker note` + "\n" +
				`deck.md:13: image "photo.jpg": no such file in DIR` + "\n"},
		{"unknown layout", head + "## Forced\n\n<!-- layout: compre -->\n\ntext\n\n## Empty link\n\n[x](#nowhere)\n", 1,
			`deck.md:11: unknown layout "compre" (known: agenda, columns, compare, default, end, image, quote, section, stats, summary, talk, title)` + "\n" +
				"deck.md:17: link to #nowhere: no slide or heading has that id\n"},
		{"empty slide", head + "## Fine\n\ntext\n\n#\n\n## After\n\ntext\n", 1,
			"deck.md:13: slide 3 is empty: give it content or remove the break or heading that starts it\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			deck := filepath.Join(dir, "deck.md")
			writeFile(t, deck, tt.deck)
			t.Chdir(dir)
			code, stdout, stderr := run(t, "", "check", "deck.md")
			stdout = strings.ReplaceAll(stdout, "in "+filepath.Clean("."), "in DIR")
			if code != tt.code || stdout != tt.want {
				t.Errorf("exit %d, want %d\ngot:\n%s\nwant:\n%s\nstderr: %s", code, tt.code, stdout, tt.want, stderr)
			}
			// check writes nothing.
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("check left files: %v", ents)
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	needBrowser(t)
	dir := t.TempDir()
	deck := filepath.Join(dir, "deck.md")
	writeFile(t, deck, "# Title\n\nintro\n\n## Long\n\n"+items(30)+"\n## Link\n\n[nine](#slide-9)\n")
	code, stdout, stderr := run(t, "", "check", "--format", "json", "-q", deck)
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	want := []map[string]any{
		{"file": deck, "line": 5.0, "slide": 2.0, "kind": "overflow", "element": "div.content > ul > li:nth-child(16)", "pixels": 508.0},
		{"file": deck, "line": 40.0, "slide": 3.0, "kind": "link", "element": "", "pixels": 0.0},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), stdout)
	}
	for i := range want {
		for k, v := range want[i] {
			if got[i][k] != v {
				t.Errorf("problem %d: %s = %v, want %v", i, k, got[i][k], v)
			}
		}
		if msg, _ := got[i]["message"].(string); msg == "" {
			t.Errorf("problem %d: no message", i)
		}
	}

	// Clean: an empty array, not null.
	writeFile(t, deck, "# Title\n\nintro\n")
	code, stdout, _ = run(t, "", "check", "--format", "json", "-q", deck)
	if code != 0 || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("clean deck: exit %d, stdout %q", code, stdout)
	}
}

func TestCheckUsage(t *testing.T) {
	dir := t.TempDir()
	deck := filepath.Join(dir, "deck.md")
	writeFile(t, deck, "# Title\n")
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"no deck", []string{"check"}, 2, "foil check: no deck given"},
		{"bad format", []string{"check", "--format", "xml", deck}, 2, `--format "xml": want text or json`},
		{"no browser", []string{"check", "--browser", filepath.Join(dir, "nothing"), deck}, 3, "not an executable file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d (want %d), stderr %q (want %q in it)", code, tt.code, stderr, tt.want)
			}
		})
	}
}
