// Package outfile writes output files atomically: the content goes to a
// temporary file in the target folder, which is renamed over the target only
// when everything was written. A failed or interrupted write leaves the old
// file as it was and no partial file behind.
//
// It does not create folders: a missing output folder is the user's mistake
// to see, not something to paper over.
package outfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates path with the content fill writes. The file gets mode 0644
// (less the umask, as os.Create would). fill's error is returned as is.
func Write(path string, fill func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("writing %s: folder %s does not exist", path, dir)
		}
		return fmt.Errorf("writing %s: %w", path, err)
	} else if !fi.IsDir() {
		return fmt.Errorf("writing %s: %s is not a folder", path, dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := fill(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// CreateTemp makes 0600 files; outputs are for publishing.
	umask := 0o022
	if err := os.Chmod(tmp, os.FileMode(0o644&^umask)); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// Same reports whether a and b name the same file (both must exist), or the
// same path when they do not.
func Same(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	pa, err1 := filepath.Abs(a)
	pb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && pa == pb
}
