// Gen writes engines.go of package hlengines: regexp2cg's engines for the
// patterns chroma compiles the rules of hlengines.Lexers to; and
// analyses.go, what hlengines works out of each of those patterns, and of
// those of hlengines.Analysed, when a state is first used
// (hlengines.AnalysesFile).
//
//	go run ./internal/gen -o engines.go -a analyses.go
//
// (go generate in book/internal/hlengines). It lists the patterns
// (hlengines.Patterns), has regexp2cg (a tool of go.mod) generate an engine
// for each, and rewrites regexp2cg's file to register them through
// hlengines' register, without regexp2cg's searches for a start. A pattern
// regexp2cg cannot generate code for is listed in the file as one to
// leave to the interpreter.
//
// Gen imports hlengines, and so the engines.go it replaces: should that no
// longer compile (a regexp2 whose API changed), delete it first.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/bindery-books/bindery/book/internal/hlengines"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	out := flag.String("o", "engines.go", "the file of engines to write")
	analysesOut := flag.String("a", "analyses.go", "the file of analyses to write")
	flag.Parse()

	var pats []pattern
	seen := map[string]bool{}
	for _, name := range hlengines.Lexers {
		ps, err := hlengines.Patterns(name)
		if err != nil {
			log.Fatal(err)
		}
		for i, p := range ps {
			if seen[p] {
				continue
			}
			seen[p] = true
			if !strings.HasPrefix(p, `\G`) {
				log.Fatalf("%s: pattern %q does not start with \\G", name, p)
			}
			pats = append(pats, pattern{name: ident(name) + strconv.Itoa(i), expr: p})
		}
	}

	var exprs []string
	for _, p := range pats {
		exprs = append(exprs, p.expr)
	}
	for _, name := range hlengines.Analysed {
		ps, err := hlengines.Patterns(name)
		if err != nil {
			log.Fatal(err)
		}
		exprs = append(exprs, ps...)
	}
	analyses, err := hlengines.AnalysesFile(exprs)
	if err != nil {
		log.Fatal(err)
	}

	dir, err := os.MkdirTemp("", "hlengines")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	tool := filepath.Join(dir, "regexp2cg")
	if out, err := exec.Command("go", "build", "-o", tool, "github.com/dlclark/regexp2cg").CombinedOutput(); err != nil {
		log.Fatalf("go build regexp2cg: %v\n%s", err, out)
	}

	// regexp2cg refuses some patterns, and could write Go that does not
	// compile for others (repair mends what v0.9.1 does): those are left
	// to the interpreter.
	var unsupported []string
	ok := par(len(pats), func(i int) bool {
		if err := check(tool, pats[i].expr); err != nil {
			log.Printf("left to the interpreter: %q: %v", pats[i].expr, err)
			return false
		}
		return true
	})
	var supported []pattern
	for i, p := range pats {
		if ok[i] {
			supported = append(supported, p)
		} else {
			unsupported = append(unsupported, p.expr)
		}
	}
	src, err := generate(tool, dir, supported)
	if err != nil {
		log.Fatal(err)
	}
	src, err = rewrite(src, unsupported)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*analysesOut, analyses, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d engines, %d patterns left to the interpreter, in %s; analyses in %s", len(supported), len(unsupported), *out, *analysesOut)
}

// A pattern is one to generate an engine for, and the name its functions
// get.
type pattern struct {
	name, expr string
}

// ident returns a lexer's name as the start of a Go identifier: its
// words run together, the first in lower case ("Bash Session" is
// bashSession, "SQL" sql).
func ident(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return "pattern"
	}
	words[0] = strings.ToLower(words[0])
	return strings.Join(words, "")
}

