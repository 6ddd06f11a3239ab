package diagram

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// flowchart is a parsed graph or flowchart diagram.
type flowchart struct {
	edgeIDs   map[string]bool // ids given to edges (A e1@--> B)
	doc       *document
	dir       string // TB, BT, LR, RL
	nodes     []*fcNode
	byID      map[string]*fcNode
	edges     []*fcEdge
	subs      []*fcSub // every subgraph, in order of appearance
	subByID   map[string]*fcSub
	classDefs map[string]css
	linkStyle map[int]css
	linkAll   css
	hasAll    bool
}

type fcNode struct {
	id       string
	text     string // raw label; empty means the id
	hasText  bool
	shape    string
	classes  []string
	style    css
	sub      *fcSub
	line     int
	implicit bool // only ever mentioned as an edge end
}

// Edge strokes.
const (
	strokeNormal = iota
	strokeThick
	strokeDotted
	strokeInvisible
)

// Edge end markers.
const (
	markNone = iota
	markArrow
	markCircle
	markCross
)

type fcEdge struct {
	from, to   string
	text       string
	stroke     int
	head, tail int
	length     int
	line       int
	index      int // in flowchart.edges
}

type fcSub struct {
	id, title string
	hasTitle  bool
	parent    *fcSub
	dir       string
	members   []string // node ids, in order
	line      int
	style     css
	classes   []string
	boxed     bool // laid out apart, in its own direction
}

// statement is one statement of a flowchart with its line number.
type statement struct {
	num  int
	text string
}

func parseFlowchart(doc *document) (*flowchart, error) {
	fc := &flowchart{
		doc: doc, dir: "TB", byID: map[string]*fcNode{}, subByID: map[string]*fcSub{},
		classDefs: map[string]css{}, linkStyle: map[int]css{},
	}
	rest := doc.headerRest()
	hdr := doc.lines[doc.header]
	if d, r := splitDirection(rest); d != "" {
		fc.dir, rest = d, r
	} else if rest != "" && !strings.HasPrefix(rest, ";") {
		return nil, &ParseError{Line: hdr.num, Msg: fmt.Sprintf("unknown direction %q", firstWord(rest))}
	}
	lines := doc.body()
	if rest = strings.TrimLeft(rest, "; "); rest != "" {
		lines = append([]srcLine{{num: hdr.num, text: rest}}, lines...)
	}
	var stack []*fcSub
	for _, st := range splitStatements(lines) {
		if err := fc.statement(st, &stack); err != nil {
			return nil, err
		}
		if len(fc.nodes) > maxNodes || len(fc.edges) > maxEdges {
			return nil, &ParseError{Line: st.num, Msg: "diagram too large"}
		}
	}
	if len(stack) > 0 {
		return nil, &ParseError{Line: stack[len(stack)-1].line, Msg: fmt.Sprintf("subgraph %q has no end", stack[len(stack)-1].id)}
	}
	fc.resolveSubgraphEnds()
	return fc, nil
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}

// splitDirection reads a direction at the start of s.
func splitDirection(s string) (string, string) {
	s = strings.TrimSpace(s)
	for _, d := range []string{"TD", "TB", "BT", "LR", "RL"} {
		if strings.HasPrefix(s, d) && (len(s) == len(d) || s[len(d)] == ' ' || s[len(d)] == ';' || s[len(d)] == '\t') {
			if d == "TD" {
				d = "TB"
			}
			return d, strings.TrimSpace(s[len(d):])
		}
	}
	switch {
	case strings.HasPrefix(s, ">"):
		return "LR", strings.TrimSpace(s[1:])
	case strings.HasPrefix(s, "<"):
		return "RL", strings.TrimSpace(s[1:])
	case strings.HasPrefix(s, "^"):
		return "BT", strings.TrimSpace(s[1:])
	case strings.HasPrefix(s, "v"):
		if len(s) == 1 || s[1] == ' ' || s[1] == ';' {
			return "TB", strings.TrimSpace(s[1:])
		}
	}
	return "", s
}

