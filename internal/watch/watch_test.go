package watch

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func newWatcher(t *testing.T, paths ...string) *Watcher {
	t.Helper()
	w, err := New(paths, Options{Debounce: 50 * time.Millisecond, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// next waits for the next batch, failing after 2s.
func next(t *testing.T, w *Watcher) []string {
	t.Helper()
	select {
	case b, ok := <-w.Changes():
		if !ok {
			t.Fatal("Changes closed")
		}
		return b
	case <-time.After(2 * time.Second):
		t.Fatal("no change reported within 2s")
		return nil
	}
}

// none checks that no batch comes within d.
func none(t *testing.T, w *Watcher, d time.Duration) {
	t.Helper()
	select {
	case b := <-w.Changes():
		t.Fatalf("unexpected change %q", b)
	case <-time.After(d):
	}
}

// Editors' save patterns each produce one batch naming the deck.
func TestSavePatterns(t *testing.T) {
	dir := t.TempDir()
	deck := filepath.Join(dir, "deck.md")
	write(t, deck, "# one\n")
	w := newWatcher(t, deck)
	tests := []struct {
		name string
		save func()
	}{
		{"write in place", func() { write(t, deck, "# two\n") }},
		{"truncate then write", func() {
			f, err := os.OpenFile(deck, os.O_WRONLY|os.O_TRUNC, 0)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Millisecond)
			f.WriteString("# three\n")
			f.Close()
		}},
		{"atomic rename", func() {
			tmp := filepath.Join(dir, ".deck.md.tmp123")
			write(t, tmp, "# four\n")
			if err := os.Rename(tmp, deck); err != nil {
				t.Fatal(err)
			}
		}},
		{"delete and create", func() {
			os.Remove(deck)
			time.Sleep(5 * time.Millisecond)
			write(t, deck, "# five\n")
		}},
		{"vim backup dance", func() {
			bak := deck + "~"
			os.Rename(deck, bak)
			write(t, filepath.Join(dir, "4913"), "")
			os.Remove(filepath.Join(dir, "4913"))
			write(t, deck, "# six\n")
			os.Remove(bak)
		}},
		{"again after all that", func() { write(t, deck, "# seven\n") }},
	}
	for _, tt := range tests {
		tt.save()
		// One batch normally; a machine stalled between an editor's
		// steps may make it two. Every batch names the deck only.
		for _, got := range drain(t, w) {
			if !slices.Equal(got, []string{deck}) {
				t.Errorf("%s: batch %q, want [%q]", tt.name, got, deck)
			}
		}
	}
}

// drain returns the batches reported until none came for 200ms (at least
// one, within 2s).
func drain(t *testing.T, w *Watcher) [][]string {
	t.Helper()
	all := [][]string{next(t, w)}
	for {
		select {
		case b := <-w.Changes():
			all = append(all, b)
		case <-time.After(200 * time.Millisecond):
			return all
		}
	}
}

// Files beside the deck that are not watched, and noise, report nothing.
func TestIgnored(t *testing.T) {
	dir := t.TempDir()
	deck := filepath.Join(dir, "deck.md")
	write(t, deck, "x")
	w := newWatcher(t, deck)
	write(t, filepath.Join(dir, "other.md"), "x")
	write(t, filepath.Join(dir, ".deck.md.swp"), "x")
	none(t, w, 100*time.Millisecond)
}

// A burst of writes is one batch (or a few, bounded by MaxWait).
func TestDebounce(t *testing.T) {
	dir := t.TempDir()
	deck := filepath.Join(dir, "deck.md")
	write(t, deck, "x")
	// A debounce well above the writes' spacing, even on a busy machine.
	w, err := New([]string{deck}, Options{Debounce: 150 * time.Millisecond, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	for i := range 20 {
		write(t, deck, string(rune('a'+i)))
		time.Sleep(2 * time.Millisecond)
	}
	// One batch; a few if the machine stalls, never one per write.
	if n := len(drain(t, w)); n > 3 {
		t.Errorf("20 writes in a burst: %d batches", n)
	}
}

// A watched folder: files in subfolders, new subfolders, and the folder
// itself removed and made again.
func TestFolder(t *testing.T) {
	base := t.TempDir()
	layouts := filepath.Join(base, "layouts")
	os.MkdirAll(filepath.Join(layouts, "css"), 0o755)
	w := newWatcher(t, layouts)

	css := filepath.Join(layouts, "css", "dark.css")
	write(t, css, "x")
	if got := next(t, w); !slices.Equal(got, []string{css}) {
		t.Errorf("file in subfolder: %q", got)
	}

	slide := filepath.Join(layouts, "slide")
	os.Mkdir(slide, 0o755)
	next(t, w) // the new folder
	talk := filepath.Join(slide, "talk.html")
	write(t, talk, "x")
	if got := next(t, w); !slices.Contains(got, talk) {
		t.Errorf("file in new subfolder: %q", got)
	}

	if err := os.RemoveAll(layouts); err != nil {
		t.Fatal(err)
	}
	next(t, w)
	os.MkdirAll(layouts, 0o755)
	next(t, w)
	base2 := filepath.Join(layouts, "base.html")
	write(t, base2, "x")
	if got := next(t, w); !slices.Contains(got, base2) {
		t.Errorf("file in re-made folder: %q", got)
	}
}

func TestCloseEndsChanges(t *testing.T) {
	dir := t.TempDir()
	deck := filepath.Join(dir, "deck.md")
	write(t, deck, "x")
	before := runtime.NumGoroutine()
	w, err := New([]string{deck}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, deck, "y") // a batch nobody reads
	time.Sleep(50 * time.Millisecond)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-w.Changes(); ok {
		t.Error("Changes still open after Close")
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before", n, before)
	}
}

func TestMissing(t *testing.T) {
	if _, err := New([]string{filepath.Join(t.TempDir(), "nope.md")}, Options{}); err == nil {
		t.Error("New on a missing file: no error")
	}
}
