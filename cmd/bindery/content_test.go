package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/yuin/goldmark/ast"
)

// The book we ship is held to the bar its issues set: every chapter listed
// in the index exists with full front matter, has at least 1,500 words of
// prose and 4 code examples, every Elixir example parses, and every link
// resolves.

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

type codeBlock struct {
	lang, code string
	line       int
}

// codeBlocks returns a chapter's code blocks, mermaid diagrams included,
// each with the line of its opening fence.
func codeBlocks(ch *book.Chapter) []codeBlock {
	var bs []codeBlock
	_ = ast.Walk(ch.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *book.CodeBlock:
			bs = append(bs, codeBlock{n.Lang, n.Code, ch.NodeLine(n)})
		case *book.Diagram:
			bs = append(bs, codeBlock{n.Code.Lang, n.Code.Code, ch.NodeLine(n)})
		default:
			return ast.WalkContinue, nil
		}
		return ast.WalkSkipChildren, nil
	})
	return bs
}

func TestContentBook(t *testing.T) {
	if _, err := os.Stat(filepath.Join(contentDir, "_index.md")); err != nil {
		t.Skip("no content/_index.md")
	}
	b, err := book.Load(contentDir, book.Options{Strict: true})
	if err != nil {
		t.Fatalf("the content book does not load strictly:\n%v", err)
	}
	if ds := b.Diagnostics.Sorted(); len(ds) > 0 {
		t.Errorf("content book has problems: %v", ds)
	}
	var elixir []codeBlock
	var elixirFiles []string
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
		examples := 0
		for _, cb := range codeBlocks(ch) {
			switch cb.lang {
			case "mermaid":
				diagrams[ch.Number]++
			case "elixir":
				elixir = append(elixir, cb)
				elixirFiles = append(elixirFiles, fmt.Sprintf("%s:%d", ch.Path, cb.line))
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
	checkElixir(t, elixir, elixirFiles)
}

// checkElixir parses every Elixir example with Code.string_to_quoted/1 in
// one run of elixir.
func checkElixir(t *testing.T, blocks []codeBlock, where []string) {
	if _, err := exec.LookPath("elixir"); err != nil {
		if os.Getenv("BINDERY_REQUIRE_ELIXIR") != "" {
			t.Fatal("elixir is required (BINDERY_REQUIRE_ELIXIR is set) but not installed")
		}
		t.Skip("elixir not installed (apt-get install elixir): not checking that the examples parse")
	}
	dir := t.TempDir()
	var list strings.Builder
	for i, b := range blocks {
		name := filepath.Join(dir, fmt.Sprintf("%04d.exs", i))
		if err := os.WriteFile(name, []byte(b.code), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&list, "%s\t%s\n", name, where[i])
	}
	listFile := filepath.Join(dir, "list")
	if err := os.WriteFile(listFile, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `
for line <- File.stream!(hd(System.argv())), line = String.trim(line), line != "" do
  [file, where] = String.split(line, "\t")
  case Code.string_to_quoted(File.read!(file)) do
    {:ok, _} -> :ok
    {:error, {meta, msg, tok}} -> IO.puts("#{where}: elixir block does not parse: #{inspect(meta)} #{inspect(msg)}#{inspect(tok)}")
  end
end`
	// Only what the script prints counts: the parser's own warnings (a
	// quoted keyword in a mix.lock example) go to stderr.
	var stderr strings.Builder
	cmd := exec.Command("elixir", "-e", script, listFile)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("elixir: %v\n%s%s", err, out, stderr.String())
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("Elixir examples that do not parse:\n%s", s)
	}
	t.Logf("%d Elixir examples parse", len(blocks))
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
