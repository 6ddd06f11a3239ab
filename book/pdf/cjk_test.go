package pdf

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCJKBreak(t *testing.T) {
	for _, c := range []struct {
		a, b rune
		want bool
	}{
		{'中', '文', true},
		{'文', '。', false}, // no line starts with a full stop
		{'、', '文', true},
		{'字', '」', false}, // nor with a closing bracket
		{'「', '字', false}, // no line ends with an opening bracket
		{'字', '「', true},
		{'カ', 'ー', false}, // nor starts with the prolonged sound mark
		{'ち', 'ょ', false}, // or a small kana
		{'語', 'G', true},  // ideographs and Latin break against each other
		{'o', '語', true},
		{'a', 'b', false}, // Latin does not break inside a word
		{'한', '국', false}, // Korean breaks at its spaces
		{'字', '，', false},
		{'字', ')', false},
		{'(', '字', false},
	} {
		if got := cjkBreak(c.a, c.b); got != c.want {
			t.Errorf("break between %q and %q: %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestCJKWords checks that Chinese and Japanese text is cut into one word
// an ideograph, kinsoku kept, each a break without space.
func TestCJKWords(t *testing.T) {
	tx := &typesetter{warn: func(string, ...any) {}}
	text := "中文是「世界」上的语言。カタカナとコンピューター、Go语言 and more"
	ws := tx.words([]span{{st: style{Face: serif, Size: 10}, text: text}})
	var got []string
	for _, w := range ws {
		// Without a CJK font the ideographs are placeholders: count them.
		n := 0
		for _, p := range w.pieces {
			n += utf8.RuneCountInString(p.text)
		}
		s := strings.Repeat("x", n)
		if w.hasSpace && w.space == 0 {
			s += "|" // a break without space
		} else if w.hasSpace {
			s += "_"
		}
		got = append(got, s)
	}
	// 中|文|是|「世|界」|上|的|语|言。|カ|タ|カ|ナ|と|コ|ン|ピュー|ター、|Go|语|言_ and_ more
	want := "x| x| x| xx| xx| x| x| x| xx| x| x| x| x| x| x| x| xxx| xxx| xx| x| x_ xxx_ xxxx"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("words:\n%s\nwant\n%s", g, want)
	}
}
