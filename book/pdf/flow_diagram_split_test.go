package pdf

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/diagram"
	"github.com/bindery-books/bindery/book/internal/corpus"
	"github.com/bindery-books/bindery/book/internal/golden"
	"github.com/yuin/goldmark/ast"
)

// box is a rectangle x0, y0 to x1, y1 of an item, y down.
type box struct{ x0, y0, x1, y1 float64 }

func (b box) inside(o box, slack float64) bool {
	return b.x0 >= o.x0-slack && b.y0 >= o.y0-slack && b.x1 <= o.x1+slack && b.y1 <= o.y1+slack
}

// inside reports whether r is inside o, give or take a hundredth of a point.
func (r rect) inside(o rect) bool {
	return r.x0 >= o.x0-0.01 && r.y0 >= o.y0-0.01 && r.x1 <= o.x1+0.01 && r.y1 <= o.y1+0.01
}

// drawnText is a text op of a diagram's item as it is drawn: its box in
// the item, turned if it is, and the clip it is drawn in.
type drawnText struct {
	op      *textOp
	at      box
	clip    box
	clipped bool
}

// diagramTexts returns the texts an item draws, through its turns and clips.
func diagramTexts(it *Item) []drawnText {
	var out []drawnText
	var walk func(ops []Op, turn func(x, y float64) (float64, float64), clip *box)
	walk = func(ops []Op, turn func(x, y float64) (float64, float64), clip *box) {
		place := func(b box) box {
			x0, y0 := turn(b.x0, b.y0)
			x1, y1 := turn(b.x1, b.y1)
			return box{min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)}
		}
		for _, op := range ops {
			switch o := op.(type) {
			case *textOp:
				x0, y0, x1, y1, _ := opBounds(o)
				d := drawnText{op: o, at: place(box{x0, y0, x1, y1})}
				if clip != nil {
					d.clip, d.clipped = *clip, true
				}
				out = append(out, d)
			case *clipOp:
				c := place(box{o.X, o.Y, o.X + o.W, o.Y + o.H})
				walk(o.Ops, turn, &c)
			case *rotateOp:
				// A quarter turn counterclockwise about the centre: right
				// goes up, down goes right.
				cx, cy := o.CX, o.CY
				walk(o.Ops, func(x, y float64) (float64, float64) { return turn(cx+(y-cy), cy-(x-cx)) }, clip)
			}
		}
	}
	walk(it.Ops, func(x, y float64) (float64, float64) { return x, y }, nil)
	return out
}

// TestCutBands cuts stretches into bands and checks that they cover the
// stretch with the overlap, are no longer than asked, as few as can be,
// hold every text whole, and cut between the texts where there is room.
func TestCutBands(t *testing.T) {
	const length, overlap = 400.0, 20.0
	// Labels 60 long every 100, with gaps of 40 between them.
	var row []band
	for x := 10.0; x+60 < 2000; x += 100 {
		row = append(row, band{x, x + 60})
	}
	cases := []struct {
		name  string
		e     float64
		texts []band
		want  int // bands
	}{
		{"fits", 390, row[:3], 1},
		{"just over", 420, nil, 2},
		{"no texts", 1990, nil, 6},
		{"labels in a row", 1990, row, 6},
		{"no room but one more band", 760, []band{{330, 450}}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bs := cutBands(c.e, length, overlap, c.texts, nil, false)
			if len(bs) != c.want {
				t.Errorf("%d bands, want %d: %v", len(bs), c.want, bs)
			}
			if bs[0].a != 0 || bs[len(bs)-1].b != c.e {
				t.Errorf("bands %v do not cover 0–%g", bs, c.e)
			}
			for i, b := range bs {
				if b.b-b.a > length+1e-9 {
					t.Errorf("band %d is %.1f long, over %g", i, b.b-b.a, length)
				}
				if i > 0 && bs[i-1].b-b.a < overlap-1e-9 {
					t.Errorf("bands %d and %d overlap by %.1f, under %g", i-1, i, bs[i-1].b-b.a, overlap)
				}
			}
			for _, tx := range c.texts {
				if !slices.ContainsFunc(bs, func(b band) bool { return b.a <= tx.a && tx.b <= b.b }) {
					t.Errorf("text %v is whole in no band of %v", tx, bs)
				}
			}
			if c.name == "labels in a row" {
				for i, b := range bs[:len(bs)-1] {
					for _, tx := range c.texts {
						if tx.a < b.b && b.b < tx.b || tx.a < bs[i+1].a && bs[i+1].a < tx.b {
							t.Errorf("the cut %.1f–%.1f passes through the text %v", bs[i+1].a, b.b, tx)
						}
					}
				}
			}
		})
	}
}

