package chromium

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// session is one document loaded in a page of its own.
type session struct {
	b    *Browser
	page *rod.Page // bound to the session's context
	url  string    // the only http URL the page may load from our server

	stop   context.CancelFunc // ends the interception loop
	remove func()             // withdraws the document from the server

	// loopDone is closed when the event loop has ended and rod has put
	// the domains it enabled back (it disables Log then: a parked page
	// must not have that happen during its next document).
	loopDone chan struct{}

	// printing: the page is laid out for print and nothing else (see
	// forPrint), so it can serve the next such document; keep: this one
	// went well, so its page may.
	printing, keep bool

	mu       sync.Mutex
	warnings []string
	seen     map[string]bool
}

var (
	// errClosed is returned for calls on a closed Browser.
	errClosed = errors.New("browser is closed")
	// errExited is returned when the browser process died under us.
	errExited = errors.New("browser process exited unexpectedly")
)

// forPrint is the setup of pages that print: print media from the start,
// so the page is laid out as printToPDF lays it out, fit.js fits slides to
// that, and a thumbnail is a clip of the same layout (no relayout between
// the PDF and the image). Such pages are parked and reused (see park).
func forPrint(ctx context.Context, p *rod.Page) error {
	return proto.EmulationSetEmulatedMedia{Media: "print"}.Call(p.Context(ctx))
}

// open loads doc in a new page. setup, if not nil, runs on the blank page
// before the document loads (viewport, media emulation). The caller must
// call s.close.
func (b *Browser) open(ctx context.Context, doc []byte, setup func(context.Context, *rod.Page) error) (*session, error) {
	return b.openPage(ctx, doc, setup, false)
}

// openPrint loads doc in a page laid out for print (forPrint), a parked
// one when there is one.
func (b *Browser) openPrint(ctx context.Context, doc []byte) (*session, error) {
	return b.openPage(ctx, doc, forPrint, true)
}

