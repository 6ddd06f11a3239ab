module github.com/bindery-books/bindery

go 1.26.8

require (
	github.com/adrg/frontmatter v0.2.0
	github.com/alecthomas/chroma/v2 v2.27.0
	github.com/boxesandglue/textshape v0.0.13
	github.com/go-fonts/dejavu v0.3.2
	github.com/goccy/go-graphviz v0.2.10
	github.com/speedata/hyphenation v1.0.2
	github.com/yuin/goldmark v1.8.2
	golang.org/x/image v0.40.0
	golang.org/x/net v0.53.0
	golang.org/x/tools v0.44.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/BurntSushi/toml v0.3.1 // indirect
	github.com/disintegration/imaging v1.6.2 // indirect
	github.com/dlclark/regexp2/v2 v2.2.1 // indirect
	github.com/flopp/go-findfont v0.1.0 // indirect
	github.com/fogleman/gg v1.3.0 // indirect
	github.com/golang/freetype v0.0.0-20170609003504-e2365dfdc4a0 // indirect
	github.com/tetratelabs/wazero v1.10.1 // indirect
	golang.org/x/text v0.37.0 // indirect
	gopkg.in/yaml.v2 v2.3.0 // indirect
)
