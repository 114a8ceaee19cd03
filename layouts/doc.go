// Package layouts holds foil's built-in slide layouts, the page shell, the
// stylesheets and the deck's script, and loads them overlaid with a user's
// own. This comment is the specification for template and theme authors.
//
// It does not parse Markdown, pick a slide's layout or fill the view model:
// package render does, and hands each template a *render.Slide (or the page
// shell a *render.Page). Templates are html/template: every value is escaped
// for where it lands, and the fields typed template.HTML were sanitised by
// the renderer (see "Trust" below).
//
// # Lookup order
//
// A set is the built-in files overlaid, one file at a time, by a user's
// folder (a deck's layouts/ folder, or --layouts DIR):
//
//	base.html           the page shell (receives render.Page)
//	slide/NAME.html     layout NAME (receives render.Slide)
//	NAME.html           shorthand for slide/NAME.html
//	css/foil.css        the framework: canvas, scaling, print, layout grid and type
//	css/default.css     theme "default" (custom properties only)
//	css/dark.css        theme "dark"
//	js/foil.js          the deck's script
//	js/fit.js           shrinks slides marked fit (appended to foil.js)
//	css/handout.css     the handout's paper layout (foil pdf --handout), inert otherwise
//
// A user file at the same path replaces the built-in one; a new
// slide/NAME.html adds layout NAME, usable with <!-- layout: NAME -->. Other
// files are ignored. Templates are named by their path, so an error reads
// "slide/talk.html:3: message"; each file is its own namespace ({{define}}
// in one file is not visible in another).
//
// # The DOM
//
// base.html writes, and tools (PDF/PNG export, tests, the overflow check)
// rely on:
//
//	<html lang="…" class="theme-NAME aspect-16-9">
//	  <meta charset>, the CSP <meta> (when set), viewport, <meta name="foil:size" content="1280x720">
//	  <style>@page{size:1280px 720px;margin:0}:root{--w:1280px;--h:720px}</style>
//	  <style>framework + theme + code colours + accent override</style>
//	<main class="deck">
//	  <section class="slide layout-NAME CLASSES" id="slide-N" data-layout="NAME" data-line="L" style="…">
//	    …the layout's output…
//	    <footer class="footer">…</footer>   (when the slide has a footer)
//	    <span class="pageno">N</span>       (when paginated; never on the title layout)
//	    <aside class="notes">…</aside>      (speaker notes, never shown in the slide)
//	  </section>
//	</main>
//	<script type="application/json" id="foil-schedule">[{"time":"19:15","minutes":1155,"text":"…","slide":6}, …]</script>
//	                                        (the agenda as data for the presenter's pacing; only when the deck has one)
//	<script>…</script>
//
// A slide template writes only the inside of its section: the canvas is a
// W×H box (1280×720, or 960×720 for 4:3) with 64px padding, laid out as a
// flex column. The built-ins write a heading <h2 class="title"> and then
// their part; default writes <div class="content">. On screen the canvas is
// scaled to the window (transform: scale(var(--scale))); in print every slide
// is one page of exactly W×H.
//
// Classes on the section that the stylesheet understands: the directive
// classes (e.g. lead: centre everything; contain: show an image layout's
// picture whole instead of cropped) and the renderer's fit hints: title-long
// and title-xlong shrink the title, dense and xdense shrink body type (never
// below 20px), cols-2 flows lists into two columns. fit (<!-- fit --> or
// fit: true) has js/fit.js zoom the slide's body (all but .title, .footer,
// .pageno and .notes) until it fits inside the margins, to 60% at the
// least; it sets data-fit="ZOOM" on the slide and <html data-fitted>
// ("false" until done), which the PDF and PNG export wait for.
//
// # Themes
//
// A theme sets custom properties on :root; the deck's accent is appended as
// :root{--accent:…}, so themes must not set --accent on a more specific
// selector. Colours: --bg, --fg, --muted, --accent, --on-accent (text on an
// accent fill), --neg and --pos (compare sides), --surface (cards), --line
// (rules, tracks), --ink and --on-ink (section dividers), --talk-bg and
// --talk-fg (talk cards), --code-bg, --code-fg. Fonts: --font, --mono. Sizes
// (framework defaults, overridable): --margin 64px, --fs-display 96px,
// --fs-title 56px, --fs-sub 32px, --fs-body 30px, --fs-small 24px,
// --fs-min 20px, --qr 176px.
//
// # The view model
//
// A slide template receives *render.Slide:
//
//	.Number, .Total   1-based position and slide count
//	.Line             source line the slide starts on
//	.Layout           layout name
//	.Classes          extra classes (directives and fit hints), space-separated
//	.Style            inline CSS (background image or colour)
//	.Title            the title, inline HTML without its <hN>; empty when none
//	.TitleTxt         the title as plain text
//	.Level            the title's heading level
//	.Lead             content before the layout's structured part
//	.Body             all content blocks in order, title excluded (what default shows)
//	.Notes            speaker notes (HTML); base.html puts them in aside.notes
//	.Footer           footer text; .Paginate: show the page number
//	.Deck             deck metadata: .Title .Subtitle .Date .DateText .Author .URL
//
// and, for the layout of the same name, exactly one part (nil otherwise;
// default and section have none and use .Body):
//
//	.Cover    title:   .Lines ([]HTML, subtitle lines), .Date (for people), .Links
//	.Agenda   agenda:  .Items (.Time "19:15", .Text, .Details []HTML, .Kind "talk"|"break"|"social"|""), .Rest
//	.Talk     talk:    .Number "Talk 1", .Speaker, .Title (HTML), .Time (from the agenda)
//	.Compare  compare: two *Group, the negative side first
//	.Columns  columns: *Group each
//	.Stats    stats:   .Figures (.Value "~540", .Unit "%", .Label, .Note), .Charts (.Label, .Note,
//	                   .Bars (.Value 0..100, .Text "35%", .Label), .SVG), .Caption "n=14", .Rest
//	.Summary  summary: .Abstract (HTML), .Link
//	.Quote    quote:   .Text (HTML, the quote's blocks), .By (attribution, without the dash)
//	.Image    image:   .URL (data: URI for local files), .Alt, .Caption
//	.End      end:     .Lines (HTML), .Links
//
// A Group is .Label (HTML), .LabelTxt, .Tone ("neg", "pos" or ""), .Items
// ([]HTML, when the group is a single list) and .Body (its blocks). A Link is
// .URL, .Label (short, for display) and .QR (inline SVG, on summary and end
// slides when QR codes are on).
//
// The page shell receives *render.Page: .Lang, .Title, .Description, .Meta
// (the front matter), .Width, .Height, .Classes, .CSS, .JS, .CSP and .Slides,
// whose .HTML is each slide's layout output.
//
// # Charts and QR codes
//
// Chart.SVG is made by the renderer for the stylesheet:
//
//	<svg class="chart" viewBox="0 0 560 H" width="560" height="H" role="img" aria-label="…">
//	  <g class="bar" transform="translate(0 Y)">      one per bar, Y = 56·i, H = 56·bars
//	    <text class="bar-label" x="0" y="22">really good</text>
//	    <text class="bar-value" x="560" y="22" text-anchor="end">35%</text>
//	    <rect class="bar-track" x="0" y="32" width="560" height="14" rx="7"/>
//	    <rect class="bar-fill" x="0" y="32" width="196" height="14" rx="7"/>
//	  </g>
//	</svg>
//
// with no colours or fonts of its own: CSS fills bars with var(--accent),
// tracks with var(--line) and sets the text in var(--font) at 22px. A user
// template may ignore .SVG and draw .Bars itself.
//
// Link.QR is a self-contained <svg class="qr" viewBox="0 0 S S"
// shape-rendering="crispEdges"> as render.QR makes it: a white square
// with the four-module quiet zone and one black <path> of modules, so it
// scans on dark slides too. Templates wrap it in <div class="qr-tile">,
// which sizes it to var(--qr): 176px on summary slides, 216px on end slides.
//
// # Script
//
// js/foil.js shows one slide at a time, scales the canvas to the window and
// moves with →, ←, Space (Shift+Space back), PgDn, PgUp, Home and End, a
// click (left third: back) and a horizontal swipe. The URL hash holds the
// slide number (#5) and survives reloads; #slide-5 and the id of any element
// inside a slide also work. Without script the slide in the hash (#slide-N)
// or the first one shows. Digits then Enter jump to a slide; o shows the
// overview (html.overview), b or . blacks out (html.blackout), f goes
// fullscreen, ? lists the keys (html.help), p opens the presenter view.
// A polite live region (.foil-live) announces each slide; .foil-progress is
// the progress bar.
//
// The presenter view is the same page with ?presenter in the URL (or the
// path /presenter under foil serve): html.presenter, and a .foil-presenter
// with the current and next slide (copies, scaled), the notes, the elapsed
// time (pause, reset), the clock, "Slide N of M" and, when #foil-schedule
// has items, the pacing line: the start time, the current agenda item (the
// last one whose slide is at or before the current slide) and how far
// ahead or behind the plan the talk runs (.foil-pacing-delta, data-state
// behind, ahead, on-time or off). Windows of the same deck follow each
// other's slide and blackout through BroadcastChannel (and postMessage to
// the window that opened them).
//
// Under foil serve the server adds <meta name="foil:live"
// content="/_foil/events" data-version="…" data-presenter="/presenter">;
// the script then listens to those Server-Sent Events, reloads on a new
// version (keeping the slide) and shows a build error over the last good
// deck (.foil-error).
//
// The only global is window.foil: go(n), current(), total(), presenter
// (true in the presenter view), now() (the clock, in ms; tests replace it)
// and tick() (redraws the presenter's clocks). It uses no eval and no inline
// handlers, so it runs under the strict Content-Security-Policy of safe
// mode.
//
// # Trust
//
// The built-in templates and a user's overlay are trusted code: they run
// with the deck's data and can write any HTML. The deck's content is not:
// it reaches templates sanitised (unless html: true) and html/template
// escapes every plain string again.
package layouts
