// Package sanitize limits raw HTML in a deck to an allowlist (DESIGN §6).
//
// goldmark hands raw HTML over in pieces: a whole HTML block, or one inline tag such as
// <span class="x"> or </span>. [HTML] therefore works on the token stream of one piece
// (golang.org/x/net/html's tokenizer, not its tree builder) and never balances tags: a
// lone open or close tag passes through if allowed. It keeps allowed elements and
// attributes, re-serialises them with every text and attribute value escaped, and
// reports each removal once as a human message the caller turns into a warning.
// [SafeURL] is the link check, for hrefs here and for Markdown link destinations.
//
// Dropping is always the safe direction: a sanitised piece contains only allowlisted
// tags and attributes and escaped text, so however a browser would have parsed the
// original (foreign content, raw-text elements, broken markup), it cannot find a
// script, a handler or a remote frame in the result.
//
// What it does not do: it is not an HTML parser and does not fix nesting or close
// elements; it does not read or inline images (Policy.URL is the caller's hook for
// that); it does not police class or id values, which decks use for layout; and it
// is not the only defence: safe-mode pages also carry a Content-Security-Policy, so a
// slip here still cannot load or run anything. With html: true (or --html) the caller
// skips this package entirely.
package sanitize
