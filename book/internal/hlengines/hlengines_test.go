package hlengines

import (
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

// TestSwap checks that a wrapper's rules match with the engines once
// chroma has compiled them, and that the wrapper lexes as chroma's lexer.
func TestSwap(t *testing.T) {
	l := lexers.Get("Go").(*chroma.RegexLexer)
	var swapped []*chroma.CompiledRule
	w := wrap(Original(l), func(rules chroma.CompiledRules) error {
		if _, ok := rules[ruleState]; ok {
			t.Errorf("the hook's state %q is still among the rules", ruleState)
		}
		if err := swapEngines(rules); err != nil {
			return err
		}
		for _, state := range rules {
			swapped = append(swapped, state...)
		}
		return nil
	})
	const code = "package main\n\n// A comment.\nfunc main() { fmt.Println(`raw`, \"str\", 0x1F) }\n"
	got, err := chroma.Tokenise(w, nil, code)
	if err != nil {
		t.Fatal(err)
	}
	want, err := chroma.Tokenise(Original(l), nil, code)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("wrapper's tokens differ from chroma's:\n got %v\nwant %v", got, want)
	}
	if len(swapped) == 0 {
		t.Fatal("the hook saw no rules")
	}
	for _, rule := range swapped {
		if !engines[rule.Regexp.String()] {
			t.Errorf("rule %q has no engine", rule.Regexp.String())
		}
	}
}
