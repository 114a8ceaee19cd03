// Package chromium turns foil's HTML documents into PDF and PNG with a
// headless Chromium driven through the DevTools protocol (go-rod). It is
// the only package of foil that imports rod.
//
// [Find] locates a browser binary; [New] starts one process with a private,
// temporary profile; [Browser.PDF] and [Browser.PNG] load one document each
// in a tab of their own and may run concurrently; [Browser.Close] kills the
// process and removes the profile.
//
// # Loading and trust
//
// A document is served from a private loopback HTTP server (127.0.0.1, a
// random port and a random path per document) rather than as a data: URL,
// which fails above ~2 MB. Every request the page makes goes through
// request interception, redirects included: only the document's own URL
// and data: URLs are let through; with [Options.AllowRemote] also http and
// https to any host except the document server itself. Everything else
// (file:, other loopback ports, other paths, ws:) is refused and named in
// the returned warnings. The document is also sent with a
// Content-Security-Policy that allows no network access of its own, so
// requests that interception cannot see (WebSockets) are stopped too,
// and each refused request shows up once in the warnings. Pop-ups
// are blocked and iframes are kept in the page's process, so a document,
// even with raw HTML, cannot read a local file or an internal URL into the
// output.
//
// Before printing, the package waits for the DOM, document.fonts.ready,
// every <img> decoded, the load event and, when the document has it, its
// fit script (<html data-fitted="false"> until done), all bounded by
// [Options.Timeout]; a timeout error names the step it was in
// ("waiting for images: timeout after 2s"). It never waits for network
// idle.
//
// # Processes
//
// The browser is started by rod's launcher with the binary given to [New];
// rod never downloads one. By default rod's leakless guard sits between
// this process and Chromium and kills Chromium if this process dies, even
// by SIGKILL; it locks 127.0.0.1:2978 for a moment at start (see
// [Options.NoLeakless]). Chromium runs in a process group of its own,
// which Close kills as a whole. Cancelling the context given to New also
// closes the browser.
//
// rod's defaults package registers a -rod flag on Go's flag.CommandLine and
// reads the "rod" environment variable at init. This package sets every
// launcher flag and client option explicitly, so neither has any effect
// here, and foil's command line (pflag) never merges flag.CommandLine.
//
// Each document gets a tab in a window of its own: Chromium stops
// rendering tabs that are not visible, and img.decode() in such a tab
// never settles. A blank tab is made ahead of time for the next call.
//
// # What it does not do
//
// It does not produce HTML, read files, decide on --no-sandbox (the caller
// knows whether it runs as root), read the environment, or add metadata
// Chromium does not write (the PDF's Title comes from document.title; there
// is no Author). It does not fix a layout: [Browser.Measure] reports
// content cut off and characters without a font, and the document's own
// script (fit.js) shrinks slides; what counts as a problem is the caller's
// call. It expects the document contract of package
// render: each slide a <section class="slide" id="slide-N">, print CSS that
// puts one slide canvas on each page with an @page size, and
// <meta name="foil:size" content="WxH">.
package chromium
