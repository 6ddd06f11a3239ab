// Package hlengines highlights code with chroma's lexers, the tokens
// chroma gives, some twenty times faster: Tokenise.
//
// Chroma compiles each rule of a lexer to a regexp2 pattern the first time
// the lexer is used, and at each position of the code tries the rules of
// the current state one after another, each a call of regexp2 that
// allocates a Match, a string for each group and a map of them, until one
// matches. Tokenise lexes with the same rules in a loop of its own (lex.go)
// that tries at each position only the rules whose matches can start as
// the code there does (prefixes.go), matches the rules of the simplest
// patterns, most matches, with programs of its own (simple.go), and the
// others with regexp2 without those allocations; everything is worked out
// from regexp2's own parse of each pattern, the first time a text is in a
// state of the rule's (or at go generate: analyses.go).
//
// The others match with compiled code instead of regexp2's interpreter,
// for the languages books are written about (Lexers). regexp2cg turns
// patterns into Go code (the same matches, a few times faster), which
// regexp2 uses when a program registers it (regexp2.RegisterEngine) and
// compiles the pattern with MustCompile; chroma compiles with Compile,
// which does not look. So importing this package puts wrappers of chroma's
// regex lexers into its registry (lexers.Get, and so the lexers that hand
// code to them by name): wrappers keep their compiled rules for Tokenise,
// and those of the Lexers compile their rules with MustCompile once chroma
// has compiled stand-ins (wrap). Tokenise compiles the rules of those
// itself, as chroma and the wrapper would, without the stand-ins
// (compileRules).
//
// engines.go holds the engines: `go generate` writes it (internal/gen) from
// the rules of the Lexers of the chroma in go.mod, and analyses.go, what
// Tokenise works out of the patterns of those and of Analysed
// (precomputed.go), so that a program parses none of them again. Tests
// fail when a rule of one of them has no engine or analysis, or its
// analysis is not what the parse of its pattern gives now, as after
// bumping chroma or regexp2.
package hlengines

//go:generate go run ./internal/gen -o engines.go -a analyses.go

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
)

// Lexers are the chroma lexers, by name, whose rules engines.go holds
// engines for: the languages of most code in real books (by blocks and
// bytes of the content book and the corpus: Go, SQL, Elixir, Python, C,
// Java, shell, YAML, Dockerfiles), and the lexers those hand parts of their
// code to (a Dockerfile's RUN lines are Bash, and some JSON). A language
// only a block or two are written in is left to the interpreter: each
// lexer's engines are some 50-550 KB of Go.
var Lexers = []string{
	"Bash",
	"Bash Session",
	"C",
	"Docker",
	"Elixir",
	"Go",
	"Java",
	"JSON",
	"Python",
	"SQL",
	"YAML",
}

// Analysed are the chroma lexers, by name, besides the Lexers, whose
// patterns analyses.go holds analyses of (precomputed.go) but not engines:
// the languages of a block or two of the content book and the corpus.
var Analysed = []string{
	"GraphQL",
	"Makefile",
	"Protocol Buffer",
	"Rust",
}

// engines are the patterns that have a registered engine (register).
var engines = map[string]bool{}

// register registers the engine of pattern, a pattern chroma compiles:
// engines.go calls it for each. Chroma's patterns all start with \G,
// matching only where the search starts, which regexp2cg v0.9.1's search
// for a start does not know (its case for a leading \G is empty, a C#
// fall-through ported to Go): it would have the engine try every position
// to the end of the code, each failing at once, for every rule that does
// not match. So the search is startAnchored, the interpreter's for such
// patterns.
func register(pattern string, engine regexp2.RuntimeEngineData) {
	engine.FindFirstChar = startAnchored
	regexp2.RegisterEngine(pattern, engine, regexp2.None)
	engines[pattern] = true
}

