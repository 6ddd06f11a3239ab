package pdf

import (
	"cmp"

	extast "github.com/yuin/goldmark/extension/ast"
)

// tableCell is a cell's inline content and alignment.
type tableCell struct {
	spans []span
	align align
	// th marks a header cell of raw HTML in a body row; scope is its
	// scope when the HTML gives one ("Row", "Column").
	th    bool
	scope string
}

// tableSpec is a table before layout: header rows and body rows, from GFM
// or from raw HTML.
type tableSpec struct {
	head, body [][]tableCell
}

// Cell padding.
const (
	cellPadX = 4.5
	cellPadY = 2.6
)

// table converts a GFM table.
func (c *converter) table(n *extast.Table) {
	s := c.w.st
	var t tableSpec
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []tableCell
		_, isHead := row.(*extast.TableHeader)
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			tc, ok := cell.(*extast.TableCell)
			if !ok {
				continue
			}
			st := style{Face: serif, Size: s.Small, Color: black}
			if isHead {
				st.Face = sansBold
			}
			cells = append(cells, tableCell{spans: c.inlinesStyled(tc, st), align: cellAlign(tc.Alignment)})
		}
		if isHead {
			t.head = append(t.head, cells)
		} else {
			t.body = append(t.body, cells)
		}
	}
	c.layoutTable(t)
}

func cellAlign(a extast.Alignment) align {
	switch a {
	case extast.AlignRight:
		return alignRight
	case extast.AlignCenter:
		return alignCenter
	}
	return alignLeft
}

// cellWords is a cell cut into words at one type size.
type cellWords struct {
	ws    []word
	align align
	lead  float64
	min   float64 // widest word
	pref  float64 // longest line unbroken
}

// scaled returns spans with their sizes multiplied by f.
func scaled(spans []span, f float64) []span {
	out := make([]span, len(spans))
	for i, sp := range spans {
		sp.st.Size = round2(sp.st.Size * f)
		sp.st.Rise *= f
		out[i] = sp
	}
	return out
}

// measureCells cuts every cell into words at scale f.
func (c *converter) measureCells(rows [][]tableCell, f float64, ncol int) [][]cellWords {
	out := make([][]cellWords, len(rows))
	for i, row := range rows {
		out[i] = make([]cellWords, ncol)
		for j := 0; j < ncol; j++ {
			var tc tableCell
			if j < len(row) {
				tc = row[j]
			}
			cw := cellWords{ws: c.tx.words(scaled(tc.spans, f)), align: tc.align, lead: round2(c.w.st.Small * f * 1.3)}
			line := 0.0
			for k, w := range cw.ws {
				cw.min = max(cw.min, w.w)
				line += w.w
				if w.brk || k == len(cw.ws)-1 {
					cw.pref = max(cw.pref, line)
					line = 0
				} else {
					line += w.space
				}
			}
			out[i][j] = cw
		}
	}
	return out
}

// columnWidths chooses column widths from the cells' minimum and preferred
// widths, as browsers do for automatic table layout: preferred widths when
// they fit, else the room above the minimums shared in proportion to what
// each column would like. ok is false when even the minimums do not fit.
func columnWidths(cells [][]cellWords, ncol int, avail float64) (ws []float64, ok bool) {
	mins := make([]float64, ncol)
	prefs := make([]float64, ncol)
	for _, row := range cells {
		for j, cw := range row {
			mins[j] = max(mins[j], cw.min+2*cellPadX)
			prefs[j] = max(prefs[j], cw.pref+2*cellPadX)
		}
	}
	sumMin, sumPref := 0.0, 0.0
	for j := range ncol {
		mins[j] = max(mins[j], 3*cellPadX)
		prefs[j] = max(prefs[j], mins[j])
		sumMin += mins[j]
		sumPref += prefs[j]
	}
	ws = make([]float64, ncol)
	switch {
	case sumPref <= avail:
		// Wide tables fill the measure; small ones keep their size.
		extra := 0.0
		if sumPref > 0.6*avail {
			extra = avail - sumPref
		}
		for j := range ws {
			ws[j] = prefs[j] + extra*prefs[j]/sumPref
		}
		return ws, true
	case sumMin <= avail:
		for j := range ws {
			ws[j] = mins[j]
			if sumPref > sumMin {
				ws[j] += (prefs[j] - mins[j]) * (avail - sumMin) / (sumPref - sumMin)
			}
		}
		return ws, true
	}
	for j := range ws {
		ws[j] = avail * mins[j] / sumMin
	}
	return ws, false
}

