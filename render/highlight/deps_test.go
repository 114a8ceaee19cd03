package highlight

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoChromaStyles keeps chroma's styles package out of foil: its init parses every
// bundled style (~12 ms of start-up per command) and we build our own palettes.
func TestNoChromaStyles(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for dep := range strings.FieldsSeq(string(out)) {
		if dep == "github.com/alecthomas/chroma/v2/styles" {
			t.Errorf("package highlight depends on %s", dep)
		}
	}
}
