package main

import (
	"os"
	"os/signal"
	"syscall"
)

// notifyInterrupt delivers Ctrl-C and SIGTERM so that commands can clean up
// (close the browser, remove temp files) before exiting.
func notifyInterrupt() <-chan os.Signal {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	return c
}
