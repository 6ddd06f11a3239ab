package diagram

import (
	"fmt"
	"strings"
)

// stateDiagram is a parsed stateDiagram-v2.
type stateDiagram struct {
	doc       *document
	dir       string
	states    []*stState
	byID      map[string]*stState
	trans     []*stTrans
	notes     []*stNote
	classDefs map[string]css
}

// State kinds.
const (
	stNormal = iota
	stStart
	stEnd
	stChoice
	stFork
	stJoin
	stComposite
	stHistory // a history pseudostate: mermaid draws it as a plain state
)

type stState struct {
	id      string
	name    string   // display name; the id when empty
	descs   []string // description lines
	kind    int
	parent  *stState // composite holding it
	region  int      // concurrent region within the parent
	regions int      // for composites: number of regions
	classes []string
	style   css
	line    int
	dir     string // for composites
	boxed   bool   // a composite laid out apart, in its own direction
	deep    bool   // deep history
}

type stTrans struct {
	from, to string
	label    string
	line     int
}

type stNote struct {
	target   string // empty for a floating note
	left     bool
	text     string
	line     int
	floating *stState // the composite a floating note is in
}

var (
	stTransRE     = lazyRegexp(`^(.+?)\s*-->\s*(.+?)\s*(?::\s*(.*))?$`)
	stStateAsRE   = lazyRegexp(`^state\s+"([^"]*)"\s+as\s+(\S+?)\s*(\{)?$`)
	stStateRE     = lazyRegexp(`^state\s+([^\s{"<]+)\s*(<<\s*(\w+)\s*>>)?\s*(\{)?$`)
	stStateAs2    = lazyRegexp(`^state\s+(\S+)\s+as\s+"([^"]*)"\s*(\{)?$`)
	stFloatNoteRE = lazyRegexp(`^note\s+"([^"]*)"\s+as\s+\S+$`)
	stNoteRE      = lazyRegexp(`^note\s+(left|right)\s+of\s+([^\s:]+)\s*(?::\s*(.*))?$`)
	stDescRE      = lazyRegexp(`^([^\s:]+)\s*:\s*(.*)$`)
	stClassRE     = lazyRegexp(`^(\S+?):::(\S+)$`)
)

// stParser reads a state diagram line by line.
type stParser struct {
	sd    *stateDiagram
	stack []*stState // the composites open
	lines []srcLine
	i     int // the line being read
}

func (p *stParser) cur() *stState {
	if len(p.stack) == 0 {
		return nil
	}
	return p.stack[len(p.stack)-1]
}

func (p *stParser) errf(format string, args ...any) error {
	return &ParseError{Line: p.lines[p.i].num, Msg: fmt.Sprintf(format, args...)}
}

func parseState(doc *document) (*stateDiagram, error) {
	sd := &stateDiagram{doc: doc, dir: "TB", byID: map[string]*stState{}, classDefs: map[string]css{}}
	if rest := strings.TrimSpace(doc.headerRest()); rest != "" {
		return nil, &ParseError{Line: doc.lines[doc.header].num, Msg: fmt.Sprintf("unexpected %q", snippet(rest))}
	}
	p := &stParser{sd: sd, lines: doc.body()}
	for ; p.i < len(p.lines); p.i++ {
		if len(sd.states) > maxNodes || len(sd.trans) > maxEdges {
			return nil, p.errf("diagram too large")
		}
		if err := p.statement(trimSemicolon(p.lines[p.i].text)); err != nil {
			return nil, err
		}
	}
	if len(p.stack) > 0 {
		c := p.stack[len(p.stack)-1]
		return nil, &ParseError{Line: c.line, Msg: fmt.Sprintf("composite state %q has no closing }", c.id)}
	}
	for _, n := range sd.notes {
		if n.target != "" && sd.byID[n.target] == nil {
			return nil, &ParseError{Line: n.line, Msg: fmt.Sprintf("note on unknown state %q", n.target)}
		}
	}
	return sd, nil
}

