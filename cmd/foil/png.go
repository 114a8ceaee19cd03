package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/foil-slides/foil/internal/outfile"
	"github.com/foil-slides/foil/render/chromium"
)

type pngFlags struct {
	deckFlags
	browserFlags
	out   string
	slide int
	scale float64
}

func (f *pngFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "output", "o", "", "folder for the images (default: beside the deck)")
	fs.IntVar(&f.slide, "slide", 0, "render only slide N (1 = the title slide, a website thumbnail)")
	fs.Float64Var(&f.scale, "scale", 1, "pixels per CSS pixel: 2 for retina (1280x720 becomes 2560x1440)")
	f.deckFlags.register(fs)
	f.browserFlags.register(fs)
}

func pngCommand() *command {
	c := &command{
		name: "png", args: "DECK [-o DIR] [--slide N] [--scale S]", short: "export slides as PNG images",
		long: `Renders each slide of DECK to DIR/DECK-001.png, DECK-002.png, … exactly the slide
canvas times --scale in pixels. --slide 1 gives only the title slide, the
thumbnail for a website.`,
	}
	var f pngFlags
	c.flags = f.register
	c.run = func(a *app, args []string) int {
		fs := c.flagSet()
		if code, ok := a.parseFlags(c, fs, args); !ok {
			return code
		}
		if fs.NArg() != 1 {
			fmt.Fprintf(a.stderr, "foil png: want one deck, got %d\nUsage: foil png %s\n", fs.NArg(), c.args)
			return exitUsage
		}
		if f.scale <= 0 || f.scale > 8 {
			fmt.Fprintf(a.stderr, "foil png: --scale %v: want a number above 0 and at most 8\n", f.scale)
			return exitUsage
		}
		if f.slide < 0 {
			fmt.Fprintf(a.stderr, "foil png: --slide %d: slides count from 1\n", f.slide)
			return exitUsage
		}
		in := fs.Arg(0)
		decks, code, ok := a.buildDecks([]string{in}, f.deckFlags)
		if !ok {
			return code
		}
		d := decks[0]
		if f.slide > len(d.deck.Slides) {
			fmt.Fprintf(a.stderr, "foil png: --slide %d: %s has %d slides\n", f.slide, d.deck.File, len(d.deck.Slides))
			return exitUsage
		}
		dir := f.out
		if dir == "" {
			dir = filepath.Dir(in)
			if in == "-" {
				dir = "."
			}
		}
		base := strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))
		if in == "-" {
			base = "deck"
		}
		ctx, cancel := a.withInterrupt()
		defer cancel()
		b, code, ok := a.startBrowser(ctx, f.browserFlags, f.verbose)
		if !ok {
			return code
		}
		defer b.Close()
		w, h := d.deck.Meta.Size()
		images, warnings, err := b.PNG(ctx, d.html, chromium.PNGOptions{Width: w, Height: h, Scale: f.scale, Slide: f.slide})
		for _, w := range warnings {
			if !f.quiet {
				fmt.Fprintf(a.stderr, "%s: warning: %s\n", d.deck.File, w)
			}
		}
		if err != nil {
			fmt.Fprintln(a.stderr, exportError(ctx, d.deck.File, err))
			return exitDeck
		}
		first := 1
		if f.slide > 0 {
			first = f.slide
		}
		for i, img := range images {
			out := filepath.Join(dir, fmt.Sprintf("%s-%03d.png", base, first+i))
			if err := outfile.Write(out, func(w io.Writer) error {
				_, err := w.Write(img)
				return err
			}); err != nil {
				fmt.Fprintf(a.stderr, "foil: %v\n", err)
				return exitDeck
			}
			if !f.quiet && f.verbose {
				fmt.Fprintf(a.stderr, "wrote %s\n", out)
			}
		}
		if !f.quiet {
			fmt.Fprintf(a.stderr, "wrote %d images to %s\n", len(images), dir)
		}
		return exitOK
	}
	return c
}
