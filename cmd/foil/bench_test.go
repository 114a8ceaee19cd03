package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
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
