package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/foil-slides/foil/layouts"
)

func layoutsCommand() *command {
	c := &command{
		name: "layouts", args: "[--gallery -o DIR]", short: "list the layouts with a Markdown example each",
		long: `Lists every built-in layout: its name, what it is for, and a Markdown
example that picks it automatically. Force a layout on a slide with
<!-- layout: NAME -->. Override one by putting layouts/slide/NAME.html
beside the deck.

--gallery -o DIR renders each example through headless Chromium instead:
DIR/NAME.png (the slide), DIR/NAME.html (its deck) and DIR/index.html and
DIR/README.md, each layout's picture next to its Markdown.`,
	}
	var gallery bool
	var out string
	var quiet, verbose bool
	var bf browserFlags
	c.flags = func(fs *pflag.FlagSet) {
		fs.BoolVar(&gallery, "gallery", false, "render every layout's example to PNG and HTML in -o DIR")
		fs.StringVarP(&out, "output", "o", "", "the gallery's folder")
		fs.BoolVarP(&quiet, "quiet", "q", false, "print errors only")
		fs.BoolVarP(&verbose, "verbose", "v", false, "print what foil does")
		bf.register(fs)
	}
	c.run = func(a *app, args []string) int {
		fs := c.flagSet()
		if code, ok := a.parseFlags(c, fs, args); !ok {
			return code
		}
		if fs.NArg() > 0 {
			fmt.Fprintf(a.stderr, "foil layouts: takes no arguments\n")
			return exitUsage
		}
		if gallery != (out != "") {
			fmt.Fprintf(a.stderr, "foil layouts: --gallery needs -o DIR, and -o is only for --gallery\n")
			return exitUsage
		}
		if gallery {
			return a.gallery(out, bf, quiet, verbose)
		}
		for i, l := range layouts.Builtin() {
			if i > 0 {
				fmt.Fprintln(a.stdout)
			}
			fmt.Fprintf(a.stdout, "%s — %s\n\n", l.Name, l.Summary)
			for _, line := range strings.Split(strings.TrimRight(l.Example, "\n"), "\n") {
				fmt.Fprintf(a.stdout, "    %s\n", line)
			}
		}
		return exitOK
	}
	return c
}
