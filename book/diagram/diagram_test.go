package diagram

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite golden files")

// checkSVG reports what makes svg unfit for an EPUB: bad XML, foreign
// objects, scripts, CSS, runes outside the BMP.
func checkSVG(svg []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "foreignObject", "script", "style":
				return fmt.Errorf("has <%s>", t.Name.Local)
			}
			for _, a := range t.Attr {
				if a.Name.Local == "style" || strings.HasPrefix(a.Name.Local, "on") {
					return fmt.Errorf("has attribute %s", a.Name.Local)
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		return errors.New("unbalanced elements")
	}
	if !utf8.Valid(svg) {
		return errors.New("invalid UTF-8")
	}
	for _, r := range string(svg) {
		if r > 0xFFFF {
			return fmt.Errorf("rune %U above the BMP", r)
		}
	}
	return nil
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.mmd")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".mmd")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d, err := render(string(src))
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			got := d.SVG()
			if err := checkSVG(got); err != nil {
				t.Errorf("svg: %v", err)
			}
			if d.Alt == "" {
				t.Error("no alt text")
			}
			golden := strings.TrimSuffix(f, ".mmd") + ".svg"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s (-want +got):\n%s", golden, lineDiff(string(want), string(got)))
			}
		})
	}
}

// lineDiff returns a unified-style diff of two texts, lines prefixed with
// "-" (only in a), "+" (only in b) or " ", with unchanged runs shortened.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// Longest common subsequence table, from the ends.
	n, m := len(x), len(y)
	if n*m > 4_000_000 {
		return fmt.Sprintf("texts too long to diff (%d and %d lines)", n, m)
	}
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			out = append(out, "  "+x[i])
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, "+ "+y[j])
			j++
		default:
			out = append(out, "- "+x[i])
			i++
		}
	}
	// Keep two lines of context around changes.
	var s strings.Builder
	for k, l := range out {
		near := false
		for d := -2; d <= 2; d++ {
			if k+d >= 0 && k+d < len(out) && out[k+d][0] != ' ' {
				near = true
			}
		}
		if near {
			s.WriteString(l + "\n")
		} else if k > 0 && !strings.HasSuffix(s.String(), "…\n") {
			s.WriteString("…\n")
		}
	}
	return s.String()
}

// TestLineContrast checks that the default look draws every line and frame
// at 3:1 or better against white, so that none vanishes on e-ink.
func TestLineContrast(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*.mmd")
	styled := regexp.MustCompile(`(?m)^\s*(style|classDef|linkStyle|rect|box)\b|themeVariables|:::|\bstyle\b`)
	for _, f := range files {
		src, _ := os.ReadFile(f)
		if styled.Match(src) {
			continue
		}
		d, err := render(string(src))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, op := range d.Ops {
			if op.Kind != OpPath || op.Paint.Stroke == nil {
				continue
			}
			// A stroke that only outlines a fill of its own colour is not a
			// line; a white one is drawn on a shape, not on the page.
			if op.Paint.Fill != nil && *op.Paint.Fill == *op.Paint.Stroke || *op.Paint.Stroke == colWhite {
				continue
			}
			if c := contrast(*op.Paint.Stroke, colWhite); c < 3 {
				t.Errorf("%s: stroke %s has contrast %.2f:1 against white", f, op.Paint.Stroke.hex(), c)
				break
			}
		}
	}
}

// TestPrefetch: prefetched diagrams are drawn in the background, once,
// and Render returns what the background drew, a drawing or an error.
func TestPrefetch(t *testing.T) {
	var srcs []string
	for i := range 6 {
		srcs = append(srcs, fmt.Sprintf("flowchart LR\n  A%d[Start] --> B{Check %d}\n  B -->|yes| C[Done]\n  B -->|no| A%d\n", i, i, i))
	}
	srcs = append(srcs, "flowchart LR\n  A --> \n") // a parse error
	for _, src := range srcs {
		Prefetch(src)
		Prefetch(src) // queued once
	}
	for {
		prefetch.Lock()
		idle := prefetch.workers == 0
		prefetch.Unlock()
		if idle {
			break
		}
		runtime.Gosched()
	}
	for i, src := range srcs {
		e, made := entry(src)
		if made {
			t.Fatalf("diagram %d: not in the cache", i)
		}
		e.once.Do(func() { t.Errorf("diagram %d: not drawn in the background", i) })
		d, err := Render(src)
		if d != e.d || err != e.err {
			t.Errorf("diagram %d: Render returns another drawing than the prefetched one", i)
		}
		if last := i == len(srcs)-1; last != (err != nil) {
			t.Errorf("diagram %d: error %v", i, err)
		}
	}
}

