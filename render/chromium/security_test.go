package chromium

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// canary is an HTTP server on another loopback port that counts requests:
// it stands for an internal service a hostile document must not reach.
type canary struct {
	*httptest.Server
	hits atomic.Int64
}

func newCanary(t *testing.T, redirect string) *canary {
	c := &canary{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.hits.Add(1)
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, redirect, http.StatusFound)
		case "/img.png":
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write(tinyPNG)
		default:
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("canary secret"))
		}
	}))
	t.Cleanup(c.Close)
	return c
}

// tinyPNG is a 1x1 transparent PNG.
var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82")

// hostileBody tries every way we know to pull a local file or an internal
// URL into the output.
func hostileBody(canaryURL string) string {
	r := strings.NewReplacer("CANARY", canaryURL)
	return r.Replace(`
<iframe src="file:///etc/passwd" width="600" height="100"></iframe>
<img src="file:///etc/hostname" alt="">
<div style="width:10px;height:10px;background:url(file:///etc/passwd)"></div>
<object data="file:///etc/passwd" width="600" height="100"></object>
<embed src="file:///etc/passwd" width="600" height="100">
<img src="CANARY/img.png" alt="">
<link rel="stylesheet" href="CANARY/style.css">
<iframe src="CANARY/frame" width="600" height="100"></iframe>
<iframe src="CANARY/redirect" width="600" height="100"></iframe>
<script>
fetch("CANARY/fetch").catch(() => {});
fetch("file:///etc/passwd").then(r => r.text()).then(t => document.body.append(t)).catch(() => {});
const x = new XMLHttpRequest(); x.open("GET", "CANARY/xhr"); x.send();
try { new WebSocket(("CANARY/ws").replace("http", "ws")); } catch (e) {}
navigator.sendBeacon && navigator.sendBeacon("CANARY/beacon", "x");
window.open("CANARY/popup");
</script>
`)
}

func TestLocalOnly(t *testing.T) {
	secretDoc := "file:///etc/passwd"
	c := newCanary(t, secretDoc)
	b := newTestBrowser(t, Options{})
	doc := testDeck(deckOptions{Slides: 2, Body: hostileBody(c.URL)})

	var buf bytes.Buffer
	warnings, err := b.PDF(context.Background(), doc, PDFOptions{}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("warnings: %q", warnings)
	checkNoLocalContent(t, readPDF(t, buf.Bytes()))
	if n := c.hits.Load(); n != 0 {
		t.Errorf("canary got %d requests, want 0", n)
	}
	want := "blocked request to " + c.URL + "/img.png (use --allow-remote for http(s) images)"
	if !contains(warnings, want) {
		t.Errorf("warnings %q lack %q", warnings, want)
	}

	pngs, warnings, err := b.PNG(context.Background(), doc, PNGOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pngs) != 2 || !contains(warnings, want) {
		t.Errorf("png: got %d images and warnings %q, want 2 and %q", len(pngs), warnings, want)
	}
	if n := c.hits.Load(); n != 0 {
		t.Errorf("canary got %d requests, want 0", n)
	}
}

func TestAllowRemote(t *testing.T) {
	b := newTestBrowser(t, Options{AllowRemote: true})
	// A remote page redirecting to another document on our own server
	// must not get through, nor one redirecting to a local file.
	other, remove := b.srv.add([]byte("<p>other document secret</p>"))
	defer remove()
	toOther := newCanary(t, other)
	toFile := newCanary(t, "file:///etc/passwd")
	body := hostileBody(toOther.URL) + `<iframe src="` + toFile.URL + `/redirect"></iframe>` +
		`<iframe src="` + other + `"></iframe>`
	doc := testDeck(deckOptions{Slides: 2, Body: body})

	var buf bytes.Buffer
	warnings, err := b.PDF(context.Background(), doc, PDFOptions{}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("warnings: %q", warnings)
	d := readPDF(t, buf.Bytes())
	checkNoLocalContent(t, d)
	for i, p := range d.Pages {
		if strings.Contains(p.Text, "other document secret") {
			t.Errorf("page %d shows another document served by our server: %q", i+1, p.Text)
		}
	}
	if n := toOther.hits.Load(); n == 0 {
		t.Errorf("remote server got no request with AllowRemote")
	}
	if want := "blocked request to " + other; !contains(warnings, want) {
		t.Errorf("warnings %q lack %q", warnings, want)
	}
}

// checkNoLocalContent fails t when text from /etc/passwd or /etc/hostname
// shows in d.
func checkNoLocalContent(t *testing.T, d *pdfDoc) {
	t.Helper()
	secrets := []string{"root:", "/bin/", "nologin", "canary secret"}
	if h, err := os.ReadFile("/etc/hostname"); err == nil && len(strings.TrimSpace(string(h))) > 3 {
		secrets = append(secrets, strings.TrimSpace(string(h)))
	}
	for i, p := range d.Pages {
		for _, s := range secrets {
			if strings.Contains(p.Text, s) {
				t.Errorf("page %d contains %q: %q", i+1, s, p.Text)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestReusedPage: a page that printed one document serves the next (see
// park); the fences hold there too, and nothing of the first document
// reaches the second's PDF.
func TestReusedPage(t *testing.T) {
	c := newCanary(t, "file:///etc/passwd")
	b := newTestBrowser(t, Options{})
	first := testDeck(deckOptions{Slides: 2, Body: "<p>first document marker</p>"})
	var buf bytes.Buffer
	if _, err := b.PDF(context.Background(), first, PDFOptions{}, &buf); err != nil {
		t.Fatal(err)
	}
	b.spareMu.Lock()
	parked := len(b.parkedPages)
	b.spareMu.Unlock()
	if parked != 1 {
		t.Fatalf("%d pages parked after one PDF, want 1", parked)
	}
	buf.Reset()
	warnings, err := b.PDF(context.Background(), testDeck(deckOptions{Slides: 3, Body: hostileBody(c.URL)}), PDFOptions{}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	d := readPDF(t, buf.Bytes())
	checkNoLocalContent(t, d)
	if n := c.hits.Load(); n != 0 {
		t.Errorf("canary got %d requests on a reused page, want 0", n)
	}
	if want := "blocked request to " + c.URL + "/img.png (use --allow-remote for http(s) images)"; !contains(warnings, want) {
		t.Errorf("warnings %q lack %q", warnings, want)
	}
	if len(d.Pages) != 3 {
		t.Errorf("%d pages, want 3", len(d.Pages))
	}
	for _, p := range d.Pages {
		if strings.Contains(p.Text, "first document marker") {
			t.Error("the first document's text is in the second PDF")
		}
	}
}
