package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const canary = "CANARY-8f3a2b the secret outside the folder"

// fixture makes base/secret.txt (the canary), base/deck/ with a deck page,
// an image, a hidden file, a subfolder and symlinks out of the folder, and
// serves base/deck.
func fixture(t *testing.T, build func() ([]byte, error)) (*Server, *httptest.Server, string) {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "deck")
	for name, data := range map[string]string{
		"secret.txt":           canary,
		"deck/img/logo.png":    "PNGDATA",
		"deck/notes.txt":       "plain notes",
		"deck/.env":            "HIDDEN=" + canary,
		"deck/sub/page.html":   "<script>alert(1)</script>",
		"deck/a b/space.txt":   "with a space",
		"deck/.git/config":     canary,
		"deck/layouts/x.html":  "layout",
		"deck/img/.hidden.png": canary,
	} {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"deck/out.txt":   filepath.Join(base, "secret.txt"),
		"deck/up.txt":    "../secret.txt",
		"deck/outdir":    base,
		"deck/etcpasswd": "/etc/passwd",
	} {
		if err := os.Symlink(target, filepath.Join(base, link)); err != nil {
			t.Fatal(err)
		}
	}
	if build == nil {
		build = func() ([]byte, error) { return []byte(testPage("v1")), nil }
	}
	s, err := New(Options{Dir: dir, Build: build, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, ts, dir
}

func testPage(body string) string {
	return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-x&#39;">
<title>t</title></head><body><main class="deck"><section class="slide" id="slide-1">` + body + `</section></main></body></html>`
}

// raw sends one request exactly as written (no client normalising the
// path) and returns the status code and body.
func raw(t *testing.T, addr, target, host, method string) (int, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, host)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 400, "" // the request line itself was refused by net/http
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestTraversal(t *testing.T) {
	_, ts, _ := fixture(t, nil)
	addr := strings.TrimPrefix(ts.URL, "http://")
	targets := []string{
		"/../secret.txt",
		"/../../secret.txt",
		"/img/../../secret.txt",
		"/%2e%2e/secret.txt",
		"/%2E%2E/secret.txt",
		"/.%2e/secret.txt",
		"/%2e./secret.txt",
		"/..%2fsecret.txt",
		"/..%2Fsecret.txt",
		"/%2e%2e%2fsecret.txt",
		"/..%5csecret.txt",
		"/..\\secret.txt",
		"/img\\..\\..\\secret.txt",
		"/%252e%252e/secret.txt",
		"/%252e%252e%252fsecret.txt",
		"/..%00/secret.txt",
		"/secret.txt%00.png",
		"/./../secret.txt",
		"//../secret.txt",
		"/img/%2e%2e/%2e%2e/secret.txt",
		"/..;/secret.txt",
		"/%c0%ae%c0%ae/secret.txt", // overlong UTF-8 dots
		"/out.txt",                 // symlink to an absolute path outside
		"/up.txt",                  // relative symlink out
		"/outdir/secret.txt",       // symlinked folder out
		"/etcpasswd",
		"/.env",
		"/.git/config",
		"/img/.hidden.png",
		"http://127.0.0.1/../secret.txt",
		"/img/",
		"/img",
	}
	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			for _, method := range []string{"GET", "HEAD"} {
				code, body := raw(t, addr, target, "127.0.0.1", method)
				if code != 400 && code != 403 && code != 404 {
					t.Errorf("%s %s: status %d, want 403 or 404", method, target, code)
				}
				if strings.Contains(body, "CANARY") || strings.Contains(body, "root:") {
					t.Errorf("%s %s: leaked %q", method, target, body)
				}
			}
		})
	}
}

func TestFiles(t *testing.T) {
	_, ts, _ := fixture(t, nil)
	tests := []struct {
		path, want string
		code       int
	}{
		{"/img/logo.png", "PNGDATA", 200},
		{"/notes.txt", "plain notes", 200},
		{"/a%20b/space.txt", "with a space", 200},
		{"/nope.txt", "", 404},
		{"/_foil/nope", "", 404},
	}
	for _, tt := range tests {
		resp, err := http.Get(ts.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code || tt.code == 200 && string(body) != tt.want {
			t.Errorf("GET %s = %d %q, want %d %q", tt.path, resp.StatusCode, body, tt.code, tt.want)
		}
	}
	// An HTML file of the folder runs sandboxed.
	resp, err := http.Get(ts.URL + "/sub/page.html")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
		t.Errorf("folder HTML served with CSP %q, want sandbox", csp)
	}
}

func TestHostAndMethods(t *testing.T) {
	_, ts, _ := fixture(t, nil)
	addr := strings.TrimPrefix(ts.URL, "http://")
	_, port, _ := net.SplitHostPort(addr)
	tests := []struct {
		method, host string
		code         int
	}{
		{"GET", "127.0.0.1:" + port, 200},
		{"GET", "localhost:" + port, 200},
		{"GET", "LOCALHOST", 200},
		{"GET", "[::1]:" + port, 200},
		{"HEAD", "127.0.0.1", 200},
		{"GET", "evil.example", 421},
		{"GET", "evil.example:" + port, 421},
		{"GET", "127.0.0.1.nip.io:" + port, 421},
		{"GET", "localhost.evil.example", 421},
		{"POST", "127.0.0.1", 405},
		{"PUT", "127.0.0.1", 405},
		{"DELETE", "127.0.0.1", 405},
		{"OPTIONS", "127.0.0.1", 405},
		{"PATCH", "127.0.0.1", 405},
		{"POST", "evil.example", 421},
	}
	for _, tt := range tests {
		if code, _ := raw(t, addr, "/", tt.host, tt.method); code != tt.code {
			t.Errorf("%s / Host %s: %d, want %d", tt.method, tt.host, code, tt.code)
		}
	}
	req, _ := http.NewRequest("GET", ts.URL+"/", nil)
	req.Header.Set("Origin", "http://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for k := range resp.Header {
		if strings.HasPrefix(strings.ToLower(k), "access-control-") {
			t.Errorf("CORS header %s sent", k)
		}
	}
}

func get(t *testing.T, u string) (string, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b), resp.Header
}

func TestPage(t *testing.T) {
	s, ts, _ := fixture(t, nil)
	v, _ := s.State()
	for _, p := range []string{"/", "/presenter", "/index.html", "/?presenter"} {
		body, h := get(t, ts.URL+p)
		if !strings.Contains(body, `content="connect-src &#39;self&#39;; default-src &#39;none&#39;;`) {
			t.Errorf("%s: CSP meta without connect-src 'self':\n%s", p, body)
		}
		if want := `<meta name="foil:live" content="/_foil/events" data-version="` + v + `" data-presenter="/presenter">` + "\n</head>"; !strings.Contains(body, want) {
			t.Errorf("%s: no live meta before </head>:\n%s", p, body)
		}
		if h.Get("Content-Type") != "text/html; charset=utf-8" || h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: headers %v", p, h)
		}
	}
}

