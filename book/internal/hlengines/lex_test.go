package hlengines

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// plainLexers returns a registry of the lexers of chroma's, with new regex
// lexers of the rules of chroma's own in place of the wrappers: lexers that
// lex with chroma's loop and regexp2's interpreter, and find those when
// they hand code to others by name (Using).
func plainLexers() *chroma.LexerRegistry {
	reg := chroma.NewLexerRegistry()
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		if rl, ok := l.(*chroma.RegexLexer); ok {
			orig := Original(rl)
			l = chroma.MustNewLexer(orig.Config(), orig.MustRules)
		}
		reg.Register(l)
	}
	return reg
}

// chromaTokens returns the tokens chroma gives code in l, or the panic it
// meets.
func chromaTokens(l chroma.Lexer, code string) (toks []chroma.Token, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	it, err := chroma.Coalesce(l).Tokenise(nil, code)
	if err != nil {
		return nil, err
	}
	return it.Tokens(), nil
}

// ourTokens returns the tokens Tokenise gives code in l, or the panic it
// meets.
func ourTokens(l chroma.Lexer, code string) (toks []chroma.Token, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return Tokenise(l, code)
}

// chromaTestdata returns the sources of chroma's lexer tests, by the name
// of the lexer they are in, or nil if chroma's module is not at hand.
func chromaTestdata(t *testing.T) map[string][]string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/alecthomas/chroma/v2").Output()
	if err != nil {
		t.Logf("no chroma module: %v", err)
		return nil
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "lexers", "testdata")
	files, _ := filepath.Glob(filepath.Join(dir, "*.actual"))
	subs, _ := filepath.Glob(filepath.Join(dir, "*", "*.actual"))
	sources := map[string][]string{}
	for _, f := range append(files, subs...) {
		// As chroma's TestLexers: testdata/<lexer>.actual and
		// testdata/<lexer>/<anything>.actual.
		name := strings.Split(filepath.Base(f), ".")[0]
		if d := filepath.Dir(f); d != dir {
			name = filepath.Base(d)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources[name] = append(sources[name], string(b))
	}
	return sources
}

// TestTokenise checks that Tokenise gives the tokens chroma's loop gives,
// with the interpreter, on the sources of chroma's own lexer tests (some
// 180 languages) and on their every line alone (which starts some in the
// middle of a string or comment, and ends others there), with CRLF line
// ends, and with a text that is not UTF-8.
func TestTokenise(t *testing.T) {
	sources := chromaTestdata(t)
	sources["go"] = append(sources["go"], "package main\r\n\r\nfunc main() {\r\n\tfmt.Println(\"x\xff\", `raw\r\n`)\r\n}")
	sources["python"] = append(sources["python"], "def f(x):\n    return 'unclosed\n\"\"\"doc\n")
	plain := plainLexers()
	names := make([]string, 0, len(sources))
	delete(sources, "analysis") // not a lexer's: chroma's tests of AnalyseText
	for name := range sources {
		names = append(names, name)
	}
	slices.Sort(names)
	fast, lexed := 0, 0
	for _, name := range names {
		l := lexers.Get(name)
		if l == nil {
			t.Errorf("%s: no lexer", name)
			continue
		}
		if x, err := fastLexer(l); x != nil && err == nil {
			fast++
		}
		ref := plain.Get(l.Config().Name)
		for i, src := range sources[name] {
			codes := []string{src, strings.ReplaceAll(src, "\n", "\r\n")}
			if !testing.Short() {
				codes = append(codes, strings.SplitAfter(src, "\n")...)
			}
			for j, code := range codes {
				lexed++
				got, gotErr := ourTokens(l, code)
				want, wantErr := chromaTokens(ref, code)
				if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
					t.Errorf("%s: source %d, text %d: error %v, chroma's %v", name, i, j, gotErr, wantErr)
				} else if !slices.Equal(got, want) {
					t.Errorf("%s: source %d, text %d: tokens differ from chroma's%s", name, i, j, firstDiff(got, want))
				}
			}
		}
	}
	t.Logf("%d languages (%d lexed by Tokenise's loop), %d texts", len(names), fast, lexed)
	if fast == 0 {
		t.Error("no lexer lexed by Tokenise's loop")
	}
}

// firstDiff describes where got first differs from want.
func firstDiff(got, want []chroma.Token) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf(": token %d is %v %q, chroma's %v %q", i, got[i].Type, got[i].Value, want[i].Type, want[i].Value)
		}
	}
	return fmt.Sprintf(": %d tokens, chroma's %d", len(got), len(want))
}

