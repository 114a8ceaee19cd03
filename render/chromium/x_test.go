package chromium

import (
	"context"
	"io"
	"os"
	"testing"
	"time"
)

func TestXTiming(t *testing.T) {
	bin := testBrowser(t)
	t0 := time.Now()
	b, err := New(context.Background(), bin, Options{NoSandbox: true, Log: func(f string, a ...any) {
		t.Logf("%v "+f, append([]any{time.Since(t0).Round(time.Millisecond)}, a...)...)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("launched %v", time.Since(t0))
	doc := testDeck(deckOptions{Slides: 50})
	for i := 0; i < 3; i++ {
		t1 := time.Now()
		_, err := b.PDF(context.Background(), doc, PDFOptions{}, io.Discard)
		t.Logf("pdf %v %v", time.Since(t1), err)
	}
	t1 := time.Now()
	b.Close()
	t.Logf("close %v", time.Since(t1))
	_ = os.Getpid
}