// splitStatements joins lines that continue a quoted string and splits
// lines at semicolons outside quotes, brackets and |edge labels|.
func splitStatements(lines []srcLine) []statement {
	var out []statement
	for i := 0; i < len(lines); i++ {
		text, num := lines[i].text, lines[i].num
		if strings.Count(text, `"`)%2 == 1 {
			// A quoted label may go on over the next lines.
			acc := text
			for j := i + 1; j < len(lines) && j <= i+12; j++ {
				acc += "\n" + lines[j].text
				if strings.Count(acc, `"`)%2 == 0 {
					text, i = acc, j
					break
				}
			}
		}
		depth, inQuote, inPipe := 0, false, false
		start := 0
		for k := 0; k < len(text); k++ {
			switch c := text[k]; {
			case c == '"':
				inQuote = !inQuote
			case inQuote:
			case c == '[' || c == '(' || c == '{':
				depth++
			case c == ']' || c == ')' || c == '}':
				depth = max(depth-1, 0)
			case c == '|' && depth == 0:
				inPipe = !inPipe
			case c == ';' && depth == 0 && !inPipe:
				if t := strings.TrimSpace(text[start:k]); t != "" {
					out = append(out, statement{num, t})
				}
				start = k + 1
			}
		}
		if t := strings.TrimSpace(text[start:]); t != "" {
			out = append(out, statement{num, t})
		}
	}
	return out
}

func keywordIs(s, kw string) bool {
	return strings.HasPrefix(s, kw) && (len(s) == len(kw) || s[len(kw)] == ' ' || s[len(kw)] == '\t')
}

func (fc *flowchart) statement(st statement, stack *[]*fcSub) error {
	s := st.text
	perr := func(format string, args ...any) error {
		return &ParseError{Line: st.num, Msg: fmt.Sprintf(format, args...)}
	}
	cur := func() *fcSub {
		if len(*stack) == 0 {
			return nil
		}
		return (*stack)[len(*stack)-1]
	}
	switch {
	case s == "end":
		if len(*stack) == 0 {
			return perr("end without subgraph")
		}
		*stack = (*stack)[:len(*stack)-1]
		return nil
	case keywordIs(s, "subgraph"):
		if len(*stack) >= 32 {
			return perr("subgraphs nested too deeply")
		}
		sub, err := fc.subgraph(strings.TrimSpace(s[len("subgraph"):]), st.num)
		if err != nil {
			return err
		}
		sub.parent = cur()
		*stack = append(*stack, sub)
		return nil
	case keywordIs(s, "direction"):
		d, rest := splitDirection(strings.TrimSpace(s[len("direction"):]))
		if d == "" || rest != "" {
			return perr("unknown direction %q", strings.TrimSpace(s[len("direction"):]))
		}
		if c := cur(); c != nil {
			c.dir = d
		} else {
			fc.dir = d
		}
		return nil
	case keywordIs(s, "style"), keywordIs(s, "classDef"), keywordIs(s, "class"), keywordIs(s, "linkStyle"):
		return fc.styling(st)
	case keywordIs(s, "click"), keywordIs(s, "callback"), keywordIs(s, "href"):
		return nil
	}
	if m := edgeIDRE().FindStringSubmatch(s); m != nil && fc.edgeIDs[m[1]] && strings.HasPrefix(s[len(m[0]):], "{") {
		return nil // an edge's properties (animation): nothing to draw
	}
	p := &fcParser{s: s, line: st.num, fc: fc, sub: cur()}
	return p.chain()
}

