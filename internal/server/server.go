// Package server is foil serve's HTTP handler: a live preview of one deck.
//
// It serves the deck's HTML at / and at /presenter (the same page; its
// script shows the presenter view there), Server-Sent Events at
// /_foil/events, and the files of the deck's folder. Build is called again
// by whoever watches the files (see package watch) through Rebuild; every
// open page hears of the new version and reloads, keeping its slide. A
// failed build keeps the last good page and sends the error, which the
// page shows over the slides until the next good build.
//
// # Live reload under the page's CSP
//
// The page stays what foil html writes, with its strict Content-Security-
// Policy <meta>; the server adds two things on the way out: a
// <meta name="foil:live" content="/_foil/events" data-version="…"> that
// switches on the live-reload code already in the page's one script, and
// connect-src 'self' in the CSP so that the script may open that event
// stream. No other script is injected, so the script hash still matches
// and the file foil html writes never allows a connection.
//
// # Trust
//
// The preview is for the deck's author on their own machine. The handler
// still assumes hostile web pages in the same browser and a hostile
// network: it answers only GET and HEAD, only for a Host header that is an
// IP address or localhost (a DNS-rebinding page's Host is its own name),
// sends no CORS headers, and serves only regular, non-hidden files inside
// the folder: a path with an encoded dot, slash, backslash or NUL, a ".."
// or "." segment is refused before the file system is asked, and os.Root
// refuses symlinks out of the folder. Nothing is listed. The Server does
// not listen: the caller chooses the address (and should keep it on
// loopback).
package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/foil-slides/foil/layouts"
)

// Paths the server answers itself.
const (
	EventsPath    = "/_foil/events"
	PresenterPath = "/presenter"
)

// Options configure a Server.
type Options struct {
	// Dir is the deck's folder; its files are served. "" is the current
	// directory.
	Dir string
	// Build renders the deck's HTML. Its error's text (file:line: message
	// lines) is shown in the page.
	Build func() ([]byte, error)
	// Logf, when set, receives one line per build and per refused request.
	Logf func(format string, args ...any)
}

// A Server is an http.Handler for one deck. It is safe for concurrent use.
type Server struct {
	o    Options
	root *os.Root
	done chan struct{}
	once sync.Once

	assetsOnce sync.Once
	js, css    []byte

	mu      sync.Mutex
	page    []byte // last good page, live meta injected; nil before the first
	version string // of the last good page
	err     string // of the last build, "" when it succeeded
	waiters map[chan struct{}]bool
}

// New makes a Server and runs the first build. A failed first build is not
// an error: the page shows it until a good one.
func New(o Options) (*Server, error) {
	if o.Build == nil {
		return nil, errors.New("server: no Build function")
	}
	dir := o.Dir
	if dir == "" {
		dir = "."
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("serving %s: %w", dir, err)
	}
	s := &Server{o: o, root: root, done: make(chan struct{}), waiters: map[chan struct{}]bool{}}
	s.Rebuild()
	return s, nil
}

func (s *Server) logf(format string, args ...any) {
	if s.o.Logf != nil {
		s.o.Logf(format, args...)
	}
}

// Rebuild builds the deck again and tells every open page. It returns the
// build's error.
func (s *Server) Rebuild() error {
	page, err := s.o.Build()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.err = err.Error()
		if s.err == "" {
			s.err = "build failed"
		}
	} else {
		s.err = ""
		sum := sha256.Sum256(page)
		if v := hex.EncodeToString(sum[:8]); v != s.version || s.page == nil {
			s.version = v
			s.page = inject(page, v)
		}
	}
	for c := range s.waiters {
		select {
		case c <- struct{}{}:
		default: // already told; it reads the latest state
		}
	}
	return err
}

// State returns the version of the page being served ("" before a good
// build) and the last build's error text ("" when it succeeded).
func (s *Server) State() (version, buildErr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, s.err
}

// Close ends every event stream (so that http.Server.Shutdown need not
// wait for them) and releases the folder.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		close(s.done)
		err = s.root.Close()
	})
	return err
}