func TestDeterministic(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*.mmd")
	for _, f := range files {
		src, _ := os.ReadFile(f)
		d1, err1 := render(string(src))
		d2, err2 := render(string(src))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", f, err1, err2)
		}
		if !bytes.Equal(d1.SVG(), d2.SVG()) {
			t.Errorf("%s: two renderings differ", f)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src  string
		line int
		msg  string
	}{
		{"graph TD\n  A --> B\n  B -->\n", 3, "link has no target"},
		{"graph TD\n  A[unclosed --> B\n", 2, "unclosed node text"},
		{"graph XY\n  A --> B\n", 1, "unknown direction"},
		{"flowchart LR\n  subgraph one\n    A --> B\n", 2, `subgraph "one" has no end`},
		{"graph TD\n  A --> B\n  end\n", 3, "end without subgraph"},
		{"graph TD\n\n  A -- oops B\n", 3, "unfinished link"},
		{"%% only a comment\n\n", 1, "no diagram type"},
		{"flowchat TD\n A-->B\n", 1, "unknown diagram type"},
		{"stateDiagram-v2\n  [*] --> A\n  state B {\n    C --> D\n", 3, "has no closing }"},
		{"stateDiagram-v2\n  A --> B\n  }\n", 3, "without a composite"},
		{"stateDiagram-v2\n  note right of A\n    text\n", 2, "no end note"},
		{"sequenceDiagram\n  A->>B: hi\n  loop forever\n    B->>A: ho\n", 3, "loop has no end"},
		{"sequenceDiagram\n  A->>B: hi\n  end\n", 3, "end without a block"},
		{"sequenceDiagram\n  A->>B: hi\n  what is this\n", 3, "unexpected"},
		{"sequenceDiagram\n  else\n", 2, "else outside a block"},
	}
	for _, tt := range tests {
		_, err := render(tt.src)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: err = %v, want a ParseError", tt.src, err)
			continue
		}
		if pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
			t.Errorf("%q: got line %d %q, want line %d %q", tt.src, pe.Line, pe.Msg, tt.line, tt.msg)
		}
	}
}

func TestUnsupported(t *testing.T) {
	for _, src := range []string{
		"requirementDiagram\n  requirement r {\n  id: 1\n  }\n",
		"C4Context\n  title System\n",
		"%%{init: {'theme':'dark'}}%%\nsankey-beta\n  a,b,1\n",
		"---\ntitle: x\n---\nblock-beta\n  a b\n",
	} {
		_, err := Render(src)
		var ue *UnsupportedError
		if !errors.As(err, &ue) {
			t.Errorf("%q: err = %v, want UnsupportedError", src, err)
		}
	}
}

func TestAlt(t *testing.T) {
	tests := []struct{ src, want string }{
		{`flowchart TD
    A{Need concurrency?} -->|No| B[Pure functions]
    A -->|Yes| C{Managing other processes?}
    C -->|Yes| D[Supervisor]
    C -->|No| E[GenServer]`,
			"Flowchart: Need concurrency? — No → Pure functions; Yes → Managing other processes? Managing other processes? — Yes → Supervisor; No → GenServer."},
		{"graph LR\n  A --> B & C\n  B --> D\n", "Flowchart: A → B, C. B → D."},
		{"stateDiagram-v2\n  [*] --> Idle\n  Idle --> Busy : job\n  Busy --> [*]\n", "State diagram: start → Idle. Idle → Busy (job). Busy → end."},
		{"sequenceDiagram\n  participant C as Client\n  C->>S: GET /<br/>now\n  S-->>C: 200\n", "Sequence diagram between Client and S: Client → S: GET /, now; S → Client: 200."},
		{"graph TD\n  accTitle: Flow\n  accDescr: A described diagram\n  A --> B\n", "Flowchart “Flow”: A described diagram"},
	}
	for _, tt := range tests {
		d, err := render(tt.src)
		if err != nil {
			t.Fatalf("%q: %v", tt.src, err)
		}
		if d.Alt != tt.want {
			t.Errorf("alt of %q:\n got %q\nwant %q", tt.src, d.Alt, tt.want)
		}
	}
}

