package chromium

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// docServer serves documents to the browser from a private loopback port,
// each under a random path. A data: URL would need no server but fails
// above ~2 MB, which a deck with inlined images easily exceeds.
type docServer struct {
	srv  *http.Server
	base string // "http://127.0.0.1:PORT"
	port string
	csp  string

	mu   sync.Mutex
	docs map[string][]byte // path -> document
}

// Content-Security-Policy sent with every document, a second fence behind
// request interception: it also covers what interception cannot see
// (WebSockets) and stops requests before they are made.
const (
	cspLocal = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; " +
		"style-src 'unsafe-inline' data:; img-src data: blob:; font-src data:; media-src data: blob:; " +
		"frame-src data:; connect-src 'none'; worker-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
	cspRemote = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' http: https:; " +
		"style-src 'unsafe-inline' data: http: https:; img-src data: blob: http: https:; font-src data: http: https:; " +
		"media-src data: blob: http: https:; frame-src data: http: https:; connect-src http: https:; " +
		"worker-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)

func newDocServer(allowRemote bool) (*docServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &docServer{
		base: "http://" + ln.Addr().String(),
		port: strconv.Itoa(ln.Addr().(*net.TCPAddr).Port),
		csp:  cspLocal,
		docs: map[string][]byte{},
	}
	if allowRemote {
		s.csp = cspRemote
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// add publishes doc and returns its URL and a function that withdraws it.
func (s *docServer) add(doc []byte) (url string, remove func()) {
	var token [16]byte
	_, _ = rand.Read(token[:]) // never fails (crypto/rand docs)
	path := "/" + hex.EncodeToString(token[:]) + "/index.html"
	s.mu.Lock()
	s.docs[path] = doc
	s.mu.Unlock()
	return s.base + path, func() {
		s.mu.Lock()
		delete(s.docs, path)
		s.mu.Unlock()
	}
}

func (s *docServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	doc, ok := s.docs[r.URL.Path]
	s.mu.Unlock()
	if !ok || r.URL.RawQuery != "" {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(doc)))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodGet {
		_, _ = w.Write(doc)
	}
}

func (s *docServer) close() error {
	return s.srv.Close()
}
