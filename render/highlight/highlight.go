package highlight

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
)

const (
	// defaultMaxBytes bounds the work per block. Chroma's regexp lexers are roughly
	// linear on ordinary code (BenchmarkCode: a 40-line, 1.1 KB Go block takes ~0.9 ms
	// on a 2-core VM), so 256 KiB is ~200 ms: far larger than anything readable on a
	// slide, small enough that an abandoned tokeniser (see Code) cannot run long.
	defaultMaxBytes = 256 << 10
	// defaultTimeout is per block. It is generous because the first block in a
	// language also compiles that lexer's rules (0.7-2.5 ms measured for go, yaml,
	// python, bash, javascript); it only has to stop a pathological lexer from holding
	// up a whole deck.
	defaultTimeout = 500 * time.Millisecond
	// maxLang: a longer fence language is not looked up (no lexer name comes close),
	// since a miss scans every lexer's file globs with the name.
	maxLang = 64
	// maxCached bounds the lexer cache; a deck names a handful of languages.
	maxCached = 256
	// tabWidth is 4 rather than the browser's 8: slides are narrow.
	tabWidth = 4
)

// Options configure a Highlighter. The zero value is useful.
type Options struct {
	// MaxBytes: blocks larger than this are not highlighted (written plain, with a
	// *Fallback error). Zero or less means 256 KiB.
	MaxBytes int
	// Timeout is the budget to tokenise and format one block. Zero or less means 500ms.
	Timeout time.Duration
}

// A Highlighter writes highlighted code blocks and their stylesheet.
// It is safe for concurrent use.
type Highlighter struct {
	maxBytes int
	timeout  time.Duration
	light    *chroma.Style
	dark     *chroma.Style

	// lexer finds the lexer for a fence's language, nil if none; tests replace it
	// to exercise the panic and timeout paths with a misbehaving lexer.
	lexer func(lang string) chroma.Lexer

	mu     sync.Mutex
	cached map[string]chroma.Lexer // lexer's answers, misses (nil) included

	// done remembers highlighted blocks. Decks repeat code (the same snippet
	// on a build-up of slides), and foil serve re-renders a deck on every
	// save: tokenising is most of the time of an HTML build (BenchmarkHTML,
	// 200 slides: 18 of 39 ms CPU before this cache), looking up is free.
	done      map[[sha256.Size]byte][]byte
	doneBytes int
}

// maxDoneBytes bounds the block cache of a Highlighter.
const maxDoneBytes = 16 << 20

// New returns a Highlighter with options o.
func New(o Options) *Highlighter {
	h := &Highlighter{
		maxBytes: o.MaxBytes,
		timeout:  o.Timeout,
		light:    chroma.MustNewStyle("foil-light", lightEntries()),
		dark:     chroma.MustNewStyle("foil-dark", darkEntries()),
		lexer:    lookup,
	}
	if h.maxBytes <= 0 {
		h.maxBytes = defaultMaxBytes
	}
	if h.timeout <= 0 {
		h.timeout = defaultTimeout
	}
	return h
}

// lookup maps a fence language to a chroma lexer, nil if there is none.
//
// chroma's registry answers a name or alias from a map (10-20 ns, BenchmarkLexer/hit
// and /alias), but a miss falls through to matching "filename.<lang>" and "<lang>"
// against every lexer's file globs: 8.8 ms per call (BenchmarkLexer/miss). Fences
// labelled "mermaid" or "output" would pay that on every block, hence the cache in
// lexerFor. The registry itself costs package init time (it parses all lexer
// definitions: 5.6 ms here with GODEBUG=inittrace=1, ~17 ms on slower machines), paid
// by any binary importing this package; rules compile lazily on first use.
func lookup(lang string) chroma.Lexer {
	if lang == "" || len(lang) > maxLang {
		return nil
	}
	return lexers.Get(lang)
}

// lexerFor is h.lexer, cached per Highlighter.
func (h *Highlighter) lexerFor(lang string) chroma.Lexer {
	h.mu.Lock()
	l, ok := h.cached[lang]
	h.mu.Unlock()
	if ok {
		return l
	}
	l = h.lexer(lang)
	h.mu.Lock()
	if h.cached == nil {
		h.cached = make(map[string]chroma.Lexer)
	}
	if len(h.cached) < maxCached {
		h.cached[lang] = l
	}
	h.mu.Unlock()
	return l
}

// Fallback is the error Code returns when it wrote a block plain instead of highlighted.
// The block is still in the output; the caller reports the error as a warning.
type Fallback struct {
	Lang   string // the fence's language
	Reason string // why, e.g. "lexer panicked: runtime error: index out of range"
}

func (e *Fallback) Error() string {
	lang := e.Lang
	if lang == "" {
		lang = "plain"
	}
	return fmt.Sprintf("%s code not highlighted: %s", lang, e.Reason)
}