func TestLabels(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a<br/>b", "a|b"},
		{"#quot;x#quot; #35;1", `"x" #1`},
		{"**b** *i* _i_ snake_case", "[B:b] [I:i] [I:i] snake_case"},
		{"<b>bold</b> <i>it</i>", "[B:bold] [I:it]"},
		{"Bearer <access_token>", "Bearer <access_token>"},
		{"✅ ok 🚀", "✔ ok"},
		{"fa:fa-car Car", "Car"},
		{"2 * 3 * 4", "2 * 3 * 4"},
	}
	for _, tt := range tests {
		l := newLabel(tt.in, 12, 0)
		var lines []string
		for _, ln := range l.lines {
			var s strings.Builder
			for _, r := range ln {
				switch r.st {
				case 1:
					s.WriteString("[B:" + r.s + "]")
				case 2:
					s.WriteString("[I:" + r.s + "]")
				default:
					s.WriteString(r.s)
				}
			}
			lines = append(lines, s.String())
		}
		if got := strings.Join(lines, "|"); got != tt.want {
			t.Errorf("label %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestConcurrent renders from many goroutines: graphviz is one WASM
// instance shared behind a mutex.
func TestConcurrent(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*.mmd")
	var wg sync.WaitGroup
	for i := range 4 {
		for _, f := range files {
			src, _ := os.ReadFile(f)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := render(string(src) + strings.Repeat("\n", i)); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
}

func TestCache(t *testing.T) {
	src := "graph TD\n  cached --> result\n"
	d1, _ := Render(src)
	d2, _ := Render(src)
	if d1 == nil || d1 != d2 {
		t.Error("Render does not cache by source")
	}
	svg, alt, err := RenderSVG(src)
	if err != nil || !bytes.Equal(svg, d1.SVG()) || alt != d1.Alt {
		t.Error("RenderSVG differs from Render")
	}
}

// canvasRecorder is a Canvas that counts what it is given.
type canvasRecorder struct {
	paths, texts int
	bad          []string
}

func (c *canvasRecorder) Path(p Path, paint Paint) {
	c.paths++
	if len(p.Segs) == 0 || p.Segs[0].Kind != MoveTo {
		c.bad = append(c.bad, "path does not start with MoveTo")
	}
}

func (c *canvasRecorder) Text(x, y float64, s string, st TextStyle) {
	c.texts++
	if st.Size <= 0 || s == "" {
		c.bad = append(c.bad, fmt.Sprintf("text %q size %v", s, st.Size))
	}
}

func TestDraw(t *testing.T) {
	d, err := render("graph LR\n  A[**Bold** start] -->|go| B((End))\n")
	if err != nil {
		t.Fatal(err)
	}
	var c canvasRecorder
	d.Draw(&c)
	if c.paths < 4 || c.texts < 3 || len(c.bad) > 0 {
		t.Errorf("Draw gave %d paths, %d texts, problems %v", c.paths, c.texts, c.bad)
	}
	if d.Width <= 0 || d.Height <= 0 {
		t.Errorf("size %v × %v", d.Width, d.Height)
	}
}

func TestContrastWarnings(t *testing.T) {
	src := "graph LR\n  A --> B --> C\n  style A fill:#DE8F05,color:#fff\n  classDef pale fill:#ffff00\n  class B pale\n  style C fill:#0173B2,color:#fff\n"
	d, err := render(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Warning{{Line: 3, Msg: `node "A": text #ffffff on fill #de8f05 has contrast 2.6:1, below 4.5:1`}}
	if !slices.Equal(d.Warnings, want) {
		t.Errorf("warnings = %v, want %v", d.Warnings, want)
	}
	d, err = render("graph LR\n  A --> B\n  classDef dark fill:#222\n  class A dark\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) != 1 || d.Warnings[0].Line != 3 {
		t.Errorf("dark fill with default text: warnings = %v, want one on line 3", d.Warnings)
	}
}

func TestUsesGraphviz(t *testing.T) {
	for kw := range dotKinds {
		if _, ok := kinds[kw]; !ok {
			t.Errorf("dotKinds has %q, which is not a kind drawn", kw)
		}
	}
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"flowchart TD\n  A --> B\n", true},
		{"---\ntitle: T\n---\n%%{init: {}}%%\ngraph LR\n  A --> B\n", true},
		{"stateDiagram-v2\n  [*] --> A\n", true},
		{"classDiagram\n  A <|-- B\n", true},
		{"erDiagram\n  A ||--o{ B : has\n", true},
		{"sequenceDiagram\n  A->>B: hi\n", false},
		{"mindmap\n  root\n", false},
		{"pie\n  \"a\" : 1\n", false},
		{"C4Context\n", false},
		{"", false},
	} {
		if got := UsesGraphviz(c.src); got != c.want {
			t.Errorf("%q: %v, want %v", c.src, got, c.want)
		}
	}
}
