package diagram

import (
	"fmt"
	"strings"
)

// classDiagram is a parsed classDiagram.
type classDiagram struct {
	doc        *document
	dir        string
	classes    []*cdClass
	byID       map[string]*cdClass
	relations  []*cdRelation
	notes      []*cdNote
	namespaces []*cdNamespace
	classDefs  map[string]css
}

type cdClass struct {
	id          string
	label       string // display name; generics as <T>
	annotations []string
	attributes  []cdMember
	methods     []cdMember
	ns          *cdNamespace
	classes     []string
	style       css
	line        int
}

// cdMember is an attribute or method as displayed, with mermaid's
// classifiers: $ static (underlined), * abstract (italic).
type cdMember struct {
	text             string
	static, abstract bool
}

type cdNamespace struct {
	name   string
	parent *cdNamespace
	line   int
}

// Relation end kinds.
const (
	relNone = iota
	relExtension
	relComposition
	relAggregation
	relDependency
	relLollipop
)

type cdRelation struct {
	from, to string // id1 and id2 of the statement
	fromEnd  int    // the marker at from
	toEnd    int    // the marker at to
	dotted   bool
	fromCard string // cardinality written next to from
	toCard   string
	label    string
	line     int
}

type cdNote struct {
	class string // empty for a free note
	text  string
	line  int
}

var (
	cdNameRE    = `(?:` + "`[^`]+`" + `|[\p{L}\p{N}_.$\-]+(?:~[^~]*~)?)`
	cdClassRE   = lazyRegexp(`^class\s+(` + cdNameRE + `)\s*(?:\["([^"]*)"\])?\s*(?::::\s*([\w-]+))?\s*(\{.*)?$`)
	cdAnnotRE   = lazyRegexp(`^<<\s*([^<>]+?)\s*>>\s*(` + cdNameRE + `)$`)
	cdMemberRE  = lazyRegexp(`^(` + cdNameRE + `)\s*:\s*(.*)$`)
	cdNoteForRE = lazyRegexp(`^note\s+for\s+(` + cdNameRE + `)\s+"(.*)"$`)
	cdNoteRE    = lazyRegexp(`^note\s+"(.*)"$`)
	cdNSRE      = lazyRegexp(`^namespace\s+([\p{L}\p{N}_.\-]+)\s*\{$`)
	cdCssRE     = lazyRegexp(`^cssClass\s+"([^"]*)"\s+([\w-]+)$`)
	cdNameOnly  = lazyRegexp(`^` + cdNameRE + `$`)
	cdShortRE   = lazyRegexp(`^(` + cdNameRE + `):::([\w-]+)$`)
)

func parseClass(doc *document) (*classDiagram, error) {
	cd := &classDiagram{doc: doc, dir: "TB", byID: map[string]*cdClass{}, classDefs: map[string]css{}}
	if rest := strings.TrimSpace(doc.headerRest()); rest != "" {
		return nil, &ParseError{Line: doc.lines[doc.header].num, Msg: fmt.Sprintf("unexpected %q", snippet(rest))}
	}
	lines := doc.body()
	var nsStack []*cdNamespace
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		s := strings.TrimSpace(trimSemicolon(ln.text))
		if len(cd.classes) > maxNodes || len(cd.relations) > maxEdges {
			return nil, &ParseError{Line: ln.num, Msg: "diagram too large"}
		}
		var ns *cdNamespace
		if len(nsStack) > 0 {
			ns = nsStack[len(nsStack)-1]
		}
		if s == "}" {
			if len(nsStack) == 0 {
				return nil, &ParseError{Line: ln.num, Msg: "} without a namespace or class"}
			}
			nsStack = nsStack[:len(nsStack)-1]
			continue
		}
		if m := cdNSRE().FindStringSubmatch(s); m != nil {
			if len(nsStack) >= 16 {
				return nil, &ParseError{Line: ln.num, Msg: "namespaces nested too deeply"}
			}
			n := &cdNamespace{name: m[1], parent: ns, line: ln.num}
			cd.namespaces = append(cd.namespaces, n)
			nsStack = append(nsStack, n)
			continue
		}
		if keywordIs(s, "class") {
			next, err := cd.classStatement(s, ln.num, ns, lines, i)
			if err != nil {
				return nil, err
			}
			i = next
			continue
		}
		if err := cd.statement(s, ln.num, ns); err != nil {
			return nil, err
		}
	}
	if len(nsStack) > 0 {
		n := nsStack[len(nsStack)-1]
		return nil, &ParseError{Line: n.line, Msg: fmt.Sprintf("namespace %q has no closing }", n.name)}
	}
	return cd, nil
}