func (b *Browser) openPage(ctx context.Context, doc []byte, setup func(context.Context, *rod.Page) error, printing bool) (*session, error) {
	if b.ctx.Err() != nil {
		return nil, errClosed
	}
	if b.processGone() {
		return nil, errExited
	}
	// Bind the page to both the call's context and the browser's lifetime.
	ctx, stop := context.WithCancel(ctx)
	unlink := context.AfterFunc(b.ctx, stop)
	s := &session{b: b, seen: map[string]bool{}, printing: printing}
	s.stop = func() { unlink(); stop() }
	s.url, s.remove = b.srv.add(doc)

	t0 := time.Now()
	var err error
	page, parked := b.parked(ctx, printing)
	if !parked {
		page, err = b.takePage(ctx)
	}
	if err != nil {
		s.close()
		return nil, b.callErr(ctx, "opening page", err)
	}
	s.page = page
	b.logf("chromium: page ready in %v", time.Since(t0).Round(time.Millisecond))

	// Every request of the page, redirects included, stops here first.
	if err := (proto.FetchEnable{Patterns: []*proto.FetchRequestPattern{{URLPattern: "*"}}}).Call(page); err != nil {
		s.close()
		return nil, b.callErr(ctx, "enabling request interception", err)
	}
	// Console messages name the requests Chromium refuses by itself (see
	// logEntry). Enabled here rather than by EachEvent, whose loop turns
	// the domain off when it ends, with a context that has ended by then:
	// a parked page came back with no console messages (TestReusedPage).
	// Cleared first: enabling replays the entries collected so far.
	if err := (proto.LogClear{}).Call(page); err != nil {
		s.close()
		return nil, b.callErr(ctx, "enabling console messages", err)
	}
	if err := (proto.LogEnable{}).Call(page); err != nil {
		s.close()
		return nil, b.callErr(ctx, "enabling console messages", err)
	}
	// EachEvent subscribes here, before the document loads; the loop runs
	// until the session's context ends.
	loop := page.EachEvent(func(e *proto.FetchRequestPaused) {
		go s.intercept(e)
	}, func(e *proto.LogEntryAdded) {
		s.logEntry(e.Entry)
	})
	s.loopDone = make(chan struct{})
	go func() {
		defer close(s.loopDone)
		loop()
	}()

	if setup != nil && !parked {
		if err := setup(ctx, page); err != nil {
			s.close()
			return nil, b.callErr(ctx, "setting up page", err)
		}
	}
	if err := s.load(ctx); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// newPage opens a blank tab bound to ctx.
func (b *Browser) newPage(ctx context.Context) (*rod.Page, error) {
	rb := b.rod.Context(ctx)
	// A window of its own keeps the tab visible: in a hidden tab (any tab
	// but the newest of a window) Chromium stops rendering and
	// img.decode() never settles, which stalled concurrent exports.
	target, err := proto.TargetCreateTarget{URL: "about:blank", NewWindow: true}.Call(rb)
	if err != nil {
		return nil, err
	}
	page, err := rb.PageFromTarget(target.TargetID)
	if err != nil {
		b.closeTarget(target.TargetID)
		return nil, err
	}
	return page, nil
}

// spareTab is a blank tab being made ahead of time; page is set (or left
// nil on failure) before ready is closed.
type spareTab struct {
	ready chan struct{}
	page  *rod.Page
}

// takePage returns the spare blank tab, waiting for it when it is still
// being made, or else a new tab; then it starts making the next spare.
//
// A new tab costs a renderer process and several round trips: 140-300 ms
// of the 250-450 ms that printing a 50-slide deck takes in a warm browser
// (measured on 2 busy CPUs), so a site build printing deck after deck
// saves about a third, and the first tab overlaps with what the caller does
// after New. Close disposes of an unused spare with the process.
func (b *Browser) takePage(ctx context.Context) (*rod.Page, error) {
	b.spareMu.Lock()
	sp := b.spare
	b.spare = nil
	b.spareMu.Unlock()
	defer b.makeSpare()
	if sp != nil {
		select {
		case <-sp.ready:
			if sp.page != nil {
				return sp.page.Context(ctx), nil
			}
		case <-ctx.Done():
			go func() { // not wasted: the next call gets it
				<-sp.ready
				b.spareMu.Lock()
				if b.spare == nil {
					b.spare = sp
					sp = nil
				}
				b.spareMu.Unlock()
				if sp != nil && sp.page != nil {
					b.closeTarget(sp.page.TargetID)
				}
			}()
			return nil, ctx.Err()
		}
	}
	return b.newPage(ctx)
}

// makeSpare starts making a blank tab for the next takePage, unless one is
// on its way.
func (b *Browser) makeSpare() {
	b.spareMu.Lock()
	defer b.spareMu.Unlock()
	if b.spare != nil || b.ctx.Err() != nil {
		return
	}
	sp := &spareTab{ready: make(chan struct{})}
	b.spare = sp
	go func() {
		defer close(sp.ready)
		if p, err := b.newPage(b.ctx); err == nil {
			sp.page = p
		}
	}()
}

// closeTarget closes a tab, also after the context it was used with ended.
func (b *Browser) closeTarget(id proto.TargetTargetID) {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	_, _ = proto.TargetCloseTarget{TargetID: id}.Call(b.rod.Context(ctx))
}

// callErr wraps err from a DevTools call, preferring the reason the call
// was cut short when there is one: Close, the caller's context, or the
// browser process gone.
func (b *Browser) callErr(ctx context.Context, what string, err error) error {
	switch {
	case b.ctx.Err() != nil:
		return fmt.Errorf("%s: %w", what, errClosed)
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %w", what, context.Cause(ctx))
	}
	// A dead browser shows as EOF on the DevTools socket; the process exit
	// is noticed a moment later.
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b.processGone() {
			return fmt.Errorf("%s: %w (%v)", what, errExited, err)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

func (s *session) close() {
	s.stop()
	s.remove()
	loopEnded := false
	if s.loopDone != nil {
		select {
		case <-s.loopDone:
			loopEnded = true
		case <-time.After(2 * time.Second):
		}
	}
	if s.page != nil && !(s.printing && s.keep && loopEnded && s.b.park(s.page)) {
		s.b.closeTarget(s.page.TargetID)
	}
}

// maxParked bounds the pages kept for reuse: about the number of documents
// printed at once.
const maxParked = 8

// park keeps a page that printed a document for the next one: blank, laid
// out for print, its interception still on. A new page costs a renderer process and 140-600 ms
// (see takePage); 10 decks in one foil pdf took 3.3 s with new pages for
// each, 2.7 s with parked ones (BenchmarkPDFBatch, same machine). It reports
// whether the page was kept.
func (b *Browser) park(p *rod.Page) bool {
	if b.ctx.Err() != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	// Leave nothing of the last document behind: no DOM, no script.
	if _, err := (proto.PageNavigate{URL: "about:blank"}).Call(p.Context(ctx)); err != nil {
		return false
	}
	b.spareMu.Lock()
	defer b.spareMu.Unlock()
	if len(b.parkedPages) >= maxParked {
		return false
	}
	b.parkedPages = append(b.parkedPages, p.Context(b.ctx))
	return true
}

// parked returns a parked page for a document to print, if there is one.
func (b *Browser) parked(ctx context.Context, printing bool) (*rod.Page, bool) {
	if !printing {
		return nil, false
	}
	b.spareMu.Lock()
	defer b.spareMu.Unlock()
	n := len(b.parkedPages)
	if n == 0 {
		return nil, false
	}
	p := b.parkedPages[n-1]
	b.parkedPages = b.parkedPages[:n-1]
	return p.Context(ctx), true
}

// load navigates to the document and waits until it is ready to print:
// DOM parsed, web fonts loaded, every <img> decoded, load event fired.
// All of it is bounded by Options.Timeout; the error names the step.
func (s *session) load(ctx context.Context) error {
	timeout := s.b.opts.Timeout
	lctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	p := s.page.Context(lctx)

	step := "loading document"
	t0 := time.Now()
	mark := func(next string) {
		s.b.logf("chromium: %s took %v", step, time.Since(t0).Round(time.Millisecond))
		step = next
	}
	fail := func(err error) error {
		if ctx.Err() == nil && lctx.Err() != nil && s.b.ctx.Err() == nil {
			return fmt.Errorf("%s: timeout after %v", step, timeout)
		}
		return s.b.callErr(ctx, step, err)
	}

	domReady := p.WaitEvent(&proto.PageDomContentEventFired{})
	res, err := proto.PageNavigate{URL: s.url}.Call(p)
	if err != nil {
		return fail(err)
	}
	if res.ErrorText != "" {
		return fail(errors.New(res.ErrorText))
	}
	domReady()
	if lctx.Err() != nil {
		return fail(lctx.Err())
	}

	// Images first: in Chromium document.fonts.ready also waits for the
	// document to finish loading, so a hanging image would be blamed on
	// fonts. Lazy images off screen would never load; decode() waits for
	// loading.
	mark("waiting for images")
	if _, err := evaluate(p, `Promise.all([...document.images].map(i => {
		if (i.loading === "lazy") i.loading = "eager";
		return i.decode().catch(() => {});
	})).then(() => true)`); err != nil {
		return fail(err)
	}
	mark("waiting for fonts")
	if _, err := evaluate(p, `document.fonts.ready.then(() => true)`); err != nil {
		return fail(err)
	}
	// Background images, iframes, style sheets.
	mark("waiting for load event")
	if _, err := evaluate(p, `document.readyState === "complete" ||
		new Promise(r => addEventListener("load", () => r(true), {once: true}))`); err != nil {
		return fail(err)
	}
	// fit.js (layouts/js/fit.js) shrinks slides marked fit once fonts and
	// images are in; it marks <html data-fitted="false"> until it is done.
	mark("waiting for fit")
	if _, err := evaluate(p, fitDone); err != nil {
		return fail(err)
	}
	mark("")
	return nil
}

// fitDone waits for fit.js when the document has it.
const fitDone = `document.documentElement.getAttribute("data-fitted") !== "false" || new Promise(r => {
	const o = new MutationObserver(() => {
		if (document.documentElement.getAttribute("data-fitted") !== "false") { o.disconnect(); r(true); }
	});
	o.observe(document.documentElement, {attributes: true, attributeFilter: ["data-fitted"]});
})`

// evaluate runs js in the page's main frame, awaits a promise result and
// returns the value as JSON.
func evaluate(p *rod.Page, js string) (json.RawMessage, error) {
	res, err := proto.RuntimeEvaluate{Expression: js, AwaitPromise: true, ReturnByValue: true}.Call(p)
	if err != nil {
		return nil, err
	}
	if res.ExceptionDetails != nil {
		msg := res.ExceptionDetails.Text
		if ex := res.ExceptionDetails.Exception; ex != nil && ex.Description != "" {
			msg = ex.Description
		}
		return nil, fmt.Errorf("script error: %s", msg)
	}
	return json.RawMessage(res.Result.Value.JSON("", "")), nil
}

// intercept decides on one paused request: continue it when allowed,
// fail it with BlockedByClient and record a warning otherwise.
func (s *session) intercept(e *proto.FetchRequestPaused) {
	u := e.Request.URL
	if s.allowed(u) {
		_ = proto.FetchContinueRequest{RequestID: e.RequestID}.Call(s.page)
		return
	}
	if u != s.b.srv.base+"/favicon.ico" { // the browser's own request
		s.warnf("blocked request to %s%s", shorten(u), s.hint(u))
	}
	_ = proto.FetchFailRequest{RequestID: e.RequestID, ErrorReason: proto.NetworkErrorReasonBlockedByClient}.Call(s.page)
}

// Requests that Chromium refuses before interception sees them, by its own
// rules (file: from an http page) or by our Content-Security-Policy, show
// only as console messages. Their wording has been stable for years; a
// change would cost warnings, not safety.
var (
	localResource = regexp.MustCompile(`^Not allowed to load local resource: (\S+)`)
	cspViolation  = regexp.MustCompile(`^\w+(?: \w+)* '([^']+)' violates the following Content Security Policy`)
)

// logEntry turns a console message about a refused request into a warning.
func (s *session) logEntry(e *proto.LogLogEntry) {
	if e == nil || e.Level != proto.LogLogEntryLevelError {
		return
	}
	m := localResource.FindStringSubmatch(e.Text)
	if m == nil {
		m = cspViolation.FindStringSubmatch(e.Text)
	}
	if m == nil {
		return
	}
	s.warnf("blocked request to %s%s", shorten(m[1]), s.hint(m[1]))
}

// allowed is the allow-list: our document, data: URLs and, with
// AllowRemote, http(s) anywhere but other paths of our own server.
func (s *session) allowed(raw string) bool {
	if raw == s.url {
		return true
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data":
		return true
	case "http", "https":
		return s.b.opts.AllowRemote && !s.ourServer(u)
	}
	return false
}

// ourServer reports whether u points at our document server under any
// loopback name.
func (s *session) ourServer(u *url.URL) bool {
	if u.Port() != s.b.srv.port {
		return false
	}
	h := u.Hostname()
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

func (s *session) hint(raw string) string {
	if s.b.opts.AllowRemote {
		return ""
	}
	if strings.HasPrefix(raw, "http:") || strings.HasPrefix(raw, "https:") {
		return " (use --allow-remote for http(s) images)"
	}
	return ""
}

func (s *session) warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[msg] {
		return
	}
	s.seen[msg] = true
	s.warnings = append(s.warnings, msg)
}

func (s *session) takeWarnings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.warnings...)
}

// shorten keeps warnings readable when a URL is huge.
func shorten(u string) string {
	const max = 200
	if len(u) <= max {
		return u
	}
	return u[:max] + "…"
}