// startAnchored is the search for a start of a pattern that starts with \G:
// there is one candidate, where the search starts.
func startAnchored(r *regexp2.Runner) bool {
	if r.Runtextpos == r.Runtextstart {
		return true
	}
	r.Runtextpos = len(r.Runtext)
	return false
}

// originals are the lexers of chroma's registry that wrappers replaced,
// by name.
var originals = map[string]*chroma.RegexLexer{}

// wrapper is what is known of a wrapper in chroma's registry: its compiled
// rules, and what Tokenise lexes with (once it has been used).
type wrapper struct {
	compiled *compiled
	// own: Tokenise lexes with the rules of orig, compiled by
	// compileRules, not with the wrapper's compiled ones (the wrappers of
	// the Lexers).
	own  *chroma.RegexLexer
	once sync.Once
	lex  *lexer
	err  error
}

// wrappers are the wrappers in chroma's registry.
var wrappers = map[*chroma.RegexLexer]*wrapper{}

func init() {
	// Every regex lexer, for Tokenise; those of Lexers match with engines.
	for _, l := range slices.Clone(lexers.GlobalLexerRegistry.Lexers) {
		orig, ok := l.(*chroma.RegexLexer)
		if !ok || originals[orig.Config().Name] != nil {
			continue
		}
		originals[orig.Config().Name] = orig
		c := &compiled{}
		standIns := slices.Contains(Lexers, orig.Config().Name)
		w := wrap(orig, standIns, c, nil)
		wrappers[w] = &wrapper{compiled: c}
		if standIns {
			wrappers[w].own = orig
		}
		lexers.Register(w)
	}
}

// Original returns the lexer of chroma's that l wraps, or l if it is no
// wrapper.
func Original(l *chroma.RegexLexer) *chroma.RegexLexer {
	if orig := originals[l.Config().Name]; orig != nil {
		return orig
	}
	return l
}

// hookState is the state wrappers add to a lexer's rules for their
// compileHook: a state of its own, which no rule includes, since chroma
// refuses a lexer that holds one hook twice.
const hookState = "hlengines: compiled"

// wrap returns a lexer that lexes as orig does, and whose compileHook
// keeps its compiled rules in c (if not nil).
//
// With standIns, its rules match with the registered engines of their
// patterns: chroma compiles its rules, whose patterns are stand-ins
// (standIn), cheap to compile; then its compileHook compiles each rule's
// own pattern, as chroma would have, to the engine where one is
// registered, so there is none of the interpreter's compiling but orig's.
// observe, if not nil, sees each of those rules once compiled.
//
// Its Rules are those with stand-ins, plus the hook's state. A lexer that
// makes its rules of those (chroma's PHTML makes its of PHP's) lexes as it
// would with orig's: its compiling calls the hook too, which compiles its
// stand-ins, and keeps nothing of it.
func wrap(orig *chroma.RegexLexer, standIns bool, c *compiled, observe func(*chroma.CompiledRule)) *chroma.RegexLexer {
	w := chroma.MustNewLexer(orig.Config(), func() chroma.Rules {
		rules, err := rawRules(orig)
		if err != nil {
			// No "root" state: the wrapper's Tokenise fails as orig's does.
			return chroma.Rules{}
		}
		hook := &compileHook{id: hookIDs.Add(1), compiled: c, observe: observe}
		out := chroma.Rules{hookState: {{Mutator: hook}}}
		for state, rs := range rules {
			if state == hookState {
				continue // a wrapper's of whose rules orig made its own
			}
			out[state] = slices.Clone(rs)
			if !standIns {
				continue
			}
			for i := range out[state] {
				hook.patterns = append(hook.patterns, rs[i].Pattern)
				out[state][i].Pattern = hook.standIn(len(hook.patterns) - 1)
			}
		}
		return out
	})
	w.SetAnalyser(orig.AnalyseText)
	return w
}

