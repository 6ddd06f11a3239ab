package diagram

import (
	"strings"
	"testing"
)

// TestSyntax renders snippets of the syntax found in real diagrams; each
// must be drawn.
func TestSyntax(t *testing.T) {
	for _, src := range []string{
		"graph TD;\n A-->B;\n B-->C;",
		"graph TD; A-->B; B-->C",
		"graph LR\n  1 --> 2\n  A1-->B2",
		"flowchart TD\n  A -->|text| B\n  A-->|text|C\n  A -- text --- D\n  A-- text -->E",
		"flowchart TD\n  A --> B:::cls\n  A[\"text\"]:::cls --> C\n  classDef cls fill:#f96;",
		"flowchart TD\n  A([\"stadium\"]) --> B[(\"db\")]",
		"flowchart TD\n  A --> B\n  click A callback \"Tooltip\"\n  click B \"https://example.com\" _blank",
		"flowchart TD\n  subgraph A1 [title]\n  a\n  end\n  subgraph B1[\"quoted\"]\n  b\n  end",
		"flowchart TD\n  A --> B & C & D\n  A -->|Yes| E -->|No| F",
		"flowchart TD\n  A -- \"quoted text\" --> B\n  A == text ==> C\n  A -..-> D\n  A -. text .- E",
		"flowchart TD\n  id1[This is the text in the box] --> id2[Text with 'single quotes']\n  id2 --> id3[日本語]",
		"flowchart TD\n  A@{ shape: rounded, label: \"Rounded\" } --> B@{ shape: diam }",
		"flowchart LR\n  A e1@--> B\n  e1@{ animate: true }\n  B e2@==> C@{ shape: rect }",
		"flowchart TD\n  A:::foo & B:::bar --> C\n  A --> A",
		"flowchart TD\n  A[Note: something | else] --> B",
		"flowchart TD\n  linkStyle default interpolate basis stroke:#f00\n  A --> B",
		"flowchart TD\n  A --> B %% trailing comment",
		"graph TB\n  A --- B\n  B -.- C\n  C ==> D\n  D --x E\n  E --o F\n  F <--> G\n  G x--x H\n  H o--o I",
		"graph TD\n  A[\"Multi\n  line quoted\n  label\"] --> B",
		"graph TD\n  A[\"`Markdown **bold**\n  and a new line`\"] --> B",
		"graph TD\n  A --> B\n  subgraph S\n    B\n  end\n  C --> S\n  S --> D",
		"graph TD\n  subgraph S [Empty]\n  end\n  A --> S",
		"flowchart LR\n  A[\"fa:fa-twitter Tweet\"] --> B>\"flag\"]",
		"flowchart LR\n  A --> B\n  style A fill:#f9f,stroke:#333,stroke-width:4px\n  style B fill:#bbf,stroke:#f66,stroke-width:2px,color:#fff,stroke-dasharray: 5 5",
		"flowchart LR\n  A[\"a #quot;quote#quot; and #35; and #9829;\"] --> B",
		"flowchart LR\n  A[/\"lean\"/] --> B[\\\"alt\"\\] --> C[/trap\\] --> D[\\inv/]",
		"flowchart TD\n    A[Start] --> B{Is it?}\n    B -- Yes --> C[OK]\n    C --> D[Rethink]\n    D --> B\n    B -- No ----> E[End]",
		"stateDiagram-v2\n  state \"Name with spaces\" as s1\n  s1 --> s2: A transition\n  s2 : desc\n  s2 --> [*]",
		"stateDiagram\n  [*] --> Still\n  Still --> [*]",
		"stateDiagram-v2\n  state fork_state <<fork>>\n  [*] --> fork_state\n  fork_state --> A\n  fork_state --> B\n  state join_state <<join>>\n  A --> join_state\n  B --> join_state\n  join_state --> [*]",
		"stateDiagram-v2\n  [*] --> First\n  state First {\n    [*] --> second\n    second --> [*]\n  }\n  First --> Second\n  state Second {\n    direction LR\n    [*] --> a\n    a --> b\n  }",
		"stateDiagram-v2\n  scale 350 width\n  [*] --> A:::cls\n  classDef cls fill:#f00\n  A --> B\n  note \"floating\" as N1",
		"stateDiagram-v2\n  state \"Accumulate Enough Data\\nLong State\" as A\n  [*] --> A",
		"stateDiagram-v2\n  state if_state <<choice>>\n  [*] --> IsPositive\n  IsPositive --> if_state\n  if_state --> False: if n < 0\n  if_state --> True : if n >= 0",
		"sequenceDiagram\n  participant Alice as \"Alice Smith\"\n  Alice->>John: Hello John, how are you?\n  Alice-)John: See you later!",
		"sequenceDiagram\n  rect rgba(0, 0, 255, .1)\n  A->>B: x\n  end",
		"sequenceDiagram\n  box Purple Alice & John\n  participant A\n  participant J\n  end\n  box Another Group\n  participant C\n  end\n  A->>J: hi\n  J->>C: ho",
		"sequenceDiagram\n  actor Alice as A\n  Web Server->>DB: query\n  DB-->>Web Server: rows",
		"sequenceDiagram\n  create participant Carl\n  Alice->>Carl: Hi\n  destroy Carl\n  Alice-xCarl: bye",
		"sequenceDiagram\n  links Alice: {\"Dashboard\": \"https://example.com\"}\n  link Alice: Wiki @ https://example.com\n  Alice->>Bob: hi",
		"sequenceDiagram\n  participant API@{ \"type\" : \"boundary\" }\n  API->>DB: q",
		"sequenceDiagram\n  A->>B: a; \n  A->>B: #59; entity",
		"sequenceDiagram\n  title Simple\n  A->>B: hi",
		"sequenceDiagram\n  autonumber 10 5\n  A->>B: hi\n  autonumber off\n  B->>A: ho",
		"sequenceDiagram\n  par_over Section\n  A->>B: x\n  end",
		"sequenceDiagram\n  Alice->>+John: Hello\n  Alice->>+John: Again\n  John-->>-Alice: Hi\n  John-->>-Alice: Bye\n  deactivate John",
	} {
		d, err := render(src)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if err := checkSVG(d.SVG()); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// TestStyles checks that style, classDef, class and linkStyle reach the
// drawing, including ids that are also letters of the keywords.
func TestStyles(t *testing.T) {
	d, err := render("graph TD\n  s[Start] --> c[Cool]\n  classDef c fill:#f00\n  class s c\n  style s stroke:#0f0,stroke-width:3px\n  linkStyle 0 stroke:#00f\n")
	if err != nil {
		t.Fatal(err)
	}
	svg := string(d.SVG())
	for _, want := range []string{
		`fill="#ff0000" stroke="#00ff00" stroke-width="2.25"`, // s: class c, then its style
		`fill="none" stroke="#0000ff"`,                        // link 0
		`fill="#ececff" stroke="#9370db"`,                     // c: default look
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("svg lacks %s", want)
		}
	}
}
