package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/spf13/pflag"

	"github.com/foil-slides/foil/internal/outfile"
	"github.com/foil-slides/foil/render/chromium"
)

type pdfFlags struct {
	deckFlags
	browserFlags
	out     string
	jobs    int
	handout bool
	paper   string
	perPage int
}

func (f *pdfFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "output", "o", "", "output file (one deck) or folder (several decks); default: DECK.pdf beside each deck")
	// Printing waits on Chromium's compositor as much as it computes: two
	// pages per core kept both cores busy (BenchmarkPDFBatch, 10 decks:
	// -j 10 took 3.6 s where -j 2 took 5.2 s, same run).
	fs.IntVarP(&f.jobs, "jobs", "j", 2*runtime.NumCPU(), "decks printed at once, in one browser")
	fs.BoolVar(&f.handout, "handout", false, "print a handout: slides with their speaker notes on paper")
	fs.BoolVar(&f.handout, "notes", false, "the same as --handout")
	fs.StringVar(&f.paper, "paper", "a4", "the handout's paper: a4 or letter")
	fs.IntVar(&f.perPage, "per-page", 3, "the handout's slides per page: 1 or 2 (notes under each), 3 (notes beside)")
	f.deckFlags.register(fs)
	f.browserFlags.register(fs)
}

func pdfCommand() *command {
	c := &command{
		name: "pdf", args: "DECK... [-o OUT]", short: "export decks to PDF through headless Chromium",
		long: `Prints each deck to a PDF: one page per slide, the page exactly the slide's size
(16:9: 960x540 pt, 4:3: 720x540 pt), backgrounds printed, text selectable, links
clickable, an outline from the slide titles. Several decks share one browser and
print in parallel. A PDF is written only when complete: an error or Ctrl-C
leaves the previous file as it was.

--handout prints a handout instead: A4 (or --paper letter) pages with
--per-page 1, 2 or 3 slides and their speaker notes, links still working.

The deck can load nothing but what is inside it (no local files, no network)
unless --allow-remote lets http(s) images through.`,
	}
	var f pdfFlags
	c.flags = f.register
	c.run = func(a *app, args []string) int {
		fs := c.flagSet()
		if code, ok := a.parseFlags(c, fs, args); !ok {
			return code
		}
		ins := fs.Args()
		if len(ins) == 0 {
			fmt.Fprintf(a.stderr, "foil pdf: no deck given\nUsage: foil pdf DECK... [-o OUT]\n")
			return exitUsage
		}
		paper, ok := chromium.PaperNamed(f.paper)
		if !ok {
			fmt.Fprintf(a.stderr, "foil pdf: --paper %q: want a4 or letter\n", f.paper)
			return exitUsage
		}
		if f.perPage < 1 || f.perPage > 3 {
			fmt.Fprintf(a.stderr, "foil pdf: --per-page %d: want 1, 2 or 3\n", f.perPage)
			return exitUsage
		}
		if !f.handout && (fs.Changed("paper") || fs.Changed("per-page")) {
			fmt.Fprintf(a.stderr, "foil pdf: --paper and --per-page are for --handout\n")
			return exitUsage
		}
		several := len(ins) > 1
		if several && f.out != "" {
			if fi, err := os.Stat(f.out); err != nil || !fi.IsDir() {
				fmt.Fprintf(a.stderr, "foil pdf: with several decks, -o must be an existing folder\n")
				return exitUsage
			}
		}
		for _, in := range ins {
			if out := outputFor(in, f.out, ".pdf", several); in != "-" && outfile.Same(in, out) {
				fmt.Fprintf(a.stderr, "foil: output %s is the input deck; choose another -o\n", out)
				return exitUsage
			}
		}
		decks, code, ok := a.buildDecks(ins, f.deckFlags)
		if !ok {
			return code
		}
		ctx, cancel := a.withInterrupt()
		defer cancel()
		b, code, ok := a.startBrowser(ctx, f.browserFlags, f.verbose)
		if !ok {
			return code
		}
		defer b.Close()

		jobs := max(1, f.jobs)
		sem := make(chan struct{}, jobs)
		var wg sync.WaitGroup
		type result struct {
			out      string
			warnings []string
			err      error
		}
		results := make([]result, len(decks))
		for i, d := range decks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				out := outputFor(d.in, f.out, ".pdf", several)
				w, h := d.deck.Meta.Size()
				var warnings []string
				err := outfile.Write(out, func(wr io.Writer) error {
					var err error
					if f.handout {
						warnings, err = b.Handout(ctx, d.html, chromium.HandoutOptions{Paper: paper, PerPage: f.perPage}, wr)
						return err
					}
					warnings, err = b.PDF(ctx, d.html, chromium.PDFOptions{Width: w, Height: h}, wr)
					return err
				})
				results[i] = result{out, warnings, err}
			}()
		}
		wg.Wait()
		exit := exitOK
		for i, r := range results {
			for _, w := range r.warnings {
				if !f.quiet {
					fmt.Fprintf(a.stderr, "%s: warning: %s\n", decks[i].deck.File, w)
				}
			}
			if r.err != nil {
				fmt.Fprintln(a.stderr, exportError(ctx, r.out, r.err))
				exit = exitDeck
				continue
			}
			if !f.quiet {
				pages := len(decks[i].deck.Slides)
				if f.handout {
					pages = (pages + f.perPage - 1) / f.perPage
				}
				fmt.Fprintf(a.stderr, "wrote %s (%d pages)\n", r.out, pages)
			}
		}
		return exit
	}
	return c
}
