package pdf

import (
	"strings"

	"github.com/bindery-books/bindery/book/tex"
)

// Matrix-like environments: cells set in the environment's style, in
// columns aligned as it aligns them, rows a strut apart.

// tableStyle says how an environment sets its cells: their style, the
// alignment of each column (cycling), the space between columns in ems
// (cycling), how much taller than a plain row each row is, and whether
// even columns begin with an empty atom (the right side of an
// alignment).
type tableStyle struct {
	style   mstyle
	align   string
	gaps    []float64
	stretch float64
	jot     float64
	lead    bool
}

func tableStyleOf(env string) tableStyle {
	switch env {
	case "aligned", "align", "align*", "split", "alignat", "alignedat":
		return tableStyle{style: displayStyle, align: "rl", gaps: []float64{0, 2}, stretch: 1, jot: 0.3, lead: true}
	case "eqnarray":
		return tableStyle{style: displayStyle, align: "rcl", gaps: []float64{0.5}, stretch: 1, jot: 0.3}
	case "gathered", "gather", "gather*", "equation", "equation*":
		return tableStyle{style: displayStyle, align: "c", gaps: []float64{1}, stretch: 1, jot: 0.3}
	case "cases":
		return tableStyle{style: textStyle, align: "l", gaps: []float64{1}, stretch: 1.2}
	case "smallmatrix":
		return tableStyle{style: mstyle{level: 2}, align: "c", gaps: []float64{0.5}, stretch: 0.8}
	}
	return tableStyle{style: textStyle, align: "c", gaps: []float64{1}, stretch: 1}
}

// maxColumns bounds the columns of a table a formula may ask for.
const maxColumns = 1000

// tableRows sets the rows of a table, each a box as wide as the table
// with its cells in aligned columns; sep is the space between rows.
func (ml *mathLayout) tableRows(t *tex.Table, st mstyle) (rows []*mbox, sep float64) {
	ts := tableStyleOf(t.Env)
	cst := ts.style
	if st.level > cst.level {
		cst.level = st.level
	}
	em := ml.em(cst)
	ncol := 0
	for _, r := range t.Rows {
		ncol = max(ncol, min(len(r), maxColumns))
	}
	cells := make([][]*mbox, len(t.Rows))
	colW := make([]float64, ncol)
	for i, r := range t.Rows {
		cells[i] = make([]*mbox, ncol)
		for j, c := range r {
			if j >= ncol {
				break
			}
			cells[i][j] = ml.row(c.Items, cst, ts.lead && j%2 == 1)
			colW[j] = max(colW[j], cells[i][j].w)
		}
	}
	// A strut: rows are at least 1.2 ems apart, as TeX's \baselineskip.
	strutH, strutD := 0.84*em*ts.stretch, 0.36*em*ts.stretch
	for i := range cells {
		row := &mbox{h: strutH, d: strutD}
		var text strings.Builder
		x := 0.0
		for j, c := range cells[i] {
			if j > 0 {
				x += ts.gaps[(j-1)%len(ts.gaps)] * em
			}
			if c != nil {
				dx := 0.0
				switch ts.align[j%len(ts.align)] {
				case 'r':
					dx = colW[j] - c.w
				case 'c':
					dx = (colW[j] - c.w) / 2
				}
				row.place(c, x+dx, 0)
				text.WriteString(c.text)
				row.h, row.d = max(row.h, c.h), max(row.d, c.d)
			}
			x += colW[j]
		}
		row.w = x
		row.text = text.String()
		rows = append(rows, row)
	}
	return rows, ts.jot * em
}

// table sets a matrix-like environment as one box, centred on the axis.
func (ml *mathLayout) table(t *tex.Table, st mstyle) *mbox {
	rows, sep := ml.tableRows(t, st)
	b := &mbox{}
	var text strings.Builder
	y := 0.0
	for i, r := range rows {
		if i > 0 {
			y += rows[i-1].d + sep
		}
		y += r.h
		b.place(r, 0, y)
		text.WriteString(r.text)
		b.w = max(b.w, r.w)
	}
	b.text = text.String()
	total := y
	if n := len(rows); n > 0 {
		total += rows[n-1].d
	}
	// Centre the stack on the axis.
	a := ml.k.AxisHeight * ml.em(st)
	shift := total/2 + a
	for _, op := range b.ops {
		shiftOp(op, 0, -shift)
	}
	b.h = max(0, shift)
	b.d = max(0, total-shift)
	return b
}
