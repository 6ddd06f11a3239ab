package hlengines

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// Tokenise returns the tokens of text in l, as chroma gives them
// (chroma.Coalesce(l).Tokenise(nil, text), then Tokens).
//
// A wrapper (any regex lexer of chroma's registry) lexes in a loop of
// Tokenise's own rather than chroma's LexerState.Iterator: the same states,
// rules, mutators and emitters, taken in the same order, but at each
// position only the rules whose matches can start as the text there does
// are tried (candidates), the simplest rules match with programs
// (simple.go), and the others' matches are read without allocating a
// regexp2.Match, a string for each group and a map of the groups by name;
// the values of the tokens are slices of text. Emitters that are not
// chroma's own, and the lexers of other registries, get what chroma gives
// them, and lexers that Using hands code to and are not wrappers lex with
// chroma's loop. A lexer whose mutators are not all chroma's pushes and
// pops (which could change its rules while it lexes) is left to chroma.
func Tokenise(l chroma.Lexer, text string) ([]chroma.Token, error) {
	x, err := fastLexer(l)
	if err != nil {
		return nil, err
	}
	if x == nil || len(text) > math.MaxInt32/2 {
		it, err := chroma.Coalesce(l).Tokenise(nil, text)
		if err != nil {
			return nil, err
		}
		return it.Tokens(), nil
	}
	// What RegexLexer.Tokenise does with the text, with chroma's default
	// options: State "root", EnsureLF.
	text = ensureLF(text)
	newlineAdded := false
	if x.rl.Config().EnsureNL && !strings.HasSuffix(text, "\n") {
		text += "\n"
		newlineAdded = true
	}
	buf := runeBufs.Get().(*[]rune)
	defer func() {
		if cap(*buf) <= maxRuneBuf {
			runeBufs.Put(buf)
		}
	}()
	runes := (*buf)[:0]
	for _, r := range text {
		runes = append(runes, r) // as []rune(text)
	}
	*buf = runes
	src := source{runes: runes}
	if !utf8.ValidString(text) {
		// Chroma's tokens are strings of the runes: the replacement
		// character where text is not UTF-8.
		text = string(src.runes)
	}
	src.text = text
	if len(text) != len(src.runes) {
		src.offs = make([]int32, len(src.runes)+1)
		i := 0
		for at := range text {
			src.offs[i] = int32(at)
			i++
		}
		src.offs[i] = int32(len(text))
	}
	// Code runs some 6 bytes a token.
	t := tokeniser{out: output{top: text, toks: make([]chroma.Token, 0, len(text)/6+16)}}
	t.run(x, src, "root", newlineAdded, 0)
	return t.out.tokens(), nil
}

// runeBufs are buffers for the runes of the texts Tokenise lexes: nothing
// keeps them once it returns (its tokens are slices of the text).
var runeBufs = sync.Pool{New: func() any { return new([]rune) }}

// maxRuneBuf is the most runes a buffer kept in runeBufs holds.
const maxRuneBuf = 1 << 18

// fastLexer returns what Tokenise lexes l with, or nil if l is left to
// chroma: no wrapper in chroma's registry, or one whose mutators are not
// all chroma's pushes and pops.
func fastLexer(l chroma.Lexer) (*lexer, error) {
	rl, ok := l.(*chroma.RegexLexer)
	if !ok {
		return nil, nil
	}
	w := wrappers[rl]
	// A wrapper lexes with the registry it is in (Using): chroma's,
	// unless it has been registered in another since.
	if w == nil || lexers.GlobalLexerRegistry.Get(rl.Config().Name) != l {
		return nil, nil
	}
	w.once.Do(func() {
		if w.own != nil {
			var rules chroma.CompiledRules
			if rules, w.err = compileRules(w.own); w.err == nil {
				w.lex = newLexer(rl, rules, lexers.GlobalLexerRegistry)
			}
			return
		}
		if _, w.err = rl.Rules(); w.err == nil {
			w.lex = newLexer(rl, w.compiled.rules, lexers.GlobalLexerRegistry)
		}
	})
	return w.lex, w.err
}

