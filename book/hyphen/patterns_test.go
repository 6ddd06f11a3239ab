package hyphen

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestPatternFilesKeepLicence checks that every embedded file still opens with
// its hyph-utf8 header, that the header names a licence, and that
// patterns/LICENSES.md lists the file with the checksum of what is embedded,
// so an edited or added file cannot slip in unrecorded.
func TestPatternFilesKeepLicence(t *testing.T) {
	list, err := os.ReadFile("patterns/LICENSES.md")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(patternFiles, "patterns/hyph-*.tex")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(patternTags) {
		t.Errorf("%d embedded files, want %d", len(names), len(patternTags))
	}
	licenceName := regexp.MustCompile(`(?m)^%\s+(-\s+)?(name|text):\s*\S`)
	for _, name := range names {
		src, err := patternFiles.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		// The header is the leading block of comment lines.
		var header strings.Builder
		for line := range strings.Lines(string(src)) {
			if !strings.HasPrefix(line, "%") || strings.HasPrefix(line, "% ====") {
				break
			}
			header.WriteString(line)
		}
		if !strings.Contains(header.String(), "% title: Hyphenation patterns for ") {
			t.Errorf("%s: header has no hyph-utf8 title line", name)
		}
		if !strings.Contains(header.String(), "% copyright: ") {
			t.Errorf("%s: header has no copyright line", name)
		}
		_, licence, ok := strings.Cut(header.String(), "\n% licence:\n")
		if !ok || !licenceName.MatchString(licence) {
			t.Errorf("%s: header has no licence with a name or a text", name)
		}
		sum := sha256.Sum256(src)
		base := strings.TrimPrefix(name, "patterns/")
		row := "| " + base + " |"
		if !strings.Contains(string(list), row) {
			t.Errorf("patterns/LICENSES.md has no row for %s", base)
		}
		for line := range strings.Lines(string(list)) {
			if strings.HasPrefix(line, row) && !strings.Contains(line, hex.EncodeToString(sum[:8])) {
				t.Errorf("%s: sha256 %x is not the one patterns/LICENSES.md records", base, sum[:8])
			}
		}
	}
}

func TestHyphenminsFromMetadata(t *testing.T) {
	want := map[string][2]int{
		"en-us": {2, 3}, "en-gb": {2, 3}, "de-1996": {2, 2}, "fr": {2, 2}, "es": {2, 2},
		"it": {2, 2}, "pt": {2, 3}, "nl": {2, 2}, "ru": {2, 2},
	}
	for _, tag := range patternTags {
		pf, err := readPatternFile(tag)
		if err != nil {
			t.Fatal(err)
		}
		if got := [2]int{pf.left, pf.right}; got != want[tag] {
			t.Errorf("%s: hyphenmins %v, want %v", tag, got, want[tag])
		}
		if len(strings.Fields(pf.patterns)) < 100 {
			t.Errorf("%s: only %d patterns", tag, len(strings.Fields(pf.patterns)))
		}
	}
}

func TestParsePatternFile(t *testing.T) {
	const header = "% title: Hyphenation patterns for Test\n% hyphenmins:\n%     generation:\n%         left: 1\n%         right: 1\n%     typesetting:\n%         left: 2\n%         right: 3\n% ====\n"
	pf, err := parsePatternFile(header + "\\message{not {this}}\n\\patterns{ % comment\n.ab1c 2b1d % x\nd1e f%\ng\n}\n\\hyphenation{ta-ble % comment\nproject}\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(pf.patterns); strings.Join(got, " ") != ".ab1c 2b1d d1e fg" { // "%" swallows the line's end
		t.Errorf("patterns %q", got)
	}
	if strings.Join(pf.exceptions, " ") != "ta-ble project" {
		t.Errorf("exceptions %q", pf.exceptions)
	}
	if pf.left != 2 || pf.right != 3 {
		t.Errorf("hyphenmins %d, %d; want the typesetting ones, 2, 3", pf.left, pf.right)
	}

	for _, bad := range []string{
		header + "\\patterns{ab1c\n",                // not closed
		header + "\\patterns{a{b}1c}\n",             // a brace inside
		header + "\\patterns{a1b}\\patterns{c1d}\n", // two
		header + "\\hyphenation{ta-ble}\n",          // none
		"% title: x\n% ====\n\\patterns{a1b}\n",     // no hyphenmins
		"% hyphenmins:\n%     typesetting:\n%         left: two\n%         right: 2\n\\patterns{a1b}", // not a number
	} {
		if _, err := parsePatternFile(bad); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}

func TestCompletePatterns(t *testing.T) {
	got, known, err := completePatterns("2lb 1b a1b4 .ab3")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(got)
	has := func(p string) bool {
		for _, l := range lines {
			if l == p {
				return true
			}
		}
		return false
	}
	// "1b" merges into the patterns that already hold two letters ending in b,
	// and stands beside every other character.
	for _, want := range []string{"2l1b", "a1b4", ".1b", "b1b", "\uE0001b"} {
		if !has(want) {
			t.Errorf("no %q in %q", want, lines)
		}
	}
	if has("1b") {
		t.Errorf("the one-letter pattern itself is still there: %q", lines)
	}
	if !known['a'] || !known['b'] || !known['l'] || known['.'] || known['c'] {
		t.Errorf("letters %v", known)
	}
	if _, _, err := completePatterns("ab 12 cd"); err == nil {
		t.Error("no error for a pattern without letters")
	}
}
