package chromium

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// pdfDoc is what the tests check in a PDF, read with pdfcpu.
type pdfDoc struct {
	Title   string
	Pages   []pdfPage
	Outline []outlineItem
}

type pdfPage struct {
	Width, Height float64 // pt
	Text          string  // decoded through the fonts' ToUnicode maps
	URIs          []string
	Links         []int // target page (1-based) of each internal link
}

type outlineItem struct {
	Title string
	Page  int
	Depth int
}

// readPDF parses data or fails t.
func readPDF(t testing.TB, data []byte) *pdfDoc {
	t.Helper()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadValidateAndOptimize(bytes.NewReader(data), conf)
	if err != nil {
		t.Fatalf("reading PDF: %v", err)
	}
	d, err := scanPDF(ctx)
	if err != nil {
		t.Fatalf("reading PDF: %v", err)
	}
	return d
}

func scanPDF(ctx *model.Context) (*pdfDoc, error) {
	x := ctx.XRefTable
	d := &pdfDoc{Title: ctx.Title}
	pageNr := map[int]int{} // object number -> page number
	for i := 1; i <= ctx.PageCount; i++ {
		_, ref, _, err := x.PageDict(i, false)
		if err != nil {
			return nil, err
		}
		pageNr[ref.ObjectNumber.Value()] = i
	}
	cat, err := x.Catalog()
	if err != nil {
		return nil, err
	}
	dests, _ := x.DereferenceDict(cat["Dests"])
	destPage := func(o types.Object) int {
		if n, ok := o.(types.Name); ok && dests != nil {
			o = dests[string(n)]
		}
		arr, err := x.DereferenceArray(o)
		if err != nil || len(arr) == 0 {
			return 0
		}
		if ref, ok := arr[0].(types.IndirectRef); ok {
			return pageNr[ref.ObjectNumber.Value()]
		}
		return 0
	}

	for i := 1; i <= ctx.PageCount; i++ {
		pd, _, inh, err := x.PageDict(i, true)
		if err != nil {
			return nil, err
		}
		var p pdfPage
		if inh != nil && inh.MediaBox != nil {
			p.Width, p.Height = inh.MediaBox.Width(), inh.MediaBox.Height()
		}
		if mb, err := x.DereferenceArray(pd["MediaBox"]); err == nil && len(mb) == 4 {
			if r := types.RectForArray(mb); r != nil {
				p.Width, p.Height = r.Width(), r.Height()
			}
		}
		annots, _ := x.DereferenceArray(pd["Annots"])
		for _, a := range annots {
			ad, err := x.DereferenceDict(a)
			if err != nil || ad == nil {
				continue
			}
			if act, _ := x.DereferenceDict(ad["A"]); act != nil {
				if u, err := x.Dereference(act["URI"]); err == nil && u != nil {
					s, _ := types.StringLiteralToString(u.(types.StringLiteral))
					p.URIs = append(p.URIs, s)
				}
			}
			if dst, ok := ad["Dest"]; ok {
				p.Links = append(p.Links, destPage(dst))
			}
		}
		p.Text, err = pageText(x, pd, i)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i, err)
		}
		d.Pages = append(d.Pages, p)
	}

	if outlines, _ := x.DereferenceDict(cat["Outlines"]); outlines != nil {
		var walk func(o types.Object, depth int)
		walk = func(o types.Object, depth int) {
			for n := 0; o != nil && n < 10000; n++ {
				item, err := x.DereferenceDict(o)
				if err != nil || item == nil {
					return
				}
				title := ""
				if t, err := x.Dereference(item["Title"]); err == nil && t != nil {
					title, _ = model.Text(t)
				}
				d.Outline = append(d.Outline, outlineItem{Title: title, Page: destPage(item["Dest"]), Depth: depth})
				walk(item["First"], depth+1)
				o = item["Next"]
			}
		}
		walk(outlines["First"], 0)
	}
	return d, nil
}

var (
	contentToken = regexp.MustCompile(`/([A-Za-z0-9_.]+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\bET\b`)
	cmapHex      = regexp.MustCompile(`<([0-9A-Fa-f]+)>`)
)

// pageText is a minimal text extractor for Skia's PDFs: Type0 fonts with
// two-byte codes in hex strings, decoded with each font's ToUnicode CMap.
func pageText(x *model.XRefTable, pd types.Dict, pageNr int) (string, error) {
	res, _ := x.DereferenceDict(pd["Resources"])
	fonts, _ := x.DereferenceDict(res["Font"])
	maps := map[string]map[uint16]string{}
	for name, f := range fonts {
		fd, err := x.DereferenceDict(f)
		if err != nil || fd == nil {
			continue
		}
		sd, _, err := x.DereferenceStreamDict(fd["ToUnicode"])
		if err != nil || sd == nil {
			continue
		}
		if err := sd.Decode(); err != nil {
			return "", err
		}
		maps[name] = parseToUnicode(string(sd.Content))
	}
	content, err := x.PageContent(pd, pageNr)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	var cur map[uint16]string
	for _, m := range contentToken.FindAllStringSubmatch(string(content), -1) {
		switch {
		case m[1] != "":
			cur = maps[m[1]]
		case m[0] == "ET":
			b.WriteByte('\n')
		default:
			h := m[2]
			for i := 0; i+4 <= len(h); i += 4 {
				c, _ := strconv.ParseUint(h[i:i+4], 16, 16)
				b.WriteString(cur[uint16(c)])
			}
		}
	}
	return b.String(), nil
}

// parseToUnicode reads bfchar and bfrange entries (single code points).
func parseToUnicode(cmap string) map[uint16]string {
	m := map[uint16]string{}
	hexRune := func(h string) string {
		var r []rune
		for i := 0; i+4 <= len(h); i += 4 {
			v, _ := strconv.ParseUint(h[i:i+4], 16, 16)
			r = append(r, rune(v))
		}
		return string(r)
	}
	for _, sec := range strings.Split(cmap, "beginbf")[1:] {
		body, _, _ := strings.Cut(sec, "endbf")
		kind, lines, _ := strings.Cut(body, "\n")
		for _, line := range strings.Split(lines, "\n") {
			h := cmapHex.FindAllStringSubmatch(line, -1)
			switch {
			case strings.HasPrefix(kind, "char") && len(h) == 2:
				c, _ := strconv.ParseUint(h[0][1], 16, 16)
				m[uint16(c)] = hexRune(h[1][1])
			case strings.HasPrefix(kind, "range") && len(h) >= 3:
				lo, _ := strconv.ParseUint(h[0][1], 16, 16)
				hi, _ := strconv.ParseUint(h[1][1], 16, 16)
				dst := []rune(hexRune(h[2][1]))
				for c := lo; c <= hi && len(dst) == 1; c++ {
					m[uint16(c)] = string(dst[0] + rune(c-lo))
				}
			}
		}
	}
	return m
}
