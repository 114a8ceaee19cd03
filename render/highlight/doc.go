// Package highlight turns fenced code into HTML with chroma, for foil's slides.
//
// A [Highlighter] writes each block as <pre class="chroma"><code>, one <span class="line">
// per line, with CSS classes rather than inline styles, so that one stylesheet
// ([Highlighter.CSS]) serves every code block in a deck and a theme can restyle them.
// Lines named in a fence's info string ("```go {3-4,7}", parsed by [Lines]) are
// marked "line hl" so the layout can emphasise them.
//
// Highlighting is a nicety, never a reason to fail a render. A chroma lexer can be slow or
// panic on odd input (DESIGN §5), so each block is bounded in size ([Options.MaxBytes]) and
// time ([Options.Timeout]), and a panic is recovered; in each case Code still writes the
// block, plain and escaped, and returns a [*Fallback] the caller reports as a warning.
//
// The two palettes (light, dark) are our own, built with chroma.NewStyle. The package
// deliberately does not import chroma's styles package: its init parses every bundled
// style, about 12 ms of start-up for every foil command, for styles we never show.
//
// What it does not do: it does not guess a language from the code (chroma's Analyse is
// slow and often wrong on short snippets; an unlabelled fence stays plain), number lines,
// write inline styles, or sanitise anything but the code it is given (which it escapes).
// It keeps no package-level state; each Highlighter is independent and safe for
// concurrent use.
package highlight
