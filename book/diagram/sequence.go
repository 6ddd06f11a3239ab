package diagram

import (
	"fmt"
	"strconv"
	"strings"
)

// sequence is a parsed sequenceDiagram.
type sequence struct {
	doc      *document
	actors   []*seqActor
	byID     map[string]*seqActor
	events   []*seqEvent
	boxes    []*seqBox
	title    string
	numbered bool // autonumber seen at all
}

type seqActor struct {
	id, name string
	stick    bool // actor: drawn as a stick figure
	idx      int
	style    css
	box      *seqBox
}

type seqBox struct {
	title string
	fill  *Color
	first int // first and last actor index
	last  int
}

// Event kinds.
const (
	evMessage = iota
	evNote
	evBlock // loop, alt, opt, par, critical, break, rect
	evSection
	evEnd
	evActivate
	evDeactivate
	evNumber // autonumber settings
)

// Message line and head kinds.
const (
	headNone = iota
	headFilled
	headOpen
	headCross
)

type seqEvent struct {
	kind     int
	line     int
	from, to int // actor indexes (messages, notes: to is the second actor of "over A,B")
	text     string
	dotted   bool
	head     int
	tailHead int  // bidirectional arrows
	activate bool // + : activate the target
	deact    bool // - : deactivate the source

	noteSide string // left, right, over

	block string // loop, alt, opt, par, critical, break, rect
	fill  *Color // rect

	numOn          bool // evNumber
	numStart, step int
}

var (
	seqMsgRE         = lazyRegexp(`^(.+?)\s*(<<-->>|<<->>|-->>|->>|--x|-x|--\)|-\)|-->|->)\s*([+-]?)\s*([^:]+?)\s*(?::(.*))?$`)
	seqParticipantRE = lazyRegexp(`^(?:create\s+)?(participant|actor)\s+(.+?)(?:\s+as\s+(.+))?$`)
	seqNoteRE        = lazyRegexp(`(?i)^note\s+(left of|right of|over)\s+([^:]+?)\s*:(.*)$`)
	seqBlockRE       = lazyRegexp(`^(loop|alt|opt|par|par_over|critical|break|rect|else|and|option|box)\b\s*(.*)$`)
)

// seqParser reads a sequence diagram line by line.
type seqParser struct {
	sq     *sequence
	open   []string // the keywords of the blocks open
	curBox *seqBox
	line   int
}

func (p *seqParser) errf(format string, args ...any) error {
	return &ParseError{Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

func parseSequence(doc *document) (*sequence, error) {
	sq := &sequence{doc: doc, byID: map[string]*seqActor{}}
	p := &seqParser{sq: sq}
	for _, ln := range doc.body() {
		p.line = ln.num
		if len(sq.events) > maxEdges || len(sq.actors) > maxNodes/4 {
			return nil, p.errf("diagram too large")
		}
		if err := p.statement(strings.TrimSpace(trimSemicolon(ln.text))); err != nil {
			return nil, err
		}
	}
	if len(p.open) > 0 {
		for i := len(sq.events) - 1; i >= 0; i-- {
			if sq.events[i].kind == evBlock {
				return nil, &ParseError{Line: sq.events[i].line, Msg: fmt.Sprintf("%s has no end", sq.events[i].block)}
			}
		}
	}
	for _, a := range sq.actors {
		if b := a.box; b != nil {
			if b.first < 0 {
				b.first = a.idx
			}
			b.last = a.idx
		}
	}
	return sq, nil
}

// statement reads one statement.
func (p *seqParser) statement(s string) error {
	sq := p.sq
	switch {
	case s == "end":
		if p.curBox != nil && len(p.open) == 0 {
			p.curBox = nil
			return nil
		}
		if len(p.open) == 0 {
			return p.errf("end without a block")
		}
		p.open = p.open[:len(p.open)-1]
		sq.events = append(sq.events, &seqEvent{kind: evEnd, line: p.line})
		return nil
	case keywordIs(s, "autonumber") || s == "autonumber":
		return p.autonumber(s)
	case keywordIs(s, "title") || strings.HasPrefix(s, "title:"):
		sq.title = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "title"), ":"))
		return nil
	case keywordIs(s, "activate"), keywordIs(s, "deactivate"):
		f := strings.SplitN(s, " ", 2)
		if len(f) < 2 || strings.TrimSpace(f[1]) == "" {
			return p.errf("%s needs a participant", f[0])
		}
		a := sq.actor(strings.TrimSpace(f[1]))
		kind := evActivate
		if f[0] == "deactivate" {
			kind = evDeactivate
		}
		sq.events = append(sq.events, &seqEvent{kind: kind, line: p.line, from: a.idx})
		return nil
	case keywordIs(s, "destroy"), keywordIs(s, "link"), keywordIs(s, "links"), keywordIs(s, "properties"), keywordIs(s, "details"):
		return nil
	case keywordIs(s, "style"):
		if f := strings.Fields(s); len(f) >= 3 {
			if a, ok := sq.byID[f[1]]; ok {
				a.style = a.style.merge(parseCSS(afterWords(s, 2), p.line))
			}
		}
		return nil
	}
	if m := seqParticipantRE().FindStringSubmatch(s); m != nil {
		p.participant(m)
		return nil
	}
	if m := seqNoteRE().FindStringSubmatch(s); m != nil {
		return p.note(m)
	}
	if m := seqBlockRE().FindStringSubmatch(s); m != nil {
		return p.block(m[1], strings.TrimSpace(m[2]))
	}
	if m := seqMsgRE().FindStringSubmatch(s); m != nil {
		return p.message(s, m)
	}
	return p.errf("unexpected %q", snippet(s))
}