// TestCutBandsShares cuts a stretch with nothing in the way: into bands
// of one length, or, filling, into full bands and what is left.
func TestCutBandsShares(t *testing.T) {
	even := cutBands(1000, 400, 20, nil, nil, false)
	for _, b := range even {
		if l := b.b - b.a; math.Abs(l-(1000+2*20)/3.0) > 0.5 {
			t.Errorf("even: band %v is %.1f long, want %.1f: %v", b, l, (1000+2*20)/3.0, even)
		}
	}
	full := cutBands(1000, 400, 20, nil, nil, true)
	if want := []band{{0, 400}, {380, 780}, {760, 1000}}; !slices.Equal(full, want) {
		t.Errorf("filling: %v, want %v", full, want)
	}
}

// wideFlowchart is a flowchart of n steps in a row, left to right.
func wideFlowchart(n int) string {
	var s strings.Builder
	s.WriteString("flowchart LR\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&s, "    S%d[\"Step %d of the pipeline\"] --> S%d[\"Step %d of the pipeline\"]\n", i, i, i+1, i+1)
	}
	return s.String()
}

// TestSplitDiagram lays out a flowchart far too long for a page: it is
// cut into pieces, each with its label, clipped, no larger than the text
// block, with text no smaller than minDiagramText, and every label of the
// drawing is whole in a piece. The PDF has the pieces on pages of their
// own, all in one Figure.
func TestSplitDiagram(t *testing.T) {
	const steps = 30
	b := golden.MustLoad(t, map[string]string{"input.md": "---\ntitle: Input\n---\n\nBefore.\n\n```mermaid\n" + wideFlowchart(steps) + "```\n\nAfter.\n"})
	w, err := newWriter(b, Config{})
	if err != nil {
		t.Fatal(err)
	}
	var pieces []*Item
	for _, it := range newConverter(w, b.Chapters[0]).chapter() {
		if strings.HasPrefix(it.Kind, "diagram") {
			pieces = append(pieces, it)
		}
	}
	if len(pieces) < 3 {
		t.Fatalf("%d pieces, want the drawing cut into 3 or more", len(pieces))
	}
	seen := map[string]bool{}
	for i, it := range pieces {
		if it.H > w.g.TextH+0.01 {
			t.Errorf("piece %d is %.1f tall, taller than the text block (%.1f)", i+1, it.H, w.g.TextH)
		}
		if it.Float == 0 || i > 0 && it.Float == pieces[i-1].Float {
			t.Errorf("piece %d does not float on its own", i+1)
		}
		label := fmt.Sprintf("part %d of %d", i+1, len(pieces))
		if i == 0 {
			label = fmt.Sprintf("Figure in %d parts", len(pieces))
		}
		texts := diagramTexts(it)
		labelled, clipped := false, 0
		for _, d := range texts {
			if !d.at.inside(box{0, 0, w.g.TextW, it.H}, 0.01) {
				t.Errorf("piece %d: %q at %v is outside the item, %.1f × %.1f", i+1, d.op.S, d.at, w.g.TextW, it.H)
			}
			if !d.clipped {
				labelled = labelled || strings.Contains(d.op.S, label) && d.op.Tag == artifactPiece
				continue
			}
			clipped++
			if d.op.Size < minDiagramText-1e-9 {
				t.Errorf("piece %d: %q is set at %.2fpt, under %gpt", i+1, d.op.S, d.op.Size, minDiagramText)
			}
			if !d.at.inside(d.clip, 0.01) {
				t.Errorf("piece %d: %q at %v reaches out of its clip %v", i+1, d.op.S, d.at, d.clip)
			}
			seen[d.op.S] = true
		}
		if !labelled {
			t.Errorf("piece %d has no label %q", i+1, label)
		}
		if clipped == 0 {
			t.Errorf("piece %d draws no text of the drawing, or draws it unclipped", i+1)
		}
	}
	for i := 1; i <= steps; i++ {
		if s := fmt.Sprintf("Step %d of the", i); !seen[s] && !seen[fmt.Sprintf("Step %d of the pipeline", i)] {
			t.Errorf("step %d's label is whole in no piece", i)
		}
	}

	// The plan: bands that cover the drawing, overlapping; pieces that
	// hold every label whole and every line of it.
	var d *book.Diagram
	_ = ast.Walk(b.Chapters[0].Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if dn, ok := n.(*book.Diagram); ok && entering {
			d = dn
		}
		return ast.WalkContinue, nil
	})
	rec := &recorder{}
	d.Drawing.Draw(rec)
	x0, y0, x1, y1 := rec.extent(d.Drawing.Width, d.Drawing.Height)
	k := min(1, minDiagramText/rec.minTextSize())
	for _, op := range rec.ops {
		transform(op, -x0, -y0, k)
	}
	labelH := w.st.Small * 2
	plan, tiles := newConverter(w, b.Chapters[0]).planSplit(rec.ops, (x1-x0)*k, (y1-y0)*k, labelH)
	if len(tiles) != len(pieces) {
		t.Errorf("the plan has %d pieces, the flow %d", len(tiles), len(pieces))
	}
	across, down := w.g.TextW, w.g.TextH-labelH
	if plan.turned {
		across, down = down, across
	}
	for _, c := range []struct {
		bands     []band
		e, length float64
	}{{plan.xs, (x1 - x0) * k, across}, {plan.ys, (y1 - y0) * k, down}} {
		if c.bands[0].a != 0 || c.bands[len(c.bands)-1].b != c.e {
			t.Errorf("bands %v do not cover 0–%.1f", c.bands, c.e)
		}
		for i, b := range c.bands {
			if b.b-b.a > c.length+1e-9 {
				t.Errorf("band %v is longer than %.1f", b, c.length)
			}
			if i > 0 && c.bands[i-1].b-b.a < seamOverlap-1e-9 {
				t.Errorf("bands %v and %v overlap by less than %gpt", c.bands[i-1], b, float64(seamOverlap))
			}
		}
	}
	in := func(x, y, slack float64) bool {
		return slices.ContainsFunc(tiles, func(tl tile) bool {
			return x >= tl.x.a-slack && x <= tl.x.b+slack && y >= tl.y.a-slack && y <= tl.y.b+slack
		})
	}
	for _, op := range rec.ops {
		switch o := op.(type) {
		case *textOp:
			x0, y0, x1, y1, _ := opBounds(o)
			if !slices.ContainsFunc(tiles, func(tl tile) bool { return rect{x0, y0, x1, y1}.inside(tl.rect()) }) {
				t.Errorf("%q is whole in no piece", o.S)
			}
		case *pathOp:
			for _, sg := range o.Segs {
				// Where each segment ends (a curve's control points
				// may lie off it).
				if n := len(sg.Pts); n >= 2 && !in(sg.Pts[n-2], sg.Pts[n-1], o.LineW) {
					t.Errorf("a path's point %.1f,%.1f is in no piece", sg.Pts[n-2], sg.Pts[n-1])
				}
			}
		}
	}

	// The PDF: valid, each piece on a page, one Figure over the pages.
	pdf := writePDF(t, b)
	checkMarked(t, pdf)
	q := readQPDF(t, pdf)
	var figs []*sElem
	for _, e := range q.tree(t) {
		e.walk(func(e *sElem, _ []*sElem) {
			if e.Type == "Figure" {
				figs = append(figs, e)
			}
		}, nil)
	}
	if len(figs) != 1 {
		t.Fatalf("%d Figures, want 1", len(figs))
	}
	if got := len(figs[0].Pages); got < 2 {
		t.Errorf("the Figure's content is on %d pages, want the pieces on pages of their own", got)
	}
	if !slices.ContainsFunc(figs[0].Attrs, func(a string) bool { return strings.HasPrefix(a, "Alt=") }) {
		t.Errorf("the Figure has no Alt: %v", figs[0].Attrs)
	}
	text := pdfTool(t, pdf, "pdfinfo", "-struct-text", "FILE")
	if strings.Contains(text, "Figure continued") {
		t.Error("a piece's label is read as content; want an artifact")
	}
	if out := pdfTool(t, pdf, "qpdf", "--check", "FILE"); !strings.Contains(out, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", out)
	}
}

