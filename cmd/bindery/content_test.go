package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bindery-books/bindery/book"
	"github.com/yuin/goldmark/ast"
	"golang.org/x/tools/txtar"
)

// The book we ship is held to the bar its issues set: every chapter listed
// in the index exists with full front matter, has at least 1,500 words of
// prose and 4 code examples, every Elixir example parses, the examples that
// say so run and print what the book says, and every link resolves.
//
// Runnable examples are marked on the fence, after the language, so the
// packagers and Hugo still see an elixir block:
//
//	```elixir run            the block is a program of its own
//	```elixir run=NAME       the blocks of one chapter with the same NAME are
//	                         joined in document order and run as one program
//	... since=1.18 otp=27    after run or run=NAME: the oldest Elixir and OTP
//	                         the program needs; older installs skip it
//	```elixir norun          uses only the standard library, but cannot run
//	                         alone (an excerpt, config, needs a cluster, ...)
//
// A block with the info string "output" right after a program's last block
// (blank lines between are fine) is what the program must print on stdout;
// line-end spaces and trailing empty lines do not count, and a line that is
// exactly "..." stands for any number of lines. A program fails when elixir
// exits non-zero, prints "warning:" on stderr, takes over 30 seconds, or
// prints something else. A program with a test module (use ExUnit.Case)
// gets ExUnit.start(seed: 0) before it, so a failing test fails it.

const contentDir = "../../content"

var (
	fencedBlock = regexp.MustCompile("(?ms)^```.*?^```[ \t]*$")
	wordRE      = regexp.MustCompile(`[A-Za-z0-9]`)
)

// proseWords counts the words of a chapter body outside fenced code.
func proseWords(body []byte) int {
	n := 0
	for _, w := range strings.Fields(fencedBlock.ReplaceAllString(string(body), " ")) {
		if wordRE.MatchString(w) {
			n++
		}
	}
	return n
}

// editionProblems fails the test with the problems of one of the second
// edition's checks, one per line: "a plain elixir block that uses only the
// standard library is marked run or norun" and "a module defined in more
// than one chapter is extended, not redefined".
func editionProblems(t *testing.T, what string, problems []string) {
	t.Helper()
	if len(problems) == 0 {
		t.Logf("%s: none", what)
		return
	}
	t.Errorf("%s: %d\n%s", what, len(problems), strings.Join(problems, "\n"))
}

var contentLoad struct {
	sync.Once
	b   *book.Book
	err error
}

// contentBook loads content/ strictly, once for all the tests that read it.
func contentBook(t *testing.T) *book.Book {
	t.Helper()
	if _, err := os.Stat(filepath.Join(contentDir, "_index.md")); err != nil {
		t.Skip("no content/_index.md")
	}
	contentLoad.Do(func() {
		contentLoad.b, contentLoad.err = book.Load(contentDir, book.Options{Strict: true})
	})
	if contentLoad.err != nil {
		t.Fatalf("the content book does not load strictly:\n%v", contentLoad.err)
	}
	return contentLoad.b
}

// A fence is a fenced code block as written in a chapter's markdown. The
// content tests read code blocks from the source text, not from package
// book's tree, because they need the whole info string ("elixir run=x").
type fence struct {
	line int    // file line of the opening fence
	info string // the info string, trimmed
	lang string // the language, as the packagers read the info string
	code string
	// adjacent is true when only blank lines separate the fence from the
	// fence before it.
	adjacent bool
}

var fenceOpen = regexp.MustCompile("^( *)(`{3,}|~{3,})(.*)$")