// autonumber reads "autonumber [start [step]]" or "autonumber off".
func (p *seqParser) autonumber(s string) error {
	ev := &seqEvent{kind: evNumber, line: p.line, numOn: true, numStart: 1, step: 1}
	f := strings.Fields(s)[1:]
	if len(f) > 0 && f[0] == "off" {
		ev.numOn = false
	} else {
		if len(f) > 0 {
			n, err := strconv.Atoi(f[0])
			if err != nil {
				return p.errf("autonumber: bad start %q", f[0])
			}
			ev.numStart = n
		}
		if len(f) > 1 {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				return p.errf("autonumber: bad step %q", f[1])
			}
			ev.step = n
		}
		p.sq.numbered = true
	}
	p.sq.events = append(p.sq.events, ev)
	return nil
}

// participant reads "participant A as Alice" or "actor A".
func (p *seqParser) participant(m []string) {
	id := strings.TrimSpace(m[2])
	if k := strings.Index(id, "@{"); k > 0 {
		id = strings.TrimSpace(id[:k])
	}
	a := p.sq.actor(id)
	a.stick = m[1] == "actor"
	if m[3] != "" {
		a.name = strings.TrimSpace(m[3])
	}
	if p.curBox != nil {
		a.box = p.curBox
	}
}

// note reads "Note left of A: text" or "Note over A,B: text".
func (p *seqParser) note(m []string) error {
	sq := p.sq
	ev := &seqEvent{kind: evNote, line: p.line, noteSide: strings.ToLower(strings.Fields(m[1])[0]), text: strings.TrimSpace(m[3])}
	who := strings.Split(m[2], ",")
	ev.from = sq.actor(strings.TrimSpace(who[0])).idx
	ev.to = ev.from
	if len(who) > 1 {
		if ev.noteSide != "over" {
			return p.errf("a note left or right of one participant only")
		}
		ev.to = sq.actor(strings.TrimSpace(who[1])).idx
	}
	sq.events = append(sq.events, ev)
	return nil
}

// block reads the start of a block (loop, alt, rect, box, ...) or of a
// section of one (else, and, option).
func (p *seqParser) block(kw, text string) error {
	sq := p.sq
	switch kw {
	case "box":
		if p.curBox != nil || len(p.open) > 0 {
			return p.errf("box inside a box or block")
		}
		p.curBox = &seqBox{first: -1, last: -1}
		if c, rest := leadingColor(text); c != nil || rest != text {
			p.curBox.fill, text = c, rest
		}
		p.curBox.title = text
		sq.boxes = append(sq.boxes, p.curBox)
		return nil
	case "else", "and", "option":
		if len(p.open) == 0 {
			return p.errf("%s outside a block", kw)
		}
		sq.events = append(sq.events, &seqEvent{kind: evSection, line: p.line, text: text, block: kw})
		return nil
	}
	if len(p.open) >= 32 {
		return p.errf("blocks nested too deeply")
	}
	ev := &seqEvent{kind: evBlock, line: p.line, block: kw, text: text}
	if kw == "par_over" {
		ev.block = "par"
	}
	if kw == "rect" {
		c, _ := leadingColor(text)
		if c == nil {
			c = &Color{0xF0, 0xF0, 0xF0}
		}
		ev.fill, ev.text = c, ""
	}
	p.open = append(p.open, kw)
	sq.events = append(sq.events, ev)
	return nil
}

// message reads "A->>+B: text" and its kin.
func (p *seqParser) message(s string, m []string) error {
	sq := p.sq
	from, to := strings.TrimSpace(m[1]), strings.TrimSpace(m[4])
	if from == "" || to == "" || strings.ContainsAny(from+to, "<>") {
		return p.errf("bad message %q", snippet(s))
	}
	ev := &seqEvent{kind: evMessage, line: p.line, text: strings.TrimSpace(m[5])}
	ev.from = sq.actor(from).idx
	ev.to = sq.actor(to).idx
	arrow := m[2]
	ev.dotted = strings.HasPrefix(strings.TrimPrefix(arrow, "<<"), "--")
	switch {
	case strings.HasPrefix(arrow, "<<"):
		ev.head, ev.tailHead = headFilled, headFilled
	case strings.HasSuffix(arrow, ">>"):
		ev.head = headFilled
	case strings.HasSuffix(arrow, "x"):
		ev.head = headCross
	case strings.HasSuffix(arrow, ")"):
		ev.head = headOpen
	}
	ev.activate = m[3] == "+"
	ev.deact = m[3] == "-"
	sq.events = append(sq.events, ev)
	return nil
}

// leadingColor reads a colour at the start of a box or rect statement.
func leadingColor(s string) (*Color, string) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "rgb") {
		if k := strings.IndexByte(s, ')'); k > 0 {
			c, ok := parseColor(s[:k+1])
			if ok {
				return c, strings.TrimSpace(s[k+1:])
			}
		}
		return nil, s
	}
	f := strings.Fields(s)
	if len(f) == 0 {
		return nil, s
	}
	if c, ok := parseColor(f[0]); ok {
		return c, strings.TrimSpace(s[len(f[0]):])
	}
	return nil, s
}

// actor returns the participant with id, creating it.
func (sq *sequence) actor(id string) *seqActor {
	if a, ok := sq.byID[id]; ok {
		return a
	}
	a := &seqActor{id: id, idx: len(sq.actors)}
	sq.byID[id] = a
	sq.actors = append(sq.actors, a)
	return a
}