// edgeRules are the rules of a lexer made to meet what chroma's loop does
// beyond the lexers of chroma's registry's common ways.
func edgeRules() chroma.Rules {
	r := func(pattern string, typ chroma.Emitter, m chroma.Mutator) chroma.Rule {
		return chroma.Rule{Pattern: pattern, Type: typ, Mutator: m}
	}
	return chroma.Rules{
		"root": {
			r(`\s+`, chroma.TextWhitespace, nil),
			r(`"`, chroma.String, chroma.Push("string")),
			r(`(?<open>\()(?<word>\w*)(?<close-open>\))`, chroma.Punctuation, nil), // a balancing group
			r(`(?<kw>let)(?<sp>\s+)(?<name>[a-z]+)`, chroma.ByGroupNames(map[string]chroma.Emitter{
				"kw": chroma.Keyword, "sp": chroma.TextWhitespace, "name": chroma.NameVariable,
			}), nil),
			r(`(haxe)(\{)([^}]*)(\})`, chroma.ByGroups(chroma.Keyword, chroma.Punctuation, chroma.Using("Haxe"), chroma.Punctuation), nil),
			r(`(go)(\{)([^}]*)(\})`, chroma.ByGroups(chroma.Keyword, chroma.Punctuation, chroma.Using("Go"), chroma.Punctuation), nil),
			r(`(self)(\{)([^}]*)(\})`, chroma.ByGroups(chroma.Keyword, chroma.Punctuation, chroma.UsingSelf("inner"), chroma.Punctuation), nil),
			r(`END`, chroma.Keyword, chroma.Pop(1)), // empties the stack: the rest is an error
			r(`@`, chroma.Operator, chroma.Combined("string", "inner")),
			r(`é+`, chroma.NameOther, nil),
			r(`[a-z]+`, chroma.Name, nil),
			r(`\d+`, chroma.Number, chroma.Push("number")),
		},
		"string": {
			r(`[^"\\\n]+`, chroma.String, nil),
			r(`\\.`, chroma.StringEscape, nil),
			r(`"`, chroma.String, chroma.Pop(1)),
		},
		"inner": {
			r(`[A-Z]+`, chroma.NameConstant, nil),
			r(`\s+`, chroma.TextWhitespace, nil),
		},
		"number": {
			r(`\.\d+`, chroma.Number, nil),
			chroma.Default(chroma.Pop(1)),
		},
	}
}

// TestTokeniseEdges checks that Tokenise gives the tokens chroma's loop
// gives with a lexer of edgeRules, case-sensitive and not, that ensures a
// final newline and not.
func TestTokeniseEdges(t *testing.T) {
	plain := plainLexers()
	codes := []string{
		"let  x \"a\\\"b\" (w) 12.5.7 é ÉÉ x",
		"\"unclosed\nnext line\n",
		"self{ ABC def } haxe{var x = 1;} go{x := `y`}",
		"@\"in string\" ABC \"more\nEND rest of it\n",
		"x END",
		"UPPER lower ((x)",
		"",
	}
	for i, cfg := range []chroma.Config{
		{Name: "hlengines edges"},
		{Name: "hlengines edges i", CaseInsensitive: true},
		{Name: "hlengines edges nl", EnsureNL: true},
	} {
		orig := chroma.MustNewLexer(&cfg, edgeRules)
		c := &compiled{}
		w := wrap(orig, false, c, nil)
		wrappers[w] = &wrapper{compiled: c}
		lexers.Register(w)
		ref := plain.Register(chroma.MustNewLexer(&cfg, edgeRules))
		if x, err := fastLexer(w); x == nil || err != nil {
			t.Fatalf("%s: not lexed by Tokenise's loop (%v)", cfg.Name, err)
		}
		for j, code := range codes {
			got, gotErr := ourTokens(w, code)
			want, wantErr := chromaTokens(ref, code)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Errorf("config %d, text %d: error %v, chroma's %v", i, j, gotErr, wantErr)
			} else if !slices.Equal(got, want) {
				t.Errorf("config %d, text %d: tokens differ from chroma's%s\n got %v\nwant %v", i, j, firstDiff(got, want), got, want)
			}
		}
	}
}

// programTexts are the texts TestPrograms and TestCandidates match in.
var programTexts = []string{
	"func main() {\n\tfmt.Println(\"héllo\", 0x1F, 1.5e-3) // ok\n}\n",
	"  #!/bin/sh\r\nexport A=1 && echo $A; ls -la | grep '^d'\n\n",
	"SELECT * FROM t WHERE a <> 'x' -- c\n/* b */ ÉTÉ_1 ſelect K\u212a\n",
	"def f(x): return x ** 2  # ü\n@dec\nclass A(B): pass\n\"\"\"doc\"\"\"",
	"key: value\n- item\n  nested: [1, 2]\n---\n%YAML 1.2\n\t\v\f\u00a0\u2028x",
	"<div class=\"a\">&amp;</div><!-- c -->\n<?php echo 1; ?>",
	"",
	"a",
	"\n",
}

