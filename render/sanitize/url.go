package sanitize

import (
	"html"
	"strings"
)

// SafeURL reports whether u is safe as a link href: http, https, mailto, tel, or
// relative (a path, ?query or #fragment). Any other scheme is unsafe: javascript:,
// vbscript:, data:, file:, and whatever a browser might run or read locally.
//
// It sees u as a browser would, through entity encoding ("jAvA&#x73;cript:"), case,
// leading or trailing spaces and control characters (" \tjavascript:") and tabs or
// newlines inside ("java\nscript:"). Anything with a colon before the first "/", "?"
// or "#" counts as a scheme, so odd prefixes ("java\x00script:", "a:b") are refused
// rather than guessed at.
func SafeURL(u string) bool {
	return checkURL(u, func(scheme, _ string) bool {
		switch scheme {
		case "http", "https", "mailto", "tel":
			return true
		}
		return false
	})
}

// safeSrc is SafeURL for what an element loads (src, poster): http, https, relative,
// or inline media (data:image/, data:video/, data:audio/; an image cannot run script,
// even SVG). mailto: and tel: make no sense there.
func safeSrc(u string) bool {
	return checkURL(u, func(scheme, rest string) bool {
		switch scheme {
		case "http", "https":
			return true
		case "data":
			rest = strings.ToLower(rest)
			return strings.HasPrefix(rest, "image/") || strings.HasPrefix(rest, "video/") ||
				strings.HasPrefix(rest, "audio/")
		}
		return false
	})
}

// checkURL reports whether u has no scheme or ok accepts it. It checks both u and u
// with entities decoded: attribute values reach us decoded once already, and a
// string decoded twice by mistake somewhere should fail closed, not open.
func checkURL(u string, ok func(scheme, rest string) bool) bool {
	for _, v := range []string{u, html.UnescapeString(u)} {
		if scheme, rest, has := splitScheme(v); has && !ok(scheme, rest) {
			return false
		}
	}
	return true
}

// splitScheme returns u's scheme, lower-cased, and the rest after the colon, as a
// browser's URL parser would see it: after removing leading and trailing C0 controls
// and spaces and every tab, CR and LF (WHATWG URL, "basic URL parser").
func splitScheme(u string) (scheme, rest string, has bool) {
	u = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, u)
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	i := strings.IndexAny(u, ":/?#")
	if i < 0 || u[i] != ':' {
		return "", "", false
	}
	return strings.ToLower(u[:i]), u[i+1:], true
}

// schemeLabel names u's scheme for a message: "javascript:", or "unsafe" if the
// scheme is not plain ASCII worth echoing.
func schemeLabel(u string) string {
	for _, v := range []string{u, html.UnescapeString(u)} {
		scheme, _, has := splitScheme(v)
		if has && scheme != "" && len(scheme) <= 20 && plainScheme(scheme) {
			return scheme + ":"
		}
	}
	return "unsafe"
}

func plainScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
