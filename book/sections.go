package book

import "strings"

// Section is a heading of a chapter that the contents list, with the
// sections under it.
type Section struct {
	Heading  *Heading
	Children []*Section
}

// Sections returns the sections of ch that a table of contents of the given
// depth lists below the chapter: ## headings at depth 2, and ### under them
// at depth 3, and so on. A chapter whose body uses # headings for its
// sections starts there. Both outputs build their contents from it, so the
// EPUB's navigation and the PDF's contents and outline agree.
func (ch *Chapter) Sections(depth int) []*Section {
	if depth < 2 {
		return nil
	}
	base := ch.SectionLevel()
	var top []*Section
	var stack []*Section // stack[i] is the last section at level base+i
	for _, h := range ch.Headings {
		if h == ch.TitleHeading {
			continue
		}
		lvl := h.Level - base
		if lvl < 0 || lvl > depth-2 || strings.TrimSpace(h.Text) == "" {
			continue
		}
		s := &Section{Heading: h}
		if lvl == 0 || len(stack) == 0 {
			top = append(top, s)
			stack = []*Section{s}
			continue
		}
		if lvl > len(stack) {
			lvl = len(stack) // a skipped level hangs under the last section
		}
		parent := stack[lvl-1]
		parent.Children = append(parent.Children, s)
		stack = append(stack[:lvl], s)
	}
	return top
}

// SectionLevel returns the level of the chapter's top sections: 2 (##),
// or 1 for a body that uses # headings for its sections.
func (ch *Chapter) SectionLevel() int {
	for _, h := range ch.Headings {
		if h.Level == 1 && h != ch.TitleHeading {
			return 1
		}
	}
	return 2
}
