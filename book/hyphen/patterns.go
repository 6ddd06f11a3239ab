package hyphen

import (
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// patternFiles holds the hyph-utf8 pattern files exactly as TeX Live ships
// them; patterns/LICENSES.md says where each comes from and under which licence.
//
//go:embed patterns/hyph-*.tex
var patternFiles embed.FS

// patternFile is what Bindery takes from one hyph-utf8 file: the patterns, the
// exceptions and the typesetting hyphenmins of its metadata header.
type patternFile struct {
	patterns   string   // body of \patterns{…} without comments, patterns separated by white space
	exceptions []string // words of \hyphenation{…}, hyphens marking the allowed points
	left       int      // hyphenmins: typesetting: left
	right      int      // hyphenmins: typesetting: right
}

// readPatternFile reads and parses the embedded file for a hyph-utf8 tag such as "en-us".
func readPatternFile(tag string) (patternFile, error) {
	name := "patterns/hyph-" + tag + ".tex"
	src, err := patternFiles.ReadFile(name)
	if err != nil {
		return patternFile{}, fmt.Errorf("hyphen: %w", err)
	}
	pf, err := parsePatternFile(string(src))
	if err != nil {
		return patternFile{}, fmt.Errorf("hyphen: %s: %w", name, err)
	}
	return pf, nil
}

// parsePatternFile takes a hyph-utf8 .tex file apart. Those files are plain
// TeX of a fixed shape: a header of "% key: value" metadata lines, then one
// \patterns{…} and at most one \hyphenation{…}, with % comments anywhere.
// Nothing else in them (a \message, for instance) matters for hyphenation.
func parsePatternFile(src string) (patternFile, error) {
	var pf patternFile
	var err error
	pf.left, pf.right, err = hyphenmins(src)
	if err != nil {
		return pf, err
	}
	body := stripComments(src)
	pats, n, err := group(body, `\patterns`)
	if err != nil {
		return pf, err
	}
	if n != 1 {
		return pf, fmt.Errorf(`%d \patterns groups, want 1`, n)
	}
	pf.patterns = pats
	exc, n, err := group(body, `\hyphenation`)
	if err != nil {
		return pf, err
	}
	if n > 1 {
		return pf, fmt.Errorf(`%d \hyphenation groups, want at most 1`, n)
	}
	pf.exceptions = strings.Fields(exc)
	return pf, nil
}

// stripComments removes TeX comments: from an unescaped % to the end of the
// line, the line's end included, as TeX reads them.
func stripComments(src string) string {
	var b strings.Builder
	b.Grow(len(src))
	for line := range strings.Lines(src) {
		cut := len(line)
		for i := 0; i < len(line); i++ {
			if line[i] == '%' && (i == 0 || line[i-1] != '\\') {
				cut = i
				break
			}
		}
		b.WriteString(line[:cut])
	}
	return b.String()
}

// group returns the text inside the braces after each occurrence of cmd, joined
// by newlines, and how many there were. The groups of pattern files hold no
// nested braces; one that does is an error rather than a silent misreading.
func group(body, cmd string) (string, int, error) {
	var parts []string
	rest := body
	for {
		i := strings.Index(rest, cmd)
		if i < 0 {
			break
		}
		rest = strings.TrimLeft(rest[i+len(cmd):], " \t\r\n")
		if !strings.HasPrefix(rest, "{") {
			return "", 0, fmt.Errorf("%s without a group", cmd)
		}
		end := strings.IndexAny(rest[1:], "{}")
		if end < 0 || rest[1+end] != '}' {
			return "", 0, fmt.Errorf("%s group is not closed or holds a brace", cmd)
		}
		parts = append(parts, rest[1:1+end])
		rest = rest[2+end:]
	}
	return strings.Join(parts, "\n"), len(parts), nil
}

// hyphenmins reads the typesetting hyphenmins from the metadata header, the
// leading block of comment lines:
//
//	% hyphenmins:
//	%     generation:
//	%         left:  2
//	%     typesetting:
//	%         left:  2
//	%         right: 2
func hyphenmins(src string) (left, right int, err error) {
	inBlock, section, blockIndent := false, "", 0
	for line := range strings.Lines(src) {
		if !strings.HasPrefix(line, "%") {
			break // the header ends with the first line that is not a comment
		}
		text := strings.TrimRight(line[1:], " \t\r\n")
		key := strings.TrimSpace(text)
		if key == "" {
			continue
		}
		indent := len(text) - len(strings.TrimLeft(text, " "))
		if key == "hyphenmins:" {
			inBlock, blockIndent = true, indent
			continue
		}
		if !inBlock {
			continue
		}
		if indent <= blockIndent {
			break
		}
		k, v, _ := strings.Cut(key, ":")
		v = strings.TrimSpace(v)
		switch {
		case v == "":
			section = k
		case section == "typesetting" && (k == "left" || k == "right"):
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return 0, 0, fmt.Errorf("hyphenmins: typesetting: %s: %q is not a positive number", k, v)
			}
			if k == "left" {
				left = n
			} else {
				right = n
			}
		}
	}
	if left == 0 || right == 0 {
		return 0, 0, fmt.Errorf("no typesetting hyphenmins in the header")
	}
	return left, right, nil
}

