package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/foil-slides/foil/render/chromium/chromiumtest"
)

// syncBuf is an io.Writer safe for the server's goroutines and the test.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serving is a foil serve running in-process.
type serving struct {
	url, addr, deck string
	stderr          *syncBuf
	intr            chan os.Signal
	done            chan int
	stopped         bool
}

var servingRE = regexp.MustCompile(`at (http://(127\.0\.0\.1:\d+)/) `)

// startServe writes src to a new deck.md and serves it on a free port.
func startServe(t testing.TB, src string, args ...string) *serving {
	t.Helper()
	dir := t.TempDir()
	s := &serving{deck: filepath.Join(dir, "deck.md"), stderr: &syncBuf{}, intr: make(chan os.Signal, 1), done: make(chan int, 1)}
	if err := os.WriteFile(s.deck, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: s.stderr, getenv: func(string) string { return "" }, interrupt: s.intr}
	go func() { s.done <- a.main(append([]string{"serve", s.deck, "--addr", "127.0.0.1:0"}, args...)) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := servingRE.FindStringSubmatch(s.stderr.String()); m != nil {
			s.url, s.addr = m[1], m[2]
			break
		}
		select {
		case code := <-s.done:
			t.Fatalf("foil serve exited with %d:\n%s", code, s.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("foil serve did not start:\n%s", s.stderr.String())
		}
	}
	t.Cleanup(func() {
		if !s.stopped {
			s.stop(t)
		}
	})
	return s
}

// stop sends Ctrl-C and returns the exit code and how long it took.
func (s *serving) stop(t testing.TB) (int, time.Duration) {
	t.Helper()
	s.stopped = true
	start := time.Now()
	s.intr <- os.Interrupt
	select {
	case code := <-s.done:
		return code, time.Since(start)
	case <-time.After(5 * time.Second):
		t.Fatalf("foil serve still running 5s after Ctrl-C")
		return 0, 0
	}
}

// save writes the deck the way editors do: pattern 0 writes in place, 1
// truncates then writes, 2 writes a temp file and renames it over the deck,
// 3 deletes and re-creates.
func save(t testing.TB, path, src string, pattern int) {
	t.Helper()
	var err error
	switch pattern % 4 {
	case 0:
		err = os.WriteFile(path, []byte(src), 0o644)
	case 1:
		var f *os.File
		if f, err = os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0); err == nil {
			time.Sleep(time.Millisecond)
			_, err = f.WriteString(src)
			f.Close()
		}
	case 2:
		tmp := filepath.Join(filepath.Dir(path), ".deck.md.tmp")
		if err = os.WriteFile(tmp, []byte(src), 0o644); err == nil {
			err = os.Rename(tmp, path)
		}
	case 3:
		os.Remove(path)
		time.Sleep(time.Millisecond)
		err = os.WriteFile(path, []byte(src), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// sse reads the server's state events.
type state struct {
	Version string `json:"version"`
	Error   string `json:"error"`
}

func sse(t testing.TB, u string) <-chan state {
	t.Helper()
	resp, err := http.Get(u + "_foil/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	c := make(chan state, 256)
	go func() {
		defer close(c)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var s state
				if json.Unmarshal([]byte(d), &s) == nil {
					c <- s
				}
			}
		}
	}()
	return c
}

func deckSrc(marker string) string {
	return "---\ntitle: Live\n---\n\n# Live\n\nsubtitle\n\n## Two\n\n- a point\n- another\n\n## Three\n\n- " + marker + "\n- second line\n\n## Four\n\n- the end\n"
}

const brokenDeck = "---\ntitel: Live\n---\n\n# Live\n"

func openPage(tb testing.TB, b *rod.Browser, u string) *rod.Page {
	tb.Helper()
	p, err := b.Timeout(10 * time.Second).Page(proto.TargetCreateTarget{URL: u})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p.Close() })
	if err := p.Timeout(10 * time.Second).WaitLoad(); err != nil {
		tb.Fatal(err)
	}
	pageWait(tb, p, "window.foil", 5*time.Second)
	return p
}

// pageEval returns the JSON of a JS expression in p, "" when the page is
// between documents (reloading).
func pageEval(p *rod.Page, js string) string {
	res, err := p.Timeout(2 * time.Second).Eval(`() => JSON.stringify(` + js + `)`)
	if err != nil {
		return ""
	}
	return res.Value.Str()
}

