package diagram

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRender: no panic, no hang; every drawing is well-formed SVG and
// rendering twice gives the same bytes.
func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob("testdata/golden/*.mmd")
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(string(src))
		}
	}
	for _, s := range []string{
		"graph TD\nA-->B",
		"graph LR;A-->B;B-->C",
		"flowchart TB\nsubgraph s\nend\nA-->s",
		"stateDiagram-v2\n[*]-->A\nA-->[*]",
		"sequenceDiagram\nA->>B: hi\nloop x\nB-->>A: ho\nend",
		"graph TD\nA[\"`**b** _i_`\"]-->|\"x\"|B{{\"#quot;\"}}",
		"pie\n\"a\": 1",
	} {
		f.Add(s)
	}
	for _, s := range kindSnippets {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, err := render(src)
		if err != nil {
			var pe *ParseError
			var ue *UnsupportedError
			if !errors.As(err, &pe) && !errors.As(err, &ue) && !errors.Is(err, errLayout) && !errors.Is(err, errTooLarge) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			return
		}
		svg := d.SVG()
		if err := checkSVG(svg); err != nil {
			t.Fatalf("%v\n%s", err, svg)
		}
		d2, err := render(src)
		if err != nil || !bytes.Equal(svg, d2.SVG()) {
			t.Fatalf("second rendering differs (err %v)", err)
		}
	})
}
