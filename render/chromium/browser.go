package chromium

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/cdp"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/launcher/flags"
	"github.com/go-rod/rod/lib/utils"
)

// Options configures a [Browser]. The zero value is useful: sandboxed,
// guarded by leakless, local content only, 60 s per document.
type Options struct {
	// NoSandbox adds --no-sandbox. Chromium refuses to start as root without
	// it; the caller decides (this package never looks at the user id).
	NoSandbox bool

	// NoLeakless turns off rod's leakless guard. Leakless is a tiny helper
	// process between us and Chromium that kills Chromium when our process
	// dies, even by SIGKILL. Starting it takes a cross-process lock on
	// 127.0.0.1:2978; when another program holds that port for longer than
	// a few seconds, New starts Chromium without the guard and says so
	// through Log.
	NoLeakless bool

	// AllowRemote lets a document load http and https subresources (images,
	// fonts, style sheets) from any host. By default every request but the
	// document itself and data: URLs is refused.
	AllowRemote bool

	// Timeout bounds loading one document and waiting for its fonts and
	// images. Zero means 60 s.
	Timeout time.Duration

	// Log, when set, receives verbose progress lines.
	Log func(format string, args ...any)
}

// Browser is one headless Chromium process. It is safe for concurrent use:
// each PDF or PNG call gets a page (tab) of its own.
type Browser struct {
	opts Options
	bin  string
	pid  int    // Chromium's pid; also its process group id
	dir  string // private --user-data-dir

	rod     *rod.Browser
	srv     *docServer
	spareMu sync.Mutex
	spare   *spareTab // a blank tab made ahead of time (see takePage)
	// parkedPages are blank pages that printed a document and wait for the
	// next (see park); guarded by spareMu.
	parkedPages []*rod.Page
	exited      chan struct{} // closed when the launched process has exited

	ctx       context.Context // cancelled by Close
	cancel    context.CancelFunc
	stopAfter func() bool

	closeOnce sync.Once
	closeErr  error
}

const defaultTimeout = 60 * time.Second

// leaklessLock is the port leakless uses as a cross-process mutex
// (leakless.New().Lock in v0.9.0).
const leaklessLock = 2978

// New starts the browser at bin (see [Find]) with a private, temporary
// profile and connects to it. Cancelling ctx at any time, also after New
// returned, closes the browser; so does [Browser.Close], which the caller
// must call in any case.
func New(ctx context.Context, bin string, opts Options) (*Browser, error) {
	if bin == "" {
		return nil, errors.New("starting browser: no executable given (see chromium.Find)")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("starting browser: %w", err)
	}
	dir, err := os.MkdirTemp("", "foil-chromium-")
	if err != nil {
		return nil, fmt.Errorf("starting browser: %w", err)
	}
	srv, err := newDocServer(opts.AllowRemote)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("starting browser: %w", err)
	}
	b := &Browser{opts: opts, bin: bin, dir: dir, srv: srv, exited: make(chan struct{})}
	b.ctx, b.cancel = context.WithCancel(context.WithoutCancel(ctx))

	if err := b.launch(ctx); err != nil {
		_ = b.Close()
		return nil, err
	}
	b.stopAfter = context.AfterFunc(ctx, func() { _ = b.Close() })
	go b.makeSpare()
	return b, nil
}

func (b *Browser) logf(format string, args ...any) {
	if b.opts.Log != nil {
		b.opts.Log(format, args...)
	}
}