// TestCorpusDiagramText lays out the corpus's books on A4 and A5 pages
// and fails for any diagram text drawn under minDiagramText, or drawn
// outside its item or its piece's clip. It reports how many diagrams were
// cut, into how many pieces.
func TestCorpusDiagramText(t *testing.T) {
	dir, ok := corpus.Content()
	if !ok {
		t.Skip("corpus not found at ../shared/corpus")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	for _, size := range []string{"a4", "a5"} {
		diagrams, split, pieces, turned, small, lost, smallest := 0, 0, 0, 0, 0, 0, math.Inf(1)
		for _, sec := range corpus.Sections {
			b, err := book.Load(filepath.Join(dir, filepath.FromSlash(sec)), book.Options{})
			if err != nil {
				t.Fatalf("%s: %v", sec, err)
			}
			w, err := newWriter(b, Config{PageSize: size})
			if err != nil {
				t.Fatal(err)
			}
			for i, f := range w.chapterFlows() {
				ch := b.Chapters[i]
				last := ""
				drawn := map[*book.Diagram]map[string]bool{}
				var order []*book.Diagram
				for _, it := range f.Items {
					switch it.Kind {
					case "diagram":
						diagrams++
					case "diagram-part":
						if last == "diagram" {
							split++
							pieces++
						}
						pieces++
					default:
						last = it.Kind
						continue
					}
					last = it.Kind
					at := ch.Path
					dn, _ := it.Node.(*book.Diagram)
					if dn != nil {
						at = fmt.Sprintf("%s:%d", ch.Path, dn.Code.Line)
						if drawn[dn] == nil {
							drawn[dn] = map[string]bool{}
							order = append(order, dn)
						}
					}
					if slices.ContainsFunc(it.Ops, func(op Op) bool {
						r, ok := op.(*rotateOp)
						return ok && len(r.Ops) == 1 && isClip(r.Ops[0])
					}) {
						turned++
					}
					for _, d := range diagramTexts(it) {
						if d.op.Tag == artifactPiece {
							continue
						}
						if dn != nil {
							drawn[dn][d.op.S] = true
						}
						smallest = min(smallest, d.op.Size)
						if d.op.Size < minDiagramText-1e-9 {
							if small++; small <= 10 {
								t.Errorf("%s, %s: %q drawn at %.2fpt, under %gpt", at, size, d.op.S, d.op.Size, minDiagramText)
							}
						}
						if !d.at.inside(box{0, 0, w.g.TextW, it.H}, 0.01) || d.clipped && !d.at.inside(d.clip, 0.01) {
							t.Errorf("%s, %s: %q at %v is outside its item (%.1f × %.1f) or its clip %v", at, size, d.op.S, d.at, w.g.TextW, it.H, d.clip)
						}
					}
				}
				// Every text of a drawing is drawn, whole, in one of its
				// pieces at least.
				for _, dn := range order {
					for _, op := range dn.Drawing.Ops {
						if op.Kind == diagram.OpText && !drawn[dn][op.Text] {
							lost++
							t.Errorf("%s:%d, %s: %q is in none of the diagram's pieces", ch.Path, dn.Code.Line, size, op.Text)
						}
					}
				}
			}
		}
		if small > 10 {
			t.Errorf("%s: %d diagram texts under %gpt in all", size, small, minDiagramText)
		}
		t.Logf("%s: %d diagrams drawn, %d of them cut into %d pieces in all (%d pieces turned), %d texts lost; the smallest text %.2fpt", size, diagrams, split, pieces, turned, lost, smallest)
	}
}

func isClip(op Op) bool {
	_, ok := op.(*clipOp)
	return ok
}
