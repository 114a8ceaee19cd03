package site

import (
	"path/filepath"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlug bounds the title part of a slug; longer titles are cut at a word.
const maxSlug = 60

// Slug makes a deck's folder name from its date and title,
// "2023-02-13-sre-muc-meetup": lower-case ASCII letters and digits joined by
// "-", accents dropped ("Pérez" -> "perez"). A title with no such letters
// falls back to the file's name, then to "deck".
func Slug(date, title, file string) string {
	s := slugify(title)
	if s == "" {
		s = slugify(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	}
	if s == "" {
		s = "deck"
	}
	if date != "" && !strings.HasPrefix(s, date) {
		s = date + "-" + s
	}
	return s
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			dash = false
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > maxSlug {
		cut := out[maxSlug] == '-'
		out = out[:maxSlug]
		if i := strings.LastIndexByte(out, '-'); !cut && i > maxSlug/2 {
			out = out[:i]
		}
		out = strings.TrimSuffix(out, "-")
	}
	return out
}