func (b *Browser) launch(ctx context.Context) (err error) {
	l := launcher.New().Context(ctx)
	// Replace rod's defaults (which also read the ROD environment variable)
	// with exactly the flags we mean.
	l.Flags = map[flags.Flag][]string{
		flags.Bin:                                {b.bin},
		flags.UserDataDir:                        {b.dir},
		flags.RemoteDebuggingPort:                {"0"},
		flags.Headless:                           nil,
		"disable-gpu":                            nil,
		"no-first-run":                           nil,
		"no-default-browser-check":               nil,
		"no-startup-window":                      nil,
		"disable-background-networking":          nil,
		"disable-component-update":               nil,
		"disable-sync":                           nil,
		"disable-default-apps":                   nil,
		"disable-extensions":                     nil,
		"disable-breakpad":                       nil,
		"disable-domain-reliability":             nil,
		"disable-client-side-phishing-detection": nil,
		"no-pings":                               nil,
		"mute-audio":                             nil,
		"hide-scrollbars":                        nil,
		"disable-dev-shm-usage":                  nil, // containers often have a 64 MB /dev/shm
		"force-color-profile":                    {"srgb"},
		"password-store":                         {"basic"},
		"use-mock-keychain":                      nil,
		// Concurrent pages are background tabs: keep them running at full speed.
		"disable-background-timer-throttling":    nil,
		"disable-backgrounding-occluded-windows": nil,
		"disable-renderer-backgrounding":         nil,
		// Keep iframes in the page's process so the page's request
		// interception sees their requests too, and refuse popups, which
		// would be targets outside it.
		"disable-features":              {"site-per-process", "IsolateOrigins", "Translate", "MediaRouter", "OptimizationHints"},
		"disable-site-isolation-trials": nil,
		"block-new-web-contents":        nil,
	}
	if b.opts.NoSandbox {
		l.Set(flags.NoSandbox)
		b.logf("chromium: --no-sandbox (running as root)")
	}
	if !b.opts.NoLeakless {
		if leaklessLockFree(ctx) {
			l.Set(flags.Leakless)
		} else {
			b.logf("chromium: leakless guard off: 127.0.0.1:%d is busy", leaklessLock)
		}
	}
	b.logf("chromium: starting %s", b.bin)
	start := time.Now()

	// launcher.Launch panics on some I/O errors (writing the leakless
	// binary); turn those into errors.
	var u string
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%v", r)
			}
		}()
		u, err = l.Launch()
	}()
	b.pid = l.PID()
	go func() {
		// Cleanup waits until the launched process (leakless or Chromium)
		// has exited; it also removes the user-data dir.
		if b.pid != 0 {
			l.Cleanup()
		}
		close(b.exited)
	}()
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("starting browser %s: %w", b.bin, ctx.Err())
		}
		return fmt.Errorf("starting browser %s: %w", b.bin, err)
	}
	b.logf("chromium: pid %d listening after %v", b.pid, time.Since(start).Round(time.Millisecond))

	// rod.New and cdp.New take defaults from the "rod" environment variable
	// and -rod flag (slow motion, tracing, a CDP logger that prints every
	// message, a control URL); set every one of them explicitly.
	ws := &cdp.WebSocket{}
	if err := ws.Connect(ctx, u, nil); err != nil {
		return fmt.Errorf("connecting to browser %s: %w", b.bin, err)
	}
	client := cdp.New().Logger(utils.LoggerQuiet).Start(ws)
	rb := rod.New().ControlURL("").Client(client).Context(b.ctx).
		SlowMotion(0).Trace(false).Monitor("").NoDefaultDevice()
	if err := rb.Connect(); err != nil {
		return fmt.Errorf("connecting to browser %s: %w", b.bin, err)
	}
	b.logf("chromium: connected after %v", time.Since(start).Round(time.Millisecond))
	b.rod = rb
	return nil
}

// leaklessLockFree reports whether leakless's lock port can be taken within
// a few seconds. leakless itself would wait for it forever.
func leaklessLockFree(ctx context.Context) bool {
	deadline := time.Now().Add(3 * time.Second)
	for {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", leaklessLock))
		if err == nil {
			_ = ln.Close()
			return true
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// processGone reports whether the main browser process has exited. Its
// children may live on for a while (they hold the output pipes, so the
// launcher's wait returns only when they are gone too).
func (b *Browser) processGone() bool {
	if b.pid <= 0 {
		return true
	}
	if err := syscall.Kill(b.pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(b.pid) + "/stat")
	if err != nil {
		return false // not Linux, or no /proc: trust kill(0)
	}
	i := bytes.LastIndexByte(stat, ')')
	return i > 0 && bytes.HasPrefix(stat[i:], []byte(") Z")) // zombie
}

// Close kills the browser process and its children, stops the document
// server and removes the private profile. It is safe to call more than once
// and from several goroutines; later calls return the first call's result.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() { b.closeErr = b.close() })
	return b.closeErr
}

func (b *Browser) close() error {
	if b.stopAfter != nil {
		b.stopAfter()
	}
	b.cancel() // fails every call in flight and closes the DevTools socket
	var errs []error
	if b.pid > 0 {
		// Chromium was started in a process group of its own (by leakless or
		// by rod's launcher), so its renderers and zygotes die with it.
		if pgid, err := syscall.Getpgid(b.pid); err == nil && pgid == b.pid {
			_ = syscall.Kill(-b.pid, syscall.SIGKILL)
		}
		_ = syscall.Kill(b.pid, syscall.SIGKILL)
		select {
		case <-b.exited:
		case <-time.After(10 * time.Second):
			errs = append(errs, fmt.Errorf("closing browser: pid %d did not exit", b.pid))
		}
	}
	if err := b.srv.close(); err != nil {
		errs = append(errs, fmt.Errorf("closing document server: %w", err))
	}
	if err := os.RemoveAll(b.dir); err != nil {
		errs = append(errs, fmt.Errorf("removing %s: %w", b.dir, err))
	}
	return errors.Join(errs...)
}