// styling reads style, classDef, class and linkStyle statements.
func (fc *flowchart) styling(st statement) error {
	s := st.text
	perr := func(format string, args ...any) error {
		return &ParseError{Line: st.num, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case keywordIs(s, "style"):
		f := strings.Fields(s)
		if len(f) < 2 {
			return perr("style needs a node id")
		}
		styles := afterWords(s, 2)
		c := parseCSS(styles, st.num)
		if sub, ok := fc.subByID[f[1]]; ok {
			sub.style = sub.style.merge(c)
			return nil
		}
		n := fc.node(f[1], st.num, nil)
		n.style = n.style.merge(c)
		return nil
	case keywordIs(s, "classDef"):
		f := strings.Fields(s)
		if len(f) < 2 {
			return perr("classDef needs a name")
		}
		c := parseCSS(afterWords(s, 2), st.num)
		for _, name := range strings.Split(f[1], ",") {
			fc.classDefs[name] = fc.classDefs[name].merge(c)
		}
		return nil
	case keywordIs(s, "class"):
		f := strings.Fields(s)
		if len(f) < 3 {
			return perr("class needs node ids and a class name")
		}
		ids := strings.Join(f[1:len(f)-1], "")
		for _, id := range strings.Split(ids, ",") {
			if id == "" {
				continue
			}
			if sub, ok := fc.subByID[id]; ok {
				sub.classes = append(sub.classes, f[len(f)-1])
				continue
			}
			n := fc.node(id, st.num, nil)
			n.classes = append(n.classes, f[len(f)-1])
		}
		return nil
	case keywordIs(s, "linkStyle"):
		f := strings.Fields(s)
		if len(f) < 3 {
			return perr("linkStyle needs link numbers and a style")
		}
		k := 2
		if f[2] == "interpolate" && len(f) >= 4 {
			k = 4
		}
		if k >= len(f) {
			return nil
		}
		c := parseCSS(afterWords(s, k), st.num)
		if f[1] == "default" {
			fc.linkAll, fc.hasAll = fc.linkAll.merge(c), true
			return nil
		}
		for _, n := range strings.Split(f[1], ",") {
			if n == "" {
				continue
			}
			i, err := strconv.Atoi(n)
			if err != nil || i < 0 {
				return perr("linkStyle: bad link number %q", n)
			}
			fc.linkStyle[i] = fc.linkStyle[i].merge(c)
		}
		return nil
	}
	return nil
}

// subgraph reads "id[Title]", "id [Title]", `"Title"` or "Title words".
func (fc *flowchart) subgraph(rest string, line int) (*fcSub, error) {
	sub := &fcSub{line: line}
	switch {
	case rest == "":
		sub.id = fmt.Sprintf("subGraph%d", len(fc.subs))
	case rest[0] == '"':
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return nil, &ParseError{Line: line, Msg: "unterminated subgraph title"}
		}
		sub.title, sub.hasTitle = rest[1:end+1], true
		sub.id = fmt.Sprintf("subGraph%d", len(fc.subs))
	default:
		k := strings.IndexByte(rest, '[')
		if k > 0 && strings.HasSuffix(rest, "]") && !strings.ContainsAny(strings.TrimSpace(rest[:k]), " \t") {
			sub.id = strings.TrimSpace(rest[:k])
			t := strings.TrimSpace(rest[k+1 : len(rest)-1])
			sub.title, sub.hasTitle = unquote(t), true
		} else {
			sub.id, sub.title, sub.hasTitle = rest, rest, true
		}
	}
	if _, dup := fc.subByID[sub.id]; dup {
		sub.id = fmt.Sprintf("%s#%d", sub.id, len(fc.subs))
	}
	fc.subs = append(fc.subs, sub)
	fc.subByID[sub.id] = sub
	return sub, nil
}

// node returns the node with id, creating it; a mention inside a subgraph
// makes the node a member of it unless it already belongs to one.
func (fc *flowchart) node(id string, line int, sub *fcSub) *fcNode {
	n, ok := fc.byID[id]
	if !ok {
		n = &fcNode{id: id, shape: "rect", line: line, implicit: true}
		fc.byID[id] = n
		fc.nodes = append(fc.nodes, n)
	}
	if sub != nil && n.sub == nil {
		n.sub = sub
		sub.members = append(sub.members, id)
	}
	return n
}

// resolveSubgraphEnds turns nodes that only stand for a subgraph (an edge to
// a subgraph's id) back into references to the subgraph.
func (fc *flowchart) resolveSubgraphEnds() {
	keep := fc.nodes[:0]
	for _, n := range fc.nodes {
		if sub, ok := fc.subByID[n.id]; ok && !n.hasText {
			if n.sub != nil {
				ms := n.sub.members[:0]
				for _, m := range n.sub.members {
					if m != n.id {
						ms = append(ms, m)
					}
				}
				n.sub.members = ms
			}
			sub.style = sub.style.merge(n.style)
			sub.classes = append(sub.classes, n.classes...)
			delete(fc.byID, n.id)
			continue
		}
		keep = append(keep, n)
	}
	fc.nodes = keep
}

// fcParser reads one node-and-edge statement.
type fcParser struct {
	s    string
	i    int
	line int
	fc   *flowchart
	sub  *fcSub
}