// layoutTable sets a table: a row is an item (split when taller than a
// good part of a page), the header rows repeat on every page the table
// continues on, body rows are zebra-striped, and booktabs rules close the
// table on each page. A table too wide for the measure is set smaller
// before its words are broken.
func (c *converter) layoutTable(t tableSpec) {
	s := c.w.st
	ncol := 0
	for _, r := range append(append([][]tableCell{}, t.head...), t.body...) {
		ncol = max(ncol, len(r))
	}
	if ncol == 0 {
		return
	}
	rows := append(append([][]tableCell{}, t.head...), t.body...)
	var cells [][]cellWords
	var widths []float64
	for _, f := range []float64{1, 0.9, 0.8} {
		cells = c.measureCells(rows, f, ncol)
		var ok bool
		widths, ok = columnWidths(cells, ncol, c.width)
		if ok {
			break
		}
	}
	tableW := 0.0
	for _, w := range widths {
		tableW += w
	}
	c.vspace(s.Para * 1.4)
	c.openFrame(&Frame{X: c.x, W: tableW, Rules: &black, PadTop: 1.5, PadBottom: 1.5, Kind: "table"})
	tbl := c.open("Table")
	var thead, tbody *Tag
	if len(t.head) > 0 {
		thead = newTag(tbl, "THead")
	}
	if len(t.body) > 0 {
		tbody = newTag(tbl, "TBody")
	}
	var header []*Item
	maxH := c.w.g.TextH * 0.45
	for i, row := range cells {
		isHead := i < len(t.head)
		group := tbody
		if isHead {
			group = thead
		}
		tr := newTag(group, "TR")
		// Every cell has its element, an empty one too, so the rows of
		// the structure have as many cells as the table's.
		cellTags := make([]*Tag, len(row))
		for j := range row {
			var tc tableCell
			if j < len(rows[i]) {
				tc = rows[i][j]
			}
			ct := newTag(tr, "TD")
			switch {
			case isHead:
				ct.Type, ct.Scope = "TH", cmp.Or(tc.scope, "Column")
			case tc.th:
				ct.Type, ct.Scope = "TH", cmp.Or(tc.scope, "Row")
			}
			ct.keep = true
			cellTags[j] = ct
		}
		parts := c.tableRow(row, widths, isHead, maxH, cellTags)
		for k, it := range parts {
			it.Tag = tr
			if isHead {
				it.Kind = "thead"
				if i == len(t.head)-1 && k == len(parts)-1 {
					it.Ops = append(it.Ops, &lineOp{X1: c.x, Y1: it.H - 0.2, X2: c.x + tableW, Y2: it.H - 0.2, Color: ruleGrey, W: 0.5})
				}
				header = append(header, it)
			} else {
				if (i-len(t.head))%2 == 1 {
					it.Ops = append([]Op{&rectOp{X: c.x, Y: 0, W: tableW, H: it.H, Fill: &zebraTint}}, it.Ops...)
				}
				if len(header) > 0 {
					it.Header = header
				}
				if i == len(t.head) && k == 0 && len(header) > 0 {
					it.Keep = true
				}
			}
			if i > 0 && isHead {
				it.Keep = true
			}
			c.emit(it)
		}
	}
	c.close(tbl)
	c.closeFrame()
	c.vspace(s.Para * 1.4)
}

// tableRow sets one row, split into parts no taller than maxH.
func (c *converter) tableRow(row []cellWords, widths []float64, head bool, maxH float64, cellTags []*Tag) []*Item {
	type cellLines struct {
		lines []*Item
	}
	cols := make([]cellLines, len(row))
	x := c.x
	nlines := 0
	lead := 0.0
	for j, cw := range row {
		lead = max(lead, cw.lead)
		inner := widths[j] - 2*cellPadX
		ws, lines := breakLines(cw.ws, inner)
		face, size := serif, c.w.st.Small
		if len(ws) > 0 && len(ws[0].pieces) > 0 {
			face, size = ws[0].pieces[0].st.Face, ws[0].pieces[0].st.Size
		}
		for _, l := range lines {
			cols[j].lines = append(cols[j].lines, setLine(ws, l, lineStyle{X: x + cellPadX, Width: inner, Align: cw.align, Lead: cw.lead, Face: face, Size: size}))
		}
		nlines = max(nlines, len(lines))
		x += widths[j]
	}
	nlines = max(nlines, 1)
	per := max(1, int((maxH-2*cellPadY)/lead))
	var parts []*Item
	for from := 0; from < nlines; from += per {
		to := min(from+per, nlines)
		it := &Item{Kind: "row"}
		h := 0.0
		for j, col := range cols {
			y := cellPadY
			for k := from; k < to && k < len(col.lines); k++ {
				li := col.lines[k]
				for _, op := range li.Ops {
					shiftOp(op, 0, y)
					// The cell's text belongs to its TH or TD, an
					// inline element in it to the cell.
					if t := opTag(op); t != nil && t.Inline && t.Parent == nil {
						t.Parent = cellTags[j]
					}
				}
				tagOps(li.Ops, cellTags[j])
				it.Ops = append(it.Ops, li.Ops...)
				if it.Base == 0 {
					it.Base = y + li.Base
				}
				y += li.H
			}
			h = max(h, y)
		}
		it.H = max(h, cellPadY+lead) + cellPadY
		parts = append(parts, it)
	}
	return parts
}
