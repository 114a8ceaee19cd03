package site

import (
	"errors"

	"golang.org/x/sys/unix"
)

var errNoExchange = errors.New("atomic exchange not supported")

// exchange swaps the folders a and b in one step.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		// An old kernel, or a file system without RENAME_EXCHANGE.
		return errNoExchange
	}
	return err
}
