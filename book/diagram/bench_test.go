package diagram

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// benchSources are a typical diagram of each kind.
var benchSources = map[string]string{
	"flowchart": `graph TD
    A["Context<br/>System relationships"] -->|zoom in| B["Containers<br/>Applications and data stores"]
    B -->|zoom in| C["Components<br/>Internal structure"]
    C -->|zoom in| D["Code<br/>Classes and interfaces"]
    style A fill:#0173B2,stroke:#000,color:#fff
    style B fill:#DE8F05,stroke:#000,color:#fff`,
	"state":    "stateDiagram-v2\n  [*] --> Idle\n  Idle --> Busy : job\n  Busy --> Idle : done\n  Busy --> [*]\n",
	"sequence": "sequenceDiagram\n  Client->>Server: GET /\n  Server->>DB: query\n  DB-->>Server: rows\n  Server-->>Client: 200\n",
	"class":    "classDiagram\n  Animal <|-- Duck\n  Animal : +int age\n  class Duck{\n    +swim()\n  }\n  Zoo \"1\" o-- \"*\" Animal : houses\n",
	"er":       "erDiagram\n  CUSTOMER ||--o{ ORDER : places\n  CUSTOMER {\n    string name PK\n  }\n",
	"gantt":    "gantt\n  dateFormat YYYY-MM-DD\n  excludes weekends\n  section A\n  One :a1, 2024-01-01, 5d\n  Two :after a1, 1w\n",
	"mindmap":  "mindmap\n  root((Root))\n    A\n      A1\n    B\n",
}

// BenchmarkRender lays out one typical diagram of each kind, uncached.
func BenchmarkRender(b *testing.B) {
	if _, err := render(benchSources["flowchart"]); err != nil { // start graphviz
		b.Fatal(err)
	}
	for _, kind := range slices.Sorted(maps.Keys(benchSources)) {
		src := benchSources[kind]
		b.Run(kind, func(b *testing.B) {
			for b.Loop() {
				if _, err := render(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCorpusC4 renders the 85 diagrams of the corpus's C4 section,
// uncached, to SVG.
func BenchmarkCorpusC4(b *testing.B) {
	dir := filepath.Join(corpusDir, "en/learn/software-engineering/architecture/c4-architecture-model/by-example")
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("no corpus: %v", err)
	}
	blocks := mermaidBlocks(b, dir)
	render(benchSources["flowchart"])
	b.ResetTimer()
	for b.Loop() {
		for _, bl := range blocks {
			if d, err := render(bl.src); err == nil {
				d.SVG()
			}
		}
	}
	b.ReportMetric(float64(len(blocks)), "diagrams/op")
}
