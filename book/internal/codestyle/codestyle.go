// Package codestyle holds the two chroma styles Bindery highlights code
// with, github and github-dark, as chroma v2.27.0 defines them (the XML
// files here are copies of its styles/github.xml and styles/github-dark.xml;
// MIT, see LICENSE). chroma's own styles package parses all of its seventy
// styles before main runs, 4 ms of every start, for the two a book uses;
// these are parsed on first use. TestSameAsChroma fails when chroma's copies
// change: copy them again.
package codestyle

import (
	"embed"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

//go:embed github.xml github-dark.xml
var files embed.FS

// Names are the styles Get knows.
var Names = []string{"github", "github-dark"}

// parsers parse each of Names on its first use.
var parsers = func() map[string]func() *chroma.Style {
	m := map[string]func() *chroma.Style{}
	for _, name := range Names {
		m[name] = sync.OnceValue(func() *chroma.Style {
			f, err := files.Open(name + ".xml")
			if err != nil {
				panic("codestyle: " + err.Error()) // each of Names is embedded
			}
			defer f.Close()
			s, err := chroma.NewXMLStyle(f)
			if err != nil {
				panic("codestyle: " + name + ": " + err.Error()) // TestSameAsChroma parses each
			}
			return s
		})
	}
	return m
}()

// Get returns the style of that name, or nil when it is not one of Names.
func Get(name string) *chroma.Style {
	if get, ok := parsers[name]; ok {
		return get()
	}
	return nil
}