// statement reads one line that is not a class or namespace statement.
func (cd *classDiagram) statement(s string, line int, ns *cdNamespace) error {
	perr := func(format string, args ...any) error {
		return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case keywordIs(s, "direction"):
		d, rest := splitDirection(strings.TrimSpace(s[len("direction"):]))
		if d == "" || rest != "" {
			return perr("unknown direction %q", strings.TrimSpace(s[len("direction"):]))
		}
		cd.dir = d
		return nil
	case keywordIs(s, "click"), keywordIs(s, "link"), keywordIs(s, "callback"):
		return nil
	case keywordIs(s, "style"):
		f := strings.Fields(s)
		if len(f) < 3 {
			return perr("style needs a class name and styles")
		}
		c := cd.class(f[1], line, ns)
		c.style = c.style.merge(parseCSS(afterWords(s, 2), line))
		return nil
	case keywordIs(s, "classDef"):
		f := strings.Fields(s)
		if len(f) < 3 {
			return perr("classDef needs a name and styles")
		}
		c := parseCSS(afterWords(s, 2), line)
		for _, name := range strings.Split(f[1], ",") {
			cd.classDefs[name] = cd.classDefs[name].merge(c)
		}
		return nil
	}
	if m := cdCssRE().FindStringSubmatch(s); m != nil {
		for _, id := range strings.Split(m[1], ",") {
			if id = strings.TrimSpace(id); id != "" {
				c := cd.class(id, line, ns)
				c.classes = append(c.classes, m[2])
			}
		}
		return nil
	}
	if m := cdNoteForRE().FindStringSubmatch(s); m != nil {
		cd.class(m[1], line, ns)
		cd.notes = append(cd.notes, &cdNote{class: cdID(m[1]), text: m[2], line: line})
		return nil
	}
	if m := cdNoteRE().FindStringSubmatch(s); m != nil {
		cd.notes = append(cd.notes, &cdNote{text: m[1], line: line})
		return nil
	}
	if m := cdAnnotRE().FindStringSubmatch(s); m != nil {
		c := cd.class(m[2], line, ns)
		c.annotations = append(c.annotations, m[1])
		return nil
	}
	if r, ok, err := parseRelation(s, line); ok || err != nil {
		if err != nil {
			return err
		}
		cd.class(r.from, line, ns)
		cd.class(r.to, line, ns)
		r.from, r.to = cdID(r.from), cdID(r.to)
		cd.relations = append(cd.relations, r)
		return nil
	}
	if m := cdShortRE().FindStringSubmatch(s); m != nil {
		c := cd.class(m[1], line, ns)
		c.classes = append(c.classes, m[2])
		return nil
	}
	if m := cdMemberRE().FindStringSubmatch(s); m != nil {
		c := cd.class(m[1], line, ns)
		c.addMember(m[2])
		return nil
	}
	if cdNameOnly().MatchString(s) {
		cd.class(s, line, ns)
		return nil
	}
	return perr("unexpected %q", snippet(s))
}

// classStatement reads "class Name ...", with a body in braces that may go
// on over the next lines. It returns the index of the last line it read.
func (cd *classDiagram) classStatement(s string, line int, ns *cdNamespace, lines []srcLine, i int) (int, error) {
	m := cdClassRE().FindStringSubmatch(s)
	if m == nil {
		return i, &ParseError{Line: line, Msg: fmt.Sprintf("bad class statement %q", snippet(s))}
	}
	c := cd.class(m[1], line, ns)
	if m[2] != "" {
		c.label = m[2]
	}
	if m[3] != "" {
		c.classes = append(c.classes, m[3])
	}
	body := m[4]
	if body == "" {
		return i, nil
	}
	body = strings.TrimSpace(body[1:])
	// The body: members up to the closing brace, on this line or below.
	for {
		if k := strings.IndexByte(body, '}'); k >= 0 {
			if t := strings.TrimSpace(body[:k]); t != "" {
				c.addMember(t)
			}
			return i, nil
		}
		if body != "" {
			c.addMember(body)
		}
		i++
		if i >= len(lines) {
			return i, &ParseError{Line: line, Msg: fmt.Sprintf("class %q has no closing }", c.id)}
		}
		body = strings.TrimSpace(lines[i].text)
	}
}

// cdID returns the id of a class name: backquotes and generics dropped.
func cdID(name string) string {
	name = strings.Trim(name, "`")
	if k := strings.IndexByte(name, '~'); k > 0 {
		return name[:k]
	}
	return name
}

// class returns the class named name, creating it in namespace ns.
func (cd *classDiagram) class(name string, line int, ns *cdNamespace) *cdClass {
	id := cdID(name)
	c, ok := cd.byID[id]
	if !ok {
		c = &cdClass{id: id, label: generics(strings.Trim(name, "`")), ns: ns, line: line}
		cd.byID[id] = c
		cd.classes = append(cd.classes, c)
	}
	if c.ns == nil && ns != nil {
		c.ns = ns
	}
	if strings.Contains(name, "~") && !strings.Contains(c.label, "<") {
		c.label = generics(strings.Trim(name, "`"))
	}
	return c
}

