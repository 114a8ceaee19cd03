// Package deck is foil's model of a slide deck: the metadata from the front
// matter, the slides with their blocks, and positions for every element so that
// problems can be reported as file:line.
//
// The model is built by package parse and turned into HTML by package render;
// deck itself does no parsing, no rendering and no I/O, and imports only the
// standard library. Rendered fragments (inline and block HTML) are carried as
// template.HTML because they were produced, sanitised and escaped by the
// parser: nothing else may construct them from author input.
package deck
