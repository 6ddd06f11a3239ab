package hlengines

import (
	"reflect"
	"slices"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// TestLexers checks that each of the Lexers is a regex lexer of chroma's
// that a wrapper has replaced in chroma's registry.
func TestLexers(t *testing.T) {
	for _, name := range Lexers {
		l, ok := lexers.Get(name).(*chroma.RegexLexer)
		switch {
		case !ok || l.Config().Name != name:
			t.Errorf("%s: no regex lexer of that name in chroma's registry", name)
		case Original(l) == l:
			t.Errorf("%s: chroma's registry holds chroma's lexer, not a wrapper", name)
		}
	}
}

// TestEngines checks that engines.go holds an engine for every pattern the
// rules of the Lexers compile to (or lists it as one regexp2cg generates
// none for), and only those: after a bump of chroma, or a change of
// Lexers, `go generate ./book/internal/hlengines` makes it pass again.
func TestEngines(t *testing.T) {
	inUse := map[string]bool{}
	for _, name := range Lexers {
		patterns, err := Patterns(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(patterns) == 0 {
			t.Errorf("%s: no patterns", name)
		}
		for _, p := range patterns {
			inUse[p] = true
			if !engines[p] && !slices.Contains(unsupported, p) {
				t.Errorf("%s: pattern %q has no engine: run go generate in book/internal/hlengines", name, p)
			}
		}
	}
	for p := range engines {
		if !inUse[p] {
			t.Errorf("engine of %q, a pattern no rule of the Lexers has: run go generate in book/internal/hlengines", p)
		}
	}
	for _, p := range unsupported {
		if !inUse[p] {
			t.Errorf("unsupported pattern %q is no rule's of the Lexers: run go generate in book/internal/hlengines", p)
		}
	}
}

// TestWrap checks that a wrapper lexes as chroma's lexer, and that the
// patterns of its rules, once compiled, are their own and chroma's: those
// with engines.
func TestWrap(t *testing.T) {
	orig := Original(lexers.Get("Go").(*chroma.RegexLexer))
	var compiled []*chroma.CompiledRule
	w := wrap(orig, true, nil, func(rule *chroma.CompiledRule) { compiled = append(compiled, rule) })
	const code = "package main\n\n// A comment.\nfunc main() { fmt.Println(`raw`, \"str\", 0x1F) }\n"
	got, err := chroma.Tokenise(w, nil, code)
	if err != nil {
		t.Fatal(err)
	}
	want, err := chroma.Tokenise(orig, nil, code)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("wrapper's tokens differ from chroma's:\n got %v\nwant %v", got, want)
	}
	if len(compiled) == 0 {
		t.Fatal("the hook compiled no rules")
	}
	rules, err := orig.Rules()
	if err != nil {
		t.Fatal(err)
	}
	var own []string
	for _, state := range rules {
		for _, rule := range state {
			own = append(own, rule.Pattern)
		}
	}
	for _, rule := range compiled {
		if !slices.Contains(own, rule.Pattern) {
			t.Errorf("rule %q: not a pattern of chroma's Go lexer", rule.Pattern)
		}
		if !isInclude(rule) && !engines[rule.Regexp.String()] {
			t.Errorf("rule %q compiled to %q, which has no engine", rule.Pattern, rule.Regexp.String())
		}
	}
}

// TestRawRules checks that a wrapper gets the rules of chroma's lexer
// without having chroma compile them (rawRules): that every regex lexer of
// chroma's has the function it gets them from, and that its rules are those
// chroma's Rules returns.
func TestRawRules(t *testing.T) {
	for _, orig := range originals {
		if fetchRules(orig) == nil {
			t.Fatalf("%s: no fetchRulesFunc of chroma's RegexLexer to get its rules from: rawRules compiles them", orig.Config().Name)
		}
	}
	orig := originals["Java"]
	got, err := rawRules(orig)
	if err != nil {
		t.Fatal(err)
	}
	want, err := orig.Rules()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d states, chroma's Rules %d", len(got), len(want))
	}
	for state, rules := range want {
		if !slices.EqualFunc(got[state], rules, func(a, b chroma.Rule) bool { return a.Pattern == b.Pattern }) {
			t.Errorf("state %s: rules differ from chroma's Rules", state)
		}
	}
}

// TestCompileRules checks that compileRules compiles the rules of each of
// the Lexers as its wrapper's are once chroma and its compileHook have
// compiled them: the same states, and in each the same rules, with the
// same patterns, engines, emitters and mutators.
func TestCompileRules(t *testing.T) {
	for _, name := range Lexers {
		l := lexers.Get(name).(*chroma.RegexLexer)
		if _, err := l.Rules(); err != nil {
			t.Fatal(err)
		}
		want := wrappers[l].compiled.rules
		got, err := compileRules(Original(l))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d states, the wrapper's %d", name, len(got), len(want))
		}
		for state, ws := range want {
			gs, ok := got[state]
			if !ok || len(gs) != len(ws) {
				t.Errorf("%s: state %s: %d rules, the wrapper's %d", name, state, len(gs), len(ws))
				continue
			}
			for i, w := range ws {
				g := gs[i]
				switch {
				case g.Pattern != w.Pattern || g.Regexp.String() != w.Regexp.String():
					t.Errorf("%s: %s.%d: pattern %q (%q), the wrapper's %q (%q)", name, state, i, g.Pattern, g.Regexp.String(), w.Pattern, w.Regexp.String())
				case g.Regexp.MatchTimeout != w.Regexp.MatchTimeout:
					t.Errorf("%s: %s.%d: timeout %v, the wrapper's %v", name, state, i, g.Regexp.MatchTimeout, w.Regexp.MatchTimeout)
				case !same(reflect.ValueOf(g.Type), reflect.ValueOf(w.Type)) || !same(reflect.ValueOf(g.Mutator), reflect.ValueOf(w.Mutator)):
					t.Errorf("%s: %s.%d: emitter %#v and mutator %#v, the wrapper's %#v and %#v", name, state, i, g.Type, g.Mutator, w.Type, w.Mutator)
				case !engines[g.Regexp.String()]:
					t.Errorf("%s: %s.%d: %q has no engine", name, state, i, g.Regexp.String())
				}
			}
		}
	}
}

// same reports whether a and b are deeply equal, as reflect.DeepEqual, but
// with functions equal when their code is (reflect.DeepEqual takes no two
// functions but nil ones as equal).
func same(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Func:
		return a.Pointer() == b.Pointer()
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return same(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !same(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !same(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if !same(a.MapIndex(k), b.MapIndex(k)) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	}
	return false
}