// ensureLF is chroma's: "\r\n" and "\r" become "\n".
func ensureLF(text string) string {
	if !strings.Contains(text, "\r") {
		return text
	}
	buf := make([]byte, len(text))
	var j int
	for i := range len(text) {
		c := text[i]
		if c == '\r' {
			if i < len(text)-1 && text[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		buf[j] = c
		j++
	}
	return string(buf[:j])
}

// A lexer is a wrapper's compiled rules, prepared for Tokenise.
type lexer struct {
	rl       *chroma.RegexLexer
	rules    chroma.CompiledRules
	registry *chroma.LexerRegistry
	states   map[string]*stateRules

	mu       sync.Mutex // held building a state's candidates
	prefixed map[*rule]bool
}

// stateRules are the rules of a state, and which of them to try at each
// ASCII character, in chroma's order (at others, all): candidates worked
// out the first time a text is in the state (most texts meet few of a
// lexer's states), when built is set.
type stateRules struct {
	rules  []*rule
	all    []candidate
	built  atomic.Bool
	byChar [128][]candidate
}

// A candidate is a rule to try at a character: if the text from there
// fits one of its prefixes (past the character), or it has none.
type candidate struct {
	rule   int
	rest   []prefix
	second charSet // the first sets of rest, together
}

// fits reports whether the text from pos fits c's prefixes: the
// characters past pos are in the sets, or beyond ASCII.
func (c *candidate) fits(text []rune, pos int) bool {
	if c.rest == nil {
		return true
	}
	if pos+1 >= len(text) {
		return false
	}
	if ch := text[pos+1]; ch < 128 && !c.second.has(ch) {
		return false
	}
	for _, p := range c.rest {
		if pos+len(p) >= len(text) {
			continue
		}
		ok := true
		for i, set := range p {
			if ch := text[pos+1+i]; ch < 128 && !set.has(ch) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// A rule is a compiled rule, prepared.
type rule struct {
	cr    *chroma.CompiledRule
	re    *regexp2.Regexp
	nums  []int    // the numbers of the regexp's groups, by slot
	names []string // their names, by slot
	// view: matches are read through FindRunesMatches; false for patterns
	// with balancing groups, which a full match compacts.
	view bool
	plan *plan
	// groups: the rule's emitter is one whose code is not chroma's own,
	// which the LexerState's Groups and NamedGroups are set for.
	groups   bool
	prefixes []prefix
	any      bool    // no prefixes: try it everywhere
	prog     program // if its pattern is of the simplest kind
}

// balancing finds a balancing group, "(?<a-b>" or "(?'-b'", conservatively.
var balancing = regexp.MustCompile(`\(\?[<'][^>']*-`)

// newLexer prepares rules, the compiled rules of rl, or returns nil if
// rl is to be left to chroma.
func newLexer(rl *chroma.RegexLexer, rules chroma.CompiledRules, reg *chroma.LexerRegistry) *lexer {
	if rules == nil {
		return nil
	}
	x := &lexer{rl: rl, rules: rules, registry: reg, states: map[string]*stateRules{}, prefixed: map[*rule]bool{}}
	prepared := map[*chroma.CompiledRule]*rule{}
	for name, crs := range rules {
		s := &stateRules{}
		for i, cr := range crs {
			r := prepared[cr]
			if r == nil {
				if r = prepare(cr); r == nil {
					return nil
				}
				prepared[cr] = r
			}
			s.rules = append(s.rules, r)
			s.all = append(s.all, candidate{rule: i})
		}
		x.states[name] = s
	}
	return x
}

// build works out the candidates of s, once.
func (x *lexer) build(s *stateRules) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if s.built.Load() {
		return
	}
	// The first characters of the prefixes of each rule, and how many
	// candidates each character has, to make room for them at once.
	firsts := make([]charSet, len(s.rules))
	var counts [128]int
	for i, r := range s.rules {
		if !x.prefixed[r] {
			r.analyse()
			x.prefixed[r] = true
		}
		if r.any {
			firsts[i] = charSet{^uint64(0), ^uint64(0)}
		}
		for _, p := range r.prefixes {
			firsts[i].union(p[0])
		}
		for c := range firsts[i].chars() {
			counts[c]++
		}
	}
	n := 0
	for _, k := range counts {
		n += k
	}
	room := make([]candidate, n)
	for c, k := range counts {
		s.byChar[c], room = room[:0:k], room[k:]
	}
	for i, r := range s.rules {
		if r.any {
			for c := range s.byChar {
				s.byChar[c] = append(s.byChar[c], candidate{rule: i})
			}
			continue
		}
		// The rest of the prefixes of r, by their first character; none
		// where a first character alone fits.
		var alone charSet
		for _, p := range r.prefixes {
			if len(p) == 1 {
				alone.union(p[0])
			}
		}
		var rest [128][]prefix
		for _, p := range r.prefixes {
			if len(p) == 1 {
				continue
			}
			for c := range p[0].chars() {
				if !alone.has(c) {
					rest[c] = append(rest[c], p[1:])
				}
			}
		}
		for c := range firsts[i].chars() {
			cd := candidate{rule: i}
			if !alone.has(c) {
				cd.rest = rest[c]
				for _, p := range cd.rest {
					cd.second.union(p[0])
				}
			}
			s.byChar[c] = append(s.byChar[c], cd)
		}
	}
	s.built.Store(true)
}

// analyse works out what r's matches start with, and its program if its
// pattern is of the simplest kind: analyses.go holds those of the patterns
// of the Lexers and Analysed, and analyseTree works out others'.
func (r *rule) analyse() {
	if a := precomputed(r.re.String()); a != nil {
		r.apply(a)
		return
	}
	r.analyseTree()
}

// analyseTree is analyse, from regexp2's parse of r's pattern.
func (r *rule) analyseTree() {
	r.any = true
	tree, err := syntax.Parse(r.re.String(), syntax.ParseOptions{})
	if err != nil {
		return
	}
	r.prefixes, r.any = prefixes(tree)
	r.any = !r.any
	if r.view {
		r.prog, _ = compileSimple(tree, r.nums)
	}
}

// prepare returns cr prepared but for its prefixes (build), or nil if its
// mutator is not one Tokenise knows.
func prepare(cr *chroma.CompiledRule) *rule {
	if cr.Regexp == nil || !knownMutator(cr.Mutator) {
		return nil
	}
	r := &rule{
		cr:    cr,
		re:    cr.Regexp,
		nums:  cr.Regexp.GetGroupNumbers(),
		names: cr.Regexp.GetGroupNames(),
		view:  !balancing.MatchString(cr.Regexp.String()),
	}
	if len(r.nums) != len(r.names) || len(r.nums) == 0 {
		return nil
	}
	if cr.Type != nil {
		r.plan = newPlan(cr.Type)
		r.groups = r.plan.opaque()
	}
	return r
}

// knownMutator reports whether m is nil or chroma's push, pop, or
// sequence of those: mutators that change the stack and nothing else.
func knownMutator(m chroma.Mutator) bool {
	if m == nil {
		return true
	}
	sm, ok := m.(chroma.SerialisableMutator)
	if !ok {
		return false
	}
	switch sm.MutatorKind() {
	case "push", "pop":
		return true
	case "mutators":
		f := field(m, "Mutators")
		ms, ok := f.([]chroma.Mutator)
		if !ok {
			return false
		}
		for _, m := range ms {
			if !knownMutator(m) {
				return false
			}
		}
		return true
	}
	return false
}

// field returns the exported field name of the struct v points to, or nil.
func field(v any, name string) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := rv.Elem().FieldByName(name)
	if !f.IsValid() || !f.CanInterface() {
		return nil
	}
	return f.Interface()
}

// A plan is how Tokenise emits the tokens of an emitter.
type plan struct {
	kind   planKind
	typ    chroma.TokenType // planToken
	name   string           // planUsing: the lexer's; planUsingSelf: the state
	groups []*plan          // planByGroups: a plan for each group (nil: none)
	em     chroma.Emitter   // planOpaque
}

type planKind int

const (
	planToken     planKind = iota // chroma.TokenType
	planByGroups                  // chroma.ByGroups
	planUsing                     // chroma.Using
	planUsingSelf                 // chroma.UsingSelf
	planOpaque                    // any other: its Emit
)

func newPlan(em chroma.Emitter) *plan {
	if em == nil {
		return nil
	}
	if t, ok := em.(chroma.TokenType); ok {
		return &plan{kind: planToken, typ: t}
	}
	opaque := &plan{kind: planOpaque, em: em}
	se, ok := em.(chroma.SerialisableEmitter)
	if !ok {
		return opaque
	}
	switch se.EmitterKind() {
	case "bygroups":
		ems, ok := field(em, "Emitters").(chroma.Emitters)
		if !ok {
			return opaque
		}
		p := &plan{kind: planByGroups}
		for _, em := range ems {
			p.groups = append(p.groups, newPlan(em))
		}
		return p
	case "using":
		if name, ok := field(em, "Lexer").(string); ok {
			return &plan{kind: planUsing, name: name}
		}
	case "usingself":
		if state, ok := field(em, "State").(string); ok {
			return &plan{kind: planUsingSelf, name: state}
		}
	}
	return opaque
}

// opaque reports whether p calls an emitter's Emit.
func (p *plan) opaque() bool {
	if p == nil {
		return false
	}
	if p.kind == planOpaque {
		return true
	}
	for _, g := range p.groups {
		if g.opaque() {
			return true
		}
	}
	return false
}

// source is a text being lexed: the top text (the one Tokenise lexes), or
// a part of it that an emitter lexes (Using).
type source struct {
	text  string
	runes []rune
	offs  []int32 // where each rune and the end are in the top text; nil if it is ASCII
	base  int     // where text starts in the top text
}

// at returns where rune i of s is in s.text.
func (s *source) at(i int) int {
	if s.offs == nil {
		return i
	}
	return int(s.offs[i]) - s.base
}

// sub returns the part of s from rune i to rune j.
func (s *source) sub(i, j int) source {
	a, b := s.at(i), s.at(j)
	sub := source{text: s.text[a:b], runes: s.runes[i:j:j], base: s.base + a}
	if s.offs != nil {
		sub.offs = s.offs[i : j+1]
	}
	return sub
}

// span is the runes of a group, from i to j.
type span struct{ i, j int }

// output gathers tokens as chroma.Coalesce does: tokens with no text
// dropped, a run of tokens of a type joined while the text is shorter than
// 8,192 bytes. Tokens that are consecutive slices of the top text join as
// one slice of it.
type output struct {
	top    string
	toks   []chroma.Token
	prev   chroma.Token
	prevAt int // where prev.Value is in top, or -1
	have   bool
}

// emit adds a token of type t and text v, which is at at in the top text
// (or -1); LexerState.Iterator drops tokens of type Ignore.
func (o *output) emit(t chroma.TokenType, v string, at int) {
	if v == "" || t == chroma.Ignore {
		return
	}
	switch {
	case !o.have:
		o.have = true
	case o.prev.Type == t && len(o.prev.Value) < 8192:
		if o.prevAt >= 0 && at == o.prevAt+len(o.prev.Value) {
			o.prev.Value = o.top[o.prevAt : at+len(v)]
		} else {
			o.prev.Value += v
			o.prevAt = -1
		}
		return
	default:
		o.toks = append(o.toks, o.prev)
	}
	o.prev = chroma.Token{Type: t, Value: v}
	o.prevAt = at
}

// drain emits the tokens of it, as LexerState.Iterator does those of an
// emitter's.
func (o *output) drain(it chroma.Iterator) {
	for {
		t := it()
		if t.Type == chroma.Ignore {
			continue
		}
		if t == chroma.EOF {
			return
		}
		o.emit(t.Type, t.Value, -1)
	}
}

func (o *output) tokens() []chroma.Token {
	if o.have {
		o.toks = append(o.toks, o.prev)
		o.have = false
	}
	return o.toks
}

// tokeniser is one Tokenise: its output, and a frame for each depth of
// lexers lexing part of another's text.
type tokeniser struct {
	out    output
	frames []*frame
}

// frame is a match's groups, for the lexer at a depth.
type frame struct {
	spans []span // the groups of the last match, by slot
	yield func(regexp2.MatchView) bool
	rule  *rule // of the match being tried
	pos   int
	ok    bool
}

func (t *tokeniser) frame(depth int) *frame {
	for len(t.frames) <= depth {
		f := &frame{}
		f.yield = f.view
		t.frames = append(t.frames, f)
	}
	return t.frames[depth]
}

// match reports whether r matches text at pos, as chroma's matchRules
// takes a match (regexp2's first from pos, if it is at pos), and if so
// keeps its groups.
func (f *frame) match(r *rule, text []rune, pos int) bool {
	if r.prog != nil {
		f.spans = slices.Grow(f.spans[:0], len(r.nums))[:len(r.nums)]
		return r.prog.match(text, pos, f.spans)
	}
	if r.view {
		f.rule, f.pos, f.ok = r, pos, false
		if err := r.re.FindRunesMatches(text, pos, f.yield); err != nil {
			return false
		}
		return f.ok
	}
	m, err := r.re.FindRunesMatchStartingAt(text, pos)
	if m == nil || err != nil || m.RuneIndex != pos {
		return false
	}
	f.spans = f.spans[:0]
	for _, g := range m.Groups() {
		f.spans = append(f.spans, span{g.RuneIndex, g.RuneIndex + g.RuneLength})
	}
	return true
}

// view keeps the groups of the first match, if it is at f.pos.
func (f *frame) view(v regexp2.MatchView) bool {
	if i, _, ok := v.GroupRange(0); !ok || i != f.pos {
		return false
	}
	f.spans = f.spans[:0]
	for _, num := range f.rule.nums {
		i, n, ok := v.GroupRange(num)
		if !ok {
			i, n = 0, 0 // as a Group of no capture
		}
		f.spans = append(f.spans, span{i, i + n})
	}
	f.ok = true
	return false
}

// run lexes src with x from state, as LexerState.Iterator does.
func (t *tokeniser) run(x *lexer, src source, state string, newlineAdded bool, depth int) {
	st := &chroma.LexerState{
		Lexer:          x.rl,
		Registry:       x.registry,
		Text:           src.runes,
		Rules:          x.rules,
		Stack:          []string{state},
		MutatorContext: map[any]any{},
	}
	f := t.frame(depth)
	end := len(st.Text)
	if newlineAdded {
		end--
	}
	var (
		s     *stateRules
		sName string
	)
	for st.Pos < end && len(st.Stack) > 0 {
		st.State = st.Stack[len(st.Stack)-1]
		if s == nil || st.State != sName {
			if s = x.states[st.State]; s == nil {
				panic("unknown state " + st.State)
			}
			if !s.built.Load() {
				x.build(s)
			}
			sName = st.State
		}
		pos := st.Pos
		c := st.Text[pos]
		cands := s.all
		if c < 128 {
			cands = s.byChar[c]
		}
		var r *rule
		for i := range cands {
			cd := &cands[i]
			if cd.fits(st.Text, pos) && f.match(s.rules[cd.rule], st.Text, pos) {
				r = s.rules[cd.rule]
				st.Rule = cd.rule
				break
			}
		}
		if r == nil {
			// Pygments' recovery: an unmatched newline starts again
			// from the first state.
			if c == '\n' && st.State != state {
				st.Stack = []string{state}
				continue
			}
			st.Pos++
			t.out.emit(chroma.Error, src.text[src.at(pos):src.at(pos+1)], src.base+src.at(pos))
			continue
		}
		if r.groups {
			st.Groups = make([]string, len(f.spans))
			for i, sp := range f.spans {
				st.Groups[i] = src.text[src.at(sp.i):src.at(sp.j)]
			}
			st.NamedGroups = make(map[string]string, len(f.spans))
			for i, name := range r.names {
				st.NamedGroups[name] = st.Groups[i]
			}
		} else {
			st.Groups, st.NamedGroups = nil, nil
		}
		st.Pos += f.spans[0].j - f.spans[0].i
		if r.cr.Mutator != nil {
			if err := r.cr.Mutator.Mutate(st); err != nil {
				panic(err)
			}
		}
		if r.plan != nil {
			t.emit(r.plan, f.spans, true, src, st, depth)
		}
	}
	if st.Pos != len(st.Text) && len(st.Stack) == 0 {
		t.out.emit(chroma.Error, src.text[src.at(st.Pos):], src.base+src.at(st.Pos))
		st.Pos = len(st.Text)
	}
}

// emit emits the tokens of groups, as p's emitter does: given the
// LexerState's Groups (top), or a group alone (a group of ByGroups).
func (t *tokeniser) emit(p *plan, groups []span, top bool, src source, st *chroma.LexerState, depth int) {
	text := func(g span) (string, int) {
		a := src.at(g.i)
		return src.text[a:src.at(g.j)], src.base + a
	}
	switch p.kind {
	case planToken:
		v, at := text(groups[0])
		t.out.emit(p.typ, v, at)
	case planByGroups:
		if len(p.groups) != len(groups)-1 {
			v, at := text(groups[0])
			t.out.emit(chroma.Error, v, at)
			return
		}
		for i, g := range p.groups {
			if g != nil {
				t.emit(g, groups[i+1:i+2], false, src, st, depth)
			}
		}
	case planUsing:
		if st.Registry == nil {
			panic(fmt.Sprintf("no LexerRegistry available for Using(%q)", p.name))
		}
		l := st.Registry.Get(p.name)
		if l == nil {
			panic(fmt.Sprintf("no such lexer %q", p.name))
		}
		t.nested(l, "root", groups[0], src, depth)
	case planUsingSelf:
		t.nested(st.Lexer, p.name, groups[0], src, depth)
	case planOpaque:
		strs := st.Groups
		if !top {
			strs = make([]string, len(groups))
			for i, g := range groups {
				strs[i], _ = text(g)
			}
		}
		t.out.drain(p.em.Emit(strs, st))
	}
}

// nested emits the tokens of group g of src in l, from state, as
// l.Tokenise(&chroma.TokeniseOptions{State: state, Nested: true}, ...)
// gives them to an emitter.
func (t *tokeniser) nested(l chroma.Lexer, state string, g span, src source, depth int) {
	x, err := fastLexer(l)
	if err != nil {
		panic(err)
	}
	if x == nil {
		a := src.at(g.i)
		it, err := l.Tokenise(&chroma.TokeniseOptions{State: state, Nested: true}, src.text[a:src.at(g.j)])
		if err != nil {
			panic(err)
		}
		t.out.drain(it)
		return
	}
	if g.i == g.j {
		return // no tokens
	}
	t.run(x, src.sub(g.i, g.j), state, false, depth+1)
}
