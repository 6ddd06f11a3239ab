package diagram

import (
	"fmt"
	"strings"
)

// erDiagram is a parsed erDiagram.
type erDiagram struct {
	doc       *document
	dir       string
	entities  []*erEntity
	byID      map[string]*erEntity
	rels      []*erRelation
	classDefs map[string]css
}

type erEntity struct {
	id, alias string
	attrs     []erAttr
	classes   []string
	style     css
	line      int
}

type erAttr struct {
	typ, name, keys, comment string
}

// Cardinalities of a relation end.
const (
	erOne        = iota // exactly one: ||
	erZeroOrOne         // |o or o|
	erOneOrMore         // }| or |{
	erZeroOrMore        // }o or o{
	erParent            // u: a parent of a multi-dimensional relation
)

type erRelation struct {
	a, b         string // entity ids: a is written left of the line
	cardA, cardB int
	identifying  bool // a solid line; a dashed one otherwise
	label        string
	line         int
}

var (
	erWordCards = []struct {
		word string
		card int
	}{
		{"one or zero", erZeroOrOne}, {"zero or one", erZeroOrOne}, {"one or more", erOneOrMore},
		{"one or many", erOneOrMore}, {"zero or more", erZeroOrMore}, {"zero or many", erZeroOrMore},
		{"only one", erOne}, {"many(0)", erZeroOrMore}, {"many(1)", erOneOrMore}, {"many", erZeroOrMore},
		{"one", erOne}, {"1+", erOneOrMore}, {"0+", erZeroOrMore}, {"1", erOne},
	}
	erNameRE   = `(?:"[^"]+"|[\p{L}\p{N}_\-*.]+)`
	erEntityRE = lazyRegexp(`^(` + erNameRE + `)\s*(?:\[\s*(` + erNameRE + `)\s*\])?\s*(?::::\s*([\w,-]+))?\s*(\{.*)?$`)
	erAttrRE   = lazyRegexp(`^(\S+)\s+(\S+)\s*((?:(?:PK|FK|UK)\s*,?\s*)*)\s*(?:"([^"]*)")?$`)
)

func parseER(doc *document) (*erDiagram, error) {
	er := &erDiagram{doc: doc, dir: "TB", byID: map[string]*erEntity{}, classDefs: map[string]css{}}
	if rest := strings.TrimSpace(doc.headerRest()); rest != "" {
		return nil, &ParseError{Line: doc.lines[doc.header].num, Msg: fmt.Sprintf("unexpected %q", snippet(rest))}
	}
	lines := doc.body()
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		s := strings.TrimSpace(trimSemicolon(ln.text))
		if len(er.entities) > maxNodes || len(er.rels) > maxEdges {
			return nil, &ParseError{Line: ln.num, Msg: "diagram too large"}
		}
		next, err := er.statement(s, ln.num, lines, i)
		if err != nil {
			return nil, err
		}
		i = next
	}
	return er, nil
}

// statement reads one statement; an entity's block of attributes may go
// on over the next lines. It returns the index of the last line it read.
func (er *erDiagram) statement(s string, line int, lines []srcLine, i int) (int, error) {
	perr := func(format string, args ...any) error {
		return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case keywordIs(s, "direction"):
		d, rest := splitDirection(strings.TrimSpace(s[len("direction"):]))
		if d == "" || rest != "" {
			return i, perr("unknown direction %q", strings.TrimSpace(s[len("direction"):]))
		}
		er.dir = d
		return i, nil
	case keywordIs(s, "title"):
		if er.doc.title == "" {
			er.doc.title = strings.TrimSpace(s[len("title"):])
		}
		return i, nil
	case keywordIs(s, "style"):
		f := strings.Fields(s)
		if len(f) < 3 {
			return i, perr("style needs an entity and styles")
		}
		for _, id := range strings.Split(f[1], ",") {
			e := er.entity(id, line)
			e.style = e.style.merge(parseCSS(afterWords(s, 2), line))
		}
		return i, nil
	case keywordIs(s, "classDef"):
		f := strings.Fields(s)
		if len(f) < 3 {
			return i, perr("classDef needs a name and styles")
		}
		c := parseCSS(afterWords(s, 2), line)
		for _, name := range strings.Split(f[1], ",") {
			er.classDefs[name] = er.classDefs[name].merge(c)
		}
		return i, nil
	case keywordIs(s, "class"):
		f := strings.Fields(s)
		if len(f) < 3 {
			return i, perr("class needs entities and a class name")
		}
		for _, id := range strings.Split(strings.Join(f[1:len(f)-1], ""), ",") {
			if id != "" {
				e := er.entity(id, line)
				e.classes = append(e.classes, strings.Split(f[len(f)-1], ",")...)
			}
		}
		return i, nil
	}
	if r, ok := er.relation(s, line); ok {
		er.rels = append(er.rels, r)
		return i, nil
	}
	m := erEntityRE().FindStringSubmatch(s)
	if m == nil {
		return i, perr("unexpected %q", snippet(s))
	}
	e := er.entity(m[1], line)
	if m[2] != "" {
		e.alias = strings.Trim(m[2], `"`)
	}
	if m[3] != "" {
		e.classes = append(e.classes, strings.Split(m[3], ",")...)
	}
	if m[4] == "" {
		return i, nil
	}
	return er.block(e, strings.TrimSpace(m[4][1:]), line, lines, i)
}

