package highlight

import (
	"fmt"
	"strconv"
	"strings"
)

// maxLine caps line numbers in a spec. Lines returns every number in a range, so
// without a cap "{1-999999999}" would allocate gigabytes; no slide shows more lines.
const maxLine = 100_000

// Lines parses a fence info-string line spec such as "{3-4,7}" or "{3}" (braces
// optional, spaces around items allowed) into sorted, unique 1-based line numbers.
// An empty spec ("" or "{}") gives none. Anything else — a missing brace, a
// non-number, zero, a backwards range, a line above 100000 — is an error.
func Lines(spec string) ([]int, error) {
	s := strings.TrimSpace(spec)
	open, close := strings.HasPrefix(s, "{"), strings.HasSuffix(s, "}")
	if open != close || (open && len(s) < 2) {
		return nil, fmt.Errorf("line spec %q: unbalanced braces", spec)
	}
	if open {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "" {
		return nil, nil
	}
	// Collect ranges and merge them before expanding, so that time and memory are
	// bounded by maxLine however long and repetitive the spec is.
	var rs [][2]int
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		lo, hi, isRange := strings.Cut(item, "-")
		a, err := lineNumber(spec, lo)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = lineNumber(spec, hi); err != nil {
				return nil, err
			}
			if b < a {
				return nil, fmt.Errorf("line spec %q: range %q runs backwards", spec, item)
			}
		}
		rs = append(rs, [2]int{a, b})
	}
	var out []int
	for _, r := range mergeRanges(rs) {
		for n := r[0]; n <= r[1]; n++ {
			out = append(out, n)
		}
	}
	return out, nil
}

func lineNumber(spec, s string) (int, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(s)
	if err != nil || s[0] == '+' || s[0] == '-' {
		return 0, fmt.Errorf("line spec %q: %q is not a line number", spec, s)
	}
	if n < 1 || n > maxLine {
		return 0, fmt.Errorf("line spec %q: line %d out of range 1-%d", spec, n, maxLine)
	}
	return n, nil
}
