package hlengines

import (
	"slices"

	"github.com/dlclark/regexp2/v2/syntax"
)

// A program matches a pattern of the simplest kind without regexp2: a
// sequence of characters, classes, strings, loops of one character that
// never give back what they took (regexp2 makes a loop atomic when what
// follows could not match it), anchors of lines and words, and captures of
// those. Such a pattern matches at a position in one way or none, and the
// program finds it as regexp2's interpreter does, from regexp2's parse of
// the pattern: most of the matches of chroma's lexers are of rules such as
// \s+, \n, [{}();,.] and [^\W\d]\w*.
type program []op

type op struct {
	kind      opKind
	class     class // opChar, opLoop
	str       []rune
	min, max  int  // opLoop
	givesBack bool // opLoop: regexp2 did not make it atomic
	slot      int  // opOpen, opClose: the capture's slot
}

type opKind uint8

const (
	opChar opKind = iota
	opString
	opLoop
	opBol
	opEol
	opBoundary
	opNonboundary
	opOpen
	opClose
)

// A class is what one character matches: ch, anything but ch, or set.
type class struct {
	ascii charSet         // the ASCII characters of it
	kind  syntax.NodeType // syntax.NtOne, syntax.NtNotone or syntax.NtSet
	ch    rune
	set   *syntax.CharSet
}

func (c *class) has(ch rune) bool {
	if ch >= 0 && ch < 128 {
		return c.ascii[ch>>6]&(1<<(ch&63)) != 0
	}
	switch c.kind {
	case syntax.NtOne:
		return ch == c.ch
	case syntax.NtNotone:
		return ch != c.ch
	}
	return c.set.Contains(ch)
}

// compileSimple returns the program of tree, a pattern's, whose groups
// have the numbers nums by slot, or false if it is not of the simplest
// kind.
func compileSimple(tree *syntax.RegexTree, nums []int) (program, bool) {
	var p program
	if !p.add(tree.Root, nums) {
		return nil, false
	}
	// Every group is captured once, so that a match sets every span.
	opened := make([]bool, len(nums))
	for _, o := range p {
		if o.kind == opOpen {
			if opened[o.slot] {
				return nil, false
			}
			opened[o.slot] = true
		}
	}
	if slices.Contains(opened, false) {
		return nil, false
	}
	// A loop that could give back (regexp2 did not make it atomic) takes
	// all it can if nothing follows it but the ends of captures.
	for i, o := range p {
		if o.kind != opLoop || !o.givesBack {
			continue
		}
		for _, o := range p[i+1:] {
			if o.kind != opClose {
				return nil, false
			}
		}
	}
	return p, true
}

// add adds n to p, or reports that it cannot.
func (p *program) add(n *syntax.RegexNode, nums []int) bool {
	if n.Options&(syntax.IgnoreCase|syntax.RightToLeft|syntax.ECMAScript) != 0 {
		return false
	}
	switch n.T {
	case syntax.NtCapture:
		slot := -1
		for i, num := range nums {
			if num == n.M {
				slot = i
			}
		}
		if slot < 0 || n.N != -1 || len(n.Children) != 1 {
			return false // a balancing group
		}
		*p = append(*p, op{kind: opOpen, slot: slot})
		if !p.add(n.Children[0], nums) {
			return false
		}
		*p = append(*p, op{kind: opClose, slot: slot})
	case syntax.NtConcatenate, syntax.NtGroup:
		for _, c := range n.Children {
			if !p.add(c, nums) {
				return false
			}
		}
	case syntax.NtStart:
		// \G holds where the match starts, before any character.
		for _, o := range *p {
			if o.kind != opOpen {
				return false
			}
		}
	case syntax.NtEmpty, syntax.NtUpdateBumpalong:
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		*p = append(*p, op{kind: opChar, class: newClass(n)})
	case syntax.NtMulti:
		*p = append(*p, op{kind: opString, str: n.Str})
	case syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic:
		*p = append(*p, op{kind: opLoop, class: newClass(n), min: n.M, max: n.N})
	case syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtSetloop:
		*p = append(*p, op{kind: opLoop, class: newClass(n), min: n.M, max: n.N, givesBack: true})
	case syntax.NtBol:
		*p = append(*p, op{kind: opBol})
	case syntax.NtEol:
		*p = append(*p, op{kind: opEol})
	case syntax.NtBoundary:
		*p = append(*p, op{kind: opBoundary})
	case syntax.NtNonboundary:
		*p = append(*p, op{kind: opNonboundary})
	default:
		return false
	}
	return true
}

// newClass returns the class of n, a node of one character or a loop of
// them.
func newClass(n *syntax.RegexNode) class {
	c := class{ch: n.Ch, set: n.Set, ascii: chars(n, 0)}
	switch n.T {
	case syntax.NtOne, syntax.NtOneloop, syntax.NtOneloopatomic:
		c.kind = syntax.NtOne
	case syntax.NtNotone, syntax.NtNotoneloop, syntax.NtNotoneloopatomic:
		c.kind = syntax.NtNotone
	default:
		c.kind = syntax.NtSet
	}
	return c
}

// match reports whether p matches text at pos, and if so sets the spans of
// its groups, by slot.
func (p program) match(text []rune, pos int, spans []span) bool {
	at := pos
	for i := range p {
		o := &p[i]
		switch o.kind {
		case opChar:
			if at >= len(text) || !o.class.has(text[at]) {
				return false
			}
			at++
		case opString:
			if len(text)-at < len(o.str) {
				return false
			}
			for j, ch := range o.str {
				if text[at+j] != ch {
					return false
				}
			}
			at += len(o.str)
		case opLoop:
			n := 0
			for n < o.max && at < len(text) && o.class.has(text[at]) {
				at++
				n++
			}
			if n < o.min {
				return false
			}
		case opBol:
			if at > 0 && text[at-1] != '\n' {
				return false
			}
		case opEol:
			if at < len(text) && text[at] != '\n' {
				return false
			}
		case opBoundary:
			if !boundary(text, at) {
				return false
			}
		case opNonboundary:
			if boundary(text, at) {
				return false
			}
		case opOpen:
			spans[o.slot].i = at
		case opClose:
			spans[o.slot].j = at
		}
	}
	return true
}

// boundary reports whether at is a word boundary of text, as regexp2's
// Runner.IsBoundary.
func boundary(text []rune, at int) bool {
	return (at > 0 && syntax.IsWordChar(text[at-1])) != (at < len(text) && syntax.IsWordChar(text[at]))
}
