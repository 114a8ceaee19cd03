package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/foil-slides/foil/internal/server"
	"github.com/foil-slides/foil/internal/watch"
	"github.com/foil-slides/foil/render"
)

type serveFlags struct {
	deckFlags
	addr string
	open bool
}

func (f *serveFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on; port 0 picks a free one")
	fs.BoolVar(&f.open, "open", false, "open the preview in the default browser")
	f.deckFlags.register(fs)
}

// shutdownGrace bounds how long Ctrl-C waits for open requests; event
// streams are ended first, so it is normally instant.
const shutdownGrace = 1500 * time.Millisecond

func serveCommand() *command {
	c := &command{
		name: "serve", args: "DECK [--addr 127.0.0.1:8080] [--open]", short: "preview a deck in the browser, reloading on every save",
		long: `Serves DECK as a live preview: every save of the deck, its images, its
layouts/ folder or its theme rebuilds it, and every open window reloads at
the slide it shows. A deck that does not build shows its errors over the
last good version. The presenter view is at /presenter.

The preview listens on 127.0.0.1 unless --addr says otherwise, and serves
only the files of the deck's folder. Ctrl-C stops it.`,
	}
	var f serveFlags
	c.flags = f.register
	c.run = func(a *app, args []string) int {
		fs := c.flagSet()
		if code, ok := a.parseFlags(c, fs, args); !ok {
			return code
		}
		if fs.NArg() != 1 || fs.Arg(0) == "-" {
			fmt.Fprintf(a.stderr, "foil serve: want one deck file, got %q\nUsage: foil serve %s\n", fs.Args(), c.args)
			return exitUsage
		}
		return a.serve(fs.Arg(0), f)
	}
	return c
}

func (a *app) serve(in string, f serveFlags) int {
	if _, _, _, err := a.readDeck(in); err != nil {
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
		return exitDeck
	}
	dir := filepath.Dir(in)
	var logMu sync.Mutex
	logf := func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(a.stderr, format+"\n", args...)
	}
	build := a.serveBuild(in, f.deckFlags, logf)
	var srvLog func(string, ...any)
	if f.verbose {
		srvLog = logf
	}
	srv, err := server.New(server.Options{Dir: dir, Build: build, Logf: srvLog})
	if err != nil {
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
		return exitDeck
	}
	defer srv.Close()

	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		fmt.Fprintf(a.stderr, "foil serve: %v; choose another --addr\n", err)
		return exitUsage
	}
	defer ln.Close()
	if !loopback(f.addr) {
		fmt.Fprintf(a.stderr, "foil serve: warning: %s is reachable from other machines: anyone on the network can read the deck and every file in %s\n", f.addr, dir)
	}

	w, err := watch.New(watched(in, f.deckFlags), watch.Options{Debounce: 20 * time.Millisecond, Logf: srvLog})
	if err != nil {
		fmt.Fprintf(a.stderr, "foil: %v\n", err)
		return exitDeck
	}
	defer w.Close()
	rebuilt := make(chan struct{})
	go func() {
		defer close(rebuilt)
		for batch := range w.Changes() {
			start := time.Now()
			err := srv.Rebuild()
			if f.verbose {
				logf("rebuilt after %s changed in %v", strings.Join(batch, ", "), time.Since(start).Round(time.Millisecond))
			}
			_ = err // build printed it
		}
	}()

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	u := "http://" + browsable(ln.Addr()) + "/"
	if !f.quiet {
		logf("serving %s at %s (presenter view: %spresenter); Ctrl-C stops", in, u, u)
	}
	if f.open {
		openBrowser(u, logf)
	}

	code := exitOK
	select {
	case <-a.interrupt:
	case err := <-served:
		fmt.Fprintf(a.stderr, "foil serve: %v\n", err)
		code = exitDeck
	}
	srv.Close() // ends the event streams, so Shutdown does not wait for them
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil {
		hs.Close()
	}
	w.Close()
	<-rebuilt
	if !f.quiet && code == exitOK {
		logf("stopped")
	}
	return code
}

// serveBuild returns the server's build function: read the deck (again),
// load the layouts (again: they may have changed) and render. Problems are
// printed when they differ from the last build's, so a save that fixes
// nothing stays quiet.
func (a *app) serveBuild(in string, f deckFlags, logf func(string, ...any)) func() ([]byte, error) {
	var last string
	return func() ([]byte, error) {
		var out bytes.Buffer
		page, err := func() ([]byte, error) {
			src, dir, name, err := readSaved(a, in)
			if err != nil {
				return nil, err
			}
			r, err := render.New(render.Options{Dir: dir, Layouts: f.layouts, HTML: f.html, AllowOutside: f.allowOutside})
			if err != nil {
				return nil, err
			}
			var buf bytes.Buffer
			_, diags, err := r.Build(&buf, name, src)
			for _, d := range diags {
				switch {
				case !d.Warning:
				case f.strict:
					fmt.Fprintf(&out, "%s: %s\n", d.Pos, d.Msg)
				case !f.quiet:
					fmt.Fprintf(&out, "%s: warning: %s\n", d.Pos, d.Msg)
				}
			}
			if err != nil {
				return nil, err
			}
			if f.strict && out.Len() > 0 {
				return nil, errors.New(strings.TrimSpace(out.String()) + "\n(warnings are errors under --strict)")
			}
			return buf.Bytes(), nil
		}()
		if err != nil {
			out.Reset()
			fmt.Fprintln(&out, err)
		}
		if s := out.String(); s != last {
			last = s
			if s != "" {
				logf("%s", strings.TrimRight(s, "\n"))
			} else {
				logf("deck builds again")
			}
		}
		return page, err
	}
}

// readSaved reads the deck, waiting a little while it is missing or empty:
// editors that delete and re-create or truncate and write leave a moment
// where the deck is not there.
func readSaved(a *app, in string) (src []byte, dir, name string, err error) {
	for try := 0; ; try++ {
		src, dir, name, err = a.readDeck(in)
		missing := err != nil && errors.Is(err, fs.ErrNotExist)
		if try == 5 || !missing && (err != nil || len(src) > 0) {
			return src, dir, name, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// watched lists what a rebuild depends on: the deck's folder (the deck,
// its images, its layouts/ folder and a theme file inside it), and a
// --layouts folder or outside theme elsewhere.
func watched(in string, f deckFlags) []string {
	dir := filepath.Dir(in)
	paths := []string{dir}
	if f.layouts != "" && !inside(dir, f.layouts) {
		paths = append(paths, f.layouts)
	}
	return paths
}

func inside(dir, p string) bool {
	d, err1 := filepath.Abs(dir)
	q, err2 := filepath.Abs(p)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, q)
	return err == nil && filepath.IsLocal(rel)
}

// browsable is addr as a browser can open it: an unspecified address
// (0.0.0.0, ::) is reached through 127.0.0.1.
func browsable(addr net.Addr) string {
	if ta, ok := addr.(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(ta.Port))
	}
	return addr.String()
}

// loopback reports whether addr listens on a loopback address only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// openBrowser opens u in the desktop's browser, without waiting for it.
func openBrowser(u string, logf func(string, ...any)) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		logf("foil serve: cannot open a browser (%v); open %s yourself", err, u)
		return
	}
	go cmd.Wait()
}
