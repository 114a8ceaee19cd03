package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/foil-slides/foil/internal/outfile"
	"github.com/foil-slides/foil/render"
	"github.com/foil-slides/foil/render/deck"
)

// deckFlags are the flags of every command that reads decks.
type deckFlags struct {
	strict       bool
	html         bool
	layouts      string
	allowOutside bool
	quiet        bool
	verbose      bool
}

func (f *deckFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.strict, "strict", false, "treat warnings as errors (exit 1, write nothing)")
	fs.BoolVar(&f.html, "html", false, "allow all raw HTML in the deck (only for decks you trust)")
	fs.StringVar(&f.layouts, "layouts", "", "folder of layout overrides (default: layouts/ beside the deck)")
	fs.BoolVar(&f.allowOutside, "allow-outside", false, "allow images and themes from outside the deck's folder")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print errors only")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "print what foil does")
}

type htmlFlags struct {
	deckFlags
	out string
}

func (f *htmlFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "output", "o", "", "output file; - for standard output (default: DECK.html beside the deck)")
	f.deckFlags.register(fs)
}

func htmlCommand() *command {
	c := &command{
		name: "html", args: "DECK [-o OUT]", short: "render a deck to one self-contained HTML file",
		long: `Renders the Markdown deck DECK to one HTML file that works offline: styles,
script and local images are inside it. DECK "-" reads standard input.
Present it in any browser: arrow keys, Space, Home/End; #N in the URL is the slide.`,
	}
	var f htmlFlags
	c.flags = f.register
	c.run = func(a *app, args []string) int {
		fs := c.flagSet()
		if code, ok := a.parseFlags(c, fs, args); !ok {
			return code
		}
		if fs.NArg() != 1 {
			fmt.Fprintf(a.stderr, "foil html: want one deck, got %d\nUsage: foil html DECK [-o OUT]\n", fs.NArg())
			return exitUsage
		}
		in := fs.Arg(0)
		out := f.out
		if out == "" {
			if in == "-" {
				out = "-"
			} else {
				out = strings.TrimSuffix(in, filepath.Ext(in)) + ".html"
			}
		}
		src, dir, name, err := a.readDeck(in)
		if err != nil {
			fmt.Fprintf(a.stderr, "foil: %v\n", err)
			return exitDeck
		}
		if out != "-" && in != "-" && outfile.Same(in, out) {
			fmt.Fprintf(a.stderr, "foil: output %s is the input deck; choose another -o\n", out)
			return exitUsage
		}
		r, err := render.New(render.Options{Dir: dir, Layouts: f.layouts, HTML: f.html, AllowOutside: f.allowOutside})
		if err != nil {
			fmt.Fprintf(a.stderr, "foil: %v\n", err)
			return exitDeck
		}
		var buf bytes.Buffer
		d, diags, err := r.Build(&buf, name, src)
		if code, ok := a.report(diags, err, f.deckFlags); !ok {
			return code
		}
		if out == "-" {
			if _, err := a.stdout.Write(buf.Bytes()); err != nil {
				fmt.Fprintf(a.stderr, "foil: writing standard output: %v\n", err)
				return exitDeck
			}
			return exitOK
		}
		if err := outfile.Write(out, func(w io.Writer) error {
			_, err := w.Write(buf.Bytes())
			return err
		}); err != nil {
			fmt.Fprintf(a.stderr, "foil: %v\n", err)
			return exitDeck
		}
		if !f.quiet {
			fmt.Fprintf(a.stderr, "wrote %s (%d slides)\n", out, len(d.Slides))
		}
		return exitOK
	}
	return c
}

// readDeck reads the deck named in ("-" = standard input) and returns its
// bytes, the folder its references are relative to, and its display name.
func (a *app) readDeck(in string) (src []byte, dir, name string, err error) {
	const max = 64 << 20 // a deck is text; anything bigger is a mistake
	if in == "-" {
		src, err = io.ReadAll(io.LimitReader(a.stdin, max+1))
		if err != nil {
			return nil, "", "", fmt.Errorf("reading standard input: %w", err)
		}
		name, dir = "<stdin>", "."
	} else {
		f, err := os.Open(in)
		if err != nil {
			return nil, "", "", fmt.Errorf("reading deck: %w", err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return nil, "", "", fmt.Errorf("%s is a folder, not a deck", in)
		}
		src, err = io.ReadAll(io.LimitReader(f, max+1))
		if err != nil {
			return nil, "", "", fmt.Errorf("reading %s: %w", in, err)
		}
		name, dir = in, filepath.Dir(in)
	}
	if len(src) > max {
		return nil, "", "", fmt.Errorf("%s: larger than 64 MB; is this a deck?", name)
	}
	return src, dir, name, nil
}

// report prints diagnostics and decides whether the command goes on.
func (a *app) report(diags deck.Diags, err error, f deckFlags) (int, bool) {
	failed := err != nil
	for _, d := range diags {
		if d.Warning {
			if f.strict {
				failed = true
				fmt.Fprintf(a.stderr, "%s: %s\n", d.Pos, d.Msg)
			} else if !f.quiet {
				fmt.Fprintf(a.stderr, "%s: warning: %s\n", d.Pos, d.Msg)
			}
			continue
		}
		fmt.Fprintln(a.stderr, d.Error())
	}
	if err != nil && len(diags.Errors()) == 0 {
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
	}
	if failed {
		if f.strict && err == nil {
			fmt.Fprintln(a.stderr, "foil: warnings are errors under --strict; nothing written")
		}
		return exitDeck, false
	}
	return exitOK, true
}