func (p *fcParser) errf(format string, args ...any) error {
	return &ParseError{Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

func (p *fcParser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *fcParser) eof() bool { return p.i >= len(p.s) }

// chain reads groups of nodes joined by links: A & B --> C -- text --> D.
func (p *fcParser) chain() error {
	group, err := p.group()
	if err != nil {
		return err
	}
	for {
		p.skipSpace()
		if p.eof() {
			return nil
		}
		p.edgeID()
		lk, ok, err := p.link()
		if err != nil {
			return err
		}
		if !ok {
			return p.errf("unexpected %q", snippet(p.s[p.i:]))
		}
		p.skipSpace()
		if p.eof() {
			return p.errf("link has no target")
		}
		next, err := p.group()
		if err != nil {
			return err
		}
		for _, a := range group {
			for _, b := range next {
				e := *lk
				e.from, e.to = a, b
				e.index = len(p.fc.edges)
				p.fc.edges = append(p.fc.edges, &e)
			}
		}
		group = next
	}
}

func snippet(s string) string {
	if utf8.RuneCountInString(s) > 24 {
		return string([]rune(s)[:24]) + "…"
	}
	return s
}

func (p *fcParser) group() ([]string, error) {
	var ids []string
	for {
		p.skipSpace()
		id, err := p.vertex()
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == '&' {
			p.i++
			continue
		}
		return ids, nil
	}
}

func isIDRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.' || r == '$' || r == '\'' || r == '!' || r == '?' || r == '+' || r == '*' || r == '#' || r == '^'
}

// vertex reads an id with an optional shape and :::class.
func (p *fcParser) vertex() (string, error) {
	start := p.i
	for p.i < len(p.s) {
		if p.linkAhead() {
			break
		}
		r, w := utf8.DecodeRuneInString(p.s[p.i:])
		if !isIDRune(r) {
			break
		}
		// A ':' run of three starts a class; a single ':' is allowed in ids.
		p.i += w
	}
	id := p.s[start:p.i]
	if id == "" {
		if p.eof() {
			return "", p.errf("missing node")
		}
		return "", p.errf("unexpected %q", snippet(p.s[p.i:]))
	}
	if id == "end" || id == "subgraph" {
		return "", p.errf("%q cannot be a node id", id)
	}
	n := p.fc.node(id, p.line, p.sub)
	if err := p.shape(n); err != nil {
		return "", err
	}
	for strings.HasPrefix(p.s[p.i:], ":::") {
		p.i += 3
		cs := p.i
		for p.i < len(p.s) {
			r, w := utf8.DecodeRuneInString(p.s[p.i:])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-') {
				break
			}
			p.i += w
		}
		if p.i == cs {
			return "", p.errf("missing class name after :::")
		}
		n.classes = append(n.classes, p.s[cs:p.i])
	}
	return id, nil
}

// shapeOpeners lists node shape delimiters, longest first.
var shapeOpeners = []struct{ open, close, shape string }{
	{"(((", ")))", "doublecircle"},
	{"((", "))", "circle"},
	{"([", "])", "stadium"},
	{"[[", "]]", "subroutine"},
	{"[(", ")]", "cylinder"},
	{"[/", "/]", "lean-right"},
	{"[\\", "\\]", "lean-left"},
	{"{{", "}}", "hexagon"},
	{"[", "]", "rect"},
	{"(", ")", "round"},
	{"{", "}", "diamond"},
	{">", "]", "odd"},
}

// newShapes maps the names of the @{ shape: ... } syntax to shapes.
var newShapes = map[string]string{
	"rect": "rect", "rectangle": "rect", "proc": "rect", "process": "rect", "square": "rect",
	"rounded": "round", "event": "round", "stadium": "stadium", "pill": "stadium", "terminal": "stadium",
	"subproc": "subroutine", "subroutine": "subroutine", "fr-rect": "subroutine", "framed-rectangle": "subroutine",
	"cyl": "cylinder", "cylinder": "cylinder", "database": "cylinder", "db": "cylinder",
	"circle": "circle", "circ": "circle", "dbl-circ": "doublecircle", "double-circle": "doublecircle",
	"diam": "diamond", "diamond": "diamond", "decision": "diamond", "question": "diamond", "rhombus": "diamond",
	"hex": "hexagon", "hexagon": "hexagon", "prepare": "hexagon",
	"lean-r": "lean-right", "lean-right": "lean-right", "in-out": "lean-right",
	"lean-l": "lean-left", "lean-left": "lean-left", "out-in": "lean-left",
	"trap-b": "trapezoid", "trapezoid": "trapezoid", "priority": "trapezoid",
	"trap-t": "inv-trapezoid", "inv-trapezoid": "inv-trapezoid", "manual": "inv-trapezoid",
	"odd": "odd", "flag": "odd", "sm-circ": "circle", "small-circle": "circle", "start": "circle",
	"doc": "rect", "document": "rect", "text": "text",
}

