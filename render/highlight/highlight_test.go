package highlight

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"

	goldenfile "github.com/foil-slides/foil/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// golden compares got with testdata/<test name>.golden, or rewrites it with -update.
func golden(t *testing.T, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", filepath.FromSlash(t.Name())+".golden"), []byte(got), *update)
}

// badLexer misbehaves on purpose: its iterator calls do, which panics or blocks.
type badLexer struct {
	chroma.Lexer // nil: only Tokenise is called
	do           func()
}

func (l badLexer) Tokenise(*chroma.TokeniseOptions, string) (chroma.Iterator, error) {
	return func() chroma.Token { l.do(); return chroma.EOF }, nil
}

const goCode = `package main

import "fmt"

// main greets.
func main() {
	fmt.Println("hello, 世界", 42)
}
`

func TestCode(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // lets the abandoned goroutine of "timeout" finish

	tests := []struct {
		name    string
		opts    Options
		lexer   func(string) chroma.Lexer // nil: the real lookup
		lang    string
		code    string
		hl      []int
		wantErr string // "" for nil
	}{
		{name: "go", lang: "go", code: goCode},
		{name: "alias", lang: "golang", code: "x := 1\n"},
		{name: "yaml", lang: "yaml", code: "title: Talk\ntags: [a, b] # two\n"},
		{name: "unknown", lang: "nosuchlanguage", code: "just <text>\n"},
		{name: "nolang", lang: "", code: "plain\ntext\n"},
		{name: "empty", lang: "go", code: ""},
		{name: "highlight", lang: "go", code: goCode, hl: []int{6, 7, 3}},
		{name: "highlight_out_of_range", lang: "go", code: "a\nb\n", hl: []int{0, 2, 9}},
		{name: "escape", lang: "html", code: "<script>alert(\"x&y\")</script>\n"},
		{name: "escape_plain", lang: "", code: "</code></pre><script>alert(1)</script>\n"},
		{
			name: "oversized", opts: Options{MaxBytes: 8}, lang: "go", code: "<b>package main</b>\n",
			wantErr: "go code not highlighted: block is 20 bytes, over the 8-byte limit",
		},
		{
			name: "panic", lang: "go", code: "a < b\n",
			lexer:   func(string) chroma.Lexer { return badLexer{do: func() { panic("boom") }} },
			wantErr: "go code not highlighted: lexer panicked: boom",
		},
		{
			name: "timeout", opts: Options{Timeout: 10 * time.Millisecond}, lang: "", code: "a < b\n",
			lexer:   func(string) chroma.Lexer { return badLexer{do: func() { <-release }} },
			wantErr: "plain code not highlighted: highlighting took longer than 10ms",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(tt.opts)
			if tt.lexer != nil {
				h.lexer = tt.lexer
			}
			var buf bytes.Buffer
			err := h.Code(&buf, tt.lang, tt.code, tt.hl)
			got := buf.String()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Code: %v", err)
				}
			} else {
				var fb *Fallback
				if !errors.As(err, &fb) {
					t.Fatalf("Code error = %v, want a *Fallback", err)
				}
				if err.Error() != tt.wantErr {
					t.Errorf("Code error\ngot  %q\nwant %q", err.Error(), tt.wantErr)
				}
			}
			if !strings.HasPrefix(got, `<pre class="chroma"><code>`) || !strings.HasSuffix(got, "</code></pre>") {
				t.Errorf("not a <pre class=\"chroma\"><code> block: %q", got)
			}
			if strings.Contains(got, "<script") || strings.Contains(got, "style=") {
				t.Errorf("unescaped code or inline style in output: %q", got)
			}
			golden(t, got)
		})
	}
}

// TestCodeHighlightClasses checks the contract with the layout CSS directly, so
// that it does not rest on someone reviewing a golden diff.
func TestCodeHighlightClasses(t *testing.T) {
	var buf bytes.Buffer
	if err := New(Options{}).Code(&buf, "go", "a\nb\nc\n", []int{2}); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(buf.String(), `class="line hl"`), 1; got != want {
		t.Errorf("%d highlighted lines, want %d: %q", got, want, buf.String())
	}
	if got, want := strings.Count(buf.String(), `<span class="line`), 3; got != want {
		t.Errorf("%d lines, want %d: %q", got, want, buf.String())
	}
}

