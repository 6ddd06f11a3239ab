package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book/diagram/internal/dot"
)

// graph is a graph to lay out with dot: fixed-size nodes, edges with
// fixed-size labels, nested clusters with fixed-size titles. Sizes and
// positions are in points, y down.
type graph struct {
	rankdir          string // TB, BT, LR, RL
	nodesep, ranksep float64
	nodes            []*gNode
	edges            []*gEdge
	clusters         []*gCluster
	sameRank         [][]int // groups of nodes (of one cluster) on one rank

	// Results.
	width, height float64
}

// clusterPort returns the node an edge to or from cluster ci is attached
// to (dot then clips the edge at the cluster's border): for an edge leaving
// the cluster, its node deepest in its flow; for an edge entering it, one
// that starts its flow. That keeps the cluster's contents on one side of the
// edge, so that dot does not lay the two ends side by side and clip the edge
// to a stub. It returns -1 for a cluster that holds no node.
func (g *graph) clusterPort(ci int, leaving bool, depth []int) int {
	best := -1
	for i, n := range g.nodes {
		if !isWithin(g, n.cluster, ci) {
			continue
		}
		switch {
		case best < 0:
			best = i
		case leaving && depth[i] > depth[best]:
			best = i
		case !leaving && depth[i] < depth[best]:
			best = i
		}
	}
	return best
}

// depths returns the length of the longest path of edges to each node,
// leaving out the edges that close cycles (found depth first, in order).
func (g *graph) depths() []int {
	out := make([][]int, len(g.nodes))
	indeg := make([]int, len(g.nodes))
	for _, e := range g.edges {
		if e.from >= 0 && e.to >= 0 && e.from != e.to && !e.invisible {
			out[e.from] = append(out[e.from], e.to)
		}
	}
	// Drop back edges.
	state := make([]int8, len(g.nodes)) // 0 new, 1 on the stack, 2 done
	type frame struct{ n, k int }
	for root := range g.nodes {
		if state[root] != 0 {
			continue
		}
		stack := []frame{{root, 0}}
		state[root] = 1
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.k == len(out[f.n]) {
				state[f.n] = 2
				stack = stack[:len(stack)-1]
				continue
			}
			m := out[f.n][f.k]
			switch state[m] {
			case 1:
				out[f.n] = slices.Delete(out[f.n], f.k, f.k+1)
				continue
			case 0:
				state[m] = 1
				stack = append(stack, frame{m, 0})
			}
			f.k++
		}
	}
	for _, ms := range out {
		for _, m := range ms {
			indeg[m]++
		}
	}
	depth := make([]int, len(g.nodes))
	var queue []int
	for i, d := range indeg {
		if d == 0 {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, m := range out[n] {
			depth[m] = max(depth[m], depth[n]+1)
			if indeg[m]--; indeg[m] == 0 {
				queue = append(queue, m)
			}
		}
	}
	return depth
}

// resolveClusterEnds attaches the edges to and from clusters to nodes of
// those clusters and sets where dot clips them.
func (g *graph) resolveClusterEnds() {
	for _, e := range g.edges {
		e.lhead, e.ltail = -1, -1
		if e.from >= 0 {
			e.fromCl = -1
		}
		if e.to >= 0 {
			e.toCl = -1
		}
	}
	depth := g.depths()
	for _, e := range g.edges {
		if e.fromCl >= 0 {
			e.from = g.clusterPort(e.fromCl, true, depth)
		}
		if e.toCl >= 0 {
			e.to = g.clusterPort(e.toCl, false, depth)
		}
	}
	for _, e := range g.edges {
		if e.fromCl >= 0 && !g.endWithin(e.to, e.toCl, e.fromCl) {
			e.ltail = e.fromCl
		}
		if e.toCl >= 0 && !g.endWithin(e.from, e.fromCl, e.toCl) {
			e.lhead = e.toCl
		}
		if e.ltail >= 0 || e.lhead >= 0 {
			// Clipped at a cluster's border: when the edge leaves one
			// cluster for another, leave room for it between them.
			tc, hc := g.nodeCluster(e.from), g.nodeCluster(e.to)
			c := g.commonCluster(tc, hc)
			if tc != c && hc != c {
				e.minlen = max(e.minlen, 1) + 1
			}
		}
	}
}

