package hlengines

import (
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

func TestZZPrep(t *testing.T) {
	var tot, totp, totc time.Duration
	for _, n := range []string{"go", "bash", "sql", "yaml", "docker", "python", "c", "java", "elixir", "rust", "makefile", "protobuf", "graphql", "erlang", "Bash Session"} {
		l := lexers.Get(n)
		w := wrappers[l.(*chroma.RegexLexer)]
		s := time.Now()
		l.(*chroma.RegexLexer).Rules()
		c := time.Since(s)
		s = time.Now()
		fastLexer(l)
		p := time.Since(s)
		orig := Original(l.(*chroma.RegexLexer))
		plain := chroma.MustNewLexer(orig.Config(), orig.MustRules)
		s = time.Now()
		plain.Tokenise(nil, "x")
		pc := time.Since(s)
		tot += c; totp += p; totc += pc
		t.Logf("%-12s compile %v prep %v (chroma's compile %v) %v", n, c, p, pc, w != nil)
	}
	t.Logf("total compile %v prep %v chroma %v", tot, totp, totc)
}
