package chromium

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hangServer answers nothing until the test ends; requested receives the
// path of each request as it arrives.
func hangServer(t *testing.T) (srv *httptest.Server, requested chan string) {
	requested = make(chan string, 16)
	done := make(chan struct{})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case requested <- r.URL.Path:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(func() {
		close(done)
		srv.Close()
	})
	return srv, requested
}

// hangingDeck has an image that never arrives.
func hangingDeck(srv *httptest.Server) []byte {
	return testDeck(deckOptions{Slides: 2, Body: `<img src="` + srv.URL + `/never.png" alt="">`})
}

func waitRequest(t *testing.T, requested chan string) {
	t.Helper()
	select {
	case <-requested:
	case <-time.After(20 * time.Second):
		t.Fatal("the page never requested the hanging image")
	}
}

func TestTimeout(t *testing.T) {
	srv, _ := hangServer(t)
	b := newTestBrowser(t, Options{AllowRemote: true, Timeout: 2 * time.Second})
	start := time.Now()
	_, err := b.PDF(context.Background(), hangingDeck(srv), PDFOptions{}, io.Discard)
	if want := "waiting for images: timeout after 2s"; err == nil || err.Error() != want {
		t.Fatalf("got error %v, want %q", err, want)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("timeout took %v", d)
	}
	// The browser is still usable.
	var buf bytes.Buffer
	if _, err := b.PDF(context.Background(), testDeck(deckOptions{Slides: 1}), PDFOptions{}, &buf); err != nil {
		t.Errorf("after a timeout: %v", err)
	}
}

func TestKilledBrowser(t *testing.T) {
	srv, requested := hangServer(t)
	b := newTestBrowser(t, Options{AllowRemote: true})
	errc := make(chan error, 1)
	go func() {
		_, err := b.PDF(context.Background(), hangingDeck(srv), PDFOptions{}, io.Discard)
		errc <- err
	}()
	waitRequest(t, requested)
	if err := syscall.Kill(b.pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, errExited) {
			t.Errorf("got error %v, want %v", err, errExited)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("PDF hangs after the browser was killed")
	}
	// Later calls fail too, quickly.
	_, err := b.PDF(context.Background(), testDeck(deckOptions{Slides: 1}), PDFOptions{}, io.Discard)
	if !errors.Is(err, errExited) {
		t.Errorf("PDF on a dead browser: got %v, want %v", err, errExited)
	}
}

func TestCancel(t *testing.T) {
	srv, requested := hangServer(t)
	bin := testBrowser(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, err := New(ctx, bin, Options{AllowRemote: true, NoSandbox: os.Geteuid() == 0})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := b.PDF(ctx, hangingDeck(srv), PDFOptions{}, io.Discard)
		errc <- err
	}()
	waitRequest(t, requested)
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) && !errors.Is(err, errClosed) {
			t.Errorf("got error %v, want context.Canceled or %v", err, errClosed)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("PDF hangs after cancel")
	}
	// Cancelling New's context closes the browser without a Close call.
	checkNoProcesses(t, b.dir)
	if err := b.Close(); err != nil {
		t.Errorf("Close after cancel: %v", err)
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	bin := testBrowser(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b, err := New(ctx, bin, Options{NoSandbox: os.Geteuid() == 0})
	if err == nil {
		b.Close()
		t.Fatal("New with a cancelled context succeeded")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestNewBadBinary(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "fake-chrome")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho 'fake-chrome: cannot open display' >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		bin  string
		opts Options
		want []string // substrings of the error
	}{
		{"false", "/bin/false", Options{}, []string{"starting browser /bin/false: "}},
		{"missing", filepath.Join(dir, "nonexistent"), Options{}, []string{"starting browser " + dir + "/nonexistent: ", "no such file"}},
		{"exits with message", script, Options{NoLeakless: true}, []string{"starting browser " + script + ": ", "fake-chrome: cannot open display"}},
		{"empty", "", Options{}, []string{"starting browser: no executable given (see chromium.Find)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			b, err := New(context.Background(), tt.bin, tt.opts)
			if err == nil {
				b.Close()
				t.Fatal("New succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("failing took %v", d)
			}
		})
	}
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "foil-chromium-*"))
	for _, d := range left {
		if fi, err := os.Stat(d); err == nil && time.Since(fi.ModTime()) < time.Minute {
			// Other tests of this package may run in parallel; only a
			// fresh dir could be ours, so report rather than fail.
			t.Logf("user-data dir present: %s", d)
		}
	}
}

func TestCloseTwice(t *testing.T) {
	b := newTestBrowser(t, Options{NoLeakless: true})
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoProcesses(t, b.dir)
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	_, err := b.PDF(context.Background(), testDeck(deckOptions{Slides: 1}), PDFOptions{}, io.Discard)
	if !errors.Is(err, errClosed) {
		t.Errorf("PDF after Close: got %v, want %v", err, errClosed)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "chrome")
	plain := filepath.Join(dir, "plain")
	for _, f := range []struct {
		path string
		mode os.FileMode
	}{{exe, 0o755}, {plain, 0o644}} {
		if err := os.WriteFile(f.path, []byte("#!/bin/sh\n"), f.mode); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"first executable wins", []string{"", filepath.Join(dir, "missing"), dir, plain, exe}, exe},
		{"only executable", []string{exe}, exe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Find(tt.candidates...)
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestNotFoundError(t *testing.T) {
	err := &NotFoundError{Tried: []string{"/opt/chrome", "/usr/bin/chromium"}}
	want := "no Chromium or Chrome found (tried /opt/chrome, /usr/bin/chromium); " +
		"install one (Debian/Ubuntu: apt-get install chromium) or pass its path with --browser or FOIL_BROWSER"
	if got := err.Error(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
