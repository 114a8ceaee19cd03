package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/foil-slides/foil/render"
	"github.com/foil-slides/foil/render/chromium"
	"github.com/foil-slides/foil/render/deck"
)

// browserFlags are the flags of every command that drives Chromium.
type browserFlags struct {
	browser     string
	timeout     time.Duration
	allowRemote bool
	noLeakless  bool
}

func (f *browserFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.browser, "browser", "", "Chromium or Chrome to use (default: $FOIL_BROWSER, $CHROME_PATH, then the usual paths)")
	fs.DurationVar(&f.timeout, "timeout", 60*time.Second, "give up on a deck that takes longer to load")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "let the deck load http(s) images (default: nothing from outside the deck)")
	fs.BoolVar(&f.noLeakless, "no-leakless", false, "start Chromium without the guard that kills it if foil dies (use when 127.0.0.1:2978 is busy)")
}

// builtDeck is a deck rendered to HTML, ready for the browser.
type builtDeck struct {
	in   string // as named on the command line
	deck *deck.Deck
	html []byte
}

// buildDecks renders each deck to HTML, printing diagnostics. ok is false
// when any deck has errors (or warnings under --strict).
func (a *app) buildDecks(ins []string, f deckFlags) ([]*builtDeck, int, bool) {
	var out []*builtDeck
	failed := false
	for _, in := range ins {
		src, dir, name, err := a.readDeck(in)
		if err != nil {
			fmt.Fprintf(a.stderr, "foil: %v\n", err)
			failed = true
			continue
		}
		r, err := render.New(render.Options{Dir: dir, Layouts: f.layouts, HTML: f.html, AllowOutside: f.allowOutside})
		if err != nil {
			fmt.Fprintf(a.stderr, "foil: %v\n", err)
			failed = true
			continue
		}
		var buf bytes.Buffer
		d, diags, err := r.Build(&buf, name, src)
		if _, ok := a.report(diags, err, f); !ok {
			failed = true
			continue
		}
		out = append(out, &builtDeck{in: in, deck: d, html: buf.Bytes()})
	}
	if failed {
		return out, exitDeck, false
	}
	return out, exitOK, true
}

// startBrowser finds and starts Chromium. The browser closes when ctx ends;
// the caller must Close it too.
func (a *app) startBrowser(ctx context.Context, f browserFlags, verbose bool) (*chromium.Browser, int, bool) {
	// A browser named on the command line is used or refused, never
	// silently replaced by another one.
	if f.browser != "" {
		if fi, err := os.Stat(f.browser); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			fmt.Fprintf(a.stderr, "foil: --browser %s: not an executable file; install Chromium (Debian: apt-get install chromium) or name another\n", f.browser)
			return nil, exitNoBrowser, false
		}
	}
	bin, err := chromium.Find(f.browser, a.getenv("FOIL_BROWSER"), a.getenv("CHROME_PATH"))
	if err != nil {
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
		return nil, exitNoBrowser, false
	}
	opts := chromium.Options{
		NoSandbox:   os.Geteuid() == 0,
		NoLeakless:  f.noLeakless,
		AllowRemote: f.allowRemote,
		Timeout:     f.timeout,
	}
	if verbose {
		opts.Log = func(format string, args ...any) { fmt.Fprintf(a.stderr, "foil: "+format+"\n", args...) }
		fmt.Fprintf(a.stderr, "foil: browser %s\n", bin)
	}
	b, err := chromium.New(ctx, bin, opts)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(a.stderr, "foil: interrupted")
			return nil, exitDeck, false
		}
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
		return nil, exitNoBrowser, false
	}
	return b, exitOK, true
}

// withInterrupt returns a context cancelled on Ctrl-C or SIGTERM.
func (a *app) withInterrupt() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	if a.interrupt != nil {
		go func() {
			select {
			case <-a.interrupt:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	return ctx, cancel
}

// exportError words an export failure for the user.
func exportError(ctx context.Context, out string, err error) string {
	if ctx.Err() != nil {
		return fmt.Sprintf("foil: %s: interrupted, nothing written", out)
	}
	msg := err.Error()
	if !strings.Contains(msg, out) {
		msg = out + ": " + msg
	}
	return "foil: " + msg
}

// outputFor is the output path for deck in with extension ext: -o when
// given (a file for one deck, a folder for several), else beside the deck.
func outputFor(in, o, ext string, several bool) string {
	base := strings.TrimSuffix(filepath.Base(in), filepath.Ext(in)) + ext
	if in == "-" {
		base = "deck" + ext
	}
	switch {
	case o == "":
		if in == "-" {
			return base
		}
		return filepath.Join(filepath.Dir(in), base)
	case several:
		return filepath.Join(o, base)
	}
	return o
}
