package main

import (
	"errors"

	"github.com/bindery-books/bindery/book/diagram"
)

// init wires book/diagram into the EPUB: each ```mermaid block becomes an SVG
// file with alt text, or, on a syntax error or an unsupported kind, stays code.
func init() {
	drawDiagram = func(src string) ([]byte, string, int, error) {
		svg, alt, err := diagram.RenderSVG(src)
		if err != nil {
			var pe *diagram.ParseError
			if errors.As(err, &pe) {
				return nil, "", pe.Line, err
			}
			return nil, "", 0, err
		}
		return svg, alt, 0, nil
	}
}