func TestInjectWithoutCSP(t *testing.T) {
	got := string(inject([]byte("<html><head><title>x</title></head><body></body></html>"), "v"))
	want := `<html><head><title>x</title><meta name="foil:live" content="/_foil/events" data-version="v" data-presenter="/presenter">` + "\n</head><body></body></html>"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// events reads "state" events from the stream at u into a channel.
func events(t *testing.T, u string) <-chan string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events Content-Type %q", ct)
	}
	c := make(chan string, 16)
	go func() {
		defer close(c)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				c <- d
			}
		}
	}()
	return c
}

func nextEvent(t *testing.T, c <-chan string) string {
	t.Helper()
	select {
	case e := <-c:
		return e
	case <-time.After(2 * time.Second):
		t.Fatal("no event within 2s")
		return ""
	}
}

func TestRebuildEvents(t *testing.T) {
	var mu sync.Mutex
	page, fail := "v1", ""
	build := func() ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		if fail != "" {
			return nil, errors.New(fail)
		}
		return []byte(testPage(page)), nil
	}
	set := func(p, f string) {
		mu.Lock()
		page, fail = p, f
		mu.Unlock()
	}
	s, ts, _ := fixture(t, build)
	ev := events(t, ts.URL+EventsPath)
	v1, _ := s.State()
	if got, want := nextEvent(t, ev), `{"version":"`+v1+`"}`; got != want {
		t.Errorf("first event %s, want %s", got, want)
	}

	set("v2", "")
	s.Rebuild()
	v2, _ := s.State()
	if v2 == v1 {
		t.Fatal("version unchanged after a new page")
	}
	if got, want := nextEvent(t, ev), `{"version":"`+v2+`"}`; got != want {
		t.Errorf("after rebuild %s, want %s", got, want)
	}
	if body, _ := get(t, ts.URL+"/"); !strings.Contains(body, "v2") {
		t.Errorf("page not rebuilt: %s", body)
	}

	set("v3", "deck.md:3: unknown layout \"compre\"\ndeck.md:9: <b> & more")
	s.Rebuild()
	if got, want := nextEvent(t, ev), `{"version":"`+v2+`","error":"deck.md:3: unknown layout \"compre\"\ndeck.md:9: \u003cb\u003e \u0026 more"}`; got != want {
		t.Errorf("after a failed build %s, want %s", got, want)
	}
	if body, _ := get(t, ts.URL+"/"); !strings.Contains(body, "v2") {
		t.Errorf("last good page not kept: %s", body)
	}

	set("v2", "") // the same page again: the open pages just drop the error
	s.Rebuild()
	if got, want := nextEvent(t, ev), `{"version":"`+v2+`"}`; got != want {
		t.Errorf("after the fix %s, want %s", got, want)
	}

	// Close ends the stream.
	s.Close()
	select {
	case _, ok := <-ev:
		if ok {
			t.Error("event after Close")
		}
	case <-time.After(2 * time.Second):
		t.Error("stream still open 2s after Close")
	}
}

func TestFirstBuildFails(t *testing.T) {
	_, ts, _ := fixture(t, func() ([]byte, error) { return nil, errors.New("deck.md:2: unknown front matter key \"titel\"") })
	body, h := get(t, ts.URL+"/")
	if !strings.Contains(body, `deck.md:2: unknown front matter key &#34;titel&#34;`) {
		t.Errorf("error page lacks the error:\n%.300s", body)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") || !strings.Contains(csp, "script-src 'sha256-") {
		t.Errorf("error page CSP %q", csp)
	}
	if !strings.Contains(body, `data-version=""`) {
		t.Error("error page without the live meta")
	}
}