// otherLetter stands, in the words handed to the pattern matcher, for every
// letter that no pattern of the language holds. No multi-letter pattern can
// match such a letter, but a one-letter pattern beside it still applies.
const otherLetter = '\uE000'

// completePatterns works around github.com/speedata/hyphenation v1.0.2,
// whose matcher only tries substrings of two or more characters: a pattern of
// one letter ("1b" in Spanish, "a1" in Indonesian, "1ß" in German) never
// applies, and those languages then lose most of their break points. Each
// such pattern becomes two-letter patterns, one for every character that can
// stand before the letter (the word boundary, each character of the patterns,
// otherLetter), which give the same digits wherever the letter occurs. Two
// patterns with the same letters merge by taking the higher digit at each
// place, as Liang's algorithm does when both match. completePatterns also
// returns the set of letters the patterns hold.
func completePatterns(src string) (string, map[rune]bool, error) {
	var out strings.Builder
	out.Grow(len(src))
	alphabet := map[rune]bool{}
	var single []string
	two := map[string][3]byte{} // two-letter patterns: digits before, between and after the letters
	var twoOrder []string
	addTwo := func(key string, d [3]byte) {
		old, ok := two[key]
		if !ok {
			twoOrder = append(twoOrder, key)
		}
		for i := range d {
			d[i] = max(d[i], old[i])
		}
		two[key] = d
	}
	for _, field := range strings.Fields(src) {
		var letters []rune
		for _, r := range field {
			if r >= '0' && r <= '9' {
				continue
			}
			letters = append(letters, r)
			if r != '.' && !alphabet[r] {
				alphabet[r] = true
			}
		}
		switch len(letters) {
		case 0:
			return "", nil, fmt.Errorf("pattern %q has no letters", field)
		case 1:
			single = append(single, field)
		case 2:
			var d [3]byte
			copy(d[:], digits(field, 2))
			addTwo(string(letters), d)
		default:
			out.WriteString(field)
			out.WriteByte('\n')
		}
	}
	before := []rune{'.', otherLetter}
	for r := range alphabet {
		before = append(before, r)
	}
	slices.Sort(before) // the same text every time, whatever the map's order
	for _, field := range single {
		d := digits(field, 1)
		letter := strings.TrimFunc(field, func(r rune) bool { return r >= '0' && r <= '9' })
		for _, r := range before {
			addTwo(string(r)+letter, [3]byte{0, d[0], d[1]})
		}
	}
	for _, key := range twoOrder {
		d := two[key]
		i := 0
		for _, r := range key {
			if d[i] > 0 {
				out.WriteByte('0' + d[i])
			}
			out.WriteRune(r)
			i++
		}
		if d[2] > 0 {
			out.WriteByte('0' + d[2])
		}
		out.WriteByte('\n')
	}
	return out.String(), alphabet, nil
}

// digits returns the digits of a pattern of n letters: the one before each
// letter and the one after the last, 0 where the pattern has none.
func digits(pattern string, n int) []byte {
	d := make([]byte, n+1)
	i := 0
	for _, r := range pattern {
		if r >= '0' && r <= '9' {
			d[i] = byte(r - '0')
		} else {
			i++
		}
	}
	return d
}
