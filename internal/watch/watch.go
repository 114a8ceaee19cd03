// Package watch reports changes to a set of files and folders, debounced:
// a burst of events (an editor's save, a git checkout) becomes one batch.
//
// It watches folders, never single files: editors save by writing a new
// file and renaming it over the old one, or by deleting and re-creating it,
// and a watch on the file itself would die with the old inode. A file is
// watched through its folder and events are filtered by name; a folder is
// watched with its subfolders (bounded by Options.MaxDirs), new subfolders
// are added as they appear, and a watched folder that is removed and made
// again is watched again.
//
// It does not read or compare file contents, and it does not follow
// symlinks out of a watched folder.
package watch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options configure a Watcher. The zero value is useful.
type Options struct {
	// Debounce is the quiet time after the last event before a batch is
	// reported; 0 means 25ms. A batch is reported at the latest MaxWait
	// after its first event, so a file written continuously still shows.
	Debounce time.Duration
	MaxWait  time.Duration // 0 means 20 × Debounce
	// Ignore reports whether a change to the file or folder name (a base
	// name) does not matter; nil means Noise.
	Ignore func(name string) bool
	// MaxDirs bounds the folders watched under one folder, subfolders
	// included; 0 means 256. Beyond it, deeper folders are not watched.
	MaxDirs int
	// Logf, when set, receives problems that do not stop watching.
	Logf func(format string, args ...any)
}

// Noise reports whether name is a file editors and tools make in passing:
// hidden files, backups and swap files (x~, .x.swp, #x#, vim's 4913).
func Noise(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") ||
		strings.HasSuffix(name, ".tmp") || name == "4913"
}

// A Watcher reports changes on Changes until Close.
type Watcher struct {
	o       Options
	fsw     *fsnotify.Watcher
	changes chan []string
	done    chan struct{}
	wg      sync.WaitGroup

	files map[string]bool // watched files, by clean absolute path
	roots []string        // watched folders (with their subfolders)
	dirs  map[string]bool // folders with a watch
}

// New watches paths: files (through their folder) and folders (with their
// subfolders). Every path must exist when New is called.
func New(paths []string, o Options) (*Watcher, error) {
	if o.Debounce <= 0 {
		o.Debounce = 25 * time.Millisecond
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 20 * o.Debounce
	}
	if o.Ignore == nil {
		o.Ignore = Noise
	}
	if o.MaxDirs <= 0 {
		o.MaxDirs = 256
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching files: %w", err)
	}
	w := &Watcher{o: o, fsw: fsw, changes: make(chan []string), done: make(chan struct{}),
		files: map[string]bool{}, dirs: map[string]bool{}}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			fsw.Close()
			return nil, err
		}
		fi, err := os.Stat(abs)
		if err != nil {
			fsw.Close()
			return nil, fmt.Errorf("watching %s: %w", p, err)
		}
		if fi.IsDir() {
			w.roots = append(w.roots, abs)
			w.addTree(abs)
			// The parent too, to see the folder come back after it
			// was removed or renamed away.
			w.add(filepath.Dir(abs))
		} else {
			w.files[abs] = true
			w.add(filepath.Dir(abs))
		}
	}
	w.wg.Add(1)
	go w.loop()
	return w, nil
}

// Changes delivers batches of changed paths (absolute, sorted, without
// duplicates). It is closed by Close.
func (w *Watcher) Changes() <-chan []string { return w.changes }

// Close stops watching and closes Changes.
func (w *Watcher) Close() error {
	select {
	case <-w.done:
		return nil
	default:
	}
	close(w.done)
	err := w.fsw.Close()
	w.wg.Wait()
	return err
}

func (w *Watcher) logf(format string, args ...any) {
	if w.o.Logf != nil {
		w.o.Logf(format, args...)
	}
}

// add watches folder dir (once).
func (w *Watcher) add(dir string) bool {
	if w.dirs[dir] {
		return true
	}
	if err := w.fsw.Add(dir); err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			w.logf("watch: %s: %v", dir, err)
		}
		return false
	}
	w.dirs[dir] = true
	return true
}

// addTree watches dir and its subfolders, skipping ignored names, up to
// MaxDirs folders in all.
func (w *Watcher) addTree(dir string) {
	queue := []string{dir}
	for len(queue) > 0 && len(w.dirs) < w.o.MaxDirs {
		d := queue[0]
		queue = queue[1:]
		if !w.add(d) {
			continue
		}
		ents, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if e.IsDir() && !w.o.Ignore(e.Name()) {
				queue = append(queue, filepath.Join(d, e.Name()))
			}
		}
	}
	if len(queue) > 0 {
		w.logf("watch: more than %d folders under %s; not watching the rest", w.o.MaxDirs, dir)
	}
}

// relevant reports whether an event on path matters, and for a folder
// created under (or as) a root, watches it.
func (w *Watcher) relevant(ev fsnotify.Event) bool {
	p := filepath.Clean(ev.Name)
	if w.o.Ignore(filepath.Base(p)) {
		return false
	}
	if w.files[p] {
		return true
	}
	for _, r := range w.roots {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) {
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(p); err == nil && fi.IsDir() {
					w.addTree(p)
				}
			}
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				w.forget(p)
			}
			return true
		}
	}
	return false
}

// forget drops the watches of a removed folder and its subfolders (inotify
// drops them itself; this keeps dirs honest so the folder is watched again
// when it comes back).
func (w *Watcher) forget(p string) {
	for d := range w.dirs {
		if d == p || strings.HasPrefix(d, p+string(filepath.Separator)) {
			delete(w.dirs, d)
			_ = w.fsw.Remove(d)
		}
	}
}

func (w *Watcher) loop() {
	defer w.wg.Done()
	defer close(w.changes)
	pending := map[string]bool{}
	var (
		quiet, deadline *time.Timer
		fire            <-chan time.Time
		limit           <-chan time.Time
		batch           []string
		out             chan []string
	)
	stop := func() {
		if quiet != nil {
			quiet.Stop()
		}
		if deadline != nil {
			deadline.Stop()
		}
		fire, limit = nil, nil
	}
	flush := func() {
		stop()
		for p := range pending {
			if !slices.Contains(batch, p) {
				batch = append(batch, p)
			}
		}
		clear(pending)
		slices.Sort(batch)
		if len(batch) > 0 {
			out = w.changes
		}
	}
	for {
		select {
		case <-w.done:
			stop()
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod || !w.relevant(ev) {
				continue
			}
			pending[filepath.Clean(ev.Name)] = true
			if quiet == nil {
				quiet = time.NewTimer(w.o.Debounce)
			} else {
				quiet.Reset(w.o.Debounce)
			}
			fire = quiet.C
			if limit == nil {
				if deadline == nil {
					deadline = time.NewTimer(w.o.MaxWait)
				} else {
					deadline.Reset(w.o.MaxWait)
				}
				limit = deadline.C
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.logf("watch: %v", err)
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: report everything as changed.
				for f := range w.files {
					pending[f] = true
				}
				for _, r := range w.roots {
					pending[r] = true
				}
				flush()
			}
		case <-fire:
			flush()
		case <-limit:
			flush()
		case out <- batch:
			batch, out = nil, nil
		}
	}
}