// nodeCluster returns the cluster of node n, or -1.
func (g *graph) nodeCluster(n int) int {
	if n < 0 {
		return -1
	}
	return g.nodes[n].cluster
}

// endWithin reports whether an edge end (node n, or cluster cl when n is
// a cluster's) lies inside cluster c.
func (g *graph) endWithin(n, cl, c int) bool {
	if cl >= 0 {
		return isWithin(g, cl, c)
	}
	return n >= 0 && isWithin(g, g.nodes[n].cluster, c)
}

// isWithin reports whether cluster a is c or inside c.
func isWithin(g *graph, a, c int) bool {
	for ; a >= 0; a = g.clusters[a].parent {
		if a == c {
			return true
		}
	}
	return false
}

type gNode struct {
	w, h    float64
	shape   string // a dot shape: box, ellipse, circle, diamond, hexagon, ...
	cluster int    // index in clusters, -1 for none
	// Result: the centre.
	x, y float64
}

type gEdge struct {
	from, to     int // node indexes
	lw, lh       float64
	minlen       int
	headRoom     bool // leave room for a marker at the head
	tailRoom     bool
	fromCl, toCl int // with from (to) -1: the cluster the end stands for
	lhead, ltail int // cluster the edge is clipped at, or -1 (set by layout)
	invisible    bool

	// Results: a cubic Bézier chain (start, then control, control, end
	// triples), the points the markers reach, the label centre.
	pts              []Point
	headTip, tailTip *Point
	lx, ly           float64
}

type gCluster struct {
	parent int
	lw, lh float64
	// Result: the box.
	x0, y0, x1, y1 float64
}

// arrowLen is the length of an arrowhead, points.
const arrowLen = 6.0

// labelCharW and labelLineH are the size of one character and one line of
// the stand-in text that reserves room for labels in dot: graphviz measures
// Courier as 0.6 em per character and 1.2 em per line.
const (
	labelFontSize = 4.0
	labelCharW    = 0.6 * labelFontSize
	labelLineH    = 1.2 * labelFontSize
)

// reserve returns a dot label string that is at least w × h points.
func reserve(w, h float64) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	n := max(1, int(math.Ceil(w/labelCharW)))
	lines := max(1, int(math.Ceil(h/labelLineH)))
	row := strings.Repeat("x", n)
	return strings.TrimSuffix(strings.Repeat(row+`\n`, lines), `\n`)
}

func inches(pt float64) string { return strconv.FormatFloat(pt/72, 'f', 4, 64) }

// dotWriter writes a graph in the DOT language.
type dotWriter struct {
	g        *graph
	b        bytes.Buffer
	labelled bool    // some edge has a label: edges span two ranks
	kids     [][]int // the clusters in each cluster
	roots    []int   // the clusters in no cluster
	members  [][]int // the nodes in each cluster
	top      []int   // the nodes in no cluster
	lnodes   map[int]int
	lorder   []int // the edges with label nodes, in order
}

// dot writes the graph in the DOT language.
func (g *graph) dot() []byte {
	w := &dotWriter{g: g, lnodes: map[int]int{}}
	for _, e := range g.edges {
		if e.lw > 0 && e.from != e.to {
			w.labelled = true
		}
	}
	w.header()
	w.order()
	w.tree()
	for _, ci := range w.roots {
		w.cluster(ci, "")
	}
	for _, i := range w.top {
		w.node(i, "")
	}
	for _, e := range w.lorder {
		if w.lnodes[e] < 0 {
			w.labelNode(e, "")
		}
	}
	g.writeSameRank(&w.b, -1, "")
	for i := range g.edges {
		w.edge(i)
	}
	w.b.WriteString("}\n")
	return w.b.Bytes()
}

