package diagram

// The page a drawing is made for: the PDF scales a drawing to
// min(1, pageWidth/width, pageHeight/height), and text below minLegible
// points is too small to read on paper or e-ink.
const (
	pageWidth  = 420.0     // the text width
	pageHeight = 0.8 * 650 // most of the text height
	minLegible = 8.0       // points
	flipGain   = 1.25      // how much larger the other direction must make the text
)

// pageScale is the scale at which a w × h drawing fits the page.
func pageScale(w, h float64) float64 {
	return min(1, pageWidth/(w+2*margin), pageHeight/(h+2*margin))
}

// perpendicular returns the direction across dir: TB for LR, RL for BT.
func perpendicular(dir string) string {
	return map[string]string{"TB": "LR", "LR": "TB", "BT": "RL", "RL": "BT"}[dir]
}

// betterDirection returns the direction to lay a graph out in: the
// author's, unless its text would be too small to read once the drawing is
// scaled to the page and the direction across it would make the text
// clearly larger. estimate gives the size a layout in a direction is likely
// to have (its nodes and labels are the same either way); size is the size
// of the graph's text.
func betterDirection(dir string, size float64, estimate func(dir string) (w, h float64)) string {
	w, h := estimate(dir)
	s := pageScale(w, h)
	if s*size >= minLegible {
		return dir
	}
	other := perpendicular(dir)
	ow, oh := estimate(other)
	if pageScale(ow, oh) >= flipGain*s {
		return other
	}
	return dir
}

// estimate returns roughly the size dot will give the graph laid out in
// dir: nodes ranked by their longest path of edges (with edge labels on
// ranks of their own half way), each rank as long as its nodes side by side.
func (g *graph) estimate(dir string) (w, h float64) {
	depth := g.depths()
	labelled := false
	for _, e := range g.edges {
		if e.lw > 0 && e.from != e.to {
			labelled = true
		}
	}
	step := 1
	if labelled {
		step = 2
	}
	type rank struct {
		across, along float64 // the sum of sizes across the flow; the largest along it
		n             int
	}
	ranks := map[int]*rank{}
	add := func(r int, across, along float64) {
		rk := ranks[r]
		if rk == nil {
			rk = &rank{}
			ranks[r] = rk
		}
		rk.across += across
		rk.along = max(rk.along, along)
		rk.n++
	}
	horiz := dir == "LR" || dir == "RL"
	size := func(w, h float64) (across, along float64) {
		if horiz {
			return h, w
		}
		return w, h
	}
	for i, n := range g.nodes {
		a, l := size(n.w, n.h)
		add(depth[i]*step, a, l)
	}
	for _, e := range g.edges {
		if e.lw > 0 && e.from >= 0 && e.to >= 0 && e.from != e.to {
			a, l := size(e.lw, e.lh)
			add(min(depth[e.from], depth[e.to])*step+1, a, l)
		}
	}
	sep := g.ranksep / float64(step)
	across, along := 0.0, 0.0
	for _, rk := range ranks {
		across = max(across, rk.across+g.nodesep*float64(rk.n-1))
		along += rk.along + sep
	}
	along = max(along-sep, 0)
	// Clusters add their margins and titles.
	for _, c := range g.clusters {
		across += 2 * 8 / float64(len(g.clusters))
		along += c.lh
	}
	if horiz {
		return along, across
	}
	return across, along
}
