package hlengines

import (
	"iter"
	"math/bits"
	"slices"
	"sync"

	"github.com/dlclark/regexp2/v2/syntax"
)

// charSet is a set of ASCII characters, a bit each.
type charSet [2]uint64

func (s *charSet) add(c rune) {
	if c >= 0 && c < 128 {
		s[c>>6] |= 1 << (c & 63)
	}
}

func (s *charSet) has(c rune) bool {
	return c >= 0 && c < 128 && s[c>>6]&(1<<(c&63)) != 0
}

func (s *charSet) union(t charSet) {
	s[0] |= t[0]
	s[1] |= t[1]
}

// chars yields the characters of s, in order.
func (s charSet) chars() iter.Seq[rune] {
	return func(yield func(rune) bool) {
		for i, word := range s {
			for word != 0 {
				if !yield(rune(i*64 + bits.TrailingZeros64(word))) {
					return
				}
				word &= word - 1
			}
		}
	}
}

// A prefix is what the first characters of a match are: a set of ASCII
// characters each. A character beyond ASCII is in none of the sets, but
// may be in the class a set stands for: Tokenise takes it as fitting.
type prefix []charSet

// Bounds of the prefixes of a pattern: how many, how long.
const (
	maxPrefixes  = 256
	maxPrefixLen = 12
)

// prefixes returns what a match of tree, regexp2's parse of a pattern
// chroma compiled a rule to (`\G(?m)(?:...)`), starts with: each match
// starts with one of the prefixes (whose sets may hold characters no match
// has there, but never miss one). ok is false when nothing is known, and
// the rule must be tried everywhere: it can match the empty string, or
// starts with a construct prefixes does not look into (backreferences,
// conditionals).
//
// The tree is the one regexp2 compiles (and regexp2cg generated the
// engines from), whose classes are those regexp2 matches, quirks and all:
// regexp2 v2.13.0 reads [^\W\d] as [^\W], which Go's syntax would not.
// Case-insensitive characters are classes of their case equivalents there.
func prefixes(tree *syntax.RegexTree) (ps []prefix, ok bool) {
	seqs, known := walk(tree.Root)
	if !known {
		return nil, false
	}
	for _, s := range seqs {
		if len(s.sets) == 0 {
			return nil, false // a match may be empty, or nothing is known of it
		}
		ps = append(ps, s.sets)
	}
	return ps, true
}

// seq is what the first characters of some matches of a node are; whole:
// the matches are those characters alone, and what follows the node in a
// concatenation goes on from them.
type seq struct {
	sets  prefix
	whole bool
}

// walk returns seqs every match of n fits one of, or known false.
func walk(n *syntax.RegexNode) (seqs []seq, known bool) {
	switch n.T {
	// Lookarounds only assert: what a match has is what follows them
	// (a lookbehind is a node that matches right to left).
	case syntax.NtPosLook, syntax.NtNegLook:
		return []seq{{nil, true}}, true
	}
	if n.Options&syntax.RightToLeft != 0 {
		return nil, false
	}
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		return []seq{{prefix{chars(n, 0)}, true}}, true
	case syntax.NtMulti:
		p := make(prefix, min(len(n.Str), maxPrefixLen))
		for i := range p {
			p[i] = chars(n, i)
		}
		return []seq{{p, len(p) == len(n.Str)}}, true
	case syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtSetloop,
		syntax.NtOnelazy, syntax.NtNotonelazy, syntax.NtSetlazy,
		syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic:
		set := chars(n, 0)
		if n.M == n.N && n.M <= maxPrefixLen {
			p := make(prefix, n.M)
			for i := range p {
				p[i] = set
			}
			return []seq{{p, true}}, true
		}
		taken := seq{prefix{set}, false}
		if n.M == 0 {
			return []seq{{nil, true}, taken}, true
		}
		return []seq{taken}, true
	case syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtBeginning, syntax.NtStart, syntax.NtEndZ, syntax.NtEnd,
		syntax.NtECMABoundary, syntax.NtNonECMABoundary, syntax.NtUpdateBumpalong,
		syntax.NtEmpty, syntax.NtResetCapture:
		return []seq{{nil, true}}, true
	case syntax.NtNothing:
		return nil, true
	case syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic:
		if len(n.Children) != 1 {
			return nil, false
		}
		return walk(n.Children[0])
	case syntax.NtLoop, syntax.NtLazyloop:
		if len(n.Children) != 1 {
			return nil, false
		}
		seqs, known = walk(n.Children[0])
		if !known || n.M == 1 && n.N == 1 {
			return seqs, known
		}
		for i := range seqs {
			seqs[i].whole = false // another time round may follow
		}
		if n.M == 0 {
			seqs = append(seqs, seq{nil, true})
		}
		return seqs, true
	case syntax.NtConcatenate:
		seqs = []seq{{nil, true}}
		for _, c := range n.Children {
			next, known := walk(c)
			if !known || len(seqs)*len(next) > maxPrefixes {
				return ended(seqs), true
			}
			var out []seq
			for _, s := range seqs {
				if !s.whole {
					out = append(out, s)
					continue
				}
				for _, t := range next {
					out = append(out, join(s, t))
				}
			}
			seqs = out
		}
		return seqs, true
	case syntax.NtAlternate:
		for _, c := range n.Children {
			next, known := walk(c)
			if !known {
				return nil, false
			}
			seqs = append(seqs, next...)
		}
		return bound(seqs), true
	}
	return nil, false
}