// scanFences returns the fenced code blocks of a CommonMark text whose first
// line is file line firstLine. A fence's content loses as many leading
// spaces as its opening fence is indented, as CommonMark says.
func scanFences(src []byte, firstLine int) []fence {
	var (
		fs       []fence
		cur      *fence
		marker   string // the opening fence's run of ` or ~
		indent   int
		code     strings.Builder
		blankGap bool // nothing but blank lines since the last fence closed
	)
	lines := strings.SplitAfter(string(src), "\n")
	for i, l := range lines {
		text := strings.TrimRight(l, "\r\n")
		if cur == nil {
			m := fenceOpen.FindStringSubmatch(text)
			if m == nil || (m[2][0] == '`' && strings.Contains(m[3], "`")) {
				if strings.TrimSpace(text) != "" {
					blankGap = false
				}
				continue
			}
			info := strings.TrimSpace(m[3])
			cur = &fence{
				line:     firstLine + i,
				info:     info,
				lang:     book.CodeLanguage(info),
				adjacent: len(fs) > 0 && blankGap,
			}
			marker, indent = m[2], len(m[1])
			code.Reset()
			continue
		}
		if t := strings.TrimLeft(text, " "); strings.HasPrefix(t, marker) &&
			strings.Trim(t, marker[:1]+" \t") == "" {
			cur.code = code.String()
			fs = append(fs, *cur)
			cur, blankGap = nil, true
			continue
		}
		for n := 0; n < indent && strings.HasPrefix(l, " "); n++ {
			l = l[1:]
		}
		code.WriteString(l)
	}
	if cur != nil {
		cur.code = code.String()
		fs = append(fs, *cur)
	}
	return fs
}

// chapterFences returns the fenced code blocks of a chapter.
func chapterFences(ch *book.Chapter) []fence {
	return scanFences(ch.Source, ch.BodyLine)
}

// parsedBlock is a fenced code block as package book's parser sees it.
type parsedBlock struct {
	lang, code string
	line       int
}

// parsedBlocks returns the fenced code blocks of a chapter's parsed tree,
// mermaid diagrams included, each with the line of its opening fence. It is
// the content tests' only use of the tree: checkFencesMatchParser compares
// it with the source scanner's reading.
func parsedBlocks(ch *book.Chapter) []parsedBlock {
	var bs []parsedBlock
	lines := strings.Split(string(ch.Source), "\n")
	fenced := func(n ast.Node) (int, bool) {
		line := ch.NodeLine(n)
		i := line - ch.BodyLine
		if i < 0 || i >= len(lines) {
			return line, false
		}
		t := strings.TrimLeft(lines[i], " ")
		return line, strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")
	}
	_ = ast.Walk(ch.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var cb *book.CodeBlock
		switch n := n.(type) {
		case *book.CodeBlock:
			cb = n
		case *book.Diagram:
			cb = n.Code
		default:
			return ast.WalkContinue, nil
		}
		if line, ok := fenced(n); ok {
			bs = append(bs, parsedBlock{cb.Lang, cb.Code, line})
		}
		return ast.WalkSkipChildren, nil
	})
	return bs
}

// checkFencesMatchParser makes sure the source scanner finds the code blocks
// the book renders, so that every example a reader sees is checked.
func checkFencesMatchParser(t *testing.T, ch *book.Chapter, fs []fence) {
	t.Helper()
	ps := parsedBlocks(ch)
	for i := 0; i < max(len(fs), len(ps)); i++ {
		switch {
		case i >= len(ps):
			t.Errorf("%s:%d: the fence scanner finds a %s block the parser does not", ch.Path, fs[i].line, fs[i].lang)
		case i >= len(fs):
			t.Errorf("%s:%d: the parser finds a %s block the fence scanner does not", ch.Path, ps[i].line, ps[i].lang)
		case fs[i].lang != ps[i].lang:
			t.Errorf("%s:%d: the fence scanner reads a %s block, the parser a %s block", ch.Path, fs[i].line, fs[i].lang, ps[i].lang)
		case fs[i].code != ps[i].code:
			a, b := strings.Split(fs[i].code, "\n"), strings.Split(ps[i].code, "\n")
			n := 0
			for n < min(len(a), len(b))-1 && a[n] == b[n] {
				n++
			}
			t.Errorf("%s:%d: the fence scanner reads line %d of the block as %q, the parser as %q",
				ch.Path, fs[i].line+1+n, n+1, a[min(n, len(a)-1)], b[min(n, len(b)-1)])
		default:
			continue
		}
		return
	}
}

