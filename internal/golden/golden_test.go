package golden

import "testing"

func TestDiff(t *testing.T) {
	tests := []struct {
		name, want, got, diff string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"changed line", "a\nb\n", "a\nc\n", "line 2:\nwant \"b\"\ngot  \"c\""},
		{"longer", "a\n", "a\nb\n", "line 2:\nwant \"\"\ngot  \"b\""},
		{"shorter", "a\nb\nc", "a\nb", "line 3:\nwant \"c\"\ngot  \"\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff(tt.want, tt.got); got != tt.diff {
				t.Errorf("Diff = %q, want %q", got, tt.diff)
			}
		})
	}
}
