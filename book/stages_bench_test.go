package book

import (
	"strconv"
	"testing"

	"github.com/bindery-books/bindery/book/diagram"
	"github.com/bindery-books/bindery/book/internal/corpus"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
)

// The stages of loading, each timed on the golang corpus section; the
// printers' stages are in the epub and pdf packages (BenchmarkStages
// there). Load is the whole of loading: reading, parsing, resolving and
// drawing the diagrams (from Render's cache after the first time: the
// diagrams stage times them uncached); highlighting is not part of it, as
// the printers highlight on first use (the highlight stage times it
// uncached, one block after another: the printers spread it over the
// cores with the chapters).
func BenchmarkStages(b *testing.B) {
	dir := corpus.Section(b, corpus.Golang)
	bk, err := Load(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var codes []*CodeBlock
	var diagrams []*Diagram
	sources := make([][]byte, len(bk.Chapters))
	for i, ch := range bk.Chapters {
		sources[i] = ch.Source
		ast.Walk(ch.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			switch n := n.(type) {
			case *CodeBlock:
				if entering {
					codes = append(codes, n)
				}
			case *Diagram:
				if entering {
					diagrams = append(diagrams, n)
				}
			}
			return ast.WalkContinue, nil
		})
	}
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := Load(dir, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			for _, src := range sources {
				markup.Parse(src)
			}
		}
	})
	b.Run("resolve", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			bk.Diagnostics = &Diagnostics{}
			bk.parseChapters()
			b.StartTimer()
			bk.resolveChapters()
		}
	})
	b.Run("highlight", func(b *testing.B) {
		for b.Loop() {
			for _, c := range codes {
				highlight(c.Lang, c.Code) // uncached
			}
		}
		b.ReportMetric(float64(len(codes)), "blocks")
	})
	b.Run("diagrams", func(b *testing.B) {
		n := 0
		for b.Loop() {
			n++ // a comment line of its own each time: Render caches by source
			for _, d := range diagrams {
				if _, err := diagram.Render(d.Code.Code + "%% " + strconv.Itoa(n) + "\n"); err != nil && d.Drawing != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(len(diagrams)), "diagrams")
	})
}
