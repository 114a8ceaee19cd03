package chromium

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testBrowser finds a browser or skips the test; with FOIL_REQUIRE_BROWSER
// set, a missing browser fails it instead.
func testBrowser(t testing.TB) string {
	t.Helper()
	bin, err := Find(os.Getenv("FOIL_BROWSER"), os.Getenv("CHROME_PATH"))
	if err != nil {
		if os.Getenv("FOIL_REQUIRE_BROWSER") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return bin
}

// newTestBrowser starts a browser for t and, at the end of t, closes it and
// checks that none of its processes is left.
func newTestBrowser(t testing.TB, opts Options) *Browser {
	t.Helper()
	bin := testBrowser(t)
	opts.NoSandbox = os.Geteuid() == 0
	b, err := New(context.Background(), bin, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Error(err)
		}
		checkNoProcesses(t, b.dir)
	})
	return b
}

// checkNoProcesses fails t when a process whose command line mentions dir
// (the browser's private --user-data-dir) is still running, or when dir
// still exists.
func checkNoProcesses(t testing.TB, dir string) {
	t.Helper()
	// Close may run in the background (after a cancelled context).
	var left []string
	var statErr error
	deadline := time.Now().Add(10 * time.Second)
	for {
		left = processesWith(dir)
		_, statErr = os.Stat(dir)
		if len(left) == 0 && os.IsNotExist(statErr) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(left) > 0 {
		t.Errorf("browser processes left after Close:\n%s", strings.Join(left, "\n"))
	}
	if !os.IsNotExist(statErr) {
		t.Errorf("user-data dir %s left after Close (stat: %v)", dir, statErr)
	}
}

// processesWith lists live (non-zombie) processes whose command line
// contains s, as "pid: cmdline".
func processesWith(s string) []string {
	var out []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmd, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !strings.Contains(string(cmd), s) {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if i := strings.LastIndexByte(string(stat), ')'); i > 0 && strings.HasPrefix(string(stat[i:]), ") Z") {
			continue // a zombie holds no resources; its parent reaps it
		}
		out = append(out, fmt.Sprintf("%d: %s", pid, strings.ReplaceAll(string(cmd), "\x00", " ")))
	}
	return out
}

// deckOptions shapes a test document.
type deckOptions struct {
	Slides int
	Width  int    // canvas, default 1280
	Height int    // default 720
	Title  string // <title>, default "Test Deck"
	Head   string // extra markup in <head>
	Body   string // extra markup in the first slide
}

// testDeck returns an HTML document that follows the contract of the
// render package: one section.slide#slide-N per slide, print CSS with one
// canvas per page and a foil:size meta tag. Slide N has the heading
// "Slide N title" (h1 on slide 1, h2 after), the text "body text of slide
// N", an external link to https://example.com/N and, on slide 1, a link to
// #slide-3.
func testDeck(o deckOptions) []byte {
	if o.Width == 0 {
		o.Width, o.Height = 1280, 720
	}
	if o.Title == "" {
		o.Title = "Test Deck"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="foil:size" content="%[1]dx%[2]d">
<title>%[3]s</title>
<style>
@page { size: %[1]dpx %[2]dpx; margin: 0 }
html, body { margin: 0; padding: 0 }
body { font-family: sans-serif; font-size: 32px }
section.slide { width: %[1]dpx; height: %[2]dpx; padding: 64px; box-sizing: border-box; overflow: hidden;
  position: relative; background: #f4f1ea }
@media print { section.slide { page-break-after: always; break-after: page }
  section.slide:last-of-type { page-break-after: auto; break-after: auto } }
</style>
%[4]s
</head><body>
`, o.Width, o.Height, o.Title, o.Head)
	for i := 1; i <= o.Slides; i++ {
		tag := "h2"
		if i == 1 {
			tag = "h1"
		}
		fmt.Fprintf(&b, `<section class="slide" id="slide-%[1]d"><%[2]s>Slide %[1]d title</%[2]s>
<p>body text of slide %[1]d</p>
<p><a href="https://example.com/%[1]d">example link %[1]d</a></p>
`, i, tag)
		if i == 1 {
			b.WriteString(`<p><a href="#slide-3">jump to slide 3</a></p>` + "\n" + o.Body + "\n")
		}
		b.WriteString("</section>\n")
	}
	b.WriteString("</body></html>\n")
	return []byte(b.String())
}