// par calls f(i) for each i below n, on every core, and returns the
// results.
func par(n int, f func(i int) bool) []bool {
	res := make([]bool, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res[i] = f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return res
}

// check has regexp2cg generate the engine of expr alone, and reports why
// it cannot be used, if it cannot.
func check(tool, expr string) error {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(tool, "-expr", expr, "-package", "hlengines")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if stdout.Len() == 0 {
		return fmt.Errorf("%v: %s", runErr, lastLine(stderr.String()))
	}
	if _, err := format.Source(repair(stdout.Bytes())); err != nil {
		return fmt.Errorf("invalid Go: %v", err)
	}
	return nil
}

// lastLine returns the last line of regexp2cg's log, without the time.
func lastLine(log string) string {
	lines := strings.Split(strings.TrimSpace(log), "\n")
	l := lines[len(lines)-1]
	if f := strings.SplitN(l, " ", 3); len(f) == 3 {
		return f[2]
	}
	return l
}

// treeDump is a comment of regexp2cg's that shows the tree of a pattern:
// written as /* */, it ends early when the pattern holds */.
var treeDump = regexp.MustCompile(`(?ms)^/\*\n(.*?)^\*/$`)

// repair returns regexp2cg's unformatted file with its tree dumps as //
// comments, and the runes of its case clauses quoted.
func repair(src []byte) []byte {
	src = treeDump.ReplaceAllFunc(src, func(c []byte) []byte {
		dump := treeDump.FindSubmatch(c)[1]
		lines := strings.Split(strings.TrimSuffix(string(dump), "\n"), "\n")
		return []byte("// " + strings.Join(lines, "\n// "))
	})
	var out []byte
	for {
		i := bytes.Index(src, []byte("\ncase '"))
		if i < 0 {
			return append(out, src...)
		}
		i += len("\ncase ")
		out = append(out, src[:i]...)
		src = src[i:]
		if runes, n, ok := caseRunes(src); ok {
			for j, r := range runes {
				if j > 0 {
					out = append(out, ", "...)
				}
				out = strconv.AppendQuoteRune(out, r)
			}
			src = src[n:]
		}
	}
}

// caseRunes parses the runes of a case clause as regexp2cg writes a set's
// (v0.9.1): each in quotes as it is, ' and \ and newlines too ('a', ”',
// '\'), up to the colon; n is how many bytes they take.
func caseRunes(src []byte) (runes []rune, n int, ok bool) {
	for {
		if n >= len(src) || src[n] != '\'' {
			return nil, 0, false
		}
		r, size := utf8.DecodeRune(src[n+1:])
		if r == utf8.RuneError {
			return nil, 0, false
		}
		runes = append(runes, r)
		n += 1 + size
		switch {
		case bytes.HasPrefix(src[n:], []byte("', ")):
			n += len("', ")
		case bytes.HasPrefix(src[n:], []byte("':\n")):
			return runes, n + 1, true
		default:
			return nil, 0, false
		}
	}
}

// generate returns regexp2cg's file of engines for pats, unformatted,
// written in dir.
func generate(tool, dir string, pats []pattern) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("package hlengines\n\nimport \"github.com/dlclark/regexp2/v2\"\n\nvar (\n")
	for _, p := range pats {
		fmt.Fprintf(&b, "\t%s = regexp2.MustCompile(%s, regexp2.None)\n", p.name, strconv.Quote(p.expr))
	}
	b.WriteString(")\n")
	src := filepath.Join(dir, "src")
	if err := os.Mkdir(src, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(src, "patterns.go"), b.Bytes(), 0o644); err != nil {
		return nil, err
	}
	out := filepath.Join(dir, "engines.go")
	cmd := exec.Command(tool, "-path", src, "-o", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	runErr := cmd.Run()
	code, err := os.ReadFile(out)
	if err != nil || len(code) == 0 {
		return nil, fmt.Errorf("regexp2cg: %v: %s", runErr, lastLine(stderr.String()))
	}
	return repair(code), nil
}

// prune drops the statements of fn that no path of execution reaches
// (regexp2cg writes some after a goto; go vet reports them), then the labels
// no goto names any more, again until nothing goes. A variable the dropped
// statements used is used with _ = v after its declaration, so that it is
// not one declared and not used.
func prune(fn *ast.FuncDecl) {
	dropped := map[string]bool{}
	for {
		n := 0
		eachList(fn.Body, func(stmts []ast.Stmt) []ast.Stmt {
			live := reachable(stmts)
			for _, s := range stmts {
				if !slices.Contains(live, s) {
					n++
					ast.Inspect(s, func(n ast.Node) bool {
						if id, ok := n.(*ast.Ident); ok {
							dropped[id.Name] = true
						}
						return true
					})
				}
			}
			return live
		})
		used := map[string]bool{}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if b, ok := n.(*ast.BranchStmt); ok && b.Label != nil {
				used[b.Label.Name] = true
			}
			return true
		})
		eachList(fn.Body, func(stmts []ast.Stmt) []ast.Stmt {
			for i, s := range stmts {
				if l, ok := s.(*ast.LabeledStmt); ok && !used[l.Label.Name] {
					stmts[i] = l.Stmt
					n++
				}
			}
			return stmts
		})
		if n == 0 {
			break
		}
	}
	if len(dropped) == 0 {
		return
	}
	eachList(fn.Body, func(stmts []ast.Stmt) []ast.Stmt {
		var out []ast.Stmt
		for _, s := range stmts {
			out = append(out, s)
			for _, name := range declared(s) {
				if dropped[name] {
					out = append(out, &ast.AssignStmt{
						Lhs: []ast.Expr{ast.NewIdent("_")},
						Tok: token.ASSIGN,
						Rhs: []ast.Expr{ast.NewIdent(name)},
					})
				}
			}
		}
		return out
	})
}

