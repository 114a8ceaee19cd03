package deck

import (
	"sort"
	"strings"
)

// Diag is a problem found in a deck: an error, or a warning when Warning is
// set. Its Error text is "file:line: message".
type Diag struct {
	Pos     Pos
	Msg     string
	Warning bool
}

func (d *Diag) Error() string {
	if d.Pos.File == "" {
		return d.Msg
	}
	return d.Pos.String() + ": " + d.Msg
}

// Diags is a list of problems, so that authors fix all of them in one run.
// As an error it prints one problem a line.
type Diags []*Diag

func (l Diags) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// Errors returns the entries that are not warnings.
func (l Diags) Errors() Diags {
	var out Diags
	for _, d := range l {
		if !d.Warning {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders the list by file and line, keeping the order of entries on the
// same line.
func (l Diags) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Pos.File != l[j].Pos.File {
			return l[i].Pos.File < l[j].Pos.File
		}
		return l[i].Pos.Line < l[j].Pos.Line
	})
}
