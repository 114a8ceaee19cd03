package main

import (
	"bytes"
	"fmt"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/foil-slides/foil/render/chromium/chromiumtest"
)

// needBrowser skips the test when no browser is installed, unless
// FOIL_REQUIRE_BROWSER is set (CI sets it): then it fails.
func needBrowser(t *testing.T) { chromiumtest.Bin(t) }

// foilProc runs the foil binary with its own TMPDIR, so that the browser's
// profile folder — and so every Chromium process it starts — can be found
// in the process table afterwards.
type foilProc struct {
	cmd            *exec.Cmd
	tmp            string
	stdout, stderr bytes.Buffer
}

func startFoil(t *testing.T, bin string, args ...string) *foilProc {
	t.Helper()
	p := &foilProc{tmp: t.TempDir()}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = append(os.Environ(), "TMPDIR="+p.tmp)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *foilProc) wait() int {
	err := p.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// chromiums returns the pids of processes whose command line names dir.
func chromiums(dir string) []int {
	var pids []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		if bytes.Contains(cmdline, []byte(dir)) {
			if stat, err := os.ReadFile("/proc/" + e.Name() + "/stat"); err == nil && bytes.Contains(stat, []byte(") Z ")) {
				continue // a zombie is gone, only not yet reaped
			}
			pids = append(pids, pid)
		}
	}
	return pids
}

// mainChromium returns the browser's main process (not a renderer or
// helper), waiting up to 20 s for it to appear.
func (p *foilProc) mainChromium(t *testing.T) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, pid := range chromiums(p.tmp) {
			cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
			exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
			// Not leakless (the guard between foil and Chromium carries the
			// same arguments), not a renderer or helper (--type=).
			if strings.Contains(filepath.Base(exe), "chrom") && !bytes.Contains(cmdline, []byte("--type=")) {
				return pid
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no browser started; stderr: %s", p.stderr.String())
	return 0
}

// noneLeft fails when a Chromium process of p is still running 5 s after
// foil exited.
func (p *foilProc) noneLeft(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := chromiums(p.tmp)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			for _, pid := range left {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			t.Fatalf("Chromium processes left running: %v", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFor polls cond for up to 20 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 20 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func noTemp(t *testing.T, dir string) {
	t.Helper()
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temp files left: %v", left)
	}
}

// TestPDFAndPNG exports an example deck with the real browser.
func TestPDFAndPNG(t *testing.T) {
	needBrowser(t)
	bin := buildFoil(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "sre.pdf")
	p := startFoil(t, bin, "pdf", "../../examples/sre-muc-2023-02.md", "-o", out)
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d: %s", code, p.stderr.String())
	}
	p.noneLeft(t)
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %v", err)
	}
	if !strings.Contains(p.stderr.String(), "(30 pages)") {
		t.Errorf("stderr %q", p.stderr.String())
	}

	p = startFoil(t, bin, "png", "../../examples/sre-muc-2023-02.md", "-o", dir, "--slide", "1", "--scale", "0.5")
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d: %s", code, p.stderr.String())
	}
	f, err := os.Open(filepath.Join(dir, "sre-muc-2023-02-001.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 640 || cfg.Height != 360 {
		t.Errorf("thumbnail %dx%d (%v), want 640x360", cfg.Width, cfg.Height, err)
	}
	if others, _ := filepath.Glob(filepath.Join(dir, "*-002.png")); len(others) > 0 {
		t.Errorf("--slide 1 wrote more: %v", others)
	}
	noTemp(t, dir)
}

// TestExportFaults: every failure gives a clear error and exit code, keeps
// the previous output byte for byte, leaves no temp file and no browser.
func TestExportFaults(t *testing.T) {
	needBrowser(t)
	bin := buildFoil(t)

	// A server that accepts connections and never answers: a page that
	// never finishes loading.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hang := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang })}
	go srv.Serve(ln)
	t.Cleanup(func() { close(hang); srv.Close() })

	big, err := os.ReadFile("../../testdata/bench/deck-1000.md")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		deck   string
		args   []string
		during func(t *testing.T, p *foilProc) // while foil runs
		code   int
		stderr string
		roDir  bool
	}{
		{name: "no such browser", deck: "# A\n", args: []string{"--browser", "/nonexistent/chromium"}, code: 3,
			stderr: "foil: --browser /nonexistent/chromium: not an executable file"},
		{name: "browser that is not one", deck: "# A\n", args: []string{"--browser", "/bin/false"}, code: 3,
			stderr: "starting browser"},
		{name: "page never loads", deck: "# A\n\n![x](http://" + ln.Addr().String() + "/slow.png)\n", args: []string{"--allow-remote", "--timeout", "2s"}, code: 1,
			stderr: "timeout after 2s"},
		{name: "interrupted", deck: string(big), code: 1, stderr: "interrupted, nothing written",
			during: func(t *testing.T, p *foilProc) {
				p.mainChromium(t)
				waitFor(t, func() bool {
					tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(p.cmd.Args[2]), ".deck.pdf.*.tmp"))
					return len(tmp) > 0
				})
				p.cmd.Process.Signal(os.Interrupt)
			}},
		{name: "browser killed", deck: string(big), code: 1, stderr: "browser",
			during: func(t *testing.T, p *foilProc) {
				pid := p.mainChromium(t)
				// Kill it mid-export: once the PDF's temp file exists the
				// browser is printing, not starting.
				waitFor(t, func() bool {
					tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(p.cmd.Args[2]), ".deck.pdf.*.tmp"))
					return len(tmp) > 0
				})
				syscall.Kill(pid, syscall.SIGKILL)
			}},
		{name: "read-only output folder", deck: "# A\n", code: 1, stderr: "foil: writing ", roDir: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			deck := filepath.Join(dir, "deck.md")
			writeFile(t, deck, tt.deck)
			out := filepath.Join(dir, "deck.pdf")
			writeFile(t, out, "the previous PDF")
			if tt.roDir {
				readOnly(t, dir)
			}
			p := startFoil(t, bin, append([]string{"pdf", deck, "-o", out}, tt.args...)...)
			if tt.during != nil {
				tt.during(t, p)
			}
			done := make(chan int, 1)
			go func() { done <- p.wait() }()
			var code int
			select {
			case code = <-done:
			case <-time.After(90 * time.Second):
				p.cmd.Process.Kill()
				t.Fatalf("foil did not exit; stderr: %s", p.stderr.String())
			}
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, p.stderr.String())
			}
			if !strings.Contains(p.stderr.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", p.stderr.String(), tt.stderr)
			}
			if got, _ := os.ReadFile(out); string(got) != "the previous PDF" {
				t.Errorf("previous output changed (%d bytes)", len(got))
			}
			noTemp(t, dir)
			p.noneLeft(t)
		})
	}
}
