package diagram

import (
	"fmt"
	"regexp"
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
	stTransRE     = regexp.MustCompile(`^(.+?)\s*-->\s*(.+?)\s*(?::\s*(.*))?$`)
	stStateAsRE   = regexp.MustCompile(`^state\s+"([^"]*)"\s+as\s+(\S+?)\s*(\{)?$`)
	stStateRE     = regexp.MustCompile(`^state\s+([^\s{"<]+)\s*(<<\s*(\w+)\s*>>)?\s*(\{)?$`)
	stStateAs2    = regexp.MustCompile(`^state\s+(\S+)\s+as\s+"([^"]*)"\s*(\{)?$`)
	stFloatNoteRE = regexp.MustCompile(`^note\s+"([^"]*)"\s+as\s+\S+$`)
	stNoteRE      = regexp.MustCompile(`^note\s+(left|right)\s+of\s+([^\s:]+)\s*(?::\s*(.*))?$`)
	stDescRE      = regexp.MustCompile(`^([^\s:]+)\s*:\s*(.*)$`)
	stClassRE     = regexp.MustCompile(`^(\S+?):::(\S+)$`)
)

func parseState(doc *document) (*stateDiagram, error) {
	sd := &stateDiagram{doc: doc, dir: "TB", byID: map[string]*stState{}, classDefs: map[string]css{}}
	var stack []*stState
	cur := func() *stState {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1]
	}
	lines := doc.body()
	if rest := strings.TrimSpace(doc.headerRest()); rest != "" {
		return nil, &ParseError{Line: doc.lines[doc.header].num, Msg: fmt.Sprintf("unexpected %q", snippet(rest))}
	}
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		s := trimSemicolon(ln.text)
		perr := func(format string, args ...any) error {
			return &ParseError{Line: ln.num, Msg: fmt.Sprintf(format, args...)}
		}
		if len(sd.states) > maxNodes || len(sd.trans) > maxEdges {
			return nil, perr("diagram too large")
		}
		switch {
		case s == "}":
			if len(stack) == 0 {
				return nil, perr("} without a composite state")
			}
			stack = stack[:len(stack)-1]
			continue
		case s == "--":
			c := cur()
			if c == nil {
				return nil, perr("-- outside a composite state")
			}
			c.regions++
			continue
		case keywordIs(s, "direction"):
			d, rest := splitDirection(strings.TrimSpace(s[len("direction"):]))
			if d == "" || rest != "" {
				return nil, perr("unknown direction %q", strings.TrimSpace(s[len("direction"):]))
			}
			if c := cur(); c != nil {
				c.dir = d
			} else {
				sd.dir = d
			}
			continue
		case keywordIs(s, "hide"), keywordIs(s, "scale"), keywordIs(s, "click"):
			continue
		case keywordIs(s, "classDef"):
			f := strings.Fields(s)
			if len(f) < 3 {
				return nil, perr("classDef needs a name and styles")
			}
			c := parseCSS(afterWords(s, 2), ln.num)
			for _, name := range strings.Split(f[1], ",") {
				sd.classDefs[name] = sd.classDefs[name].merge(c)
			}
			continue
		case keywordIs(s, "class"):
			f := strings.Fields(s)
			if len(f) < 3 {
				return nil, perr("class needs state ids and a class name")
			}
			for _, id := range strings.Split(strings.Join(f[1:len(f)-1], ""), ",") {
				if id != "" {
					st := sd.state(id, ln.num, cur())
					st.classes = append(st.classes, f[len(f)-1])
				}
			}
			continue
		case keywordIs(s, "style"):
			f := strings.Fields(s)
			if len(f) < 3 {
				return nil, perr("style needs a state id and styles")
			}
			st := sd.state(f[1], ln.num, cur())
			st.style = st.style.merge(parseCSS(afterWords(s, 2), ln.num))
			continue
		case keywordIs(s, "note"):
			if m := stFloatNoteRE.FindStringSubmatch(s); m != nil {
				sd.notes = append(sd.notes, &stNote{text: m[1], line: ln.num, floating: cur()})
				continue
			}
			m := stNoteRE.FindStringSubmatch(s)
			if m == nil {
				return nil, perr("bad note: want note left of|right of STATE")
			}
			n := &stNote{target: m[2], left: m[1] == "left", line: ln.num}
			if m[3] != "" || strings.Contains(s, ":") {
				n.text = m[3]
			} else {
				var text []string
				j := i + 1
				for ; j < len(lines) && lines[j].text != "end note"; j++ {
					text = append(text, lines[j].text)
				}
				if j == len(lines) {
					return nil, perr("note has no end note")
				}
				n.text = strings.Join(text, "\n")
				i = j
			}
			sd.state(n.target, ln.num, cur())
			sd.notes = append(sd.notes, n)
			continue
		case keywordIs(s, "state"):
			var st *stState
			open := false
			if m := stStateAsRE.FindStringSubmatch(s); m != nil {
				st = sd.state(m[2], ln.num, cur())
				st.name = m[1]
				open = m[3] != ""
			} else if m := stStateAs2.FindStringSubmatch(s); m != nil {
				st = sd.state(m[1], ln.num, cur())
				st.name = m[2]
				open = m[3] != ""
			} else if m := stStateRE.FindStringSubmatch(s); m != nil {
				id := m[1]
				var cls string
				if cm := stClassRE.FindStringSubmatch(id); cm != nil {
					id, cls = cm[1], cm[2]
				}
				st = sd.state(id, ln.num, cur())
				if cls != "" {
					st.classes = append(st.classes, cls)
				}
				switch m[3] {
				case "choice":
					st.kind = stChoice
				case "fork":
					st.kind = stFork
				case "join":
					st.kind = stJoin
				case "history", "deepHistory", "deephistory":
					st.kind = stHistory
					st.deep = m[3] != "history"
				}
				open = m[4] != ""
			} else if k := strings.Index(s, ":"); k > 0 && !strings.Contains(s[:k], " as ") {
				// state Id : description
				id := strings.TrimSpace(s[len("state"):k])
				if id == "" || strings.ContainsAny(id, " \t\"") {
					return nil, perr("bad state statement")
				}
				st = sd.state(id, ln.num, cur())
				st.descs = append(st.descs, strings.TrimSpace(s[k+1:]))
			} else {
				return nil, perr("bad state statement")
			}
			if open {
				if len(stack) >= 16 {
					return nil, perr("composite states nested too deeply")
				}
				st.kind = stComposite
				st.regions = max(st.regions, 1)
				stack = append(stack, st)
			}
			continue
		}
		if m := stTransRE.FindStringSubmatch(s); m != nil {
			from, err := sd.end(m[1], ln.num, cur(), true)
			if err != nil {
				return nil, err
			}
			to, err := sd.end(m[2], ln.num, cur(), false)
			if err != nil {
				return nil, err
			}
			sd.trans = append(sd.trans, &stTrans{from: from, to: to, label: strings.TrimSpace(m[3]), line: ln.num})
			continue
		}
		if m := stClassRE.FindStringSubmatch(s); m != nil && isStateID(m[1]) {
			st := sd.state(m[1], ln.num, cur())
			st.classes = append(st.classes, m[2])
			continue
		}
		if m := stDescRE.FindStringSubmatch(s); m != nil {
			st := sd.state(m[1], ln.num, cur())
			st.descs = append(st.descs, strings.TrimSpace(m[2]))
			continue
		}
		if isStateID(s) {
			sd.state(s, ln.num, cur())
			continue
		}
		return nil, perr("unexpected %q", snippet(s))
	}
	if len(stack) > 0 {
		return nil, &ParseError{Line: stack[len(stack)-1].line, Msg: fmt.Sprintf("composite state %q has no closing }", stack[len(stack)-1].id)}
	}
	for _, n := range sd.notes {
		if n.target != "" && sd.byID[n.target] == nil {
			return nil, &ParseError{Line: n.line, Msg: fmt.Sprintf("note on unknown state %q", n.target)}
		}
	}
	return sd, nil
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
	if m := stClassRE.FindStringSubmatch(s); m != nil {
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