// header writes the graph's, nodes' and edges' defaults.
func (w *dotWriter) header() {
	g, b := w.g, &w.b
	ranksep := g.ranksep
	if w.labelled {
		// Labels become nodes half way along their edges, as in dagre:
		// every edge spans two ranks.
		ranksep /= 2
	}
	fmt.Fprintf(b, "digraph G {\ngraph [rankdir=%s, nodesep=%s, ranksep=%s, compound=true, pad=0, fontname=Courier, fontsize=%g, outputorder=edgesfirst", g.rankdir, inches(g.nodesep), inches(ranksep), labelFontSize)
	if len(g.sameRank) > 0 {
		b.WriteString(", newrank=true")
	}
	if _, edges := g.size(); edges > fullQualityEdges {
		// Bound the work of crossing minimisation and network simplex.
		b.WriteString(", mclimit=0.1, nslimit=1, nslimit1=1, searchsize=10")
	}
	b.WriteString("];\n")
	fmt.Fprintf(b, "node [label=\" \", fixedsize=true, shape=box, margin=0, fontname=Courier, fontsize=%g];\n", labelFontSize)
	fmt.Fprintf(b, "edge [dir=none, arrowsize=%g, fontname=Courier, fontsize=%g];\n", arrowLen/10, labelFontSize)
}

// order names the nodes first, in the order of the source, so that dot
// breaks cycles at the edges that go back in that order rather than at
// edges into clusters (which are written first). dot stacks the connected
// parts of a graph laid out across in the reverse of the order it first
// meets them: those are named backwards so that they read top to bottom.
func (w *dotWriter) order() {
	parts := w.g.components()
	if w.g.rankdir == "LR" || w.g.rankdir == "RL" {
		slices.Reverse(parts)
	}
	for _, ns := range parts {
		for _, i := range ns {
			fmt.Fprintf(&w.b, "n%d;\n", i)
		}
	}
}

// tree works out which clusters, nodes and label nodes each cluster holds;
// a label node sits in the innermost cluster holding both ends of its edge.
func (w *dotWriter) tree() {
	g := w.g
	w.kids = make([][]int, len(g.clusters))
	w.members = make([][]int, len(g.clusters))
	for i, c := range g.clusters {
		if c.parent >= 0 {
			w.kids[c.parent] = append(w.kids[c.parent], i)
		} else {
			w.roots = append(w.roots, i)
		}
	}
	for i, n := range g.nodes {
		if n.cluster >= 0 {
			w.members[n.cluster] = append(w.members[n.cluster], i)
		} else {
			w.top = append(w.top, i)
		}
	}
	for i, e := range g.edges {
		if e.lw > 0 && e.from != e.to {
			w.lnodes[i] = g.commonCluster(g.clusterOf(e.from, e.fromCl), g.clusterOf(e.to, e.toCl))
			w.lorder = append(w.lorder, i)
		}
	}
}

// holdsNode reports whether cluster ci or a cluster inside it holds a node.
func (w *dotWriter) holdsNode(ci int) bool {
	return len(w.members[ci]) > 0 || slices.ContainsFunc(w.kids[ci], w.holdsNode)
}

func (w *dotWriter) node(i int, indent string) {
	n := w.g.nodes[i]
	fmt.Fprintf(&w.b, "%sn%d [width=%s, height=%s", indent, i, inches(n.w), inches(n.h))
	if n.shape != "" && n.shape != "box" {
		fmt.Fprintf(&w.b, ", shape=%s", n.shape)
	}
	w.b.WriteString("];\n")
}

func (w *dotWriter) labelNode(edge int, indent string) {
	e := w.g.edges[edge]
	fmt.Fprintf(&w.b, "%sl%d [width=%s, height=%s];\n", indent, edge, inches(e.lw), inches(e.lh))
}

// cluster writes cluster ci with what it holds.
func (w *dotWriter) cluster(ci int, indent string) {
	c := w.g.clusters[ci]
	fmt.Fprintf(&w.b, "%ssubgraph cluster_%d {\n", indent, ci)
	in := indent + "\t"
	if l := reserve(c.lw, c.lh); l != "" {
		fmt.Fprintf(&w.b, "%sgraph [label=\"%s\", margin=10];\n", in, l)
	} else {
		fmt.Fprintf(&w.b, "%sgraph [margin=10];\n", in)
	}
	for _, k := range w.kids[ci] {
		w.cluster(k, in)
	}
	for _, i := range w.members[ci] {
		w.node(i, in)
	}
	for _, e := range w.lorder {
		if w.lnodes[e] == ci {
			w.labelNode(e, in)
		}
	}
	w.g.writeSameRank(&w.b, ci, in)
	if !w.holdsNode(ci) {
		// dot drops empty clusters: hold the place with an invisible node.
		fmt.Fprintf(&w.b, "%sc%d [width=%s, height=0.3, style=invis];\n", in, ci, inches(max(c.lw, 20)))
	}
	fmt.Fprintf(&w.b, "%s}\n", indent)
}