func TestContentBook(t *testing.T) {
	b := contentBook(t)
	if ds := b.Diagnostics.Sorted(); len(ds) > 0 {
		t.Errorf("content book has problems: %v", ds)
	}
	var elixir []elixirBlock
	diagrams := map[int]int{} // chapter number -> mermaid blocks
	for _, ch := range b.Chapters {
		fm := ch.FrontMatter
		if fm.Title == "" || fm.Date == "" || fm.Description == "" || len(fm.Tags) == 0 || fm.Weight == 0 {
			t.Errorf("%s: front matter needs title, date, weight, description and tags: %+v", ch.Path, fm)
		}
		if fm.Draft {
			t.Errorf("%s: draft", ch.Path)
		}
		if n := proseWords(ch.Source); n < 1500 {
			t.Errorf("%s: %d words of prose, want at least 1500", ch.Path, n)
		}
		fs := chapterFences(ch)
		checkFencesMatchParser(t, ch, fs)
		examples := 0
		for _, f := range fs {
			switch f.lang {
			case "mermaid":
				diagrams[ch.Number]++
			case "output":
				// The expected output of the block before it, not an example.
			case "elixir":
				// A malformed info string is TestContentExamplesRun's to report.
				spec, _ := parseRunSpec(f.info)
				elixir = append(elixir, elixirBlock{
					code:  f.code,
					where: fmt.Sprintf("%s:%d", ch.Path, f.line),
					plain: !spec.run && !spec.norun,
				})
				examples++
			default:
				examples++
			}
		}
		if examples < 4 {
			t.Errorf("%s: %d code examples, want at least 4", ch.Path, examples)
		}
	}
	for _, span := range [][2]int{{3, 19}, {20, 37}} {
		n := 0
		for c := span[0]; c <= span[1]; c++ {
			n += diagrams[c]
		}
		if len(b.Chapters) >= span[1] && n < 8 {
			t.Errorf("chapters %d-%d have %d mermaid diagrams, want at least 8", span[0], span[1], n)
		}
	}
	checkElixir(t, elixir)
}

// needElixir skips the test when elixir is not installed, or fails it when
// BINDERY_REQUIRE_ELIXIR is set (as CI does).
func needElixir(t *testing.T, what string) {
	t.Helper()
	if _, err := exec.LookPath("elixir"); err != nil {
		if os.Getenv("BINDERY_REQUIRE_ELIXIR") != "" {
			t.Fatal("elixir is required (BINDERY_REQUIRE_ELIXIR is set) but not installed")
		}
		t.Skipf("elixir not installed (apt-get install elixir): not checking %s", what)
	}
}

// elixirBlock is an elixir block for checkElixir.
type elixirBlock struct {
	code  string
	where string // "content/chapter.md:LINE"
	plain bool   // marked neither run nor norun
}

