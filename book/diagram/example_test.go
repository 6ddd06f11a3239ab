package diagram_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bindery-books/bindery/book/diagram"
)

// printer is a Canvas that prints the text it is given.
type printer struct{ paths int }

func (p *printer) Path(diagram.Path, diagram.Paint) { p.paths++ }

func (p *printer) Text(x, y float64, s string, st diagram.TextStyle) {
	fmt.Printf("text %q in %s at %.0fpt\n", s, st.Face.Name(), st.Size)
}

// Render lays a diagram out once; the EPUB writes its SVG, the PDF plays it
// back on a Canvas; kinds not drawn natively (requirement diagrams, C4, ...)
// stay code.
func ExampleRender() {
	d, err := diagram.Render("flowchart LR\n  A[Write] --> B[**Bind**] --> C[Read]\n")
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Alt)
	fmt.Println(strings.Contains(string(d.SVG()), "<text"))
	var p printer
	d.Draw(&p)

	_, err = diagram.Render("requirementDiagram\n  requirement r {\n    id: 1\n  }\n")
	var ue *diagram.UnsupportedError
	fmt.Println(errors.As(err, &ue), err)

	_, err = diagram.Render("graph TD\n  A --> B\n  B -->\n")
	var pe *diagram.ParseError
	fmt.Println(errors.As(err, &pe), pe.Line, err)
	// Output:
	// Flowchart: Write → Bind → Read.
	// true
	// text "Write" in DejaVuSans at 12pt
	// text "Bind" in DejaVuSans-Bold at 12pt
	// text "Read" in DejaVuSans at 12pt
	// true requirement diagrams are not drawn natively
	// true 3 link has no target
}
