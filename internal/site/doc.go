// Package site builds a website from a folder of decks: for every deck a
// folder with the presentable HTML, the PDF and a thumbnail, then an index
// page and an Atom feed. It is what foil build runs.
//
// # Layout of the output
//
//	OUT/index.html           the decks, newest first, grouped by year
//	OUT/feed.xml             Atom feed of the decks
//	OUT/<slug>/index.html    the deck, self-contained (images inlined)
//	OUT/<slug>/<slug>.pdf    the deck as PDF
//	OUT/<slug>/thumb.png     the first slide, 360 px high (640x360 for 16:9)
//	OUT/.foil-cache.json     what each deck was built from (see Caching)
//
// Every link on the index page and in the feed without a base URL is
// relative, so OUT works under any path and from file://. With a base URL
// the feed's links and ids are absolute and every deck page gets og:url and
// og:image (Open Graph and Twitter card); without one those two are left
// out, because both must be absolute URLs.
//
// # Decks
//
// A deck is a *.md file anywhere under the source folder, except README.md
// files, files and folders whose names start with ".", node_modules and the
// output folder. A deck with draft: true is skipped (and its folder removed
// if an earlier build made one). The slug is the front matter's slug: or
// the date and title, as [Slug] makes them; two decks with one slug both
// fail, each naming the other.
//
// # foil.yaml
//
// An optional foil.yaml in the source folder holds the site's title and
// base URL and front matter defaults every deck starts from (its own front
// matter wins):
//
//	title: SRE-MUC slides
//	base-url: https://muc.sre.xyz/slides/
//	defaults:
//	  theme: dark
//	  accent: "#0b7a75"
//	  footer: muc.sre.xyz
//	  url: https://muc.sre.xyz
//
// Defaults take every front matter key but title, subtitle, date, slug and
// draft, checked by the rules of package parse; a theme file is relative to
// each deck, as in its own front matter. [Options] Title and BaseURL win
// over the file.
//
// # Caching
//
// A deck is printed again only when its cache key changed or one of its
// outputs is missing. The key is a SHA-256 over Options.Version (foil's
// version and the browser), the build options that change output, the
// foil.yaml defaults, the base URL, the deck's path and bytes, and every
// file the renderer read for it (images, theme, the layouts overlay, listed
// afresh each time; a missing file counts as missing). The cache keeps
// that list of files and what the index shows of the deck, so an
// up-to-date deck is read and hashed, not parsed, and the browser is not
// started when nothing needs printing. Warnings are printed when a deck is
// built, not again while it stays up to date.
//
// # Failures and atomicity
//
// A deck that fails (its own errors, a browser timeout) does not stop the
// others; it is left out of the index, and its earlier folder and cache
// entry stay as they were. Each deck is built in a folder under
// OUT/.foil-tmp and swapped in whole (see stage.go), so OUT never holds a
// half-built deck; leftovers of a build that died are cleaned up at the
// start of the next one. The cache, the index and the feed are written
// atomically after the decks; an interrupted build writes the cache for
// the decks it finished and keeps the old index.
//
// # What it does not do
//
// It reads no flags or environment and prints nothing: progress goes
// through Options.Start and Options.Done. It does not start or find a
// browser (Options.Browser does), does not copy other files of the source
// folder into the site, and does not guard against two builds into one
// OUT at the same time.
package site
