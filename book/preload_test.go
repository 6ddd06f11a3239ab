package book

import "testing"

func TestHasGraphvizDiagram(t *testing.T) {
	for _, c := range []struct {
		name, md string
		want     bool
	}{
		{"flowchart", "# T\n\n```mermaid\nflowchart TD\n  A --> B\n```\n", true},
		{"graph, tildes, info", "~~~ Mermaid {.big}\n%% a comment\ngraph LR\n  A --> B\n~~~\n", true},
		{"front matter, indented in a list", "- item\n\n  ```mermaid\n  ---\n  title: T\n  ---\n  classDiagram\n    A <|-- B\n  ```\n", true},
		{"in a quote", "> ```mermaid\n> erDiagram\n>   A ||--o{ B : has\n> ```\n", true},
		{"state, left open", "```mermaid\nstateDiagram-v2\n  [*] --> A\n", true},
		{"second block", "```mermaid\npie\n  \"a\" : 1\n```\n\n```mermaid\nstateDiagram\n  A --> B\n```\n", true},
		{"sequence", "```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n", false},
		{"not mermaid", "```go\n// flowchart TD\n```\n", false},
		{"the word only", "Mermaid draws a flowchart TD from text.\n", false},
		{"inside a longer fence", "````markdown\n```mermaid\nflowchart TD\n  A --> B\n```\n````\n", false},
		{"inside a tilde fence", "~~~\n```mermaid\ngraph TD\n```\n~~~\n", false},
		{"no mermaid at all", "# Title\n\nText.\n", false},
	} {
		if got := hasGraphvizDiagram([]byte(c.md)); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