// checkElixir parses every Elixir example with Code.string_to_quoted/1, and
// lists the plain blocks that use only the standard library and OTP, in one
// run of elixir (testdata/check_examples.exs).
func checkElixir(t *testing.T, blocks []elixirBlock) {
	needElixir(t, "that the examples parse")
	script, err := filepath.Abs(filepath.Join("testdata", "check_examples.exs"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var list strings.Builder
	for i, b := range blocks {
		name := filepath.Join(dir, fmt.Sprintf("%04d.exs", i))
		if err := os.WriteFile(name, []byte(b.code), 0o644); err != nil {
			t.Fatal(err)
		}
		classify := 0
		if b.plain {
			classify = 1
		}
		fmt.Fprintf(&list, "%s\t%s\t%d\n", name, b.where, classify)
	}
	listFile := filepath.Join(dir, "list")
	if err := os.WriteFile(listFile, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// Only what the script prints counts: the parser's own warnings (a
	// quoted keyword in a mix.lock example) go to stderr.
	var stderr strings.Builder
	cmd := exec.Command("elixir", script, listFile)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("elixir %s: %v\n%s%s", script, err, out, stderr.String())
	}
	var unparsed, stdlib []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		kind, msg, _ := strings.Cut(l, "\t")
		switch kind {
		case "parse":
			unparsed = append(unparsed, msg)
		case "stdlib":
			stdlib = append(stdlib, msg+": elixir block uses only the standard library: mark it run or norun")
		case "":
		default:
			t.Errorf("check_examples.exs: unexpected output %q", l)
		}
	}
	if len(unparsed) > 0 {
		t.Errorf("Elixir examples that do not parse:\n%s", strings.Join(unparsed, "\n"))
	}
	t.Logf("%d Elixir examples parse", len(blocks))
	editionProblems(t, "plain elixir blocks that use only the standard library (mark them run or norun)", stdlib)
}

// runSpec is what an elixir fence's info string says about running it.
type runSpec struct {
	run   bool   // "run" or "run=NAME"
	group string // NAME of "run=NAME"; "" for a block that runs alone
	norun bool
	since string // the oldest Elixir the block runs on, "1.18"
	otp   int    // the oldest OTP release the block runs on
}

var (
	groupName    = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	versionWord  = regexp.MustCompile(`^[0-9]+(\.[0-9]+){1,2}$`)
	runSpecWords = "run, run=NAME, norun, since=X.Y, otp=N"
)

// parseRunSpec reads the words after the language of a fence's info string.
// Blocks of other languages may carry words of their own, but not ours.
func parseRunSpec(info string) (runSpec, error) {
	var s runSpec
	words := strings.Fields(info)
	if len(words) < 2 {
		return s, nil
	}
	elixir := book.CodeLanguage(info) == "elixir"
	seen := map[string]bool{}
	for _, w := range words[1:] {
		key, val, hasVal := strings.Cut(w, "=")
		if key != "run" && key != "norun" && key != "since" && key != "otp" {
			if elixir {
				return s, fmt.Errorf("unknown word %q in the fence's info string (want %s)", w, runSpecWords)
			}
			continue
		}
		if !elixir {
			return s, fmt.Errorf("%q on a %s block: only elixir blocks run", w, book.CodeLanguage(info))
		}
		if seen[key] {
			return s, fmt.Errorf("%q twice in the fence's info string", key)
		}
		seen[key] = true
		switch key {
		case "run":
			s.run = true
			if hasVal {
				if !groupName.MatchString(val) {
					return s, fmt.Errorf("run=%s: a program name is lower case letters, digits, - and _", val)
				}
				s.group = val
			}
		case "norun":
			if hasVal {
				return s, fmt.Errorf("%q: norun takes no value", w)
			}
			s.norun = true
		case "since":
			if !versionWord.MatchString(val) {
				return s, fmt.Errorf("%q: want an Elixir version such as since=1.18", w)
			}
			s.since = val
		case "otp":
			n, err := strconv.Atoi(val)
			if err != nil || n <= 0 {
				return s, fmt.Errorf("%q: want an OTP release such as otp=27", w)
			}
			s.otp = n
		}
	}
	switch {
	case s.run && s.norun:
		return s, fmt.Errorf("both run and norun")
	case !s.run && (s.since != "" || s.otp != 0):
		return s, fmt.Errorf("since= and otp= need run")
	}
	return s, nil
}

// An example is one program of the book: a block marked run, or the blocks
// of a chapter marked run=NAME, joined in document order.
type example struct {
	path   string // the chapter's display path
	line   int    // the line of its first block
	group  string
	since  string
	otp    int
	blocks []fence
	want   *fence // the output block after its last block, or nil
}

// where names an example in messages.
func (e *example) where() string {
	if e.group == "" {
		return fmt.Sprintf("%s:%d", e.path, e.line)
	}
	return fmt.Sprintf("%s:%d: run=%s", e.path, e.line, e.group)
}

// exUnitCase finds a test module, which needs ExUnit started before it.
var exUnitCase = regexp.MustCompile(`(?m)^\s*use ExUnit\.Case\b`)

// program returns the source of the example as elixir runs it, and for each
// program line the file line it comes from (0 for lines the harness adds).
func (e *example) program() (string, []int) {
	var src strings.Builder
	lines := []int{0} // program lines are 1-based
	add := func(s string, line int) {
		for _, l := range strings.SplitAfter(s, "\n") {
			if l == "" {
				continue
			}
			src.WriteString(l)
			lines = append(lines, line)
			if line > 0 {
				line++
			}
		}
	}
	for _, b := range e.blocks {
		if exUnitCase.MatchString(b.code) {
			add("ExUnit.start(seed: 0)\n", 0)
			break
		}
	}
	for i, b := range e.blocks {
		if i > 0 {
			add("\n", 0)
		}
		code := b.code
		if code != "" && !strings.HasSuffix(code, "\n") {
			code += "\n"
		}
		add(code, b.line+1)
	}
	return src.String(), lines
}

// chapterExamples returns the examples of a chapter and the problems of its
// fences' info strings and output blocks, as "file:line: message".
func chapterExamples(path string, fs []fence) ([]*example, []string) {
	type problem struct {
		line int
		msg  string
	}
	var (
		exs    []*example
		probs  []problem
		groups = map[string]*example{}
		owner  = make([]*example, len(fs)) // the example a runnable fence belongs to
		bad    = make([]bool, len(fs))
	)
	for i, f := range fs {
		s, err := parseRunSpec(f.info)
		if err != nil {
			probs = append(probs, problem{f.line, fmt.Sprintf("%s:%d: %v", path, f.line, err)})
			bad[i] = true
			continue
		}
		if !s.run {
			continue
		}
		e := groups[s.group]
		if e == nil || s.group == "" {
			e = &example{path: path, line: f.line, group: s.group}
			exs = append(exs, e)
			if s.group != "" {
				groups[s.group] = e
			}
		}
		e.blocks = append(e.blocks, f)
		owner[i] = e
		if versionLess(e.since, s.since) {
			e.since = s.since
		}
		e.otp = max(e.otp, s.otp)
	}
	// Each output block belongs to the runnable block right before it,
	// which must be the last block of its program.
	for i, f := range fs {
		if f.lang != "output" {
			continue
		}
		if i == 0 || !f.adjacent || bad[i-1] || owner[i-1] == nil {
			probs = append(probs, problem{f.line, fmt.Sprintf("%s:%d: output block follows no runnable elixir block", path, f.line)})
			continue
		}
		e := owner[i-1]
		if last := e.blocks[len(e.blocks)-1]; last.line != fs[i-1].line {
			probs = append(probs, problem{f.line, fmt.Sprintf("%s:%d: output block of run=%s is not after its last block (line %d)",
				path, f.line, e.group, last.line)})
			continue
		}
		e.want = &fs[i]
	}
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].line < probs[j].line })
	problems := make([]string, len(probs))
	for i, p := range probs {
		problems[i] = p.msg
	}
	return exs, problems
}