// generics writes mermaid's ~T~ generics as <T>.
func generics(s string) string {
	var b strings.Builder
	open := false
	for _, r := range s {
		if r == '~' {
			if open {
				b.WriteByte('>')
			} else {
				b.WriteByte('<')
			}
			open = !open
			continue
		}
		b.WriteRune(r)
	}
	if open {
		return strings.ReplaceAll(s, "~", "")
	}
	return b.String()
}

var cdMethodRE = lazyRegexp(`^([#+~-])?(.+)\((.*)\)([\s$*])?(.*?)([$*])?$`)

// addMember adds an attribute or method written as in a class body.
func (c *cdClass) addMember(s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if strings.HasPrefix(s, "<<") && strings.HasSuffix(s, ">>") {
		c.annotations = append(c.annotations, strings.TrimSpace(s[2:len(s)-2]))
		return
	}
	if strings.Contains(s, ")") {
		if m := cdMethodRE().FindStringSubmatch(s); m != nil {
			var mb cdMember
			mb.text = m[1] + generics(strings.TrimSpace(m[2])) + "(" + generics(strings.TrimSpace(m[3])) + ")"
			cls := strings.TrimSpace(m[4]) + m[6]
			if ret := strings.TrimSpace(m[5]); ret != "" {
				if last := ret[len(ret)-1]; cls == "" && (last == '$' || last == '*') {
					cls, ret = string(last), strings.TrimSpace(ret[:len(ret)-1])
				}
				if ret != "" {
					mb.text += " : " + generics(ret)
				}
			}
			mb.static, mb.abstract = strings.Contains(cls, "$"), strings.Contains(cls, "*")
			c.methods = append(c.methods, mb)
			return
		}
	}
	var mb cdMember
	switch s[len(s)-1] {
	case '$':
		mb.static, s = true, s[:len(s)-1]
	case '*':
		mb.abstract, s = true, s[:len(s)-1]
	}
	mb.text = generics(strings.TrimSpace(s))
	c.attributes = append(c.attributes, mb)
}

// parseRelation reads `A "1" <|-- "many" B : label`. ok is false when s is
// not a relation.
func parseRelation(s string, line int) (r *cdRelation, ok bool, err error) {
	// The line, -- or .., and the label after a colon, outside quotes.
	pos, dotted, colon := -1, false, -1
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case pos < 0 && i+1 < len(s) && (c == '-' && s[i+1] == '-' || c == '.' && s[i+1] == '.'):
			pos, dotted = i, c == '.'
			i++
		case pos >= 0 && c == ':':
			colon = i
		}
		if colon >= 0 {
			break
		}
	}
	if pos < 0 {
		return nil, false, nil
	}
	body, label := s, ""
	if colon >= 0 {
		body, label = s[:colon], s[colon+1:]
	}
	left, right := strings.TrimSpace(body[:pos]), strings.TrimSpace(body[pos+2:])
	r = &cdRelation{dotted: dotted, line: line, label: strings.TrimSpace(label)}
	left, r.fromEnd = cutEnd(left, false)
	right, r.toEnd = cutEnd(right, true)
	left, r.fromCard = cutCard(left, false)
	right, r.toCard = cutCard(right, true)
	if !cdNameOnly().MatchString(left) || !cdNameOnly().MatchString(right) {
		return nil, false, nil
	}
	r.from, r.to = left, right
	return r, true, nil
}

// cutEnd takes the marker off the end of a relation's side that touches
// the line: the end of the left side, the start of the right.
func cutEnd(s string, right bool) (string, int) {
	markers := []struct {
		left, right string
		kind        int
	}{
		{"<|", "|>", relExtension}, {"()", "()", relLollipop}, {"*", "*", relComposition},
		{"<", ">", relDependency}, {"o", "o", relAggregation},
	}
	for _, m := range markers {
		if !right && strings.HasSuffix(s, m.left) {
			rest := strings.TrimSpace(s[:len(s)-len(m.left)])
			if m.left == "o" && !(strings.HasSuffix(s, " o") || strings.HasSuffix(s, "\"o")) {
				continue
			}
			return rest, m.kind
		}
		if right && strings.HasPrefix(s, m.right) {
			rest := s[len(m.right):]
			if m.right == "o" && !(strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, "\"")) {
				continue
			}
			return strings.TrimSpace(rest), m.kind
		}
	}
	return s, relNone
}

// cutCard takes a quoted cardinality off the side of a relation next to
// the line.
func cutCard(s string, right bool) (string, string) {
	if !right && strings.HasSuffix(s, "\"") {
		if k := strings.LastIndexByte(s[:len(s)-1], '"'); k >= 0 {
			return strings.TrimSpace(s[:k]), s[k+1 : len(s)-1]
		}
	}
	if right && strings.HasPrefix(s, "\"") {
		if k := strings.IndexByte(s[1:], '"'); k >= 0 {
			return strings.TrimSpace(s[k+2:]), s[1 : k+1]
		}
	}
	return s, ""
}