// inject adds the live-reload meta before </head> and connect-src 'self'
// to the page's CSP meta (see the package comment).
func inject(page []byte, version string) []byte {
	meta := `<meta name="foil:live" content="` + EventsPath + `" data-version="` + version +
		`" data-presenter="` + PresenterPath + `">` + "\n"
	out := make([]byte, 0, len(page)+len(meta)+32)
	rest := page
	const csp = `http-equiv="Content-Security-Policy" content="`
	head := bytes.Index(bytes.ToLower(page), []byte("</head>"))
	if i := bytes.Index(page, []byte(csp)); i >= 0 && (head < 0 || i < head) {
		i += len(csp)
		out = append(out, page[:i]...)
		out = append(out, "connect-src &#39;self&#39;; "...)
		rest = page[i:]
		if head >= 0 {
			head -= i
		}
	}
	if head < 0 {
		return append(append(out, meta...), rest...)
	}
	out = append(out, rest[:head]...)
	out = append(out, meta...)
	return append(out, rest[head:]...)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	if !hostAllowed(r.Host) {
		s.logf("refused %s %s: Host %q is not an IP address or localhost", r.Method, r.URL.Path, r.Host)
		http.Error(w, "foil serve: unexpected Host header; open the preview at its 127.0.0.1 address", http.StatusMisdirectedRequest)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "foil serve: only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	p, ok := cleanPath(r)
	if !ok {
		s.logf("refused %s %q: not a plain path inside the deck's folder", r.Method, r.RequestURI)
		http.Error(w, "foil serve: forbidden path", http.StatusForbidden)
		return
	}
	switch p {
	case "/", "/index.html", PresenterPath, PresenterPath + "/":
		s.servePage(w, r)
	case EventsPath:
		s.serveEvents(w, r)
	default:
		if strings.HasPrefix(p, "/_foil/") {
			http.NotFound(w, r)
			return
		}
		s.serveFile(w, r, p)
	}
}

// hostAllowed reports whether the Host header names this machine by
// address or as localhost. A DNS-rebinding attack reaches the server
// under the attacker's own host name, which is refused.
func hostAllowed(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.EqualFold(h, "localhost") || net.ParseIP(h) != nil
}

// cleanPath returns the request's path when it is plain: no encoded dot,
// slash, backslash, percent or NUL in the raw form, no backslash, no empty,
// "." or ".." segment in the decoded form. Anything else is an attempt to
// leave the folder or to confuse a layer below, and is refused whole.
func cleanPath(r *http.Request) (string, bool) {
	raw := strings.ToLower(r.URL.EscapedPath())
	if uri := r.RequestURI; uri != "" && uri != "*" {
		raw += "\n" + strings.ToLower(uri)
	}
	for _, bad := range []string{"%2e", "%2f", "%5c", "%00", "%25", "\\", "\x00"} {
		if strings.Contains(raw, bad) {
			return "", false
		}
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "." || seg == ".." {
			return "", false
		}
	}
	return p, true
}

func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	page, errText := s.page, s.err
	s.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if page == nil {
		var csp string
		page, csp = s.errorPage(errText)
		h.Set("Content-Security-Policy", csp)
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(page))
}

// serveFile serves a regular, non-hidden file inside the folder.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, p string) {
	rel := strings.TrimPrefix(p, "/")
	for _, seg := range strings.Split(rel, "/") {
		if seg == "" || strings.HasPrefix(seg, ".") {
			http.NotFound(w, r) // hidden files (.git, .env) and folder paths
			return
		}
	}
	f, err := s.root.Open(rel)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.logf("refused %s: %v", p, err)
		}
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		http.NotFound(w, r) // no listings, no devices or pipes
		return
	}
	// A file of the folder is data, never a page of this origin: an HTML
	// file in the folder runs sandboxed, without access to the preview.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox")
	http.ServeContent(w, r, path.Base(rel), fi.ModTime(), f)
}

// serveEvents streams the deck's state, {"version": "…", "error": "…"}, as
// "state" events: once on connection, then after every build.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	if r.Method == http.MethodHead {
		return
	}
	c := make(chan struct{}, 1)
	s.mu.Lock()
	s.waiters[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.waiters, c)
		s.mu.Unlock()
	}()
	rc := http.NewResponseController(w)
	send := func() error {
		v, e := s.State()
		data, _ := json.Marshal(struct {
			Version string `json:"version"`
			Error   string `json:"error,omitempty"`
		}{v, e})
		if _, err := fmt.Fprintf(w, "event: state\ndata: %s\n\n", data); err != nil {
			return err
		}
		return rc.Flush()
	}
	// Reconnect quickly after a restart of foil serve.
	if _, err := fmt.Fprint(w, "retry: 500\n\n"); err != nil {
		return
	}
	if send() != nil {
		return
	}
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-c:
			if send() != nil {
				return
			}
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// errorPage is the page shown before the first good build: the error, and
// the deck's built-in script (with the framework's styles) to show it and
// to listen for the next build. It returns the page and its CSP.
func (s *Server) errorPage(errText string) (page []byte, csp string) {
	js, css := s.assets()
	sum := sha256.Sum256(js)
	csp = "default-src 'none'; style-src 'unsafe-inline'; connect-src 'self'; script-src 'sha256-" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
	var b bytes.Buffer
	b.WriteString("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>foil: the deck does not build</title>\n")
	fmt.Fprintf(&b, "<meta name=\"foil:live\" content=\"%s\" data-version=\"\" data-presenter=\"%s\">\n", EventsPath, PresenterPath)
	fmt.Fprintf(&b, "<style>%s</style>\n</head><body>\n<main class=\"deck\"></main>\n", css)
	// The script shows the error from the event stream; this copy is for
	// a browser without script.
	fmt.Fprintf(&b, "<noscript><pre>%s</pre></noscript>\n", html.EscapeString(errText))
	fmt.Fprintf(&b, "<script>%s</script>\n</body></html>\n", js)
	return b.Bytes(), csp
}

// assets returns the built-in js/foil.js and css/foil.css, loaded once.
func (s *Server) assets() (js, css []byte) {
	s.assetsOnce.Do(func() {
		set, err := layouts.Load(nil)
		if err != nil {
			return // cannot happen: embedded
		}
		s.js, _ = set.Asset("js/foil.js")
		s.css, _ = set.Asset("css/foil.css")
	})
	return s.js, s.css
}
