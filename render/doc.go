// Package render turns Markdown decks into one self-contained HTML page: it
// parses a deck (package parse), picks each slide's layout by the rules of
// DESIGN §2 (Detect; a <!-- layout: NAME --> directive wins), builds the
// view model the layout templates receive (Slide, Agenda, Stats, …), and
// executes the templates of package layouts, the user's overlay first.
//
// The page it writes loads nothing from outside itself: styles and script
// are inline, local images become data: URIs read only from the deck's
// folder (os.Root: no "../" or symlink escape unless AllowOutside), and a
// Content-Security-Policy lets nothing else load or run (unless the deck
// sets html: true). Speaker notes ride along in <aside class="notes">.
//
// A Renderer holds no state between decks but caches (highlighted code,
// inlined images); two Renderers with different options work side by side.
//
// render does not print: PDF and PNG are package chromium's, driven by the
// command. It never imports a browser driver or reads flags or the
// environment (TestDeps checks).
//
// Trust: a deck is data. Raw HTML is sanitised unless the deck or the
// caller allows it; even then the exporter, not this package, keeps a deck
// from reaching local files or the network.
package render
