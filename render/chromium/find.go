package chromium

import (
	"os"
	"strings"

	"github.com/go-rod/rod/lib/launcher"
)

// NotFoundError is returned by [Find] when no usable browser was found.
type NotFoundError struct {
	// Tried lists every path that was checked, in order.
	Tried []string
}

func (e *NotFoundError) Error() string {
	var b strings.Builder
	b.WriteString("no Chromium or Chrome found")
	if len(e.Tried) > 0 {
		b.WriteString(" (tried ")
		b.WriteString(strings.Join(e.Tried, ", "))
		b.WriteString(")")
	}
	b.WriteString("; install one (Debian/Ubuntu: apt-get install chromium) or pass its path with --browser or FOIL_BROWSER")
	return b.String()
}

// Find returns the first candidate that is an executable file, or else what
// rod's launcher.LookPath finds in $PATH and the usual install locations.
// Candidates are given in priority order (a --browser flag, $FOIL_BROWSER,
// $CHROME_PATH); empty ones are skipped. Find never downloads a browser.
// When nothing is found the error is a *[NotFoundError].
func Find(candidates ...string) (string, error) {
	var tried []string
	for _, c := range candidates {
		if c == "" {
			continue
		}
		tried = append(tried, c)
		if isExecutable(c) {
			return c, nil
		}
	}
	if p, ok := launcher.LookPath(); ok {
		return p, nil
	}
	// The places launcher.LookPath searches on Linux (rod v0.116.2).
	tried = append(tried, "$PATH (chrome, google-chrome, microsoft-edge, chromium, chromium-browser)",
		"/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/usr/bin/microsoft-edge",
		"/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")
	return "", &NotFoundError{Tried: tried}
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	return fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
