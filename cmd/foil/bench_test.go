package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/foil-slides/foil/render/chromium"
)

// buildFoil builds the foil binary once for process benchmarks and tests
// that need a real process (signals, exit codes).
func buildFoil(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "foil")
	out, err := exec.Command("go", "build", "-trimpath", "-o", bin, ".").CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkProcess runs the whole foil html process on the bench decks:
// start-up, parsing, rendering and the atomic write, as a user waits for
// it. peak-MB is the process's maximum resident set size.
func BenchmarkProcess(b *testing.B) {
	bin := buildFoil(b)
	out := b.TempDir()
	for _, n := range []string{"10", "200", "1000"} {
		deck := "../../testdata/bench/deck-" + n + ".md"
		if _, err := os.Stat(deck); err != nil {
			b.Fatal(err)
		}
		b.Run("html/slides="+n, func(b *testing.B) {
			var peak int64
			for b.Loop() {
				cmd := exec.Command(bin, "html", "-q", deck, "-o", filepath.Join(out, n+".html"))
				if msg, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %s", err, msg)
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > peak {
					peak = ru.Maxrss // KiB on Linux
				}
			}
			b.ReportMetric(float64(peak)/1024, "peak-MB")
		})
	}
}

// timeRun runs a command and returns how long it took.
func timeRun(b *testing.B, name string, args ...string) time.Duration {
	b.Helper()
	start := time.Now()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+b.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return time.Since(start)
}

func benchBrowser(b *testing.B) string {
	bin, err := chromium.Find(os.Getenv("FOIL_BROWSER"), os.Getenv("CHROME_PATH"))
	if err != nil {
		b.Skipf("no browser: %v", err)
	}
	return bin
}

// BenchmarkPDFVsChromium compares foil pdf on the 50-slide bench deck with
// Chromium's own --print-to-pdf of foil's HTML of the same deck, both as
// whole processes, alternating in one run. ratio = foil / chromium (the
// issue's target: at most 1.15).
func BenchmarkPDFVsChromium(b *testing.B) {
	browser := benchBrowser(b)
	bin := buildFoil(b)
	dir := b.TempDir()
	deck := "../../testdata/bench/deck-50.md"
	html := filepath.Join(dir, "deck-50.html")
	timeRun(b, bin, "html", "-q", deck, "-o", html)
	chromeArgs := []string{"--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-pdf-header-footer"}
	if os.Geteuid() == 0 {
		chromeArgs = append(chromeArgs, "--no-sandbox")
	}
	var foil, chrome time.Duration
	for i := 0; b.Loop(); i++ {
		ud := b.TempDir()
		args := append(append([]string{}, chromeArgs...), "--user-data-dir="+ud, "--print-to-pdf="+filepath.Join(dir, "chrome.pdf"), "file://"+html)
		if i%2 == 0 {
			foil += timeRun(b, bin, "pdf", "-q", deck, "-o", filepath.Join(dir, "foil.pdf"))
			chrome += timeRun(b, browser, args...)
		} else {
			chrome += timeRun(b, browser, args...)
			foil += timeRun(b, bin, "pdf", "-q", deck, "-o", filepath.Join(dir, "foil.pdf"))
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(foil.Milliseconds())/n, "foil-ms")
	b.ReportMetric(float64(chrome.Milliseconds())/n, "chromium-ms")
	b.ReportMetric(float64(foil)/float64(chrome), "ratio")
}

// BenchmarkPDFBatch compares one foil pdf command printing 10 decks (one
// browser, parallel pages) with 10 separate foil pdf runs. ratio = batch /
// separate (the target: at most 0.40).
func BenchmarkPDFBatch(b *testing.B) {
	benchBrowser(b)
	bin := buildFoil(b)
	dir := b.TempDir()
	src, err := os.ReadFile("../../testdata/bench/deck-10.md")
	if err != nil {
		b.Fatal(err)
	}
	var decks []string
	for i := range 10 {
		p := filepath.Join(dir, fmt.Sprintf("deck%02d.md", i))
		if err := os.WriteFile(p, src, 0o644); err != nil {
			b.Fatal(err)
		}
		decks = append(decks, p)
	}
	out := b.TempDir()
	var batch, separate time.Duration
	for b.Loop() {
		batch += timeRun(b, bin, append([]string{"pdf", "-q", "-o", out}, decks...)...)
		for _, d := range decks {
			separate += timeRun(b, bin, "pdf", "-q", d, "-o", filepath.Join(out, "one.pdf"))
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(batch.Milliseconds())/n, "batch-ms")
	b.ReportMetric(float64(separate.Milliseconds())/n, "separate-ms")
	b.ReportMetric(float64(batch)/float64(separate), "ratio")
}
