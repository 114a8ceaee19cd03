// Package chromiumtest gives tests a real headless Chromium to drive with
// rod, the way net/http/httptest gives them a real server.
//
// Tests of foil's script and preview server press keys and read the DOM
// themselves; exports go through package chromium. Only tests import this
// package. It never downloads a browser: without one installed, a test is
// skipped, or fails when FOIL_REQUIRE_BROWSER is set (CI sets it).
package chromiumtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"

	"github.com/foil-slides/foil/render/chromium"
)

// Bin returns the browser to test with, as foil finds it ($FOIL_BROWSER,
// $CHROME_PATH, the usual paths), or skips tb when there is none.
func Bin(tb testing.TB) string {
	tb.Helper()
	bin, err := chromium.Find(os.Getenv("FOIL_BROWSER"), os.Getenv("CHROME_PATH"))
	if err != nil {
		if os.Getenv("FOIL_REQUIRE_BROWSER") != "" {
			tb.Fatalf("FOIL_REQUIRE_BROWSER is set: %v", err)
		}
		tb.Skip(err)
	}
	return bin
}

// Launch starts a headless Chromium with a private profile, with the flags
// foil always uses. When tb ends the browser is closed and tb fails if any
// of its processes is still running 5 s later.
func Launch(tb testing.TB) *rod.Browser {
	tb.Helper()
	bin := Bin(tb)
	dir := tb.TempDir()
	l := launcher.New().Bin(bin).Leakless(false).Headless(true).UserDataDir(dir).
		Set("disable-gpu").Set("no-first-run").Set("disable-background-networking").
		Set("disable-component-update").Set("disable-sync").Set("disable-dev-shm-usage")
	if os.Geteuid() == 0 {
		l = l.NoSandbox(true) // Chromium refuses to run as root otherwise
	}
	u, err := l.Launch()
	if err != nil {
		tb.Fatal(err)
	}
	b := rod.New().ControlURL(u)
	if err := b.Connect(); err != nil {
		l.Kill()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		b.Close()
		l.Kill()
		l.Cleanup()
		if left := WaitGone(dir, 5*time.Second); len(left) > 0 {
			tb.Errorf("browser processes left:\n%s", strings.Join(left, "\n"))
		}
	})
	return b
}

// Processes lists the live processes whose command line contains s (a
// profile folder names every process of one browser), as "pid: cmdline".
func Processes(s string) []string {
	var out []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		cmd, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !bytes.Contains(cmd, []byte(s)) {
			continue
		}
		// A zombie has exited; it only waits to be reaped.
		stat, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && bytes.HasPrefix(stat[i:], []byte(") Z")) {
			continue
		}
		out = append(out, e.Name()+": "+strings.ReplaceAll(string(cmd), "\x00", " "))
	}
	return out
}

// WaitGone waits up to d for every process whose command line contains s
// to end, and returns those still running.
func WaitGone(s string, d time.Duration) []string {
	deadline := time.Now().Add(d)
	for {
		left := Processes(s)
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(50 * time.Millisecond)
	}
}