// statement reads one statement.
func (p *stParser) statement(s string) error {
	sd, line := p.sd, p.lines[p.i].num
	switch {
	case s == "}":
		if len(p.stack) == 0 {
			return p.errf("} without a composite state")
		}
		p.stack = p.stack[:len(p.stack)-1]
		return nil
	case s == "--":
		c := p.cur()
		if c == nil {
			return p.errf("-- outside a composite state")
		}
		c.regions++
		return nil
	case keywordIs(s, "direction"):
		d, rest := splitDirection(strings.TrimSpace(s[len("direction"):]))
		if d == "" || rest != "" {
			return p.errf("unknown direction %q", strings.TrimSpace(s[len("direction"):]))
		}
		if c := p.cur(); c != nil {
			c.dir = d
		} else {
			sd.dir = d
		}
		return nil
	case keywordIs(s, "hide"), keywordIs(s, "scale"), keywordIs(s, "click"):
		return nil
	case keywordIs(s, "classDef"), keywordIs(s, "class"), keywordIs(s, "style"):
		return p.styling(s)
	case keywordIs(s, "note"):
		return p.note(s)
	case keywordIs(s, "state"):
		return p.state(s)
	}
	if m := stTransRE().FindStringSubmatch(s); m != nil {
		from, err := sd.end(m[1], line, p.cur(), true)
		if err != nil {
			return err
		}
		to, err := sd.end(m[2], line, p.cur(), false)
		if err != nil {
			return err
		}
		sd.trans = append(sd.trans, &stTrans{from: from, to: to, label: strings.TrimSpace(m[3]), line: line})
		return nil
	}
	if m := stClassRE().FindStringSubmatch(s); m != nil && isStateID(m[1]) {
		st := sd.state(m[1], line, p.cur())
		st.classes = append(st.classes, m[2])
		return nil
	}
	if m := stDescRE().FindStringSubmatch(s); m != nil {
		st := sd.state(m[1], line, p.cur())
		st.descs = append(st.descs, strings.TrimSpace(m[2]))
		return nil
	}
	if isStateID(s) {
		sd.state(s, line, p.cur())
		return nil
	}
	return p.errf("unexpected %q", snippet(s))
}

// styling reads classDef, class and style statements.
func (p *stParser) styling(s string) error {
	sd, line := p.sd, p.lines[p.i].num
	f := strings.Fields(s)
	switch f[0] {
	case "classDef":
		if len(f) < 3 {
			return p.errf("classDef needs a name and styles")
		}
		c := parseCSS(afterWords(s, 2), line)
		for _, name := range strings.Split(f[1], ",") {
			sd.classDefs[name] = sd.classDefs[name].merge(c)
		}
	case "class":
		if len(f) < 3 {
			return p.errf("class needs state ids and a class name")
		}
		for _, id := range strings.Split(strings.Join(f[1:len(f)-1], ""), ",") {
			if id != "" {
				st := sd.state(id, line, p.cur())
				st.classes = append(st.classes, f[len(f)-1])
			}
		}
	default:
		if len(f) < 3 {
			return p.errf("style needs a state id and styles")
		}
		st := sd.state(f[1], line, p.cur())
		st.style = st.style.merge(parseCSS(afterWords(s, 2), line))
	}
	return nil
}

// note reads a note: floating, on one line, or up to "end note".
func (p *stParser) note(s string) error {
	sd, line := p.sd, p.lines[p.i].num
	if m := stFloatNoteRE().FindStringSubmatch(s); m != nil {
		sd.notes = append(sd.notes, &stNote{text: m[1], line: line, floating: p.cur()})
		return nil
	}
	m := stNoteRE().FindStringSubmatch(s)
	if m == nil {
		return p.errf("bad note: want note left of|right of STATE")
	}
	n := &stNote{target: m[2], left: m[1] == "left", line: line}
	if m[3] != "" || strings.Contains(s, ":") {
		n.text = m[3]
	} else {
		var text []string
		j := p.i + 1
		for ; j < len(p.lines) && p.lines[j].text != "end note"; j++ {
			text = append(text, p.lines[j].text)
		}
		if j == len(p.lines) {
			return p.errf("note has no end note")
		}
		n.text = strings.Join(text, "\n")
		p.i = j
	}
	sd.state(n.target, line, p.cur())
	sd.notes = append(sd.notes, n)
	return nil
}

