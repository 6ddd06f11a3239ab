package book

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"io"
	"slices"
	"strings"
)

// An SVG picture is a document a reading system runs, not pixels: it may
// hold scripts, event handlers, links and references to other files, on
// the network or on the reader's machine, and entities that expand
// without bound. So an SVG is parsed and written anew through an
// allowlist of elements and attributes, with what a book does not carry
// removed (and named in a warning); one that is not well-formed XML, that
// declares entities or that is not SVG is refused with an error.

const (
	svgNS   = "http://www.w3.org/2000/svg"
	xlinkNS = "http://www.w3.org/1999/xlink"
	xmlNS   = "http://www.w3.org/XML/1998/namespace"
	// maxSVGDepth bounds the nesting of an SVG's elements.
	maxSVGDepth = 256
)

// svgElements are the SVG elements kept: shapes, text, structure, paint
// servers, clipping, masking, markers and filter primitives. Anything else
// goes with its content: script, foreignObject, animation (which can set
// an href), feImage, elements of other namespaces (an editor's own).
var svgElements = setOf(
	"svg", "g", "defs", "symbol", "use", "title", "desc", "switch",
	"path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
	"text", "tspan", "textPath", "image",
	"linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
	"filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
	"feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
	"feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
	"feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset",
	"fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
)

// svgUnwrapped are elements whose tags go but whose content stays: a link
// does nothing in a picture, and may lead anywhere.
var svgUnwrapped = setOf("a")

