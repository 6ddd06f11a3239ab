package hlengines

import (
	"github.com/dlclark/regexp2/v2/syntax"
)

// charSet is a set of ASCII characters, a bit each.
type charSet [2]uint64

func (s *charSet) add(c rune) {
	if c >= 0 && c < 128 {
		s[c>>6] |= 1 << (c & 63)
	}
}

func (s *charSet) has(c byte) bool {
	return c < 128 && s[c>>6]&(1<<(c&63)) != 0
}

func (s *charSet) union(t charSet) {
	s[0] |= t[0]
	s[1] |= t[1]
}

// trusted reports whether c is a character whose rules Tokenise picks by
// their first characters: an ASCII one but the control characters other
// than tab, newline and carriage return (which patterns only meet in
// classes such as \s, and which are rare in code). At any other character
// every rule is tried.
func trusted(c rune) bool {
	return c >= ' ' && c < 0x7f || c == '\t' || c == '\n' || c == '\r'
}

// firstChars returns the ASCII characters a match of pattern, a pattern
// chroma compiled a rule to (`\G(?m)(?:...)`), can start with; ok is false
// when that is not known, and the rule must be tried at every character: it
// can match the empty string, or has a construct firstChars does not look
// into (backreferences, conditionals). The set may hold characters no match
// starts with, but never misses one.
//
// It reads regexp2's own parse of the pattern, the tree regexp2 compiles
// (and regexp2cg generated the engines from), whose character classes are
// those regexp2 matches, quirks and all: regexp2 v2.13.0 reads [^\W\d] as
// [^\W], which Go's syntax would not. Case-insensitive characters are
// classes of their case equivalents there.
func firstChars(pattern string) (set charSet, ok bool) {
	tree, err := syntax.Parse(pattern, syntax.ParseOptions{})
	if err != nil {
		return set, false
	}
	set, empty, known := first(tree.Root)
	if !known || empty {
		return charSet{}, false
	}
	return set, true
}

// first returns the ASCII characters a match of n starts with, whether n
// can match the empty string, and whether it knows (known).
func first(n *syntax.RegexNode) (set charSet, empty, known bool) {
	if n.Options&syntax.RightToLeft != 0 {
		return set, false, false
	}
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet, syntax.NtMulti:
		return chars(n), false, true
	case syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtSetloop,
		syntax.NtOnelazy, syntax.NtNotonelazy, syntax.NtSetlazy,
		syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic:
		return chars(n), n.M == 0, true
	case syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtBeginning, syntax.NtStart, syntax.NtEndZ, syntax.NtEnd,
		syntax.NtECMABoundary, syntax.NtNonECMABoundary, syntax.NtUpdateBumpalong,
		syntax.NtEmpty, syntax.NtResetCapture,
		// Lookarounds only assert: what a match starts with is what
		// follows them.
		syntax.NtPosLook, syntax.NtNegLook:
		return set, true, true
	case syntax.NtNothing:
		return set, false, true
	case syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic:
		if len(n.Children) != 1 {
			return set, false, false
		}
		return first(n.Children[0])
	case syntax.NtLoop, syntax.NtLazyloop:
		if len(n.Children) != 1 {
			return set, false, false
		}
		set, empty, known = first(n.Children[0])
		return set, empty || n.M == 0, known
	case syntax.NtConcatenate:
		for _, c := range n.Children {
			s, e, k := first(c)
			if !k {
				return set, false, false
			}
			set.union(s)
			if !e {
				return set, false, true
			}
		}
		return set, true, true
	case syntax.NtAlternate:
		for _, c := range n.Children {
			s, e, k := first(c)
			if !k {
				return set, false, false
			}
			set.union(s)
			empty = empty || e
		}
		return set, empty, true
	}
	return set, false, false
}

// chars returns the ASCII characters of n, a node that matches one
// character (or a loop of them), or a string (its first).
func chars(n *syntax.RegexNode) charSet {
	var set charSet
	for c := rune(0); c < 128; c++ {
		var in bool
		switch n.T {
		case syntax.NtOne, syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
			in = c == n.Ch
		case syntax.NtNotone, syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
			in = c != n.Ch
		case syntax.NtMulti:
			in = len(n.Str) > 0 && c == n.Str[0]
		default:
			in = n.Set != nil && n.Set.Contains(c)
		}
		if in {
			set.add(c)
		}
	}
	// The parser makes case-insensitive characters classes of their case
	// equivalents; should a node keep the option, add the other case.
	if n.Options&syntax.IgnoreCase != 0 {
		for c := rune('A'); c <= 'Z'; c++ {
			lc := c - 'A' + 'a'
			if set.has(byte(c)) || set.has(byte(lc)) {
				set.add(c)
				set.add(lc)
			}
		}
		if n.T == syntax.NtMulti && len(n.Str) > 0 && n.Str[0] >= 128 || n.T == syntax.NtOne && n.Ch >= 128 {
			for c := rune('A'); c <= 'Z'; c++ {
				set.add(c)
				set.add(c - 'A' + 'a')
			}
		}
	}
	return set
}
