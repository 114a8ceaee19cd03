package render

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the house rules honest: someone who only wants HTML never
// links the browser driver or the flag parser.
func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".", "./parse", "./deck", "./highlight", "./sanitize", "../layouts").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, forbidden := range []string{"github.com/go-rod/rod", "github.com/spf13/pflag", "github.com/alecthomas/chroma/v2/styles"} {
		for _, dep := range strings.Fields(string(out)) {
			if dep == forbidden || strings.HasPrefix(dep, forbidden+"/") {
				t.Errorf("render imports %s", dep)
			}
		}
	}
	out, err = exec.Command("go", "list", "-deps", "./deck").CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, ".") && !strings.HasSuffix(dep, "/render/deck") {
			t.Errorf("render/deck must use the standard library only, imports %s", dep)
		}
	}
}
