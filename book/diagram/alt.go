package diagram

import (
	"strings"
	"unicode/utf8"
)

// maxAlt bounds alt text, in runes.
const maxAlt = 1500

// altText joins a kind word and sentences, bounded.
func altText(doc *document, kind string, parts []string) string {
	var b strings.Builder
	b.WriteString(kind)
	if doc.title != "" {
		b.WriteString(" “" + oneLine(doc.title) + "”")
	} else if doc.accTitle != "" {
		b.WriteString(" “" + oneLine(doc.accTitle) + "”")
	}
	if doc.accDescr != "" {
		b.WriteString(": " + oneLine(doc.accDescr))
		return bound(b.String())
	}
	if len(parts) > 0 {
		b.WriteString(": ")
		for i, p := range parts {
			if i > 0 {
				if strings.HasSuffix(parts[i-1], "?") || strings.HasSuffix(parts[i-1], "!") || strings.HasSuffix(parts[i-1], ".") {
					b.WriteString(" ")
				} else {
					b.WriteString(". ")
				}
			}
			b.WriteString(p)
		}
	}
	s := b.String()
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "…") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return bound(s)
}

func bound(s string) string {
	if utf8.RuneCountInString(s) <= maxAlt {
		return s
	}
	return string([]rune(s)[:maxAlt-1]) + "…"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(newLabel(s, fontSize, 0).plain()), " ")
}

// fcAlt builds the alt text of a flowchart.
type fcAlt struct {
	fc     *flowchart
	labels []*label          // by edge
	name   map[string]string // what each node and subgraph is called
	out    map[string][]int  // the edges leaving each node
	hasIn  map[string]bool
	inDeg  map[string]int
	told   map[int]bool // edges already described
}

// alt describes a flowchart by its edges from each node, in the order the
// nodes are reached from the roots: "A — yes → B; no → C".
func (fc *flowchart) alt(laid []*fcLaid, edgeLabels []*label) string {
	a := &fcAlt{fc: fc, labels: edgeLabels, name: map[string]string{}, out: map[string][]int{},
		hasIn: map[string]bool{}, inDeg: map[string]int{}, told: map[int]bool{}}
	var ids []string
	for _, l := range laid {
		t := l.lbl.plain()
		if t == "" {
			t = l.n.id
		}
		a.name[l.n.id] = t
		ids = append(ids, l.n.id)
	}
	for _, s := range fc.subs {
		t := oneLine(s.title)
		if t == "" {
			t = s.id
		}
		a.name[s.id] = "group " + t
		ids = append(ids, s.id)
	}
	for i, e := range fc.edges {
		if e.stroke == strokeInvisible {
			continue
		}
		a.out[e.from] = append(a.out[e.from], i)
		a.hasIn[e.to] = true
		a.inDeg[e.to]++
	}
	var parts []string
	for _, id := range a.order(ids) {
		es := a.pending(id)
		switch {
		case len(es) == 0:
			if !a.hasIn[id] && len(a.out[id]) == 0 && a.name[id] != "" && fc.byID[id] != nil {
				parts = append(parts, a.name[id])
			}
		case len(es) == 1:
			parts = append(parts, a.chain(id))
		default:
			parts = append(parts, a.fan(id, es))
		}
	}
	return altText(fc.doc, "Flowchart", parts)
}

// order returns the nodes roots first (in order of appearance), then
// breadth first, then any left.
func (a *fcAlt) order(ids []string) []string {
	var order, queue []string
	seen := map[string]bool{}
	visit := func(id string) {
		if !seen[id] {
			seen[id] = true
			queue = append(queue, id)
		}
	}
	for _, id := range ids {
		if !a.hasIn[id] && len(a.out[id]) > 0 {
			visit(id)
		}
	}
	for _, id := range append(ids, ids...) {
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			order = append(order, cur)
			for _, ei := range a.out[cur] {
				visit(a.fc.edges[ei].to)
			}
		}
		visit(id)
	}
	return order
}

// pending returns the edges from id not yet described.
func (a *fcAlt) pending(id string) []int {
	var es []int
	for _, ei := range a.out[id] {
		if !a.told[ei] {
			es = append(es, ei)
		}
	}
	return es
}

// step describes an edge from the node before: "— yes → B".
func (a *fcAlt) step(ei int) string {
	e := a.fc.edges[ei]
	if l := a.labels[ei]; l != nil {
		return "— " + l.plain() + " " + arrowWord(e) + " " + a.name[e.to]
	}
	return arrowWord(e) + " " + a.name[e.to]
}

// chain describes A → B → C, while each node leads on to one other.
func (a *fcAlt) chain(id string) string {
	s := a.name[id]
	for cur := id; ; {
		ei := a.pending(cur)[0]
		a.told[ei] = true
		s += " " + a.step(ei)
		next := a.fc.edges[ei].to
		if a.inDeg[next] != 1 || len(a.pending(next)) != 1 {
			return s
		}
		cur = next
	}
}

// fan describes the edges es from one node: "A → B, C" or
// "A — yes → B; no → C".
func (a *fcAlt) fan(id string, es []int) string {
	edges := a.fc.edges
	labelled, sameArrow := false, true
	for _, ei := range es {
		a.told[ei] = true
		if a.labels[ei] != nil {
			labelled = true
		}
		if edges[ei].head != edges[es[0]].head || edges[ei].tail != edges[es[0]].tail {
			sameArrow = false
		}
	}
	if !labelled && sameArrow {
		var names []string
		for _, ei := range es {
			names = append(names, a.name[edges[ei].to])
		}
		return a.name[id] + " " + arrowWord(edges[es[0]]) + " " + strings.Join(names, ", ")
	}
	var targets []string
	for _, ei := range es {
		t := arrowWord(edges[ei]) + " " + a.name[edges[ei].to]
		if l := a.labels[ei]; l != nil {
			t = l.plain() + " " + t
		}
		targets = append(targets, t)
	}
	if labelled {
		return a.name[id] + " — " + strings.Join(targets, "; ")
	}
	return a.name[id] + " " + strings.Join(targets, ", ")
}

func arrowWord(e *fcEdge) string {
	switch {
	case e.tail == markArrow && e.head == markArrow:
		return "↔"
	case e.head == markNone:
		return "—"
	}
	return "→"
}
