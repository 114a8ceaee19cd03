package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/foil-slides/foil/layouts"
)

func layoutsCommand() *command {
	c := &command{
		name: "layouts", short: "list the layouts with a Markdown example each",
		long: `Lists every built-in layout: its name, what it is for, and a Markdown
example that picks it automatically. Force a layout on a slide with
<!-- layout: NAME -->. Override one by putting layouts/slide/NAME.html
beside the deck.`,
	}
	c.run = func(a *app, args []string) int {
		fs := pflag.NewFlagSet("layouts", pflag.ContinueOnError)
		if code, ok := a.parseFlags(c, fs, args); !ok {
			return code
		}
		if fs.NArg() > 0 {
			fmt.Fprintf(a.stderr, "foil layouts: takes no arguments\n")
			return exitUsage
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