// rawRules returns the rules of l, as l.Rules does, but without compiling
// them: chroma compiles a lexer's rules the first time they are asked for,
// and a wrapper's are compiled again, so that chroma's compiling of orig's
// would be as much again as the wrapper's (or all of it, for those whose
// patterns have engines, which are not compiled but looked up). So it
// calls the function l gets them from, chroma's RegexLexer.fetchRulesFunc,
// if it is there and of its type of chroma v2.27.0 (TestRawRules fails when
// it is not), and l.Rules otherwise.
func rawRules(l *chroma.RegexLexer) (chroma.Rules, error) {
	fetch := fetchRules(l)
	if fetch == nil {
		return l.Rules()
	}
	rules, err := fetch()
	if err != nil {
		return nil, err
	}
	if _, ok := rules["root"]; !ok {
		return nil, errors.New(`no "root" state`)
	}
	return rules, nil
}

// fetchRules returns l's fetchRulesFunc, or nil.
func fetchRules(l *chroma.RegexLexer) func() (chroma.Rules, error) {
	f := reflect.ValueOf(l).Elem().FieldByName("fetchRulesFunc")
	if !f.IsValid() || f.Type() != reflect.TypeFor[func() (chroma.Rules, error)]() {
		return nil
	}
	return *(*func() (chroma.Rules, error))(unsafe.Pointer(f.UnsafeAddr()))
}

// hookIDs numbers compileHooks.
var hookIDs atomic.Int64

// compileHook is the rule of a wrapper's hookState: once chroma has
// compiled the rules, it removes the state, keeps the compiled rules, and
// compiles each stand-in's own pattern.
type compileHook struct {
	id       int64
	patterns []string // the rules' own, by their stand-ins' numbers
	compiled *compiled
	observe  func(*chroma.CompiledRule)
	called   atomic.Bool
}

// compiled is where a compileHook keeps the compiled rules of its lexer,
// the map chroma's LexerStates lex with (which its compiling may change
// after the hook: Include and Combined).
type compiled struct {
	rules chroma.CompiledRules
}

// standIn returns the stand-in for the pattern of rule n of h: a comment,
// which matches the empty string.
func (h *compileHook) standIn(n int) string {
	return "(?#hlengines " + strconv.FormatInt(h.id, 10) + "." + strconv.Itoa(n) + ")"
}

// pattern returns the own pattern of a stand-in of h.
func (h *compileHook) pattern(standIn string) (string, bool) {
	_, n, ok := strings.Cut(strings.TrimSuffix(standIn, ")"), ".")
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 0 || i >= len(h.patterns) || standIn != h.standIn(i) {
		return "", false
	}
	return h.patterns[i], true
}

// Mutate is never called: no lexing reaches hookState.
func (h *compileHook) Mutate(*chroma.LexerState) error {
	return errors.New("hlengines: compile hook reached while lexing")
}

// MutateLexer removes the hook, keeps the rules (of the hook's own lexer,
// compiled first: making rules of a lexer's calls its Rules, which compile
// it), and compiles the stand-ins' own patterns.
func (h *compileHook) MutateLexer(rules chroma.CompiledRules, state string, _ int) error {
	delete(rules, state)
	own := !h.called.Swap(true)
	if own && h.compiled != nil {
		h.compiled.rules = rules
	}
	done := map[*chroma.CompiledRule]bool{}
	for _, rs := range rules {
		for _, rule := range rs {
			if done[rule] {
				continue
			}
			done[rule] = true
			pattern, ok := h.pattern(rule.Pattern)
			if !ok {
				continue
			}
			if err := compile(rule, pattern); err != nil {
				return err
			}
			if own && h.observe != nil {
				h.observe(rule)
			}
		}
	}
	return nil
}

// compile gives rule its own pattern, compiled as chroma compiled its
// stand-in (chroma's pattern for the stand-in, with the stand-in replaced),
// with the registered engine if there is one.
func compile(rule *chroma.CompiledRule, own string) error {
	pattern := strings.Replace(rule.Regexp.String(), rule.Pattern, own, 1)
	re, err := compilePattern(pattern)
	if err != nil {
		return fmt.Errorf("hlengines: compile rule %q: %w", own, err)
	}
	re.MatchTimeout = rule.Regexp.MatchTimeout
	rule.Pattern = own
	rule.Regexp = re
	return nil
}