// TestPrograms checks that the programs of the rules of chroma's lexers
// that have one match as regexp2 does, at every position of texts made to
// meet what they look at: line ends, word boundaries, classes of
// characters beyond ASCII, the end of the text.
func TestPrograms(t *testing.T) {
	var runes [][]rune
	for _, text := range programTexts {
		runes = append(runes, []rune(text))
	}
	programs, checked := 0, 0
	seen := map[string]bool{}
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		x, err := fastLexer(l)
		if x == nil || err != nil {
			continue
		}
		for _, s := range x.states {
			x.build(s)
			for _, r := range s.rules {
				if r.prog == nil || seen[r.re.String()] {
					continue
				}
				seen[r.re.String()] = true
				programs++
				for _, text := range runes {
					for pos := range len(text) {
						checked++
						spans := make([]span, len(r.nums))
						got := r.prog.match(text, pos, spans)
						m, err := r.re.FindRunesMatchStartingAt(text, pos)
						want := m != nil && err == nil && m.RuneIndex == pos
						if got != want {
							t.Fatalf("%s: %q at %d of %q: program matches %v, regexp2 %v", l.Config().Name, r.re.String(), pos, string(text), got, want)
						}
						if !want {
							continue
						}
						for i, g := range m.Groups() {
							if spans[i] != (span{g.RuneIndex, g.RuneIndex + g.RuneLength}) {
								t.Fatalf("%s: %q at %d of %q: group %d is %v, regexp2's %d+%d", l.Config().Name, r.re.String(), pos, string(text), i, spans[i], g.RuneIndex, g.RuneLength)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d programs, %d matches checked", programs, checked)
	if programs == 0 {
		t.Error("no rule has a program")
	}
}

// TestCandidates checks that wherever a rule of one of chroma's lexers
// matches in texts of TestPrograms', Tokenise would try it: it is among
// the candidates of its state at the character there, and the text fits.
func TestCandidates(t *testing.T) {
	var texts [][]rune
	for _, text := range programTexts {
		texts = append(texts, []rune(text))
	}
	rules, checked := 0, 0
	seen := map[string]bool{}
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		x, err := fastLexer(l)
		if x == nil || err != nil {
			continue
		}
		for name, s := range x.states {
			x.build(s)
			for i, r := range s.rules {
				if seen[r.re.String()] {
					continue
				}
				seen[r.re.String()] = true
				rules++
				for _, text := range texts {
					for pos := range len(text) {
						c := text[pos]
						if c >= 128 {
							continue // every rule is tried
						}
						m, err := r.re.FindRunesMatchStartingAt(text, pos)
						if m == nil || err != nil || m.RuneIndex != pos {
							continue
						}
						checked++
						j := slices.IndexFunc(s.byChar[c], func(cd candidate) bool { return cd.rule == i })
						if j < 0 || !s.byChar[c][j].fits(text, pos) {
							t.Fatalf("%s: state %s: %q matches at %d of %q, but is not tried there", l.Config().Name, name, r.re.String(), pos, string(text))
						}
					}
				}
			}
		}
	}
	t.Logf("%d rules, %d matches checked", rules, checked)
}

// TestTokeniseConcurrently checks that goroutines lexing at once with a
// lexer none has used before (whose states are worked out as texts meet
// them) get chroma's tokens; with -race, that they share it safely.
func TestTokeniseConcurrently(t *testing.T) {
	plain := plainLexers()
	codes := []string{
		"package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(`raw`, 'x', 1.5)\n}\n",
		"/* a comment\n that goes on */\nvar x = map[string]int{\"a\": 1}\n",
		"type T struct{ A, B int } // T\n",
	}
	orig := originals["Go"]
	cfg := *orig.Config()
	cfg.Name = "hlengines concurrent Go"
	fresh := chroma.MustNewLexer(&cfg, orig.MustRules)
	c := &compiled{}
	w := wrap(fresh, false, c, nil)
	wrappers[w] = &wrapper{compiled: c}
	lexers.Register(w)
	ref := plain.Get("Go")
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range codes {
				code := codes[(g+i)%len(codes)]
				got, err := Tokenise(w, code)
				want, wantErr := chromaTokens(ref, code)
				if err != nil || wantErr != nil || !slices.Equal(got, want) {
					errs <- fmt.Sprintf("goroutine %d, text %q: tokens differ from chroma's (%v, %v)%s", g, code, err, wantErr, firstDiff(got, want))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