// versionLess reports whether dotted version a is older than b; "" is
// older than any version.
func versionLess(a, b string) bool {
	if b == "" {
		return false
	}
	if a == "" {
		return true
	}
	x, y := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(x), len(y)); i++ {
		var m, n int
		if i < len(x) {
			m, _ = strconv.Atoi(x[i])
		}
		if i < len(y) {
			n, _ = strconv.Atoi(y[i])
		}
		if m != n {
			return m < n
		}
	}
	return false
}

// exampleRunner runs examples with the installed elixir. Its zero value
// runs GOMAXPROCS programs at a time with 30 seconds for each.
type exampleRunner struct {
	timeout time.Duration
	workers int
	// version and otp are the installed Elixir and OTP; skip reads them.
	version string
	otp     int
}

// installed asks elixir for its version and its OTP release.
func (r *exampleRunner) installed() error {
	out, err := exec.Command("elixir", "-e", "IO.puts(System.version()); IO.puts(System.otp_release())").Output()
	if err != nil {
		return fmt.Errorf("elixir -e: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		return fmt.Errorf("elixir -e: unexpected output %q", out)
	}
	r.version = f[0]
	r.otp, err = strconv.Atoi(f[1])
	return err
}

// skip returns why the installed elixir cannot run e, or "".
func (r *exampleRunner) skip(e *example) string {
	switch {
	case versionLess(r.version, e.since):
		return fmt.Sprintf("needs Elixir %s, have %s", e.since, r.version)
	case e.otp > r.otp:
		return fmt.Sprintf("needs OTP %d, have %d", e.otp, r.otp)
	}
	return ""
}

// run runs the examples, each in its own directory under dir, and returns
// the problem of each ("" when it ran clean and printed what its output
// block says).
func (r *exampleRunner) run(exs []*example, dir string) []string {
	workers := r.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	problems := make([]string, len(exs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(exs)) {
		wg.Go(func() {
			for i := range next {
				problems[i] = r.runOne(exs[i], filepath.Join(dir, strconv.Itoa(i)))
			}
		})
	}
	for i := range exs {
		next <- i
	}
	close(next)
	wg.Wait()
	return problems
}

// messageLines is how many of a failed program's last lines a message shows.
const messageLines = 40

// runOne runs one example in dir and returns its problem, or "".
func (r *exampleRunner) runOne(e *example, dir string) string {
	timeout := r.timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	src, lines := e.program()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Sprintf("%s: %v", e.where(), err)
	}
	if err := os.WriteFile(filepath.Join(dir, "example.exs"), []byte(src), 0o644); err != nil {
		return fmt.Sprintf("%s: %v", e.where(), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "elixir", "example.exs")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	// Messages name the book's lines, not the temporary program's.
	where := func(s string) string {
		return programLine.ReplaceAllStringFunc(s, func(m string) string {
			n, _ := strconv.Atoi(m[len("example.exs:"):])
			if n > 0 && n < len(lines) && lines[n] > 0 {
				return fmt.Sprintf("%s:%d", e.path, lines[n])
			}
			return m
		})
	}
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return fmt.Sprintf("%s: timed out after %v", e.where(), timeout)
	case err != nil:
		return fmt.Sprintf("%s: elixir run: %v:\n%s", e.where(), err, where(tail(stdout.String()+stderr.String(), messageLines)))
	case strings.Contains(stderr.String(), "warning:"):
		return fmt.Sprintf("%s: elixir printed warnings:\n%s", e.where(), where(tail(stderr.String(), messageLines)))
	case e.want != nil:
		want, got := normalizeOutput(e.want.code), normalizeOutput(stdout.String())
		if !outputMatches(want, got) {
			return fmt.Sprintf("%s: output differs from the output block at line %d (-want +got):\n%s",
				e.where(), e.want.line, lineDiff(want, got))
		}
	}
	return ""
}

var programLine = regexp.MustCompile(`example\.exs:[0-9]+`)

// tail returns the last n lines of s.
func tail(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > n {
		l = append([]string{"..."}, l[len(l)-n:]...)
	}
	return strings.Join(l, "\n")
}

// normalizeOutput splits a program's output, or an output block, into
// lines without line-end spaces and without trailing empty lines.
func normalizeOutput(s string) []string {
	l := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i := range l {
		l[i] = strings.TrimRight(l[i], " \t")
	}
	for len(l) > 0 && l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}

// outputMatches reports whether got matches want, where a want line that is
// exactly "..." matches any number of lines, none included.
func outputMatches(want, got []string) bool {
	// ok[j]: want[i:] matches got[j:], computed from the last i down.
	ok := make([]bool, len(got)+1)
	ok[len(got)] = true
	for i := len(want) - 1; i >= 0; i-- {
		next := make([]bool, len(got)+1)
		for j := len(got); j >= 0; j-- {
			if want[i] == "..." {
				next[j] = ok[j] || (j < len(got) && next[j+1])
			} else {
				next[j] = j < len(got) && want[i] == got[j] && ok[j+1]
			}
		}
		ok = next
	}
	return ok[0]
}

// lineDiff shows two lists of lines as a diff, "-" for want and "+" for got.
func lineDiff(want, got []string) string {
	n, m := len(want), len(got)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if want[i] == got[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var b strings.Builder
	for i, j := 0, 0; i < n || j < m; {
		switch {
		case i < n && j < m && want[i] == got[j]:
			b.WriteString("  " + want[i] + "\n")
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			b.WriteString("+ " + got[j] + "\n")
			j++
		default:
			b.WriteString("- " + want[i] + "\n")
			i++
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// buildExamples returns the examples of the given chapters, keyed by
// display path, in path and line order, with the problems of their fences
// as "file:line: message".
func buildExamples(chapters map[string][]fence) ([]*example, []string) {
	var (
		exs      []*example
		problems []string
	)
	paths := make([]string, 0, len(chapters))
	for p := range chapters {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		e, ps := chapterExamples(p, chapters[p])
		exs = append(exs, e...)
		problems = append(problems, ps...)
	}
	return exs, problems
}

// check runs the examples the installed elixir can run, in directories
// under dir. It returns the problems in the examples' order, and a line for
// each example skipped as too new for the installed elixir.
func (r *exampleRunner) check(exs []*example, dir string) (problems, skipped []string, err error) {
	if err := r.installed(); err != nil {
		return nil, nil, err
	}
	var runnable []*example
	for _, e := range exs {
		if why := r.skip(e); why != "" {
			skipped = append(skipped, fmt.Sprintf("%s: skipped: %s", e.where(), why))
			continue
		}
		runnable = append(runnable, e)
	}
	for _, p := range r.run(runnable, dir) {
		if p != "" {
			problems = append(problems, p)
		}
	}
	return problems, skipped, nil
}

// TestContentExamplesRun runs the book's runnable examples: elixir blocks
// marked run or run=NAME (see the top of this file). Each must exit 0
// without printing a warning, and print what the output block after it
// says.
func TestContentExamplesRun(t *testing.T) {
	b := contentBook(t)
	chapters := map[string][]fence{}
	for _, ch := range b.Chapters {
		chapters[ch.Path] = chapterFences(ch)
	}
	exs, problems := buildExamples(chapters)
	for _, p := range problems {
		t.Error(p)
	}
	needElixir(t, "that the runnable examples run")
	r := &exampleRunner{}
	problems, skipped, err := r.check(exs, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	for _, s := range skipped {
		t.Log(s)
	}
	t.Logf("%d runnable examples: %d ran on Elixir %s / OTP %d, %d skipped as too new for it",
		len(exs), len(exs)-len(skipped), r.version, r.otp, len(skipped))
}

// TestContentExamplesHarness runs the harness on testdata/examples.txtar,
// whose chapters have examples that pass and examples that fail in every way
// the harness knows. Its "want" file lists the messages in order: each line
// is the start of a message's first line, and a line indented by two spaces
// is text the message's details must contain.
func TestContentExamplesHarness(t *testing.T) {
	needElixir(t, "the runnable-examples harness")
	ar, err := txtar.ParseFile(filepath.Join("testdata", "examples.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	chapters := map[string][]fence{}
	var want []string
	for _, f := range ar.Files {
		if f.Name == "want" {
			want = normalizeOutput(string(f.Data))
		} else {
			chapters[f.Name] = scanFences(f.Data, 1)
		}
	}
	exs, got := buildExamples(chapters)
	r := &exampleRunner{timeout: 5 * time.Second}
	problems, skipped, err := r.check(exs, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	got = append(append(got, problems...), skipped...)
	i := 0
	for _, w := range want {
		if rest, ok := strings.CutPrefix(w, "  "); ok {
			if i == 0 || !strings.Contains(got[i-1], rest) {
				t.Errorf("message %d does not contain %q:\n%s", i, rest, got[max(i-1, 0)])
			}
			continue
		}
		if i >= len(got) {
			t.Errorf("missing message %q", w)
			continue
		}
		if first, _, _ := strings.Cut(got[i], "\n"); !strings.HasPrefix(first, w) {
			t.Errorf("message %d is\n%s\nwant it to start with\n%s", i+1, got[i], w)
		}
		i++
	}
	for _, g := range got[i:] {
		t.Errorf("unexpected message:\n%s", g)
	}
}

// TestContentIndexFollowsSeed checks that content/_index.md has the seed's
// front matter and lists its chapters in the seed's order.
func TestContentIndexFollowsSeed(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "seed", "_index.md"))
	if err != nil {
		t.Skip("no ../shared/seed/_index.md")
	}
	ours, err := os.ReadFile(filepath.Join(contentDir, "_index.md"))
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`(?m)^- \[[^\]]+\]\([^)]+\)$`)
	want := links.FindAllString(string(seed), -1)
	got := links.FindAllString(string(ours), -1)
	// Ours lists the seed's chapters that exist, in the seed's order.
	j := 0
	for _, g := range got {
		for j < len(want) && want[j] != g {
			j++
		}
		if j == len(want) {
			t.Fatalf("content/_index.md lists %q out of the seed's order or not in it", g)
		}
	}
	if len(got) != len(want) {
		t.Logf("content/_index.md lists %d of the seed's %d chapters", len(got), len(want))
	}
	seedFM := strings.SplitN(string(seed), "---", 3)[1]
	ourFM := strings.SplitN(string(ours), "---", 3)[1]
	if seedFM != ourFM {
		t.Errorf("front matter differs from the seed's:\n%s\nwant\n%s", ourFM, seedFM)
	}
}

var (
	defmoduleLine = regexp.MustCompile(`^(\s*)defmodule\s+([A-Z][A-Za-z0-9_.]*)\s+do\b`)
	endLine       = regexp.MustCompile(`^(\s*)end\b`)
	extendsMarker = regexp.MustCompile(`^\s*# Extends ([A-Z][A-Za-z0-9_.]*) from (.*?)(?::\s.*|\.)?$`)
)

// A moduleDefinition is a defmodule line of an elixir block.
type moduleDefinition struct {
	module string // the full name, with the names of enclosing modules
	where  string // "file:line"
	// extends is the chapter title the marker names when the first line
	// inside the module is "# Extends MODULE from TITLE: what it adds.",
	// otherwise "".
	extends string
	// marker is the text of a first line that starts "# Extends " but does
	// not name this module, for the message.
	marker string
}

// moduleDefinitions returns the modules an elixir block defines, nested
// ones with their full names (found by indentation, as mix format lays
// them out).
func moduleDefinitions(f fence, path string) []moduleDefinition {
	type open struct {
		indent int
		name   string
	}
	var (
		defs  []moduleDefinition
		stack []open
	)
	lines := strings.Split(f.code, "\n")
	for i, l := range lines {
		if m := endLine.FindStringSubmatch(l); m != nil && len(stack) > 0 && len(m[1]) == stack[len(stack)-1].indent {
			stack = stack[:len(stack)-1]
			continue
		}
		m := defmoduleLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		indent := len(m[1])
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		name := m[2]
		if len(stack) > 0 {
			name = stack[len(stack)-1].name + "." + name
		}
		stack = append(stack, open{indent, name})
		d := moduleDefinition{module: name, where: fmt.Sprintf("%s:%d", path, f.line+1+i)}
		for _, next := range lines[i+1:] {
			if strings.TrimSpace(next) == "" {
				continue
			}
			if mk := extendsMarker.FindStringSubmatch(next); mk != nil && mk[1] == m[2] {
				d.extends = strings.TrimSpace(mk[2])
			} else if strings.HasPrefix(strings.TrimSpace(next), "# Extends ") {
				d.marker = strings.TrimSpace(next)
			}
			break
		}
		defs = append(defs, d)
	}
	return defs
}

// TestContentModuleDefinitions checks the rule of one definition per module
// of the book's running example: a module defined in more than one
// chapter has one owner chapter, and every other chapter's defmodule of it
// is an extension whose first line inside the module is
// "# Extends MODULE from OWNER TITLE: what it adds.". A marker must name
// the chapter that owns the module.
func TestContentModuleDefinitions(t *testing.T) {
	b := contentBook(t)
	titles := map[string]bool{}
	byModule := map[string][]moduleDefinition{}
	owners := map[string]map[string]bool{} // module -> titles of chapters with an unmarked defmodule
	chapterOf := map[string]string{}       // "file:line" -> chapter title
	var modules []string
	for _, ch := range b.Chapters {
		titles[ch.Title] = true
		for _, f := range chapterFences(ch) {
			if f.lang != "elixir" {
				continue
			}
			for _, d := range moduleDefinitions(f, ch.Path) {
				if byModule[d.module] == nil {
					modules = append(modules, d.module)
					owners[d.module] = map[string]bool{}
				}
				byModule[d.module] = append(byModule[d.module], d)
				chapterOf[d.where] = ch.Title
				if d.extends == "" {
					owners[d.module][ch.Title] = true
				}
			}
		}
	}
	sort.Strings(modules)
	var problems []string
	for _, m := range modules {
		defs := byModule[m]
		if len(owners[m]) > 1 {
			var where []string
			for _, d := range defs {
				if d.extends == "" {
					where = append(where, d.where)
				}
			}
			problems = append(problems, fmt.Sprintf("%s: %s is defined in %d chapters (%s): all but its owner's must start with \"# Extends %s from <owner's title>: <what it adds>.\"",
				where[0], m, len(owners[m]), strings.Join(where[1:], ", "), m))
		}
		for _, d := range defs {
			switch {
			case d.marker != "":
				problems = append(problems, fmt.Sprintf("%s: %q does not name %s", d.where, d.marker, m))
			case d.extends == "":
			case !titles[d.extends]:
				problems = append(problems, fmt.Sprintf("%s: %s extends %s from %q, which is no chapter title", d.where, m, m, d.extends))
			case !owners[m][d.extends]:
				problems = append(problems, fmt.Sprintf("%s: %s extends %s from %s, which does not define it", d.where, m, m, d.extends))
			case d.extends == chapterOf[d.where]:
				problems = append(problems, fmt.Sprintf("%s: %s extends %s from its own chapter", d.where, m, m))
			}
		}
	}
	t.Logf("%d modules defined in %d chapters", len(modules), len(b.Chapters))
	editionProblems(t, "modules defined in more than one chapter, or extension markers that do not hold", problems)
}