// pageWait polls cond in p until true, failing after d; it returns how
// long it waited.
func pageWait(tb testing.TB, p *rod.Page, cond string, d time.Duration) time.Duration {
	tb.Helper()
	start := time.Now()
	for pageEval(p, "!!(window.foil && ("+cond+"))") != "true" {
		if time.Since(start) > d {
			tb.Fatalf("%v: still not %s\n(page: %s)", d, cond, pageEval(p, "document.body && document.body.innerText.slice(0, 300)"))
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

const slide3 = "((document.getElementById('slide-3') || {}).textContent || '')"

// TestServeBrowser runs the preview's browser tests on one Chromium.
func TestServeBrowser(t *testing.T) {
	b := chromiumtest.Launch(t)
	t.Run("live", func(t *testing.T) { testServeLive(t, b) })
	t.Run("broken at start", func(t *testing.T) { testServeBrokenAtStart(t, b) })
}

func testServeLive(t *testing.T, b *rod.Browser) {
	s := startServe(t, deckSrc("version one"))
	aud := openPage(t, b, s.url+"#3")
	// p opens the presenter view at /presenter, at the same slide.
	wait := aud.WaitOpen()
	if err := aud.Timeout(5 * time.Second).Keyboard.Type('p'); err != nil {
		t.Fatal(err)
	}
	pres, err := wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pres.Close() })
	pageWait(t, pres, "document.querySelector('.foil-presenter')", 5*time.Second)
	if got := pageEval(pres, "location.pathname + location.search + location.hash"); got != `"/presenter#3"` {
		t.Errorf("p opened %s, want /presenter#3", got)
	}

	// Each save pattern updates both windows within 1s, at slide 3.
	for i, marker := range []string{"version two", "version three", "version four", "version five"} {
		save(t, s.deck, deckSrc(marker), i)
		for _, p := range []*rod.Page{aud, pres} {
			took := pageWait(t, p, slide3+".includes('"+marker+"')", time.Second)
			t.Logf("save %d: %s shown after %v", i, marker, took)
			if got := pageEval(p, "[foil.current(), location.hash]"); got != `[3,"#3"]` {
				t.Errorf("after save %d: [current, hash] = %s, want [3,\"#3\"]", i, got)
			}
		}
		if pageEval(pres, "!!document.querySelector('.foil-presenter')") != "true" {
			t.Errorf("presenter view gone after save %d", i)
		}
	}

	// A broken deck shows the error over the last good deck.
	save(t, s.deck, brokenDeck, 0)
	for _, p := range []*rod.Page{aud, pres} {
		pageWait(t, p, "document.querySelector('.foil-error')", time.Second)
		got := pageEval(p, "document.querySelector('.foil-error pre').textContent")
		if want := `deck.md:2: unknown front matter key \"titel\"`; !strings.Contains(got, want) {
			t.Errorf("overlay says %s, want %s", got, want)
		}
		if !strings.Contains(pageEval(p, slide3), "version five") {
			t.Error("last good deck not kept under the overlay")
		}
	}
	// The next good save removes it.
	save(t, s.deck, deckSrc("version six"), 2)
	for _, p := range []*rod.Page{aud, pres} {
		pageWait(t, p, slide3+".includes('version six') && !document.querySelector('.foil-error')", time.Second)
		if got := pageEval(p, "foil.current()"); got != "3" {
			t.Errorf("after the fix: slide %s, want 3", got)
		}
	}
	// Going back to a version the page already shows just drops the
	// overlay, without reloading.
	pageEval(aud, "(window.__noReload = true)")
	save(t, s.deck, brokenDeck, 0)
	pageWait(t, aud, "document.querySelector('.foil-error')", time.Second)
	save(t, s.deck, deckSrc("version six"), 0)
	pageWait(t, aud, "!document.querySelector('.foil-error')", time.Second)
	if pageEval(aud, "window.__noReload === true") != "true" {
		t.Error("page reloaded although the deck came back unchanged")
	}

	code, took := s.stop(t)
	if code != 0 || took > 2*time.Second {
		t.Errorf("Ctrl-C with two pages open: exit %d after %v, want 0 within 2s", code, took)
	}
	if ln, err := net.Listen("tcp", s.addr); err != nil {
		t.Errorf("port not freed: %v", err)
	} else {
		ln.Close()
	}
}

// A deck that does not build at start shows an error page that turns into
// the deck on the first good save.
func testServeBrokenAtStart(t *testing.T, b *rod.Browser) {
	s := startServe(t, brokenDeck)
	p := openPage(t, b, s.url+"#3")
	pageWait(t, p, "document.querySelector('.foil-error')", time.Second)
	save(t, s.deck, deckSrc("fixed"), 0)
	pageWait(t, p, slide3+".includes('fixed') && foil.current() === 3", 2*time.Second)
}

// 100 saves in quick succession, every editor pattern, with an event
// stream open: the server stays up, serves the last version and keeps its
// goroutine count.
func TestServeManySaves(t *testing.T) {
	s := startServe(t, deckSrc("start"))
	ev := sse(t, s.url)
	first := <-ev
	time.Sleep(100 * time.Millisecond)
	http.DefaultClient.CloseIdleConnections()
	before := runtime.NumGoroutine()
	for i := range 100 {
		save(t, s.deck, deckSrc("save "+strconv.Itoa(i)), i)
		time.Sleep(time.Duration(i%5) * 10 * time.Millisecond) // 2s in all, bursts and pauses
	}
	// The last save arrives.
	var last state
	deadline := time.After(3 * time.Second)
	resp := func() string {
		r, err := http.Get(s.url)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		body, _ := io.ReadAll(r.Body)
		return string(body)
	}
	for !strings.Contains(resp(), "save 99") {
		select {
		case last = <-ev:
		case <-deadline:
			t.Fatalf("last save not served after 3s; last event %+v\n%s", last, s.stderr.String())
		}
	}
	if last.Version == first.Version && last.Version != "" {
		t.Errorf("no new version in the event stream")
	}
	// Idle keep-alive connections of the checks above hold goroutines on
	// both sides (client and server run in this process); drop them.
	http.DefaultClient.CloseIdleConnections()
	after := runtime.NumGoroutine()
	for settle := time.Now(); after > before+2 && time.Since(settle) < 2*time.Second; after = runtime.NumGoroutine() {
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("goroutines: %d before 100 saves, %d after", before, after)
	if after > before+2 {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before the saves, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
	if code, took := s.stop(t); code != 0 || took > 2*time.Second {
		t.Errorf("Ctrl-C: exit %d after %v", code, took)
	}
	if strings.Contains(s.stderr.String(), "panic") {
		t.Errorf("stderr:\n%s", s.stderr.String())
	}
}

func TestServeUsage(t *testing.T) {
	dir := t.TempDir()
	deck := filepath.Join(dir, "deck.md")
	writeFile(t, deck, deckSrc("x"))
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no deck", []string{"serve"}, exitUsage, "foil serve: want one deck file"},
		{"two decks", []string{"serve", deck, deck}, exitUsage, "foil serve: want one deck file"},
		{"stdin", []string{"serve", "-"}, exitUsage, "foil serve: want one deck file"},
		{"missing", []string{"serve", filepath.Join(dir, "nope.md")}, exitDeck, "foil: reading deck: open " + filepath.Join(dir, "nope.md") + ": no such file or directory"},
		{"folder", []string{"serve", dir}, exitDeck, "foil: " + dir + " is a folder, not a deck"},
		{"busy port", []string{"serve", deck, "--addr", busy.Addr().String()}, exitUsage, "address already in use; choose another --addr"},
		{"bad flag", []string{"serve", deck, "--adr", "x"}, exitUsage, "unknown flag: --adr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestServeNonLoopbackWarns(t *testing.T) {
	s := startServe(t, deckSrc("x"), "--addr", "0.0.0.0:0")
	if want := "foil serve: warning: 0.0.0.0:0 is reachable from other machines"; !strings.Contains(s.stderr.String(), want) {
		t.Errorf("stderr %q lacks %q", s.stderr.String(), want)
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:0": true, "[::1]:80": true, "127.1.2.3:1": true,
		"0.0.0.0:8080": false, ":8080": false, "192.168.1.2:80": false, "[::]:80": false, "example.com:80": false,
	} {
		if got := loopback(addr); got != want {
			t.Errorf("loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// BenchmarkReload measures the time from writing the deck to an event
// stream announcing the new version (the server's part of a reload), and
// reports the median.
func BenchmarkReload(b *testing.B) {
	s := startServe(b, deckSrc("bench"))
	ev := sse(b, s.url)
	<-ev
	var took []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		save(b, s.deck, deckSrc("bench "+strconv.Itoa(i)), 0)
		for st := range ev {
			if st.Error != "" {
				b.Fatal(st.Error)
			}
			break
		}
		took = append(took, time.Since(start))
		time.Sleep(30 * time.Millisecond) // one save at a time
	}
	b.StopTimer()
	reportMedian(b, took)
}

// BenchmarkReloadPage measures the time from writing the deck to an open
// page in Chromium showing the change (event, reload, render), and reports
// the median.
func BenchmarkReloadPage(b *testing.B) {
	br := chromiumtest.Launch(b)
	s := startServe(b, deckSrc("bench"))
	p := openPage(b, br, s.url+"#3")
	var took []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		marker := "bench " + strconv.Itoa(i) + " done"
		start := time.Now()
		save(b, s.deck, deckSrc(marker), 0)
		pageWait(b, p, slide3+".includes('"+marker+"')", 2*time.Second)
		took = append(took, time.Since(start))
		time.Sleep(30 * time.Millisecond)
	}
	b.StopTimer()
	reportMedian(b, took)
}

func reportMedian(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	if len(took) == 0 {
		return
	}
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(took[len(took)*9/10].Microseconds())/1000, "ms-p90")
}
