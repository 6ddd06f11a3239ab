package book

import (
	"fmt"
	"testing"
)

func TestZZDebug(t *testing.T) {
	interp := interpretedLexers()
	for _, c := range []struct{ lang, code string }{
		{"java", "class A {\n  int x = 1;\n  // c\n  String s = \"a\";\n}\n"},
		{"go", "package main\n\nfunc main() {\n\tfmt.Println(\"x\", 1)\n}\n"},
	} {
		got := highlight(c.lang, c.code)
		want := highlightWith(interp, c.lang, c.code)
		for i := 0; i < len(got) || i < len(want); i++ {
			var g, w string
			if i < len(got) {
				g = fmt.Sprintf("%v %q", got[i].Type, got[i].Value)
			}
			if i < len(want) {
				w = fmt.Sprintf("%v %q", want[i].Type, want[i].Value)
			}
			mark := ""
			if g != w {
				mark = "  <<<"
			}
			t.Logf("%-40s %-40s%s", g, w, mark)
		}
	}
}