// state reads a state statement: a name, a marker, a description, or the
// opening of a composite.
func (p *stParser) state(s string) error {
	sd, line := p.sd, p.lines[p.i].num
	var st *stState
	open := false
	if m := stStateAsRE().FindStringSubmatch(s); m != nil {
		st = sd.state(m[2], line, p.cur())
		st.name = m[1]
		open = m[3] != ""
	} else if m := stStateAs2().FindStringSubmatch(s); m != nil {
		st = sd.state(m[1], line, p.cur())
		st.name = m[2]
		open = m[3] != ""
	} else if m := stStateRE().FindStringSubmatch(s); m != nil {
		id := m[1]
		var cls string
		if cm := stClassRE().FindStringSubmatch(id); cm != nil {
			id, cls = cm[1], cm[2]
		}
		st = sd.state(id, line, p.cur())
		if cls != "" {
			st.classes = append(st.classes, cls)
		}
		st.marker(m[3])
		open = m[4] != ""
	} else if k := strings.Index(s, ":"); k > 0 && !strings.Contains(s[:k], " as ") {
		// state Id : description
		id := strings.TrimSpace(s[len("state"):k])
		if id == "" || strings.ContainsAny(id, " \t\"") {
			return p.errf("bad state statement")
		}
		st = sd.state(id, line, p.cur())
		st.descs = append(st.descs, strings.TrimSpace(s[k+1:]))
	} else {
		return p.errf("bad state statement")
	}
	if open {
		if len(p.stack) >= 16 {
			return p.errf("composite states nested too deeply")
		}
		st.kind = stComposite
		st.regions = max(st.regions, 1)
		p.stack = append(p.stack, st)
	}
	return nil
}

// marker sets the kind a <<marker>> names; mermaid draws states with other
// markers as plain states.
func (st *stState) marker(m string) {
	switch m {
	case "choice":
		st.kind = stChoice
	case "fork":
		st.kind = stFork
	case "join":
		st.kind = stJoin
	case "history", "deepHistory", "deephistory":
		st.kind = stHistory
		st.deep = m != "history"
	}
}

func isStateID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isIDRune(r) {
			return false
		}
	}
	return true
}

// end returns the id of a transition end, creating the state; [*] is the
// start (as a source) or end (as a target) state of the current scope.
func (sd *stateDiagram) end(s string, line int, parent *stState, source bool) (string, error) {
	s = strings.TrimSpace(s)
	var cls string
	if m := stClassRE().FindStringSubmatch(s); m != nil {
		s, cls = m[1], m[2]
	}
	if s == "[*]" {
		scope := "root"
		region := 0
		if parent != nil {
			scope = parent.id
			region = parent.regions - 1
		}
		kind, word := stEnd, "end"
		if source {
			kind, word = stStart, "start"
		}
		id := fmt.Sprintf("[*]%s@%s#%d", word, scope, region)
		st := sd.state(id, line, parent)
		st.kind = kind
		return id, nil
	}
	if !isStateID(s) {
		return "", &ParseError{Line: line, Msg: fmt.Sprintf("bad state name %q", snippet(s))}
	}
	st := sd.state(s, line, parent)
	if cls != "" {
		st.classes = append(st.classes, cls)
	}
	return s, nil
}

// state returns the state with id, creating it inside parent.
func (sd *stateDiagram) state(id string, line int, parent *stState) *stState {
	st, ok := sd.byID[id]
	if !ok {
		st = &stState{id: id, line: line, parent: parent}
		if parent != nil {
			st.region = max(parent.regions-1, 0)
		}
		sd.byID[id] = st
		sd.states = append(sd.states, st)
	}
	return st
}
