package chromium

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// PDFOptions configures [Browser.PDF]. The zero value prints the document
// as its own CSS asks (@page size).
type PDFOptions struct {
	// Title, when set, replaces document.title before printing; Chromium
	// writes document.title into the PDF's Title metadata.
	Title string

	// Width and Height are the slide canvas in CSS px (1280x720 for 16:9,
	// 960x720 for 4:3). They set the paper size only for documents without
	// an @page size rule; the page is 0.75 pt per px (1280x720 -> 960x540 pt).
	Width, Height int
}

// readChunk is the size asked for per IO.read. Each read is one round trip
// and base64 inflates it by 4/3 on the socket.
const readChunk = 1 << 20

// PDF loads doc, prints it to PDF and streams the PDF into w. One page of
// the output per printed page of the document; backgrounds printed, links
// kept, a tagged PDF with an outline built from the document's headings.
// The warnings name requests that were refused (see [Options.AllowRemote]).
func (b *Browser) PDF(ctx context.Context, doc []byte, o PDFOptions, w io.Writer) (warnings []string, err error) {
	s, err := b.openPrint(ctx, doc)
	if err != nil {
		return nil, err
	}
	defer s.close()
	p := s.page.Context(ctx)

	err = b.printPage(ctx, p, o, w)
	s.keep = err == nil
	return s.takeWarnings(), err
}

// printPage prints the document loaded in p as o asks.
func (b *Browser) printPage(ctx context.Context, p *rod.Page, o PDFOptions, w io.Writer) error {
	if err := setTitle(p, o.Title); err != nil {
		return b.callErr(ctx, "setting title", err)
	}
	var pw, ph float64 // inches; zero: the document's @page size
	if o.Width > 0 && o.Height > 0 {
		pw, ph = float64(o.Width)/96, float64(o.Height)/96
	}
	return b.print(ctx, p, pw, ph, w)
}

// setTitle replaces document.title, which Chromium writes into the PDF's
// Title; an empty title keeps the document's.
func setTitle(p *rod.Page, title string) error {
	if title == "" {
		return nil
	}
	t, _ := json.Marshal(title)
	_, err := evaluate(p, "document.title = "+string(t))
	return err
}

// print prints the loaded page to PDF and streams it into w: backgrounds,
// links, tags and an outline from the headings, no margins. A paper size of
// zero leaves the size to the document's @page rule.
func (b *Browser) print(ctx context.Context, p *rod.Page, widthIn, heightIn float64, w io.Writer) error {
	zero := 0.0
	req := proto.PagePrintToPDF{
		PreferCSSPageSize:       true,
		PrintBackground:         true,
		GenerateDocumentOutline: true,
		GenerateTaggedPDF:       true,
		MarginTop:               &zero,
		MarginBottom:            &zero,
		MarginLeft:              &zero,
		MarginRight:             &zero,
		TransferMode:            proto.PagePrintToPDFTransferModeReturnAsStream,
	}
	if widthIn > 0 && heightIn > 0 {
		req.PaperWidth, req.PaperHeight = &widthIn, &heightIn
	}
	res, err := req.Call(p)
	if err != nil {
		return b.callErr(ctx, "printing", err)
	}
	if err := copyStream(p, res.Stream, w); err != nil {
		return b.callErr(ctx, "reading PDF", err)
	}
	return nil
}

// copyStream copies a DevTools IO stream into w and closes the stream.
func copyStream(c proto.Client, h proto.IOStreamHandle, w io.Writer) error {
	defer func() { _ = proto.IOClose{Handle: h}.Call(c) }()
	size := readChunk
	for {
		r, err := proto.IORead{Handle: h, Size: &size}.Call(c)
		if err != nil {
			return err
		}
		data := []byte(r.Data)
		if r.Base64Encoded {
			data, err = base64.StdEncoding.DecodeString(r.Data)
			if err != nil {
				return err
			}
		}
		if _, err := w.Write(data); err != nil {
			return fmt.Errorf("writing: %w", err)
		}
		if r.EOF {
			return nil
		}
	}
}
