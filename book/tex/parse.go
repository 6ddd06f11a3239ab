package tex

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDepth bounds how deep groups and arguments nest: deeper source is set
// as text, so hostile input cannot exhaust the stack.
const maxDepth = 64

// Parse parses TeX math. display is true for display math, which may hold
// several lines separated by \\.
func Parse(src string, display bool) *Formula {
	p := &parser{src: []rune(src), text: src, display: display}
	f := &Formula{Source: src, Display: display}
	line := &Row{}
	for {
		line.Items = append(line.Items, p.sequence()...)
		if p.eof() {
			break
		}
		// What ends a sequence at the top level: a line break, or a stray
		// }, &, \right or \end, none of which may lose the rest.
		switch c := p.peek(); c {
		case '}', '&':
			p.pos++
		default:
			p.pos++ // the backslash
			switch name := p.command(); name {
			case "\\":
				if display {
					f.Lines = append(f.Lines, line)
					line = &Row{}
				}
			case "right":
				if d := p.delimiter(); d != nil {
					line.Items = append(line.Items, d)
				}
			case "end":
				p.problem(p.pos, "\\end{%s} without \\begin", p.rawGroup())
			}
		}
	}
	f.Lines = append(f.Lines, line)
	f.Problems = p.problems
	return f
}

type parser struct {
	src      []rune
	text     string
	pos      int
	display  bool
	depth    int
	problems []Problem
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek() rune {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// problem records a problem at rune index at.
func (p *parser) problem(at int, format string, args ...any) {
	at = min(max(at, 0), len(p.src))
	off := 0
	for _, r := range p.src[:at] {
		off += utf8.RuneLen(r)
	}
	p.problems = append(p.problems, Problem{Offset: off, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && unicode.IsSpace(p.src[p.pos]) {
		p.pos++
	}
}

// command reads a command name after its backslash: letters, or one other
// character (\, \{ \\).
func (p *parser) command() string {
	start := p.pos
	for p.pos < len(p.src) && unicode.IsLetter(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == start && p.pos < len(p.src) {
		p.pos++
	}
	return string(p.src[start:p.pos])
}

// ends reports whether the source at the parser's position ends a
// sequence: a closing brace, &, or \right, \end or \\.
func (p *parser) ends() bool {
	switch c := p.peek(); {
	case c == 0 || c == '}' || c == '&':
		return true
	case c == '\\' && p.pos+1 < len(p.src):
		save := p.pos
		p.pos++
		name := p.command()
		p.pos = save
		return name == "right" || name == "end" || name == "\\"
	}
	return false
}

// sequence parses nodes until the end of the source or something that
// ends a sequence (see ends); the caller handles what follows.
func (p *parser) sequence() []Node {
	var items []Node
	for p.pos < len(p.src) {
		p.skipSpace()
		if p.ends() {
			break
		}
		if c := p.peek(); c == '^' || c == '_' {
			p.pos++
			var base Node = &Row{}
			if len(items) > 0 {
				base = items[len(items)-1]
				items = items[:len(items)-1]
			}
			items = append(items, p.scripts(base, c))
			continue
		}
		if n := p.atom(); n != nil {
			items = append(items, n)
		}
	}
	return items
}

// scripts sets scripts on base; first is the script character just read,
// and a second script of the other kind may follow.
func (p *parser) scripts(base Node, first rune) Node {
	s := &Scripts{Base: base}
	if first == '_' {
		s.Sub = p.argument()
	} else {
		s.Sup = p.argument()
	}
	p.skipSpace()
	if c := p.peek(); c == '^' && s.Sup == nil || c == '_' && s.Sub == nil {
		p.pos++
		if c == '^' {
			s.Sup = p.argument()
		} else {
			s.Sub = p.argument()
		}
	}
	return s
}

// argument parses one argument: a group, a single digit, or one atom.
func (p *parser) argument() Node {
	p.skipSpace()
	if p.eof() {
		return &Row{}
	}
	switch c := p.peek(); {
	case c == '{':
		return p.group()
	case c >= '0' && c <= '9': // x^23 takes one digit
		p.pos++
		return &Number{Text: string(c)}
	}
	if p.depth >= maxDepth {
		return p.rest()
	}
	p.depth++
	defer func() { p.depth-- }()
	if n := p.atom(); n != nil {
		return n
	}
	return &Row{}
}

// rest sets the rest of the source as text: past maxDepth.
func (p *parser) rest() Node {
	s := string(p.src[p.pos:])
	p.problem(p.pos, "nested more than %d deep: the rest is set as text", maxDepth)
	p.pos = len(p.src)
	return &Text{Text: s}
}

// group parses {…} into a Row.
func (p *parser) group() Node {
	p.pos++ // {
	if p.depth >= maxDepth {
		return p.rest()
	}
	p.depth++
	defer func() { p.depth-- }()
	r := &Row{Items: p.sequence()}
	for !p.eof() && p.peek() != '}' {
		// A stray & or \\ inside a group, or a \right or \end with no
		// partner in it: skip it and go on.
		if p.peek() == '\\' {
			p.pos++
			if name := p.command(); name == "end" {
				p.rawGroup()
			}
		} else {
			p.pos++
		}
		r.Items = append(r.Items, p.sequence()...)
	}
	if p.peek() == '}' {
		p.pos++
	}
	return r
}

// rawGroup returns the text of a {…} argument without parsing it, or the
// next command or character when there are no braces.
func (p *parser) rawGroup() string {
	p.skipSpace()
	if p.peek() != '{' {
		return p.command()
	}
	p.pos++
	start, depth := p.pos, 1
	for ; p.pos < len(p.src); p.pos++ {
		switch p.src[p.pos] {
		case '{':
			depth++
		case '}':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	s := string(p.src[start:min(p.pos, len(p.src))])
	p.pos = min(p.pos+1, len(p.src))
	return s
}

// atom parses one node, or returns nil for source that sets nothing.
func (p *parser) atom() Node {
	c := p.peek()
	switch {
	case c == '{':
		return p.group()
	case c == '\\':
		at := p.pos
		p.pos++
		return p.control(p.command(), at)
	case c >= '0' && c <= '9' || c == '.' && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9':
		start := p.pos
		for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.') {
			p.pos++
		}
		return &Number{Text: string(p.src[start:p.pos])}
	case unicode.IsLetter(c):
		p.pos++
		return &Ident{Text: string(c)}
	case c == '\'':
		p.pos++
		return &Op{Text: "′", Class: Ord}
	case c == '~':
		p.pos++
		return &Space{Em: 0.25}
	}
	p.pos++
	if c == '}' || c == '&' {
		return nil
	}
	return charOp(c)
}

// control parses a command and its arguments; at is where its backslash is.
func (p *parser) control(name string, at int) Node {
	if s, ok := symbols[name]; ok {
		switch {
		case s.upright:
			return &Ident{Text: s.text, Variant: "normal"}
		case s.ident:
			return &Ident{Text: s.text}
		}
		return &Op{Text: s.text, Class: s.class, Limits: s.limits}
	}
	if limits, ok := functions[name]; ok {
		return &Func{Name: name, Limits: limits}
	}
	if em, ok := spaces[name]; ok {
		return &Space{Em: em}
	}
	if accents[name] {
		return &Accent{Name: name, Body: p.argument()}
	}
	if v, ok := fonts[name]; ok {
		arg := p.argument()
		Walk(arg, func(n Node) {
			if id, ok := n.(*Ident); ok && id.Variant == "" {
				id.Variant = v
			}
		})
		return arg
	}
	if v, ok := texts[name]; ok {
		return &Text{Text: strings.ReplaceAll(p.rawGroup(), `\`, ""), Variant: v}
	}
	if ignored[name] {
		return nil
	}
	switch name {
	case "operatorname":
		return &Func{Name: p.rawGroup()}
	case "frac", "dfrac", "tfrac", "cfrac":
		return &Frac{Num: p.argument(), Den: p.argument()}
	case "binom", "dbinom", "tbinom":
		return &Frac{Num: p.argument(), Den: p.argument(), Binom: true}
	case "sqrt":
		return p.sqrt()
	case "left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big", "bigg", "Bigg", "biggl", "biggr", "Biggl", "Biggr", "middle":
		if d := p.delimiter(); d != nil {
			return d
		}
		return nil
	case "{", "}", "#", "$", "%", "&", "_":
		return &Op{Text: name, Class: map[string]Class{"{": Open, "}": Close}[name]}
	case "|":
		return &Op{Text: "‖", Class: Ord}
	case "\\":
		return nil
	case "begin":
		return p.environment(p.rawGroup(), at)
	case "end":
		p.rawGroup()
		return nil
	case "label", "tag":
		p.rawGroup()
		return nil
	case "":
		p.problem(at, "a backslash with no command after it")
		return &Text{Text: `\`}
	}
	p.problem(at, `unknown TeX command \%s: set as text`, name)
	return &Unknown{Name: name}
}

// sqrt parses a root: \sqrt{x} or \sqrt[n]{x}.
func (p *parser) sqrt() Node {
	p.skipSpace()
	if p.peek() != '[' {
		return &Sqrt{Body: p.argument()}
	}
	p.pos++
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] != ']' {
		p.pos++
	}
	sub := &parser{src: p.src[start:p.pos], depth: p.depth + 1}
	index := &Row{Items: sub.sequence()}
	p.pos = min(p.pos+1, len(p.src))
	return &Sqrt{Body: p.argument(), Index: index}
}

// delimiter reads the delimiter after \left, \right or \big: nil for
// the empty one (.).
func (p *parser) delimiter() Node {
	p.skipSpace()
	if p.peek() == '\\' {
		p.pos++
		switch d := p.command(); d {
		case "{", "}":
			return &Op{Text: d, Stretchy: true, Class: map[string]Class{"{": Open, "}": Close}[d]}
		case "|":
			return &Op{Text: "‖", Stretchy: true}
		default:
			if s, ok := symbols[d]; ok && !s.ident {
				return &Op{Text: s.text, Stretchy: true, Class: s.class}
			}
			return nil
		}
	}
	c := p.peek()
	if c == 0 {
		return nil
	}
	p.pos++
	if c == '.' {
		return nil
	}
	o := charOp(c)
	o.Stretchy = true
	return o
}

// environment parses a matrix-like environment into a table; at is where
// its \begin is.
func (p *parser) environment(env string, at int) Node {
	if !environments[env] {
		p.problem(at, "unknown TeX environment %q: set as a table", env)
	}
	if env == "array" || env == "alignat" {
		p.rawGroup() // the column spec, or the number of columns
	}
	t := &Table{Env: env}
	var cells []*Row
	for p.pos < len(p.src) {
		cells = append(cells, &Row{Items: p.sequence()})
		if p.eof() {
			break
		}
		switch p.peek() {
		case '&', '}':
			p.pos++
			continue
		}
		save := p.pos
		p.pos++ // the backslash of \\, \end or \right
		name := p.command()
		if name == "\\" {
			t.Rows = append(t.Rows, cells)
			cells = nil
			continue
		}
		if name == "right" {
			p.pos = save
		} else {
			p.rawGroup() // \end{env}
		}
		break
	}
	if len(cells) > 0 {
		t.Rows = append(t.Rows, cells)
	}
	return t
}