// ended returns seqs as the ends of what is known: none whole.
func ended(seqs []seq) []seq {
	for i := range seqs {
		seqs[i].whole = false
	}
	return seqs
}

// join returns s followed by t, no longer than maxPrefixLen.
func join(s, t seq) seq {
	if len(t.sets) == 0 {
		return seq{s.sets, t.whole}
	}
	if len(s.sets) == 0 {
		return t
	}
	sets := append(slices.Clip(s.sets), t.sets...)
	if len(sets) > maxPrefixLen {
		return seq{sets[:maxPrefixLen], false}
	}
	return seq{sets, t.whole}
}

// bound returns seqs, or shorter ones, no more than maxPrefixes of them.
func bound(seqs []seq) []seq {
	for n := maxPrefixLen; len(seqs) > maxPrefixes; n /= 2 {
		var out []seq
		for _, s := range seqs {
			if len(s.sets) > n {
				s = seq{s.sets[:n], false}
			}
			if !slices.ContainsFunc(out, func(o seq) bool { return o.whole == s.whole && slices.Equal(o.sets, s.sets) }) {
				out = append(out, s)
			}
		}
		seqs = out
		if n <= 1 && len(seqs) > maxPrefixes {
			var first charSet
			for _, s := range seqs {
				if len(s.sets) == 0 {
					return []seq{{nil, false}}
				}
				first.union(s.sets[0])
			}
			return []seq{{prefix{first}, false}}
		}
	}
	return seqs
}

// chars returns the ASCII characters of n, a node that matches one
// character (or a loop of them), or character i of a string.
func chars(n *syntax.RegexNode, i int) charSet {
	var set charSet
	switch n.T {
	case syntax.NtOne, syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		set.add(n.Ch)
	case syntax.NtNotone, syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
		set = charSet{^uint64(0), ^uint64(0)}
		if n.Ch < 128 {
			set[n.Ch>>6] &^= 1 << (n.Ch & 63)
		}
	case syntax.NtMulti:
		set.add(n.Str[i])
	default:
		if n.Set != nil {
			set = asciiOf(n.Set)
		}
	}
	// The parser makes case-insensitive characters classes of their case
	// equivalents; should a node keep the option, add the other case, and
	// every ASCII letter for a character beyond ASCII (the Kelvin sign is
	// a k).
	if n.Options&syntax.IgnoreCase != 0 {
		for c := rune('A'); c <= 'Z'; c++ {
			lc := c - 'A' + 'a'
			if set.has(c) || set.has(lc) {
				set.add(c)
				set.add(lc)
			}
		}
		if n.T == syntax.NtMulti && n.Str[i] >= 128 || n.T == syntax.NtOne && n.Ch >= 128 {
			for c := rune('A'); c <= 'Z'; c++ {
				set.add(c)
				set.add(c - 'A' + 'a')
			}
		}
	}
	return set
}

// asciiSets are the ASCII characters of the classes of patterns, by the
// classes' encoding (CharSet.Hash): the same few classes (\s, \w, a case
// pair) are most of them.
var asciiSets sync.Map // string -> charSet

// asciiOf returns the ASCII characters of set.
func asciiOf(set *syntax.CharSet) charSet {
	key := string(set.Hash())
	if s, ok := asciiSets.Load(key); ok {
		return s.(charSet)
	}
	var s charSet
	for c := range rune(128) {
		if set.Contains(c) {
			s.add(c)
		}
	}
	asciiSets.Store(key, s)
	return s
}