func (p *fcParser) shape(n *fcNode) error {
	// Allow spaces between an id and [, ( or {.
	j := p.i
	for j < len(p.s) && p.s[j] == ' ' {
		j++
	}
	if j < len(p.s) && (p.s[j] == '[' || p.s[j] == '(' || p.s[j] == '{') {
		p.i = j
	}
	if strings.HasPrefix(p.s[p.i:], "@{") {
		return p.newShape(n)
	}
	for _, o := range shapeOpeners {
		if !strings.HasPrefix(p.s[p.i:], o.open) {
			continue
		}
		p.i += len(o.open)
		closers := []string{o.close}
		switch o.shape {
		case "lean-right":
			closers = []string{"/]", "\\]"}
		case "lean-left":
			closers = []string{"\\]", "/]"}
		}
		text, which, err := p.text(closers, o.open[0])
		if err != nil {
			return err
		}
		shape := o.shape
		if shape == "lean-right" && which == 1 {
			shape = "trapezoid"
		}
		if shape == "lean-left" && which == 1 {
			shape = "inv-trapezoid"
		}
		n.text, n.hasText, n.shape, n.implicit = text, true, shape, false
		return nil
	}
	return nil
}

// text reads a node's text up to one of the closers, which it consumes.
// Quoted text may hold anything; unquoted text may hold nested brackets.
func (p *fcParser) text(closers []string, open byte) (string, int, error) {
	closeOf := map[byte]byte{'[': ']', '(': ')', '{': '}', '>': ']'}[open]
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		end := strings.IndexByte(p.s[p.i+1:], '"')
		if end >= 0 {
			text := p.s[p.i+1 : p.i+1+end]
			k := p.i + 1 + end + 1
			for k < len(p.s) && p.s[k] == ' ' {
				k++
			}
			for ci, c := range closers {
				if strings.HasPrefix(p.s[k:], c) {
					p.i = k + len(c)
					return text, ci, nil
				}
			}
		}
	}
	depth := 0
	for k := p.i; k < len(p.s); k++ {
		if depth == 0 {
			for ci, c := range closers {
				if strings.HasPrefix(p.s[k:], c) {
					text := strings.TrimSpace(p.s[p.i:k])
					p.i = k + len(c)
					return text, ci, nil
				}
			}
		}
		switch p.s[k] {
		case open:
			if open != '>' {
				depth++
			}
		case closeOf:
			depth = max(depth-1, 0)
		case '"':
			if end := strings.IndexByte(p.s[k+1:], '"'); end >= 0 {
				k += end + 1
			}
		}
	}
	return "", 0, p.errf("unclosed node text: missing %q", closers[0])
}

// newShape reads the @{ shape: name, label: "text" } syntax.
func (p *fcParser) newShape(n *fcNode) error {
	end := strings.IndexByte(p.s[p.i:], '}')
	if end < 0 {
		return p.errf("unclosed @{")
	}
	body := p.s[p.i+2 : p.i+end]
	p.i += end + 1
	for _, kv := range splitDecls(body) {
		k, v, ok := strings.Cut(kv, ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), unquote(strings.TrimSpace(v))
		switch k {
		case "shape":
			if s, ok := newShapes[v]; ok {
				n.shape = s
			} else {
				n.shape = "rect"
			}
			n.implicit = false
		case "label":
			n.text, n.hasText, n.implicit = v, true, false
		}
	}
	return nil
}

// linkAhead reports whether a link starts at the cursor.
func (p *fcParser) linkAhead() bool {
	s := p.s[p.i:]
	return strings.HasPrefix(s, "--") || strings.HasPrefix(s, "==") || strings.HasPrefix(s, "-.") ||
		strings.HasPrefix(s, "~~~") || strings.HasPrefix(s, "<-") || strings.HasPrefix(s, "<=") ||
		strings.HasPrefix(s, ":::") || strings.HasPrefix(s, "@{")
}

func isIDByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// edgeIDRE matches the id mermaid lets an edge have: A e1@--> B.
var edgeIDRE = lazyRegexp(`^([A-Za-z0-9_]+)@`)

// edgeID skips an edge's id before a link and remembers it: a later
// "e1@{ animate: true }" is about the edge, not a node.
func (p *fcParser) edgeID() {
	m := edgeIDRE().FindStringSubmatch(p.s[p.i:])
	if m == nil || !p.linkAt(p.i+len(m[0])) {
		return
	}
	if p.fc.edgeIDs == nil {
		p.fc.edgeIDs = map[string]bool{}
	}
	p.fc.edgeIDs[m[1]] = true
	p.i += len(m[0])
}

// linkAt reports whether a link starts at i.
func (p *fcParser) linkAt(i int) bool {
	save := p.i
	p.i = i
	defer func() { p.i = save }()
	return p.linkAhead() && !strings.HasPrefix(p.s[i:], ":::") && !strings.HasPrefix(p.s[i:], "@{")
}

// link reads an arrow and its label at the cursor.
func (p *fcParser) link() (*fcEdge, bool, error) {
	e := &fcEdge{line: p.line, length: 1, stroke: strokeNormal}
	s := p.s
	i := p.i
	// A start marker: x, o or <, then a link body.
	if i+1 < len(s) && (s[i] == 'x' || s[i] == 'o' || s[i] == '<') && (s[i+1] == '-' || s[i+1] == '=' || s[i+1] == '.') {
		e.tail = map[byte]int{'x': markCross, 'o': markCircle, '<': markArrow}[s[i]]
		i++
	}
	if i >= len(s) {
		return nil, false, nil
	}
	var err error
	switch {
	case strings.HasPrefix(s[i:], "~~~"):
		for i < len(s) && s[i] == '~' {
			i++
		}
		e.stroke = strokeInvisible
	case strings.HasPrefix(s[i:], "--") || strings.HasPrefix(s[i:], "=="):
		i, err = p.solidLink(e, i)
	case strings.HasPrefix(s[i:], "-.") || strings.HasPrefix(s[i:], "."):
		var ok bool
		i, ok, err = p.dottedLink(e, i)
		if !ok {
			return nil, false, err
		}
	default:
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	p.i = i
	e.length = min(max(e.length, 1), 8)
	if err := p.pipeLabel(e); err != nil {
		return nil, false, err
	}
	return e, true, nil
}

// headMark returns the marker an arrow's end character draws.
func headMark(c byte) int {
	return map[byte]int{'>': markArrow, 'x': markCross, 'o': markCircle}[c]
}

// solidLink reads --> --- ==> and "-- text -->" from i, the first dash or
// equals sign, and returns the index after it.
func (p *fcParser) solidLink(e *fcEdge, i int) (int, error) {
	s := p.s
	c := s[i]
	if c == '=' {
		e.stroke = strokeThick
	}
	n := 0
	for i < len(s) && s[i] == c {
		i++
		n++
	}
	switch {
	case i < len(s) && s[i] == '>':
		e.head, e.length = markArrow, n-1
		return i + 1, nil
	case i < len(s) && (s[i] == 'x' || s[i] == 'o') && (i+1 == len(s) || !isIDByte(s[i+1])):
		e.head, e.length = headMark(s[i]), n-1
		return i + 1, nil
	case n >= 3:
		e.length = n - 2
		return i, nil
	}
	// "-- text -->": a label, then the rest of the link.
	text, closeEnd, hd, length, ok := labelledLink(s, i, c)
	if !ok {
		return i, p.errf("unfinished link: expected %c%c> after %q", c, c, snippet(strings.TrimSpace(s[i:])))
	}
	e.text, e.head, e.length = text, hd, length
	return closeEnd, nil
}

// dottedLink reads -.-> -.- and "-. text .->" from i; ok is false when
// there is no link there.
func (p *fcParser) dottedLink(e *fcEdge, i int) (int, bool, error) {
	s := p.s
	e.stroke = strokeDotted
	if s[i] == '-' {
		i++
	}
	dots := 0
	for i < len(s) && s[i] == '.' {
		i++
		dots++
	}
	if dots == 0 {
		return i, false, nil
	}
	if i < len(s) && s[i] == '-' {
		i++
		e.length = dots
		if i < len(s) && (s[i] == '>' || (s[i] == 'x' || s[i] == 'o') && (i+1 == len(s) || !isIDByte(s[i+1]))) {
			e.head = headMark(s[i])
			i++
		}
		return i, true, nil
	}
	text, closeEnd, hd, ok := labelledDotted(s, i)
	if !ok {
		return i, false, p.errf("unfinished dotted link: expected .-> after %q", snippet(strings.TrimSpace(s[i:])))
	}
	e.text, e.head = text, hd
	return closeEnd, true, nil
}

// pipeLabel reads a |label| after a link, quoted or not.
func (p *fcParser) pipeLabel(e *fcEdge) error {
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] != '|' {
		return nil
	}
	k := p.i + 1
	for k < len(p.s) && p.s[k] == ' ' {
		k++
	}
	if k < len(p.s) && p.s[k] == '"' {
		if end := strings.IndexByte(p.s[k+1:], '"'); end >= 0 {
			j := k + 1 + end + 1
			for j < len(p.s) && p.s[j] == ' ' {
				j++
			}
			if j < len(p.s) && p.s[j] == '|' {
				e.text = p.s[k+1 : k+1+end]
				p.i = j + 1
				return nil
			}
		}
	}
	end := strings.IndexByte(p.s[p.i+1:], '|')
	if end < 0 {
		return p.errf("unclosed link label: missing |")
	}
	e.text = strings.TrimSpace(p.s[p.i+1 : p.i+1+end])
	p.i += end + 2
	return nil
}