// edgeAttrs returns an edge's attributes: its direction (for the room its
// markers need), the clusters it is clipped at, its minimum length.
func edgeAttrs(e *gEdge, head, tail bool, lhead, ltail int, minlen int) string {
	var a []string
	switch {
	case head && tail:
		a = append(a, "dir=both")
	case head:
		a = append(a, "dir=forward")
	case tail:
		a = append(a, "dir=back")
	}
	if lhead >= 0 {
		a = append(a, fmt.Sprintf("lhead=cluster_%d", lhead))
	}
	if ltail >= 0 {
		a = append(a, fmt.Sprintf("ltail=cluster_%d", ltail))
	}
	if minlen != 1 {
		a = append(a, fmt.Sprintf("minlen=%d", minlen))
	}
	if e.invisible {
		a = append(a, "style=invis")
	}
	return strings.Join(a, ", ")
}

// edge writes edge i: in two halves through its label node, or whole.
func (w *dotWriter) edge(i int) {
	g, b := w.g, &w.b
	e := g.edges[i]
	from, to := g.endName(e.from, e.fromCl), g.endName(e.to, e.toCl)
	minlen := max(e.minlen, 1)
	if _, ok := w.lnodes[i]; ok {
		// Split at the label node: two edges of minlen each.
		fmt.Fprintf(b, "%s -> l%d [id=\"e%da\", %s];\n", from, i, i, edgeAttrs(e, false, e.tailRoom, -1, e.ltail, minlen))
		fmt.Fprintf(b, "l%d -> %s [id=\"e%db\", %s];\n", i, to, i, edgeAttrs(e, e.headRoom, false, e.lhead, -1, minlen))
		return
	}
	if w.labelled && e.from != e.to {
		minlen *= 2
	}
	a := edgeAttrs(e, e.headRoom, e.tailRoom, e.lhead, e.ltail, minlen)
	if l := reserve(e.lw, e.lh); l != "" {
		a += fmt.Sprintf(", label=\"%s\"", l)
	}
	fmt.Fprintf(b, "%s -> %s [id=\"e%d\", %s];\n", from, to, i, strings.TrimPrefix(a, ", "))
}

// clusterOf returns the cluster of an edge end: its node's, or for an edge
// to an empty cluster, that cluster.
func (g *graph) clusterOf(n, cl int) int {
	if n < 0 {
		return cl
	}
	return g.nodes[n].cluster
}

// endName is the dot name of an edge end: the node, or for an edge to an
// empty cluster, its placeholder.
func (g *graph) endName(n, cluster int) string {
	if n < 0 && cluster >= 0 {
		return fmt.Sprintf("c%d", cluster)
	}
	return fmt.Sprintf("n%d", n)
}

// commonCluster returns the innermost cluster holding both a and b.
func (g *graph) commonCluster(a, b int) int {
	anc := map[int]bool{}
	for c := a; c >= 0; c = g.clusters[c].parent {
		anc[c] = true
	}
	for c := b; c >= 0; c = g.clusters[c].parent {
		if anc[c] {
			return c
		}
	}
	return -1
}

// errLayout reports a failure of graphviz.
var errLayout = errors.New("layout failed")

// errTooLarge reports a graph beyond the layout limits.
var errTooLarge = errors.New("diagram too large to lay out")

// Limits on what dot is given: its running time grows steeply with the
// number of edges, and a layout cannot be interrupted.
const (
	fullQualityEdges = 120 // beyond this, dot runs with bounded iterations
	maxLayoutEdges   = 320
	maxLayoutNodes   = 400
)