// compilePattern compiles pattern, a pattern chroma compiles, as chroma
// does, to its registered engine if there is one.
func compilePattern(pattern string) (*regexp2.Regexp, error) {
	if engines[pattern] {
		return regexp2.MustCompile(pattern, regexp2.None), nil
	}
	return regexp2.Compile(pattern)
}

// compileRules returns the rules of orig compiled as chroma compiles a
// lexer's (RegexLexer's fetchRules and maybeCompile, chroma v2.27.0), each
// pattern to its registered engine if there is one: what the compiled
// rules of a wrapper with stand-ins are once its compileHook has run,
// without compiling stand-ins first (some 4 µs and 41 allocations each).
// TestCompileRules fails when they are not.
func compileRules(orig *chroma.RegexLexer) (chroma.CompiledRules, error) {
	raw, err := rawRules(orig)
	if err != nil {
		return nil, err
	}
	cfg := orig.Config()
	flags := ""
	if !cfg.NotMultiline {
		flags += "m"
	}
	if cfg.CaseInsensitive {
		flags += "i"
	}
	if cfg.DotAll {
		flags += "s"
	}
	rules := chroma.CompiledRules{}
	for state, rs := range raw {
		rules[state] = nil
		for i, r := range rs {
			pattern := "(?:" + r.Pattern + ")"
			if flags != "" {
				pattern = "(?" + flags + ")" + pattern
			}
			re, err := compilePattern(`\G` + pattern)
			if err != nil {
				return nil, fmt.Errorf("failed to compile rule %s.%d: %s", state, i, err)
			}
			re.MatchTimeout = 250 * time.Millisecond
			rules[state] = append(rules[state], &chroma.CompiledRule{Rule: r, Regexp: re})
		}
	}
	// Includes and combined states, as maybeCompile: a mutator at a time,
	// then again from the start.
restart:
	seen := map[chroma.LexerMutator]bool{}
	for state := range rules {
		for i := range len(rules[state]) {
			m, ok := rules[state][i].Mutator.(chroma.LexerMutator)
			if !ok {
				continue
			}
			if seen[m] {
				return nil, fmt.Errorf("saw mutator %T twice; this should not happen", m)
			}
			seen[m] = true
			if err := m.MutateLexer(rules, state, i); err != nil {
				return nil, err
			}
			goto restart
		}
	}
	for state, rs := range rules {
		for _, rule := range rs {
			if v, ok := rule.Type.(chroma.ValidatingEmitter); ok {
				if err := v.ValidateEmitter(rule); err != nil {
					return nil, fmt.Errorf("%s: %s: %s: %w", cfg.Name, state, rule.Pattern, err)
				}
			}
		}
	}
	return rules, nil
}

// isInclude reports whether rule is one that includes the rules of another
// state: it goes when chroma's compiling has put those in its place, which
// may be before or after a compileHook.
func isInclude(rule *chroma.CompiledRule) bool {
	m, ok := rule.Mutator.(chroma.SerialisableMutator)
	return ok && m.MutatorKind() == "include"
}

// Patterns returns the patterns chroma compiles the rules of the named
// lexer of its registry to (but those of includes), sorted.
func Patterns(name string) ([]string, error) {
	l, ok := lexers.Get(name).(*chroma.RegexLexer)
	if !ok || l.Config().Name != name {
		return nil, errors.New("hlengines: no regex lexer named " + name)
	}
	var patterns []string
	w := wrap(Original(l), true, nil, func(rule *chroma.CompiledRule) {
		if !isInclude(rule) {
			patterns = append(patterns, rule.Regexp.String())
		}
	})
	if _, err := w.Rules(); err != nil {
		return nil, err
	}
	slices.Sort(patterns)
	return slices.Compact(patterns), nil
}
