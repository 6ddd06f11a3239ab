package pdf

import "unicode"

// Chinese and Japanese are written without spaces: a line may break
// between any two ideographs or kana, except where the rules of kinsoku
// shori forbid it. No line starts with closing brackets, the ideographic
// comma and full stop, small kana, the prolonged sound mark, iteration
// marks, or !?:; and their full-width forms; no line ends with an opening
// bracket. words (text.go) makes each such break a zero-width space: the
// line breaker may break there at no cost, and justification spreads a
// line's slack over those spaces as over word spaces. Korean, written
// with spaces between words, breaks at its spaces.

// cjkBreak reports whether a line may break between a and b, two
// adjacent characters of a word, because one of them is an ideograph or
// kana.
func cjkBreak(a, b rune) bool {
	if !breaksAround(a) && !breaksAround(b) {
		return false
	}
	return !noBreakBefore(b) && !noBreakAfter(a)
}

// breaksAround reports the characters a line may break before and after:
// ideographs, kana, and the punctuation and full-width forms of CJK text.
func breaksAround(r rune) bool {
	switch {
	case r < 0x2e80:
		return false
	case r >= 0x2e80 && r <= 0x2fdf, // radicals
		r >= 0x3000 && r <= 0x303f,   // CJK symbols and punctuation
		r >= 0x3040 && r <= 0x30ff,   // hiragana, katakana
		r >= 0x3100 && r <= 0x312f,   // bopomofo
		r >= 0x31f0 && r <= 0x31ff,   // katakana extensions
		r >= 0x3400 && r <= 0x4dbf,   // extension A
		r >= 0x4e00 && r <= 0x9fff,   // unified ideographs
		r >= 0xf900 && r <= 0xfaff,   // compatibility ideographs
		r >= 0xfe30 && r <= 0xfe4f,   // compatibility forms
		r >= 0xff00 && r <= 0xff60,   // full-width forms
		r >= 0xff61 && r <= 0xff9f,   // half-width katakana
		r >= 0x20000 && r <= 0x3134f: // ideographs of the supplementary planes
		return true
	}
	return unicode.Is(unicode.Han, r)
}

// noBreakBefore lists what may not start a line (kinsoku: gyōtō kinsoku).
func noBreakBefore(r rune) bool {
	switch r {
	case '、', '。', '，', '．', '：', '；', '！', '？', '‼', '⁇', '⁈', '⁉',
		'）', '」', '』', '】', '〕', '〗', '〙', '〛', '〉', '》', '｝', '］', '｠', '〟', '’', '”', '»', '›',
		'ー', '〜', '～', '・', '‥', '…', '々', '〻', 'ゝ', 'ゞ', 'ヽ', 'ヾ', '゛', '゜', '℃', '‰', '％', '°',
		'ぁ', 'ぃ', 'ぅ', 'ぇ', 'ぉ', 'っ', 'ゃ', 'ゅ', 'ょ', 'ゎ', 'ゕ', 'ゖ',
		'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ッ', 'ャ', 'ュ', 'ョ', 'ヮ', 'ヵ', 'ヶ',
		'ㇰ', 'ㇱ', 'ㇲ', 'ㇳ', 'ㇴ', 'ㇵ', 'ㇶ', 'ㇷ', 'ㇸ', 'ㇹ', 'ㇺ', 'ㇻ', 'ㇼ', 'ㇽ', 'ㇾ', 'ㇿ',
		'｡', '｣', '､', '･', 'ｰ', 'ｧ', 'ｨ', 'ｩ', 'ｪ', 'ｫ', 'ｬ', 'ｭ', 'ｮ', 'ｯ',
		')', ']', '}', ',', '.', ':', ';', '!', '?', '%', '\'', '"':
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Pe, unicode.Pf)
}

// noBreakAfter lists what may not end a line (gyōmatsu kinsoku): opening
// brackets and quotation marks.
func noBreakAfter(r rune) bool {
	switch r {
	case '（', '「', '『', '【', '〔', '〖', '〘', '〚', '〈', '《', '｛', '［', '｟', '〝', '‘', '“', '«', '‹', '｢',
		'(', '[', '{', '\'', '"', '$', '￥', '＄', '＃', '#', '@', '＠':
		return true
	}
	return unicode.In(r, unicode.Ps, unicode.Pi)
}