// size counts the nodes and edges dot lays out, label nodes included.
func (g *graph) size() (nodes, edges int) {
	nodes, edges = len(g.nodes), len(g.edges)
	for _, e := range g.edges {
		if e.lw > 0 && e.from != e.to {
			nodes++
			edges++
		}
	}
	return nodes, edges
}

// layout runs dot and reads the positions back.
func (g *graph) layout() (err error) {
	if n, e := g.size(); n > maxLayoutNodes || e > maxLayoutEdges {
		return fmt.Errorf("%w (%d nodes and %d edges with labels; at most %d and %d)", errTooLarge, n, e, maxLayoutNodes, maxLayoutEdges)
	}
	g.resolveClusterEnds()
	src := g.dot()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errLayout, r)
		}
	}()
	out, err := dot.Layout(context.Background(), src)
	if err != nil {
		return fmt.Errorf("%w: %v", errLayout, err)
	}
	return g.read(out)
}

// dotResult is what dot's output says, in the drawing's coordinates.
type dotResult struct {
	bb       [4]float64
	labelPos map[int]Point      // edge label centres, by edge
	parts    map[string][]Point // splines, by edge id (e3, or e3a and e3b)
	tips     map[string][2]*Point
}

// flip turns dot's coordinates (y up) into the drawing's.
func (r *dotResult) flip(x, y float64) Point { return Point{x - r.bb[0], r.bb[3] - y} }

// read takes positions from dot's output.
func (g *graph) read(out []byte) error {
	stmts, err := parseDotOutput(out)
	if err != nil {
		return fmt.Errorf("%w: %v", errLayout, err)
	}
	r := &dotResult{labelPos: map[int]Point{}, parts: map[string][]Point{}, tips: map[string][2]*Point{}}
	found := false
	for _, st := range stmts {
		if st.kind == "graph" && st.subgraph == "" {
			if v, ok := parseFloats(st.attrs["bb"], 4); ok {
				r.bb = [4]float64(v)
				found = true
			}
		}
	}
	if !found {
		return fmt.Errorf("%w: no bounding box", errLayout)
	}
	g.width, g.height = r.bb[2]-r.bb[0], r.bb[3]-r.bb[1]
	for _, st := range stmts {
		switch st.kind {
		case "graph":
			g.readCluster(r, st)
		case "node":
			g.readNode(r, st)
		case "edge":
			r.readEdge(st)
		}
	}
	for i, e := range g.edges {
		id := fmt.Sprintf("e%d", i)
		if pts, ok := r.parts[id]; ok {
			e.pts = pts
			e.headTip, e.tailTip = r.tips[id][0], r.tips[id][1]
		} else if a, ok := r.parts[id+"a"]; ok {
			e.pts = joinSplines(a, r.parts[id+"b"], r.labelPos[i])
			e.tailTip, e.headTip = r.tips[id+"a"][1], r.tips[id+"b"][0]
		}
		if p, ok := r.labelPos[i]; ok {
			e.lx, e.ly = p.X, p.Y
		}
	}
	return nil
}

// readCluster takes a cluster's box.
func (g *graph) readCluster(r *dotResult, st dotStmt) {
	if !strings.HasPrefix(st.subgraph, "cluster_") {
		return
	}
	ci, err := strconv.Atoi(st.subgraph[len("cluster_"):])
	if err != nil || ci < 0 || ci >= len(g.clusters) {
		return
	}
	if v, ok := parseFloats(st.attrs["bb"], 4); ok {
		c := g.clusters[ci]
		p0, p1 := r.flip(v[0], v[1]), r.flip(v[2], v[3])
		c.x0, c.y0, c.x1, c.y1 = min(p0.X, p1.X), min(p0.Y, p1.Y), max(p0.X, p1.X), max(p0.Y, p1.Y)
	}
}

// readNode takes a node's centre, or a label node's.
func (g *graph) readNode(r *dotResult, st dotStmt) {
	v, ok := parseFloats(st.attrs["pos"], 2)
	if !ok || len(st.name) < 2 {
		return
	}
	p := r.flip(v[0], v[1])
	idx, err := strconv.Atoi(st.name[1:])
	if err != nil {
		return
	}
	switch st.name[0] {
	case 'n':
		if idx >= 0 && idx < len(g.nodes) {
			g.nodes[idx].x, g.nodes[idx].y = p.X, p.Y
		}
	case 'l':
		r.labelPos[idx] = p
	}
}