// labelledLink finds the end of "-- text -->" starting after the opening
// dashes at i: it returns the text, the index after the closing arrow, the
// head marker and the length.
func labelledLink(s string, i int, c byte) (string, int, int, int, bool) {
	pair := string([]byte{c, c})
	from := i
	// A quoted label may hold dashes.
	k := i
	for k < len(s) && s[k] == ' ' {
		k++
	}
	if k < len(s) && s[k] == '"' {
		if end := strings.IndexByte(s[k+1:], '"'); end >= 0 {
			from = k + 1 + end + 1
		}
	}
	for j := from; j < len(s); j++ {
		if !strings.HasPrefix(s[j:], pair) {
			continue
		}
		n := 0
		k := j
		for k < len(s) && s[k] == c {
			k++
			n++
		}
		text := strings.TrimSpace(s[i:j])
		text = strings.TrimSuffix(strings.TrimSuffix(text, " x"), " o")
		switch {
		case k < len(s) && s[k] == '>':
			return unquote(text), k + 1, markArrow, n - 1, true
		case k < len(s) && (s[k] == 'x' || s[k] == 'o') && (k+1 == len(s) || !isIDByte(s[k+1])):
			return unquote(text), k + 1, map[byte]int{'x': markCross, 'o': markCircle}[s[k]], n - 1, true
		case n >= 3:
			return unquote(text), k, markNone, n - 2, true
		}
		j = k - 1
	}
	return "", 0, 0, 0, false
}

// labelledDotted finds the end of "-. text .->" after the opening "-.".
func labelledDotted(s string, i int) (string, int, int, bool) {
	from := i
	k := i
	for k < len(s) && s[k] == ' ' {
		k++
	}
	if k < len(s) && s[k] == '"' {
		if end := strings.IndexByte(s[k+1:], '"'); end >= 0 {
			from = k + 1 + end + 1
		}
	}
	for j := from; j+1 < len(s); j++ {
		if s[j] != '.' || s[j+1] != '-' {
			continue
		}
		text := unquote(strings.TrimSpace(s[i:j]))
		k := j + 2
		if k < len(s) && (s[k] == '>' || (s[k] == 'x' || s[k] == 'o') && (k+1 == len(s) || !isIDByte(s[k+1]))) {
			return text, k + 1, map[byte]int{'>': markArrow, 'x': markCross, 'o': markCircle}[s[k]], true
		}
		return text, k, markNone, true
	}
	return "", 0, 0, false
}

// afterWords returns s after its first n space-separated words, trimmed.
func afterWords(s string, n int) string {
	s = strings.TrimSpace(s)
	for range n {
		k := strings.IndexAny(s, " \t")
		if k < 0 {
			return ""
		}
		s = strings.TrimSpace(s[k:])
	}
	return s
}
