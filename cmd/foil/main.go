// Foil turns Markdown into slide decks: one self-contained HTML file to
// present from the browser, and PDF or PNG through headless Chromium.
//
// Usage:
//
//	foil html DECK [-o OUT]      render DECK.md to one self-contained DECK.html
//	foil pdf DECK... [-o OUT]    export decks to PDF through headless Chromium
//	foil png DECK [-o DIR]       export slides as PNG images (--slide N, --scale S)
//	foil check DECK...           find what is wrong: overflow, missing glyphs and images, bad links
//	foil serve DECK [--open]     live preview: reload on save, presenter view at /presenter
//	foil build SRC -o OUT        build a website from a folder of decks: HTML, PDF, thumbnails, index
//	foil layouts                 list the layouts with a Markdown example each
//	foil version                 print foil's version
//	foil help [COMMAND]          show help for a command
//
// Exit codes: 0 ok, 1 problems in a deck, 2 usage errors, 3 no browser found.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/spf13/pflag"
)

// Exit codes.
const (
	exitOK        = 0
	exitDeck      = 1
	exitUsage     = 2
	exitNoBrowser = 3
)

// version is set by the linker (-X main.version=…); else the module version.
var version = ""

// app is what a command runs with: standard streams and the environment, so
// tests run commands in-process.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	interrupt      <-chan os.Signal // closed or sent on Ctrl-C; nil when none
}

type command struct {
	name, args, short string
	long              string
	// flags registers the command's flags on fs (nil: none); run parses
	// with it too, so help and parsing never disagree.
	flags func(fs *pflag.FlagSet)
	run   func(a *app, args []string) int
}

func commands() []*command {
	return []*command{
		htmlCommand(),
		pdfCommand(),
		pngCommand(),
		checkCommand(),
		serveCommand(),
		buildCommand(),
		layoutsCommand(),
		versionCommand(),
	}
}

func main() {
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	a.interrupt = notifyInterrupt()
	os.Exit(a.main(os.Args[1:]))
}

func (a *app) main(args []string) int {
	if len(args) == 0 {
		a.usage(a.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		if name == "help" && len(args) > 1 {
			if c := find(args[1]); c != nil {
				a.commandHelp(a.stdout, c)
				return exitOK
			}
			fmt.Fprintf(a.stderr, "foil: unknown command %q (known: %s)\n", args[1], strings.Join(names(), ", "))
			return exitUsage
		}
		a.usage(a.stdout)
		return exitOK
	case "--version", "-version":
		name = "version"
	}
	c := find(name)
	if c == nil {
		fmt.Fprintf(a.stderr, "foil: unknown command %q (known: %s)\nRun 'foil help' for usage.\n", name, strings.Join(names(), ", "))
		return exitUsage
	}
	return c.run(a, args[1:])
}

func find(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func names() []string {
	var n []string
	for _, c := range commands() {
		n = append(n, c.name)
	}
	sort.Strings(n)
	return n
}

func (a *app) usage(w io.Writer) {
	fmt.Fprint(w, "foil turns Markdown into slide decks.\n\nUsage:\n")
	const width = 26 // longer synopses put their description on the next line
	line := func(synopsis, short string) {
		if len(synopsis) > width {
			fmt.Fprintf(w, "  foil %s\n  %*s %s\n", synopsis, width+5, "", short)
			return
		}
		fmt.Fprintf(w, "  foil %-*s %s\n", width, synopsis, short)
	}
	for _, c := range commands() {
		line(strings.TrimSpace(c.name+" "+c.args), c.short)
	}
	line("help COMMAND", "show a command's arguments and flags")
	fmt.Fprint(w, "\nExit codes: 0 ok, 1 problems in a deck, 2 usage errors, 3 no browser found.\n")
}

func (a *app) commandHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage: foil %s %s\n\n%s\n", c.name, c.args, strings.TrimSpace(c.long))
	fs := c.flagSet()
	if !fs.HasFlags() {
		return
	}
	// pflag's FlagUsages marks every bool flag "[=true|false]"; users type
	// --strict, so list flags plainly.
	type row struct{ left, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		left := "    --" + f.Name
		if f.Shorthand != "" {
			left = "-" + f.Shorthand + ", --" + f.Name
		}
		if t := f.Value.Type(); t != "bool" {
			left += " " + argName(f.Name, t)
		}
		u := f.Usage
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			u += " (default " + f.DefValue + ")"
		}
		rows = append(rows, row{left, u})
		width = max(width, len(left))
	})
	fmt.Fprint(w, "\nFlags:\n")
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, strings.TrimRight(r.left, " "), r.usage)
	}
}

// argName is how help shows a flag's value.
func argName(flag, typ string) string {
	switch flag {
	case "output":
		return "OUT"
	case "browser":
		return "PATH"
	case "layouts":
		return "DIR"
	case "addr":
		return "HOST:PORT"
	case "base-url":
		return "URL"
	}
	switch typ {
	case "int":
		return "N"
	case "float64":
		return "NUMBER"
	case "duration":
		return "DURATION"
	}
	return strings.ToUpper(flag)
}

// flagSet returns a new flag set with the command's flags, in the order
// they were declared.
func (c *command) flagSet() *pflag.FlagSet {
	fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
	fs.SortFlags = false
	if c.flags != nil {
		c.flags(fs)
	}
	return fs
}

// parseFlags parses args for command c, printing usage errors. ok is false
// when the command should exit with code (help asked: 0, bad flags: 2).
func (a *app) parseFlags(c *command, fs *pflag.FlagSet, args []string) (code int, ok bool) {
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(a.stderr, "foil %s: %v\nRun 'foil help %s' for usage.\n", c.name, err, c.name)
		return exitUsage, false
	}
	if *help {
		a.commandHelp(a.stdout, c)
		return exitOK, false
	}
	return 0, true
}

func versionCommand() *command {
	return &command{
		name: "version", short: "print foil's version",
		long: "Prints foil's version and the Go version it was built with.",
		run: func(a *app, args []string) int {
			v := version
			bi, ok := debug.ReadBuildInfo()
			if v == "" && ok {
				v = bi.Main.Version
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" && (v == "" || v == "(devel)") {
						v = "devel-" + s.Value[:min(12, len(s.Value))]
					}
				}
			}
			if v == "" {
				v = "(devel)"
			}
			goVersion := ""
			if ok {
				goVersion = " " + bi.GoVersion
			}
			fmt.Fprintf(a.stdout, "foil %s%s\n", v, goVersion)
			return exitOK
		},
	}
}

// errUsage marks errors that are the user's command line, not the deck.
var errUsage = errors.New("usage")