// readEdge takes an edge's spline, the points its markers reach and its
// label's centre.
func (r *dotResult) readEdge(st dotStmt) {
	id := st.attrs["id"]
	pts, head, tail := parseSpline(st.attrs["pos"])
	for i := range pts {
		pts[i] = r.flip(pts[i].X, pts[i].Y)
	}
	if head != nil {
		p := r.flip(head.X, head.Y)
		head = &p
	}
	if tail != nil {
		p := r.flip(tail.X, tail.Y)
		tail = &p
	}
	r.parts[id] = pts
	r.tips[id] = [2]*Point{head, tail}
	if v, ok := parseFloats(st.attrs["lp"], 2); ok && strings.HasPrefix(id, "e") {
		if i, err := strconv.Atoi(id[1:]); err == nil {
			r.labelPos[i] = r.flip(v[0], v[1])
		}
	}
}

// cropTo makes cluster ci the whole of a drawing laid out by g: a
// subgraph laid out apart is placed by its border.
func (g *graph) cropTo(b *builder, ci int) {
	c := g.clusters[ci]
	b.translate(-c.x0, -c.y0)
	g.width, g.height = c.x1-c.x0, c.y1-c.y0
}

// joinSplines joins the two halves of an edge split at its label node.
func joinSplines(a, b []Point, mid Point) []Point {
	switch {
	case len(a) == 0:
		return b
	case len(b) == 0:
		return a
	}
	pts := append([]Point(nil), a...)
	last, first := a[len(a)-1], b[0]
	// A straight piece through the label (hidden under it).
	pts = append(pts, lerp(last, first, 1.0/3), lerp(last, first, 2.0/3), first)
	return append(pts, b[1:]...)
}

func lerp(a, b Point, t float64) Point {
	return Point{a.X + (b.X-a.X)*t, a.Y + (b.Y-a.Y)*t}
}

func parseFloats(s string, n int) ([]float64, bool) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
	if len(f) < n {
		return nil, false
	}
	v := make([]float64, n)
	for i := range n {
		x, err := strconv.ParseFloat(f[i], 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false
		}
		v[i] = x
	}
	return v, true
}

// parseSpline reads dot's "e,x,y s,x,y x,y x,y ..." (only the first spline
// of several separated by ';').
func parseSpline(s string) (pts []Point, head, tail *Point) {
	s, _, _ = strings.Cut(s, ";")
	for _, f := range strings.Fields(s) {
		var tag string
		if strings.HasPrefix(f, "e,") || strings.HasPrefix(f, "s,") {
			tag, f = f[:1], f[2:]
		}
		v, ok := parseFloats(f, 2)
		if !ok {
			continue
		}
		p := Point{v[0], v[1]}
		switch tag {
		case "e":
			head = &p
		case "s":
			tail = &p
		default:
			pts = append(pts, p)
		}
	}
	// A Bézier chain has 3k+1 points.
	if n := len(pts); n > 1 && (n-1)%3 != 0 {
		pts = pts[:n-(n-1)%3]
	}
	return pts, head, tail
}

// dotStmt is one statement of dot's output that matters here.
type dotStmt struct {
	kind     string // graph, node, edge
	subgraph string // enclosing subgraph, for graph attributes
	name     string // node name
	attrs    map[string]string
}

// dotParser reads the tokens of graphviz's output.
type dotParser struct {
	toks []string
	i    int
}

func (p *dotParser) next() string {
	if p.i < len(p.toks) {
		p.i++
		return p.toks[p.i-1]
	}
	return ""
}