// svgAttrs are the attributes kept (without a namespace), besides href,
// which only refers inside the picture.
var svgAttrs = setOf(
	"id", "class", "style", "lang", "transform", "d", "x", "y", "x1", "y1", "x2", "y2",
	"cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "width", "height", "points", "pathLength",
	"viewBox", "preserveAspectRatio", "version", "baseProfile", "overflow",
	"dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
	"offset", "gradientUnits", "gradientTransform", "spreadMethod",
	"patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits",
	"maskUnits", "maskContentUnits", "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
	"filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode", "type", "values",
	"operator", "k1", "k2", "k3", "k4", "order", "kernelMatrix", "divisor", "bias", "targetX", "targetY",
	"edgeMode", "preserveAlpha", "surfaceScale", "diffuseConstant", "specularConstant", "specularExponent",
	"kernelUnitLength", "azimuth", "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ",
	"limitingConeAngle", "scale", "xChannelSelector", "yChannelSelector", "radius", "baseFrequency",
	"numOctaves", "seed", "stitchTiles", "tableValues", "slope", "intercept", "amplitude", "exponent",
	"systemLanguage", "role", "aria-label", "aria-hidden", "aria-labelledby", "aria-describedby",
	// Presentation attributes.
	"fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
	"stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity", "color",
	"display", "visibility", "font-family", "font-size", "font-size-adjust", "font-weight", "font-style",
	"font-variant", "font-stretch", "text-anchor", "dominant-baseline", "alignment-baseline",
	"baseline-shift", "letter-spacing", "word-spacing", "text-decoration", "writing-mode", "direction",
	"unicode-bidi", "stop-color", "stop-opacity", "clip-path", "clip-rule", "mask", "marker-start",
	"marker-mid", "marker-end", "filter", "flood-color", "flood-opacity", "lighting-color",
	"shape-rendering", "text-rendering", "image-rendering", "color-interpolation",
	"color-interpolation-filters", "vector-effect", "paint-order", "mix-blend-mode", "isolation",
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// svgError is an SVG that cannot be carried at all.
type svgError struct{ msg string }

func (e *svgError) Error() string { return e.msg }

// svgRemoved collects what sanitizing removed, in words, each once.
type svgRemoved []string

func (r *svgRemoved) add(what string) {
	if !slices.Contains(*r, what) {
		*r = append(*r, what)
	}
}

// sanitizeSVG parses an SVG document and returns it written anew through
// the allowlist, with the list of what was removed.
func sanitizeSVG(data []byte) ([]byte, []string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = nil // XML's five entities only: none declared, none expanded
	var out bytes.Buffer
	out.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	var removed svgRemoved
	// stack holds, for each open element, whether it is written (its end
	// tag is written too); skip counts the open elements of a subtree
	// being removed.
	var stack []bool
	skip := 0
	root := false
	var body bytes.Buffer
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, &svgError{"not a well-formed SVG: " + strings.TrimPrefix(err.Error(), "XML syntax error ")}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxSVGDepth {
				return nil, nil, &svgError{fmt.Sprintf("an SVG nested more than %d deep; refused", maxSVGDepth)}
			}
			if len(stack) == 0 {
				if root {
					return nil, nil, &svgError{"not a well-formed SVG: a second root element"}
				}
				root = true
				if t.Name.Space != svgNS || t.Name.Local != "svg" {
					return nil, nil, &svgError{fmt.Sprintf("not an SVG: its root element is <%s> in namespace %q", t.Name.Local, t.Name.Space)}
				}
			}
			if skip > 0 {
				skip++
				stack = append(stack, false)
				continue
			}
			name := t.Name.Local
			switch {
			case t.Name.Space == svgNS && svgUnwrapped[name]:
				removed.add("links")
				stack = append(stack, false)
				continue
			case t.Name.Space != svgNS || !svgElements[name] && name != "style":
				removed.add(elementWords(t.Name))
				skip = 1
				stack = append(stack, false)
				continue
			}
			if name == "style" {
				css, err := svgStyleSheet(d)
				if err != nil {
					return nil, nil, &svgError{"not a well-formed SVG: " + strings.TrimPrefix(err.Error(), "XML syntax error ")}
				}
				if svgValue(css) && !strings.Contains(css, "</") {
					body.WriteString("<style>" + escapeXMLText(css) + "</style>")
				} else {
					removed.add("style sheets that refer outside the picture")
				}
				continue
			}
			attrs, ok := svgAttributes(t, &removed)
			if !ok {
				skip = 1
				stack = append(stack, false)
				continue
			}
			body.WriteString("<" + name)
			if len(stack) == 0 {
				body.WriteString(` xmlns="` + svgNS + `" xmlns:xlink="` + xlinkNS + `"`)
			}
			for _, a := range attrs {
				body.WriteString(" " + a.Key + `="` + escapeXMLAttr(a.Val) + `"`)
			}
			body.WriteString(">")
			stack = append(stack, true)
		case xml.EndElement:
			written := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if skip > 0 {
				skip--
				continue
			}
			if written {
				body.WriteString("</" + t.Name.Local + ">")
			}
		case xml.CharData:
			if skip == 0 && len(stack) > 0 {
				body.WriteString(escapeXMLText(string(t)))
			}
		case xml.Directive:
			s := strings.TrimSpace(string(t))
			if strings.Contains(s, "[") || strings.Contains(strings.ToUpper(s), "ENTITY") {
				return nil, nil, &svgError{"an SVG that declares entities (a DTD); refused"}
			}
			// A document type that only names SVG's DTD is dropped.
		case xml.ProcInst, xml.Comment:
			// Neither is carried: the declaration is written anew.
		}
	}
	if !root {
		return nil, nil, &svgError{"not an SVG: no root element"}
	}
	out.Write(body.Bytes())
	out.WriteString("\n")
	return out.Bytes(), removed, nil
}

// svgStyleSheet reads the text of a <style> element up to its end tag; an
// element inside it is an error.
func svgStyleSheet(d *xml.Decoder) (string, error) {
	var css strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			css.Write(t)
		case xml.StartElement:
			return "", fmt.Errorf("<%s> inside <style>", t.Name.Local)
		case xml.EndElement:
			return css.String(), nil
		}
	}
}

// elementWords names a removed element for a warning.
func elementWords(n xml.Name) string {
	switch {
	case n.Space != svgNS:
		return "elements of other namespaces"
	case n.Local == "script":
		return "scripts"
	case n.Local == "style":
		return "style sheets"
	case strings.HasPrefix(n.Local, "animate") || n.Local == "set":
		return "animation"
	}
	return "<" + n.Local + ">"
}