// Code writes one <pre class="chroma"><code> block for code in language lang (a
// chroma name or alias such as "go", "yaml", "sh"; "" or an unknown name gives plain
// text, still split into lines so hl works). hl lists 1-based lines to emphasise; lines
// outside the block are ignored.
//
// Code never panics. On a lexer panic, a timeout or an oversized block it writes the
// code plain and escaped in <pre class="chroma"><code> and returns a *Fallback saying
// why. Any other error is from w.
//
// On a timeout the tokenising goroutine cannot be stopped (chroma takes no context);
// it is abandoned and finishes in the background, its result discarded. Its work is
// bounded by MaxBytes, and each chroma regexp match by chroma's own 250ms limit.
func (h *Highlighter) Code(w io.Writer, lang, code string, hl []int) error {
	if len(code) > h.maxBytes {
		return h.plain(w, &Fallback{Lang: lang, Reason: fmt.Sprintf("block is %d bytes, over the %d-byte limit", len(code), h.maxBytes)}, code)
	}
	key := blockKey(lang, code, hl)
	h.mu.Lock()
	out, ok := h.done[key]
	h.mu.Unlock()
	if ok {
		_, err := w.Write(out)
		return err
	}
	lexer := h.lexerFor(lang)
	if lexer == nil {
		lexer = lexers.Fallback
	}

	type result struct {
		buf   []byte
		fault *Fallback
	}
	// Buffered, so an abandoned goroutine can still send and exit.
	done := make(chan result, 1)
	go func() {
		var buf bytes.Buffer
		fault := h.format(&buf, lang, lexer, code, hl)
		done <- result{buf.Bytes(), fault}
	}()

	timer := time.NewTimer(h.timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.fault != nil {
			return h.plain(w, r.fault, code)
		}
		h.remember(key, r.buf)
		_, err := w.Write(r.buf)
		return err
	case <-timer.C:
		return h.plain(w, &Fallback{Lang: lang, Reason: fmt.Sprintf("highlighting took longer than %v", h.timeout)}, code)
	}
}

// format tokenises and formats code into buf, turning a panic into a *Fallback.
// Chroma documents that iterators report errors by panicking (iterator.go), and its
// regexp lexers panic when a match exceeds their time limit, so this is not only
// for bugs.
func (h *Highlighter) format(buf *bytes.Buffer, lang string, lexer chroma.Lexer, code string, hl []int) (fault *Fallback) {
	stage := "lexer"
	defer func() {
		if v := recover(); v != nil {
			fault = &Fallback{Lang: lang, Reason: fmt.Sprintf("%s panicked: %v", stage, v)}
		}
	}()
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return &Fallback{Lang: lang, Reason: err.Error()}
	}
	// Drain the iterator here rather than inside Format, so that a panic is
	// attributed to the lexer and nothing has been written yet.
	tokens := it.Tokens()
	stage = "formatter"
	f := h.formatter(ranges(hl))
	if err := f.Format(buf, h.light, chroma.Literator(tokens...)); err != nil {
		return &Fallback{Lang: lang, Reason: err.Error()}
	}
	return nil
}

// formatter returns a chroma HTML formatter for one block. Formatters are cheap to
// make and carry the block's highlighted ranges, so one is made per block; the style
// passed to Format only matters for inline styles, which we do not use.
func (h *Highlighter) formatter(hl [][2]int) *chromahtml.Formatter {
	return chromahtml.New(
		chromahtml.WithClasses(true),
		chromahtml.TabWidth(tabWidth),
		chromahtml.HighlightLines(hl),
	)
}

// plain writes code escaped in the same wrapper as a highlighted block, so the layout's
// CSS applies to both, and returns fault (or w's error).
func (h *Highlighter) plain(w io.Writer, fault *Fallback, code string) error {
	if _, err := io.WriteString(w, `<pre class="chroma"><code>`+html.EscapeString(code)+"</code></pre>"); err != nil {
		return err
	}
	return fault
}

// ranges turns line numbers into the sorted, merged ranges chroma expects.
func ranges(lines []int) [][2]int {
	rs := make([][2]int, 0, len(lines))
	for _, n := range lines {
		if n >= 1 {
			rs = append(rs, [2]int{n, n})
		}
	}
	return mergeRanges(rs)
}

// mergeRanges sorts rs and merges overlapping or adjacent ranges, in place.
func mergeRanges(rs [][2]int) [][2]int {
	slices.SortFunc(rs, func(a, b [2]int) int { return a[0] - b[0] })
	out := rs[:0]
	for _, r := range rs {
		if k := len(out) - 1; k >= 0 && r[0] <= out[k][1]+1 {
			out[k][1] = max(out[k][1], r[1])
			continue
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// CSS writes the one stylesheet for all code blocks: the light palette, or the dark
// one if dark is set. Rules are scoped to .chroma, so the slide CSS around them is
// untouched.
func (h *Highlighter) CSS(w io.Writer, dark bool) error {
	style := h.light
	if dark {
		style = h.dark
	}
	// A highlight range makes chroma add display:grid to .chroma, which stretches a
	// highlighted line's background across the block. Every block must share this
	// stylesheet, so ask for it unconditionally.
	f := chromahtml.New(
		chromahtml.WithClasses(true),
		chromahtml.WithCSSComments(false),
		chromahtml.TabWidth(tabWidth),
		chromahtml.HighlightLines([][2]int{{1, 1}}),
	)
	var buf strings.Builder
	if err := f.WriteCSS(&buf, style); err != nil {
		return err
	}
	_, err := io.WriteString(w, buf.String())
	return err
}

func blockKey(lang, code string, hl []int) [sha256.Size]byte {
	d := sha256.New()
	fmt.Fprintf(d, "%s\x00%v\x00", lang, hl)
	d.Write([]byte(code))
	var k [sha256.Size]byte
	d.Sum(k[:0])
	return k
}

// remember caches a highlighted block while the cache is under its bound.
func (h *Highlighter) remember(key [sha256.Size]byte, out []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.doneBytes+len(out) > maxDoneBytes {
		return
	}
	if h.done == nil {
		h.done = make(map[[sha256.Size]byte][]byte)
	}
	h.done[key] = out
	h.doneBytes += len(out)
}
