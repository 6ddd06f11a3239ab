package book

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

const svgOpen = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">`

// TestSanitizeSVG: what could run or reach out is removed and named; what
// draws stays; what is not a well-formed SVG, or declares entities, is
// refused.
func TestSanitizeSVG(t *testing.T) {
	cases := []struct {
		name, in      string
		keep, lose    []string // substrings of the output
		removed, fail string   // substring of the removed list, or of the error
	}{
		{name: "script", in: svgOpen + `<script>alert(1)</script><rect width="1" height="1"/></svg>`,
			keep: []string{`<rect width="1" height="1">`}, lose: []string{"script", "alert"}, removed: "scripts"},
		{name: "event handlers", in: svgOpen + `<rect onload="alert(1)" ONCLICK="x()" width="1"/></svg>`,
			keep: []string{`<rect width="1">`}, lose: []string{"alert", "x()"}, removed: "event handlers"},
		{name: "external use", in: svgOpen + `<use xlink:href="http://evil.example/x.svg#a"/><use href="#b"/></svg>`,
			keep: []string{`<use xlink:href="#b">`}, lose: []string{"evil"}, removed: "references outside"},
		{name: "file image", in: svgOpen + `<image href="file:///etc/passwd" width="1"/></svg>`,
			lose: []string{"passwd", "<image"}, removed: "references outside"},
		{name: "data image", in: svgOpen + `<image href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==" width="1"/></svg>`,
			keep: []string{`<image xlink:href="data:image/png;base64,`}},
		{name: "data svg image", in: svgOpen + `<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" width="1"/></svg>`,
			lose: []string{"<image"}, removed: "references outside"},
		{name: "foreignObject", in: svgOpen + `<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="x"/></body></foreignObject><text>kept</text></svg>`,
			keep: []string{"<text>kept</text>"}, lose: []string{"iframe", "foreignObject"}, removed: "<foreignObject>"},
		{name: "animation", in: svgOpen + `<a href="#x"><set attributeName="href" to="javascript:alert(1)"/><text>t</text></a><animate attributeName="x"/></svg>`,
			keep: []string{"<text>t</text>"}, lose: []string{"javascript", "<a ", "<set", "<animate"}, removed: "animation"},
		{name: "style sheet", in: svgOpen + `<style>@import url(https://evil.example/x.css); rect{fill:red}</style></svg>`,
			lose: []string{"evil", "<style"}, removed: "style sheets"},
		{name: "clean style sheet", in: svgOpen + `<style>rect { fill: url(#g); } .a &gt; .b {}</style></svg>`,
			keep: []string{"<style>rect { fill: url(#g); } .a &gt; .b {}</style>"}},
		{name: "style attribute", in: svgOpen + `<rect style="fill:url(https://evil.example/);stroke:red"/><rect style="fill:url(#g);stroke:red;behavior:x"/></svg>`,
			keep: []string{`<rect style="fill:url(#g);stroke:red">`}, lose: []string{"evil", "behavior"}, removed: "styles"},
		{name: "escaped url", in: svgOpen + `<rect fill="u\72l(https://evil.example/)"/></svg>`,
			keep: []string{"<rect>"}, lose: []string{"evil"}, removed: "references"},
		{name: "editor namespaces", in: `<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="1"><inkscape:x/><g inkscape:label="l"><path d="M0 0"/></g></svg>`,
			keep: []string{`<g><path d="M0 0"></path></g>`}, lose: []string{"inkscape"}, removed: "other namespaces"},
		{name: "doctype", in: `<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">` + svgOpen + `<!-- c --><rect/></svg>`,
			keep: []string{"<rect></rect>"}, lose: []string{"DOCTYPE", "<!--"}},
		{name: "entities", in: `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + svgOpen + `<text>&x;</text></svg>`,
			fail: "declares entities"},
		{name: "billion laughs", in: `<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>` + svgOpen + `<text>&b;</text></svg>`,
			fail: "declares entities"},
		{name: "undeclared entity", in: svgOpen + `<text>&nbsp;</text></svg>`, fail: "not a well-formed SVG"},
		{name: "unclosed", in: svgOpen + `<g><rect></svg>`, fail: "not a well-formed SVG"},
		{name: "truncated", in: svgOpen + `<g>`, fail: "not a well-formed SVG"},
		{name: "no namespace", in: `<svg><rect/></svg>`, fail: "not an SVG"},
		{name: "html", in: `<html xmlns="http://www.w3.org/1999/xhtml"><script>x</script></html>`, fail: "not an SVG"},
		{name: "empty", in: ``, fail: "not an SVG"},
		{name: "two roots", in: svgOpen + `</svg>` + svgOpen + `</svg>`, fail: "second root"},
		{name: "deep", in: svgOpen + strings.Repeat("<g>", 1000) + strings.Repeat("</g>", 1000) + `</svg>`, fail: "nested more than"},
		{name: "control characters", in: svgOpen + "<text>a&#1;b</text></svg>", fail: "not a well-formed SVG"},
		{name: "text escapes", in: svgOpen + `<text x="a&quot;b">1 &lt; 2 &amp; 3</text></svg>`,
			keep: []string{`<text x="a&quot;b">1 &lt; 2 &amp; 3</text>`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, removed, err := sanitizeSVG([]byte(c.in))
			if c.fail != "" {
				if err == nil || !strings.Contains(err.Error(), c.fail) {
					t.Fatalf("error %v, want %q", err, c.fail)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range c.keep {
				if !bytes.Contains(out, []byte(k)) {
					t.Errorf("lost %q:\n%s", k, out)
				}
			}
			for _, l := range c.lose {
				if bytes.Contains(out, []byte(l)) {
					t.Errorf("kept %q:\n%s", l, out)
				}
			}
			if got := strings.Join(removed, ", "); c.removed == "" && got != "" || !strings.Contains(got, c.removed) {
				t.Errorf("removed %q, want %q", got, c.removed)
			}
			checkSVG(t, out)
		})
	}
}

// checkSVG checks a sanitized SVG: well-formed, nothing that runs, and
// sanitizing it again changes nothing.
func checkSVG(t *testing.T, out []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(out))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, out)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local == "script" || se.Name.Local == "foreignObject" {
				t.Fatalf("<%s> kept", se.Name.Local)
			}
			for _, a := range se.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Fatalf("attribute %s kept", a.Name.Local)
				}
				if a.Name.Local == "href" && !strings.HasPrefix(a.Value, "#") && !strings.HasPrefix(a.Value, "data:image/") {
					t.Fatalf("href %q kept", a.Value)
				}
			}
		}
	}
	again, removed, err := sanitizeSVG(out)
	if err != nil || !bytes.Equal(again, out) || len(removed) > 0 {
		t.Fatalf("sanitizing twice differs (%v, removed %q):\n%s\n%s", err, removed, out, again)
	}
}

// FuzzSVG sanitizes fuzzed SVGs: no panic, and what comes out is a
// well-formed SVG with nothing that runs, which sanitizing leaves alone.
func FuzzSVG(f *testing.F) {
	f.Add(svgOpen + `<script>alert(1)</script><rect onload="x" style="fill:url(#a)"/><use href="#a"/><text>a &amp; b</text></svg>`)
	f.Add(`<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>`)
	f.Add(svgOpen + `<style>a{}</style><foreignObject><p/></foreignObject><a><text>x</text></a></svg>`)
	f.Fuzz(func(t *testing.T, in string) {
		out, _, err := sanitizeSVG([]byte(in))
		if err != nil {
			return
		}
		checkSVG(t, out)
	})
}
