package book

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// cleanControlsOneByOne is cleanControls as it was first written, a byte
// at a time: the reference the fast one must agree with.
func cleanControlsOneByOne(data []byte) (line int, first rune, n int) {
	l := 1
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			l++
		case c < 0x20 && c != '\t' && c != '\r':
			if n == 0 {
				line, first = l, rune(c)
			}
			n++
			data[i] = ' '
		case c == 0xEF && i+2 < len(data) && data[i+1] == 0xBF && (data[i+2] == 0xBE || data[i+2] == 0xBF):
			if n == 0 {
				line, first = l, rune(0xFFFE+int(data[i+2]-0xBE))
			}
			n++
			data[i+2] = 0xBD
			i += 2
		}
	}
	return line, first, n
}

// checkTextOneByOne is checkText without its fast way through text.
func checkTextOneByOne(data []byte) *textError {
	line := 1
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '\n':
			line++
		case c == 0:
			return &textError{line, "NUL byte: not a text file"}
		case c >= 0x80:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				return &textError{line, "invalid UTF-8"}
			}
			i += size
			continue
		}
		i++
	}
	return nil
}

func FuzzTextChecks(f *testing.F) {
	// Every byte cleanControls and checkText tell apart, in random
	// strings, and some by hand.
	alphabet := []byte("ab \n\t\r\x00\x01\x1f\x7f\xef\xbf\xbe\xbd\xc3\xa9\xed\xa0\x80\xf0\x9f\x98")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		s := make([]byte, rng.IntN(24))
		for i := range s {
			s[i] = alphabet[rng.IntN(len(alphabet))]
		}
		f.Add(s)
	}
	for _, s := range []string{"", "\xef", "\xef\xbf", "\xef\xbf\xbe", "a\n\x01\xef\xbf\xbf\n\x02", "\xef\xbf\xbf\xbe", "caf\xe9", "é\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, got := bytes.Clone(data), bytes.Clone(data)
		wl, wr, wn := cleanControlsOneByOne(want)
		gl, gr, gn := cleanControls(got)
		if gl != wl || gr != wr || gn != wn || !bytes.Equal(got, want) {
			t.Errorf("cleanControls(%q) = %d, %U, %d, %q; want %d, %U, %d, %q", data, gl, gr, gn, got, wl, wr, wn, want)
		}
		werr, gerr := checkTextOneByOne(data), checkText(data)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.line != gerr.line {
			t.Errorf("checkText(%q) = %v, want %v", data, gerr, werr)
		}
	})
}