// eachList replaces each list of statements in body by what f returns for
// it.
func eachList(body *ast.BlockStmt, f func([]ast.Stmt) []ast.Stmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BlockStmt:
			n.List = f(n.List)
		case *ast.CaseClause:
			n.Body = f(n.Body)
		case *ast.CommClause:
			n.Body = f(n.Body)
		}
		return true
	})
}

// reachable returns stmts without those that follow a goto or a return
// and have no label, which no path of execution reaches. (A label in a
// block is not reached from outside it.)
func reachable(stmts []ast.Stmt) []ast.Stmt {
	var out []ast.Stmt
	dead := false
	for _, s := range stmts {
		if _, ok := s.(*ast.LabeledStmt); ok {
			dead = false
		}
		if dead {
			continue
		}
		out = append(out, s)
		switch s := s.(type) {
		case *ast.ReturnStmt:
			dead = true
		case *ast.BranchStmt:
			dead = s.Tok == token.GOTO
		}
	}
	return out
}

// declared returns the names of the variables s declares.
func declared(s ast.Stmt) []string {
	var names []string
	switch s := s.(type) {
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, spec := range g.Specs {
				for _, id := range spec.(*ast.ValueSpec).Names {
					names = append(names, id.Name)
				}
			}
		}
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			for _, e := range s.Lhs {
				if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
					names = append(names, id.Name)
				}
			}
		}
	}
	return names
}

// rewrite turns regexp2cg's file into engines.go: the engines register
// through register, which gives them their search for a start, in place
// of regexp2cg's; comments that name the temporary file of patterns go.
func rewrite(src []byte, unsupported []string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "engines.go", src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("regexp2cg's file: %v", err)
	}
	var gone []ast.Node // regexp2cg's searches for a start, and their comments
	f.Decls = slices.DeleteFunc(f.Decls, func(d ast.Decl) bool {
		fn, ok := d.(*ast.FuncDecl)
		if ok && strings.HasSuffix(fn.Name.Name, "_FindFirstChar") {
			gone = append(gone, fn.Type, fn.Body)
			return true
		}
		return false
	})
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Body != nil {
			prune(fn)
		}
	}
	registered := 0
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "RegisterEngine" {
			return true
		}
		call.Fun = ast.NewIdent("register")
		call.Args = call.Args[:2]
		if lit, ok := call.Args[1].(*ast.CompositeLit); ok {
			lit.Elts = slices.DeleteFunc(lit.Elts, func(e ast.Expr) bool {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					return false
				}
				key, ok := kv.Key.(*ast.Ident)
				return ok && key.Name == "FindFirstChar"
			})
		}
		registered++
		return false
	})
	if registered == 0 {
		return nil, fmt.Errorf("regexp2cg's file registers no engine")
	}
	f.Comments = slices.DeleteFunc(f.Comments, func(c *ast.CommentGroup) bool {
		for _, n := range gone {
			if n.Pos() <= c.Pos() && c.End() <= n.End() {
				return true
			}
		}
		c.List = slices.DeleteFunc(c.List, func(c *ast.Comment) bool {
			return strings.Contains(c.Text, "patterns.go:")
		})
		return len(c.List) == 0
	})

	// regexp2cg writes the variables its engines share (sets of runes)
	// in no order: they go last, sorted by name, each with its comment.
	type shared struct{ name, text string }
	var vars []shared
	var err2 error
	f.Decls = slices.DeleteFunc(f.Decls, func(d ast.Decl) bool {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR || len(g.Specs) != 1 || g.Doc == nil {
			return false
		}
		spec := g.Specs[0].(*ast.ValueSpec)
		var text bytes.Buffer
		for _, c := range g.Doc.List {
			text.WriteString(c.Text + "\n")
		}
		f.Comments = slices.DeleteFunc(f.Comments, func(c *ast.CommentGroup) bool { return c == g.Doc })
		g.Doc = nil
		if err := format.Node(&text, fset, g); err != nil {
			err2 = err
		}
		vars = append(vars, shared{spec.Names[0].Name, text.String()})
		return true
	})
	if err2 != nil {
		return nil, err2
	}
	slices.SortFunc(vars, func(a, b shared) int { return strings.Compare(a.name, b.name) })

	var b bytes.Buffer
	b.WriteString("// Code generated by internal/gen (go generate); DO NOT EDIT.\n\n")
	b.WriteString("//lint:file-ignore SA4006 regexp2cg's engines store values that some paths do not read.\n\n")
	if err := format.Node(&b, fset, f); err != nil {
		return nil, err
	}
	for _, v := range vars {
		b.WriteString("\n" + v.text + "\n")
	}
	b.WriteString("\n// unsupported are the patterns regexp2cg generates no engine for:\n// the interpreter matches them.\nvar unsupported = []string{\n")
	for _, p := range unsupported {
		fmt.Fprintf(&b, "\t%s,\n", strconv.Quote(p))
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}