func (p *dotParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

// attrList reads [k=v, ...] lists.
func (p *dotParser) attrList() map[string]string {
	m := map[string]string{}
	for p.peek() == "[" {
		p.next()
		for p.peek() != "]" && p.peek() != "" {
			k := p.next()
			if p.peek() == "=" {
				p.next()
				m[k] = p.next()
			}
			if p.peek() == "," || p.peek() == ";" {
				p.next()
			}
		}
		p.next()
	}
	return m
}

// parseDotOutput reads the attributed DOT that graphviz writes.
func parseDotOutput(src []byte) ([]dotStmt, error) {
	toks, err := dotTokens(string(src))
	if err != nil {
		return nil, err
	}
	p := &dotParser{toks: toks}
	var stmts []dotStmt
	// Header: [strict] digraph [name] {
	for p.peek() != "{" && p.peek() != "" {
		p.next()
	}
	p.next()
	stack := []string{""}
	for p.i < len(p.toks) {
		switch t := p.next(); t {
		case ";", ",":
		case "}":
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return stmts, nil
			}
		case "{":
			stack = append(stack, "")
		case "subgraph":
			name := ""
			if p.peek() != "{" {
				name = p.next()
			}
			if p.next() != "{" {
				return nil, errors.New("bad subgraph")
			}
			stack = append(stack, name)
		case "graph", "node", "edge":
			if p.peek() == "[" {
				a := p.attrList()
				if t == "graph" {
					stmts = append(stmts, dotStmt{kind: "graph", subgraph: stack[len(stack)-1], attrs: a})
				}
			}
		default:
			switch {
			case p.peek() == "=":
				p.next()
				p.next()
			case p.peek() == "->" || p.peek() == "--":
				for p.peek() == "->" || p.peek() == "--" {
					p.next()
					p.next()
				}
				stmts = append(stmts, dotStmt{kind: "edge", attrs: p.attrList()})
			default:
				stmts = append(stmts, dotStmt{kind: "node", name: t, attrs: p.attrList()})
			}
		}
	}
	return stmts, nil
}

func dotTokens(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					if s[j+1] == '\n' {
						j++
						continue
					}
					if s[j+1] == '"' {
						b.WriteByte('"')
						j++
						continue
					}
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, errors.New("unterminated string")
			}
			toks = append(toks, b.String())
			i = j + 1
		case c == '<':
			// An HTML label: skip to the matching '>'.
			depth, j := 0, i
			for ; j < len(s); j++ {
				if s[j] == '<' {
					depth++
				} else if s[j] == '>' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			toks = append(toks, s[i:min(j+1, len(s))])
			i = j + 1
		case c == '-' && i+1 < len(s) && (s[i+1] == '>' || s[i+1] == '-'):
			toks = append(toks, s[i:i+2])
			i += 2
		case strings.IndexByte("{}[]=;,", c) >= 0:
			toks = append(toks, string(c))
			i++
		default:
			j := i
			for j < len(s) && strings.IndexByte(" \t\r\n{}[]=;,\"", s[j]) < 0 && !(s[j] == '-' && j+1 < len(s) && s[j+1] == '>') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

// writeSameRank writes the rank=same groups of cluster ci (-1: the root).
func (g *graph) writeSameRank(b *bytes.Buffer, ci int, indent string) {
	for _, grp := range g.sameRank {
		if len(grp) < 2 || g.nodes[grp[0]].cluster != ci {
			continue
		}
		var names []string
		for _, n := range grp {
			names = append(names, fmt.Sprintf("n%d", n))
		}
		fmt.Fprintf(b, "%s{rank=same; %s}\n", indent, strings.Join(names, "; "))
	}
}

// components returns the nodes of each connected part of the graph, in
// order: nodes joined by edges or by a top-level cluster are one part.
func (g *graph) components() [][]int {
	parent := make([]int, len(g.nodes))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		if a >= 0 && b >= 0 {
			parent[find(a)] = find(b)
		}
	}
	top := func(c int) int {
		for c >= 0 && g.clusters[c].parent >= 0 {
			c = g.clusters[c].parent
		}
		return c
	}
	byCluster := map[int]int{}
	for i, n := range g.nodes {
		if c := top(n.cluster); c >= 0 {
			if j, ok := byCluster[c]; ok {
				union(i, j)
			} else {
				byCluster[c] = i
			}
		}
	}
	for _, e := range g.edges {
		union(e.from, e.to)
	}
	var parts [][]int
	part := map[int]int{}
	for i := range g.nodes {
		r := find(i)
		k, ok := part[r]
		if !ok {
			k = len(parts)
			part[r] = k
			parts = append(parts, nil)
		}
		parts[k] = append(parts[k], i)
	}
	return parts
}
