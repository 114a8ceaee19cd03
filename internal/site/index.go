package site

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/foil-slides/foil/internal/outfile"
)

//go:embed index.html
var indexHTML string

var indexTmpl = template.Must(template.New("index.html").Parse(indexHTML))

// card is one deck on the index page and in the feed. Links are relative
// to Out, so the site works under any path and from file://.
type card struct {
	Slug, Title, Subtitle, Author string
	Date, DateText                string
	Slides                        int
	Page, PDF, Thumb              string
	ThumbW, ThumbH                int
	PDFSize                       string
	updated                       time.Time
}

type year struct {
	Name  string
	Cards []*card
}

type indexPage struct {
	Title  string
	Years  []year
	Count  int
	Feed   string
	Social *indexSocial // nil without a base URL: og:url and og:image must be absolute
}

type indexSocial struct{ URL, Image string }

// cards returns the decks that are on the site, newest first; decks without
// a date come last, by title.
func (b *builder) cards(decks []*Deck) []*card {
	var cs []*card
	for _, d := range decks {
		if d.Status != Built && d.Status != UpToDate {
			continue
		}
		c := &card{Slug: d.Slug, Title: d.Title, Subtitle: d.Subtitle, Author: d.Author, Date: d.Date,
			Slides: d.Slides, Page: d.Slug + "/" + indexFile, PDF: d.Slug + "/" + d.Slug + ".pdf",
			Thumb:  d.Slug + "/" + thumbFile,
			ThumbW: int(float64(d.Width) * thumbScale), ThumbH: int(float64(d.Height) * thumbScale)}
		if c.Title == "" {
			c.Title = d.Slug
		}
		if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
			c.DateText = t.Format("2 January 2006")
			c.updated = t
		} else if fi, err := os.Stat(d.File); err == nil {
			c.updated = fi.ModTime().UTC().Truncate(time.Second)
		}
		if fi, err := os.Stat(filepath.Join(b.o.Out, filepath.FromSlash(c.PDF))); err == nil {
			c.PDFSize = size(fi.Size())
		}
		cs = append(cs, c)
	}
	slices.SortStableFunc(cs, func(a, b *card) int {
		switch {
		case a.Date == "" && b.Date != "":
			return 1
		case b.Date == "" && a.Date != "":
			return -1
		case a.Date != b.Date:
			return strings.Compare(b.Date, a.Date)
		case a.Title != b.Title:
			return strings.Compare(a.Title, b.Title)
		}
		return strings.Compare(a.Slug, b.Slug)
	})
	return cs
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", (n+1<<9)>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// writeIndex writes Out/index.html and Out/feed.xml.
func (b *builder) writeIndex(decks []*Deck) (index, feed string, err error) {
	cs := b.cards(decks)
	p := indexPage{Title: b.title, Count: len(cs), Feed: feedFile}
	for _, c := range cs {
		name := "Undated"
		if len(c.Date) >= 4 {
			name = c.Date[:4]
		}
		if n := len(p.Years); n == 0 || p.Years[n-1].Name != name {
			p.Years = append(p.Years, year{Name: name})
		}
		y := &p.Years[len(p.Years)-1]
		y.Cards = append(y.Cards, c)
	}
	if b.base != "" {
		p.Social = &indexSocial{URL: b.base}
		if len(cs) > 0 {
			p.Social.Image = b.base + cs[0].Thumb
		}
	}
	var buf bytes.Buffer
	if err := indexTmpl.Execute(&buf, p); err != nil {
		return "", "", err
	}
	index = filepath.Join(b.o.Out, indexFile)
	if err := writeFile(index, buf.Bytes()); err != nil {
		return "", "", err
	}
	data, err := b.feed(cs)
	if err != nil {
		return index, "", err
	}
	feed = filepath.Join(b.o.Out, feedFile)
	if err := writeFile(feed, data); err != nil {
		return index, "", err
	}
	return index, feed, nil
}

func writeFile(name string, data []byte) error {
	return outfile.Write(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// The Atom feed (RFC 4287). Links are absolute with a base URL and relative
// to the feed's own address otherwise, which RFC 4287 allows (xml:base
// defaults to the document's URL); ids are then urn:uuid URNs made from the
// site title and the slug, so they stay stable.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title     string      `xml:"title"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Links     []atomLink  `xml:"link"`
	Entries   []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel   string `xml:"rel,attr,omitempty"`
	Type  string `xml:"type,attr,omitempty"`
	Title string `xml:"title,attr,omitempty"`
	Href  string `xml:"href,attr"`
}

type atomEntry struct {
	Title     string      `xml:"title"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Published string      `xml:"published,omitempty"`
	Author    *atomPerson `xml:"author,omitempty"`
	Links     []atomLink  `xml:"link"`
	Summary   string      `xml:"summary,omitempty"`
}

func (b *builder) feed(cs []*card) ([]byte, error) {
	id := func(path string) string {
		if b.base != "" {
			return b.base + path
		}
		s := sha256.Sum256([]byte("foil site\x00" + b.title + "\x00" + path))
		s[6] = s[6]&0x0f | 0x50 // a name-based UUID, RFC 9562 version 5 layout
		s[8] = s[8]&0x3f | 0x80
		return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
	}
	f := atomFeed{Title: b.title, ID: id(""), Author: atomPerson{Name: b.title}, Generator: "foil",
		Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: b.base + indexFile}}}
	if b.base != "" {
		f.Links[0].Href = b.base
		f.Links = append(f.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: b.base + feedFile})
	}
	var newest time.Time
	for _, c := range cs {
		e := atomEntry{Title: c.Title, ID: id(c.Slug + "/"), Updated: c.updated.Format(time.RFC3339), Summary: c.Subtitle,
			Links: []atomLink{
				{Rel: "alternate", Type: "text/html", Href: b.base + c.Page},
				{Rel: "enclosure", Type: "application/pdf", Title: "PDF", Href: b.base + c.PDF},
			}}
		if c.Date != "" {
			e.Published = e.Updated
		}
		if c.Author != "" {
			e.Author = &atomPerson{Name: c.Author}
		}
		if c.updated.After(newest) {
			newest = c.updated
		}
		f.Entries = append(f.Entries, e)
	}
	if newest.IsZero() {
		newest = time.Now().UTC().Truncate(time.Second)
	}
	f.Updated = newest.Format(time.RFC3339)
	data, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}
