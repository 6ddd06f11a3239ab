package hyphen

// Indonesian is hyphenated by its syllable rules (Pedoman Umum Ejaan Bahasa
// Indonesia, on dividing words), written here for Bindery. hyph-utf8's
// Indonesian patterns are under the GPL, which a binary of an MIT-licensed
// program cannot embed.
//
// The rules: a word breaks between two vowels that follow each other
// (sa-at), except in the diphthongs ai, au, ei and oi (pan-dai); before a
// consonant between two vowels (ba-pak); between two consonants between
// vowels (man-di, Ap-ril); after the first of three or more (in-stru-men).
// The digraphs kh, ng, ny and sy count as one consonant (makh-luk,
// sang-gup). Diphthongs are never split, although ai, au, ei and oi are two
// syllables in a few words (ma-in): telling those apart needs a dictionary,
// and a break missed costs a looser line where a wrong one costs a misread
// word.

// indonesian returns the Hyphenator for Indonesian.
func indonesian() *Hyphenator {
	known := map[rune]bool{}
	for r := 'a'; r <= 'z'; r++ {
		known[r] = true
	}
	for _, r := range "éè" {
		known[r] = true
	}
	return &Hyphenator{tag: "id", left: 2, right: 2, known: known, exceptions: map[string][]int{},
		cache: new(wordCache), rules: indonesianBreaks}
}

func isVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'é', 'è':
		return true
	}
	return false
}

// unit is a sound of a word: a vowel or diphthong, or a consonant or
// digraph; end is the number of letters up to its end.
type unit struct {
	vowel bool
	end   int
}

// indonesianBreaks returns the number of letters before each break of the
// lower-case word.
func indonesianBreaks(word string) []int {
	rs := []rune(word)
	var us []unit
	for i := 0; i < len(rs); {
		n := 1
		v := isVowel(rs[i])
		if i+1 < len(rs) {
			switch string(rs[i : i+2]) {
			case "kh", "ng", "ny", "sy", "ai", "au", "ei", "oi":
				n = 2
			}
		}
		i += n
		us = append(us, unit{vowel: v, end: i})
	}
	var breaks []int
	prev := -1 // the last vowel unit
	for k, u := range us {
		if !u.vowel {
			continue
		}
		if prev >= 0 {
			between := k - prev - 1 // consonant units between two vowels
			switch {
			case between == 0:
				breaks = append(breaks, us[prev].end)
			case between == 1:
				breaks = append(breaks, us[prev].end)
			default:
				breaks = append(breaks, us[prev+1].end)
			}
		}
		prev = k
	}
	return breaks
}
