package site

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/foil-slides/foil/render"
	"github.com/foil-slides/foil/render/chromium"
)

// benchSite writes n decks of slides slides each, made by
// testdata/bench/gen-deck.py, with distinct titles and dates.
func benchSite(b testing.TB, n, slides int) string {
	b.Helper()
	src := b.TempDir()
	gen := filepath.Join(b.TempDir(), "deck.md")
	if out, err := exec.Command("python3", "../../testdata/bench/gen-deck.py", fmt.Sprint(slides), gen).CombinedOutput(); err != nil {
		b.Skipf("python3 gen-deck.py: %v %s", err, out)
	}
	body, err := os.ReadFile(gen)
	if err != nil {
		b.Fatal(err)
	}
	// The first heading is the title slide: give each deck its own.
	_, rest, _ := strings.Cut(string(body), "\n")
	for i := range n {
		title := fmt.Sprintf("Meetup %02d", i+1)
		deck := fmt.Sprintf("---\nsubtitle: Bench deck %d\ndate: 2024-%02d-%02d\n---\n\n# %s\n%s", i+1, i%12+1, i%28+1, title, rest)
		write(b, filepath.Join(src, fmt.Sprintf("meetup-%02d.md", i+1)), deck)
	}
	return src
}

// BenchmarkBuild builds 20 decks of 20 slides into a new folder (cold) and
// into an up-to-date one (warm), with one browser started beforehand, and
// compares the cold build with printing the same 20 PDFs from that browser
// with as many pages at once (print-ms: HTML rendered beforehand, no
// thumbnails, nothing else). ratio = cold / print (the target: at
// most 1.2); cold and print alternate in one run.
func BenchmarkBuild(b *testing.B) {
	br := testBrowser(b, chromium.Options{})
	src := benchSite(b, 20, 20)
	jobs := 2 * runtime.NumCPU()
	opts := Options{Src: src, Version: "bench", Jobs: jobs,
		Browser: func(context.Context) (Browser, error) { return br, nil }}

	// The baseline's documents: the same HTML the build prints.
	files, err := findDecks(src, "")
	if err != nil {
		b.Fatal(err)
	}
	var docs [][]byte
	for _, f := range files {
		r, err := render.New(render.Options{Dir: src})
		if err != nil {
			b.Fatal(err)
		}
		data, _ := os.ReadFile(f)
		var buf bytes.Buffer
		if _, _, err := r.Build(&buf, f, data); err != nil {
			b.Fatal(err)
		}
		docs = append(docs, buf.Bytes())
	}
	printAll := func() time.Duration {
		start := time.Now()
		sem := make(chan struct{}, jobs)
		var wg sync.WaitGroup
		for _, doc := range docs {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				if _, err := br.PDF(context.Background(), doc, chromium.PDFOptions{Width: 1280, Height: 720}, io.Discard); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	build := func(out string) (time.Duration, *Result) {
		o := opts
		o.Out = out
		start := time.Now()
		res, err := Build(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		return time.Since(start), res
	}
	printAll() // warm the browser's caches (fonts) for both sides alike

	b.Run("cold", func(b *testing.B) {
		var cold, print time.Duration
		for i := 0; b.Loop(); i++ {
			out := filepath.Join(b.TempDir(), "site")
			if i%2 == 0 {
				d, res := build(out)
				cold += d
				print += printAll()
				if res.Count(Built) != len(files) {
					b.Fatalf("built %d of %d", res.Count(Built), len(files))
				}
			} else {
				print += printAll()
				d, _ := build(out)
				cold += d
			}
		}
		n := float64(b.N)
		b.ReportMetric(float64(cold.Milliseconds())/n, "cold-ms")
		b.ReportMetric(float64(print.Milliseconds())/n, "print-ms")
		b.ReportMetric(float64(cold)/float64(print), "ratio")
	})

	b.Run("warm", func(b *testing.B) {
		out := filepath.Join(b.TempDir(), "site")
		build(out)
		var warm time.Duration
		for b.Loop() {
			d, res := build(out)
			warm += d
			if res.Count(UpToDate) != len(files) {
				b.Fatalf("up to date %d of %d", res.Count(UpToDate), len(files))
			}
		}
		b.ReportMetric(float64(warm.Milliseconds())/float64(b.N), "warm-ms")
	})
}