func TestCSS(t *testing.T) {
	h := New(Options{})
	for _, tt := range []struct {
		name string
		dark bool
	}{{"light", false}, {"dark", true}} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := h.CSS(&buf, tt.dark); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{".chroma {", ".chroma .hl {", ".chroma .k {", "display:grid"} {
				if !strings.Contains(strings.ReplaceAll(buf.String(), "display: grid", "display:grid"), want) {
					t.Errorf("CSS lacks %q", want)
				}
			}
			golden(t, buf.String())
		})
	}
}

// TestLexerCached: an unknown language is looked up once (a miss costs ~9 ms).
func TestLexerCached(t *testing.T) {
	h := New(Options{})
	calls := 0
	h.lexer = func(lang string) chroma.Lexer { calls++; return lookup(lang) }
	for range 3 {
		if err := h.Code(io.Discard, "mermaid", "graph TD\n", nil); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Errorf("looked up %d times, want 1", calls)
	}
}

// TestConcurrent runs Highlighters with different options side by side (go test -race).
func TestConcurrent(t *testing.T) {
	small, big := New(Options{MaxBytes: 10}), New(Options{})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			h, wantErr := big, false
			if i%2 == 0 {
				h, wantErr = small, true
			}
			var buf bytes.Buffer
			if err := h.Code(&buf, "go", goCode, []int{2}); (err != nil) != wantErr {
				t.Errorf("Code error = %v, want error %v", err, wantErr)
			}
		})
	}
	wg.Wait()
}

func TestLines(t *testing.T) {
	tests := []struct {
		spec    string
		want    []int
		wantErr string
	}{
		{spec: "{3-4,7}", want: []int{3, 4, 7}},
		{spec: "{3}", want: []int{3}},
		{spec: "3", want: []int{3}},
		{spec: " { 7 , 2-3, 3 } ", want: []int{2, 3, 7}},
		{spec: "{5-5,1-2,2-4}", want: []int{1, 2, 3, 4, 5}},
		{spec: "", want: nil},
		{spec: "{}", want: nil},
		{spec: "{3", wantErr: `line spec "{3": unbalanced braces`},
		{spec: "3}", wantErr: `line spec "3}": unbalanced braces`},
		{spec: "{a}", wantErr: `line spec "{a}": "a" is not a line number`},
		{spec: "{1,,2}", wantErr: `line spec "{1,,2}": "" is not a line number`},
		{spec: "{1-}", wantErr: `line spec "{1-}": "" is not a line number`},
		{spec: "{-1}", wantErr: `line spec "{-1}": "" is not a line number`},
		{spec: "{+1}", wantErr: `line spec "{+1}": "+1" is not a line number`},
		{spec: "{1-2-3}", wantErr: `line spec "{1-2-3}": "2-3" is not a line number`},
		{spec: "{0}", wantErr: `line spec "{0}": line 0 out of range 1-100000`},
		{spec: "{1-999999999}", wantErr: `line spec "{1-999999999}": line 999999999 out of range 1-100000`},
		{spec: "{4-2}", wantErr: `line spec "{4-2}": range "4-2" runs backwards`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := Lines(tt.spec)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Lines(%q) error\ngot  %v\nwant %q", tt.spec, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Lines(%q): %v", tt.spec, err)
			}
			if !slicesEqual(got, tt.want) {
				t.Errorf("Lines(%q)\ngot  %v\nwant %v", tt.spec, got, tt.want)
			}
		})
	}
}

// TestLinesBounded: a long, repetitive spec costs no more than one full range.
func TestLinesBounded(t *testing.T) {
	spec := strings.Repeat("1-100000,", 10_000) + "1"
	got, err := Lines(spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != maxLine {
		t.Errorf("got %d lines, want %d", len(got), maxLine)
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A 40-line Go block, the size of a dense code slide.
var bench40 = strings.Repeat(goCode, 5)

func BenchmarkCode(b *testing.B) {
	h := New(Options{})
	hl := []int{3, 4, 5}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := h.Code(&buf, "go", bench40, hl); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLexer measures chroma's lexer lookup, quoted in lookup's comment.
func BenchmarkLexer(b *testing.B) {
	b.Run("hit", func(b *testing.B) {
		for b.Loop() {
			if lookup("go") == nil {
				b.Fatal("no go lexer")
			}
		}
	})
	b.Run("alias", func(b *testing.B) {
		for b.Loop() {
			if lookup("golang") == nil {
				b.Fatal("no golang lexer")
			}
		}
	})
	b.Run("miss", func(b *testing.B) {
		for b.Loop() {
			if lookup("nosuchlanguage") != nil {
				b.Fatal("found a lexer")
			}
		}
	})
}