// svgAttributes returns the attributes of an element that are kept, and
// false when the element cannot be kept without the ones removed (a <use>
// or an <image> whose reference is refused).
func svgAttributes(t xml.StartElement, removed *svgRemoved) ([]Attr, bool) {
	var out []Attr
	seen := map[string]bool{}
	needsRef := t.Name.Local == "use" || t.Name.Local == "image"
	hasRef := false
	for _, a := range t.Attr {
		key := a.Name.Local
		low := strings.ToLower(key)
		switch {
		case strings.HasPrefix(low, "on"):
			removed.add("event handlers")
			continue
		case a.Name.Space == "xmlns" || a.Name.Space == "" && key == "xmlns":
			continue // namespaces are declared anew
		case low == "href" && (a.Name.Space == "" || a.Name.Space == xlinkNS):
			v, ok := svgReference(t.Name.Local, a.Value)
			if !ok {
				removed.add("references outside the picture")
				continue
			}
			key, a.Value, hasRef = "xlink:href", v, true
		case a.Name.Space == xmlNS && (key == "lang" || key == "space"):
			key = "xml:" + key
		case a.Name.Space != "" || !svgAttrs[key]:
			continue // an editor's own, or unknown: dropped silently
		case key == "style":
			v, ok := svgStyle(a.Value)
			if !ok {
				removed.add("styles that refer outside the picture")
				continue
			}
			a.Value = v
		default:
			if !svgValue(a.Value) {
				removed.add("references outside the picture")
				continue
			}
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, Attr{Key: key, Val: xmlText(a.Value)})
	}
	return out, !needsRef || hasRef
}

// svgReference checks the href of an element: a fragment of the picture
// itself, or, on <image>, a PNG, JPEG or GIF picture inside a data: URL
// that is small enough to decode.
func svgReference(elem, v string) (string, bool) {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "#") && !strings.ContainsAny(v, "\"'<>()\\ \t\n") {
		return v, true
	}
	if elem != "image" {
		return "", false
	}
	rest, ok := strings.CutPrefix(v, "data:")
	if !ok {
		return "", false
	}
	meta, payload, ok := strings.Cut(rest, ",")
	if !ok {
		return "", false
	}
	switch strings.ToLower(strings.ReplaceAll(meta, " ", "")) {
	case "image/png;base64", "image/jpeg;base64", "image/gif;base64":
	default:
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(payload), ""))
	if err != nil {
		return "", false
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil || int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return "", false
	}
	return v, true
}

// svgValue reports whether an attribute's value refers only inside the
// picture: a url() names a fragment of it, and nothing can be hidden by
// CSS escapes.
func svgValue(v string) bool {
	low := strings.ToLower(v)
	if strings.Contains(low, "\\") || strings.Contains(low, "expression") || strings.Contains(low, "javascript:") {
		return false
	}
	for i := strings.Index(low, "url("); i >= 0; {
		arg := strings.TrimSpace(low[i+4:])
		arg = strings.TrimLeft(arg, `"' `)
		if !strings.HasPrefix(arg, "#") {
			return false
		}
		j := strings.Index(low[i+4:], "url(")
		if j < 0 {
			break
		}
		i += 4 + j
	}
	return !strings.Contains(low, "@import")
}

// svgStyle keeps the declarations of a style attribute whose properties
// are presentation attributes and whose values refer inside the picture.
func svgStyle(v string) (string, bool) {
	if !svgValue(v) {
		return "", false
	}
	var keep []string
	for _, decl := range strings.Split(v, ";") {
		prop, val, ok := strings.Cut(decl, ":")
		prop = strings.ToLower(strings.TrimSpace(prop))
		if !ok || !svgAttrs[prop] || strings.ContainsAny(val, "{}<>") {
			continue
		}
		keep = append(keep, prop+":"+strings.TrimSpace(val))
	}
	return strings.Join(keep, ";"), true
}

// escapeXMLText escapes character data for XML and drops what XML forbids.
func escapeXMLText(s string) string {
	var b strings.Builder
	for _, r := range xmlText(s) {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeXMLAttr escapes an attribute value for XML, in double quotes.
func escapeXMLAttr(s string) string {
	s = escapeXMLText(s)
	s = strings.ReplaceAll(s, `"`, "&quot;")
	s = strings.ReplaceAll(s, "\t", "&#9;")
	s = strings.ReplaceAll(s, "\n", "&#10;")
	return strings.ReplaceAll(s, "\r", "&#13;")
}

// svgProblem words the error of an SVG that cannot be carried.
func svgProblem(err error) (string, bool) {
	var se *svgError
	if errors.As(err, &se) {
		return se.msg, true
	}
	return "", false
}