// block reads an entity's attributes up to the closing brace.
func (er *erDiagram) block(e *erEntity, body string, line int, lines []srcLine, i int) (int, error) {
	for {
		end := strings.IndexByte(body, '}')
		t := body
		if end >= 0 {
			t = body[:end]
		}
		if t = strings.TrimSpace(t); t != "" {
			m := erAttrRE().FindStringSubmatch(t)
			if m == nil {
				return i, &ParseError{Line: lines[i].num, Msg: fmt.Sprintf("bad attribute %q: want type name [PK|FK|UK] [\"comment\"]", snippet(t))}
			}
			keys := strings.Join(strings.FieldsFunc(m[3], func(r rune) bool { return r == ',' || r == ' ' }), ", ")
			e.attrs = append(e.attrs, erAttr{typ: generics(m[1]), name: m[2], keys: keys, comment: m[4]})
		}
		if end >= 0 {
			return i, nil
		}
		i++
		if i >= len(lines) {
			return i, &ParseError{Line: line, Msg: fmt.Sprintf("entity %q has no closing }", e.id)}
		}
		body = strings.TrimSpace(lines[i].text)
	}
}

// entity returns the entity named name, creating it.
func (er *erDiagram) entity(name string, line int) *erEntity {
	id := strings.Trim(name, `"`)
	e, ok := er.byID[id]
	if !ok {
		e = &erEntity{id: id, line: line}
		er.byID[id] = e
		er.entities = append(er.entities, e)
	}
	return e
}

// relation reads `A ||--o{ B : label`, with symbols or words.
func (er *erDiagram) relation(s string, line int) (*erRelation, bool) {
	// The label follows a colon that is not part of a :::class.
	colon := -1
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], ":::") {
			i += 2
			continue
		}
		if s[i] == ':' {
			colon = i
			break
		}
	}
	if colon < 0 {
		return nil, false
	}
	body, label := strings.TrimSpace(s[:colon]), s[colon+1:]
	r := &erRelation{line: line, label: strings.Trim(strings.TrimSpace(label), `"`)}
	a, rest, ok := cutName(body)
	if !ok {
		return nil, false
	}
	rest = strings.TrimSpace(rest)
	var ok2 bool
	if r.cardA, r.identifying, r.cardB, rest, ok2 = erSpec(rest); !ok2 {
		return nil, false
	}
	b, rest, ok := cutName(strings.TrimSpace(rest))
	if !ok || strings.TrimSpace(rest) != "" && !strings.HasPrefix(strings.TrimSpace(rest), ":::") {
		return nil, false
	}
	r.a, r.b = er.entity(a, line).id, er.entity(b, line).id
	return r, true
}

// cutName cuts an entity name, quoted or not, off the start of s, with
// any :::class after it.
func cutName(s string) (name, rest string, ok bool) {
	if strings.HasPrefix(s, `"`) {
		k := strings.IndexByte(s[1:], '"')
		if k < 0 {
			return "", "", false
		}
		name, rest = s[:k+2], s[k+2:]
	} else {
		// As in mermaid, an unquoted name runs to a space or a symbol
		// that cannot be in it.
		k := strings.IndexAny(s, " \t|}{:\"")
		if k < 0 {
			k = len(s)
		}
		name, rest = s[:k], s[k:]
	}
	if name == "" {
		return "", "", false
	}
	if t := strings.TrimSpace(rest); strings.HasPrefix(t, ":::") {
		k := 3
		for k < len(t) && t[k] != ' ' {
			k++
		}
		rest = t[k:]
	}
	return name, rest, true
}

// erSpec reads the cardinalities and the line between two entities.
func erSpec(s string) (cardA int, identifying bool, cardB int, rest string, ok bool) {
	left := []struct {
		sym  string
		card int
	}{{"||", erOne}, {"|o", erZeroOrOne}, {"}|", erOneOrMore}, {"}o", erZeroOrMore}, {"u", erParent}}
	right := []struct {
		sym  string
		card int
	}{{"||", erOne}, {"o|", erZeroOrOne}, {"|{", erOneOrMore}, {"o{", erZeroOrMore}, {"u", erParent}}
	cardA = -1
	for _, l := range left {
		if strings.HasPrefix(s, l.sym) {
			cardA, s = l.card, s[len(l.sym):]
			break
		}
	}
	if cardA < 0 {
		if cardA, s = erWordCard(s); cardA < 0 {
			return
		}
	}
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "--"):
		identifying, s = true, s[2:]
	case strings.HasPrefix(s, ".."), strings.HasPrefix(s, ".-"), strings.HasPrefix(s, "-."):
		s = s[2:]
	case strings.HasPrefix(s, "optionally to "):
		s = s[len("optionally to "):]
	case strings.HasPrefix(s, "to "):
		identifying, s = true, s[3:]
	default:
		return
	}
	s = strings.TrimSpace(s)
	cardB = -1
	for _, r := range right {
		if strings.HasPrefix(s, r.sym) {
			cardB, s = r.card, s[len(r.sym):]
			break
		}
	}
	if cardB < 0 {
		if cardB, s = erWordCard(s); cardB < 0 {
			return
		}
	}
	return cardA, identifying, cardB, s, true
}

// erWordCard reads a cardinality written in words: "zero or more".
func erWordCard(s string) (int, string) {
	low := strings.ToLower(s)
	for _, w := range erWordCards {
		if strings.HasPrefix(low, w.word) && (len(s) == len(w.word) || s[len(w.word)] == ' ' || s[len(w.word)] == '-' || s[len(w.word)] == '.') {
			return w.card, s[len(w.word):]
		}
	}
	return -1, s
}
