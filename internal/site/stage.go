package site

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A deck's new outputs are written to a folder in Out/.foil-tmp and swapped
// in for Out/<slug> as a whole. On Linux the swap is one renameat2
// RENAME_EXCHANGE: Out/<slug> is the old folder or the new one, never
// neither and never a mix. Elsewhere the old folder is first renamed to
// <stage>.old, leaving a moment without Out/<slug>; recoverStage puts it
// back if the build dies in that moment.

const oldSuffix = ".old"

// swap puts the complete folder stage in place of dir. The old dir ends up
// in stage (exchange) or stage.old, which the caller removes.
func swap(stage, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(stage, dir); err != nil {
			return fmt.Errorf("moving outputs into %s: %w", dir, err)
		}
		return nil
	}
	if err := exchange(stage, dir); err == nil {
		return nil
	} else if !errors.Is(err, errNoExchange) {
		return fmt.Errorf("moving outputs into %s: %w", dir, err)
	}
	old := stage + oldSuffix
	if err := os.Rename(dir, old); err != nil {
		return fmt.Errorf("moving outputs into %s: %w", dir, err)
	}
	if err := os.Rename(stage, dir); err != nil {
		_ = os.Rename(old, dir)
		return fmt.Errorf("moving outputs into %s: %w", dir, err)
	}
	// dir now holds what stage held; put the old folder where the caller
	// removes stage.
	return os.Rename(old, stage)
}

// remove takes dir out of the site: renamed into the staging folder first,
// so that it disappears at once, then deleted.
func remove(dir, stage string) error {
	tmp, err := os.MkdirTemp(stage, "gone.")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	return os.Rename(dir, filepath.Join(tmp, filepath.Base(dir)))
}

// recoverStage cleans up after a build that died: an old deck folder
// renamed away but not yet replaced goes back to its place, everything
// else in the staging folder is removed.
func recoverStage(out, stage string) error {
	ents, err := os.ReadDir(stage)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", stage, err)
	}
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), oldSuffix)
		if !ok || !e.IsDir() {
			continue
		}
		// Staging folders are named <slug>.<random> (os.MkdirTemp).
		slug := name[:max(0, strings.LastIndexByte(name, '.'))]
		if slug == "" {
			continue
		}
		dir := filepath.Join(out, slug)
		if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
			_ = os.Rename(filepath.Join(stage, e.Name()), dir)
		}
	}
	if err := os.RemoveAll(stage); err != nil {
		return fmt.Errorf("removing %s: %w", stage, err)
	}
	return nil
}
