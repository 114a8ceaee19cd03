// Package golden compares test output with golden files: files under a
// package's testdata/ holding the output a test must produce, rewritten by
// the test's -update flag and reviewed in diffs like code.
//
// Only tests import it. It keeps no flag of its own: each package declares
// its -update flag and passes the value, so `go test ./... -update` works
// across packages and a package without goldens has no such flag.
package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Check compares got with the golden file at path, or writes the file (and
// its folder) when update is set. A difference fails tb showing the first line that
// differs.
func Check(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (go test -update creates it)", err)
	}
	if d := Diff(string(want), string(got)); d != "" {
		tb.Errorf("output differs from %s (go test -update rewrites it; review the diff):\n%s", path, d)
	}
}

// Diff describes the first line where got differs from want, or returns ""
// when they are equal.
func Diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl, gl)
		}
	}
	return ""
}
