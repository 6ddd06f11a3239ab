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

// alt describes a flowchart by its edges from each node, in the order the
// nodes are reached from the roots: "A — yes → B; no → C".
func (fc *flowchart) alt(laid []*fcLaid, edgeLabels []*label) string {
	name := map[string]string{}
	for _, l := range laid {
		t := l.lbl.plain()
		if t == "" {
			t = l.n.id
		}
		name[l.n.id] = t
	}
	for _, s := range fc.subs {
		t := oneLine(s.title)
		if t == "" {
			t = s.id
		}
		name[s.id] = "group " + t
	}
	out := map[string][]int{}
	hasIn := map[string]bool{}
	for i, e := range fc.edges {
		if e.stroke == strokeInvisible {
			continue
		}
		out[e.from] = append(out[e.from], i)
		hasIn[e.to] = true
	}
	// Order: roots first (in order of appearance), then breadth first.
	var order []string
	seen := map[string]bool{}
	var queue []string
	visit := func(id string) {
		if !seen[id] {
			seen[id] = true
			queue = append(queue, id)
		}
	}
	var ids []string
	for _, l := range laid {
		ids = append(ids, l.n.id)
	}
	for _, s := range fc.subs {
		ids = append(ids, s.id)
	}
	for _, id := range ids {
		if !hasIn[id] && len(out[id]) > 0 {
			visit(id)
		}
	}
	for _, id := range append(ids, ids...) {
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			order = append(order, cur)
			for _, ei := range out[cur] {
				visit(fc.edges[ei].to)
			}
		}
		visit(id)
	}
	inDeg := map[string]int{}
	for _, e := range fc.edges {
		if e.stroke != strokeInvisible {
			inDeg[e.to]++
		}
	}
	told := map[int]bool{}
	pending := func(id string) []int {
		var es []int
		for _, ei := range out[id] {
			if !told[ei] {
				es = append(es, ei)
			}
		}
		return es
	}
	step := func(ei int) string {
		e := fc.edges[ei]
		if l := edgeLabels[ei]; l != nil {
			return "— " + l.plain() + " " + arrowWord(e) + " " + name[e.to]
		}
		return arrowWord(e) + " " + name[e.to]
	}
	var parts []string
	for _, id := range order {
		es := pending(id)
		switch {
		case len(es) == 0:
			if !hasIn[id] && len(out[id]) == 0 && name[id] != "" && fc.byID[id] != nil {
				parts = append(parts, name[id])
			}
		case len(es) == 1:
			// A chain: A → B → C, while each node leads on to one other.
			s := name[id]
			for cur := id; ; {
				ei := pending(cur)[0]
				told[ei] = true
				s += " " + step(ei)
				next := fc.edges[ei].to
				if inDeg[next] != 1 || len(pending(next)) != 1 {
					break
				}
				cur = next
			}
			parts = append(parts, s)
		default:
			labelled, sameArrow := false, true
			for _, ei := range es {
				told[ei] = true
				if edgeLabels[ei] != nil {
					labelled = true
				}
				if fc.edges[ei].head != fc.edges[es[0]].head || fc.edges[ei].tail != fc.edges[es[0]].tail {
					sameArrow = false
				}
			}
			if !labelled && sameArrow {
				var names []string
				for _, ei := range es {
					names = append(names, name[fc.edges[ei].to])
				}
				parts = append(parts, name[id]+" "+arrowWord(fc.edges[es[0]])+" "+strings.Join(names, ", "))
				continue
			}
			var targets []string
			for _, ei := range es {
				t := arrowWord(fc.edges[ei]) + " " + name[fc.edges[ei].to]
				if l := edgeLabels[ei]; l != nil {
					t = l.plain() + " " + t
				}
				targets = append(targets, t)
			}
			if labelled {
				parts = append(parts, name[id]+" — "+strings.Join(targets, "; "))
			} else {
				parts = append(parts, name[id]+" "+strings.Join(targets, ", "))
			}
		}
	}
	return altText(fc.doc, "Flowchart", parts)
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
