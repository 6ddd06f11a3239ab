package dot

import (
	"errors"

	"github.com/tetratelabs/wazero/api"
)

// funcImport is a function a module imports.
type funcImport struct {
	module, name    string
	params, results []api.ValueType
}

// errBadModule reports a module binary that cannot be read.
var errBadModule = errors.New("malformed module")

// funcImports returns the functions the module binary wasm imports, read
// from its type and import sections. (wazero's CompiledModule tells them
// too, but builds the definitions of all the module's 2,600 functions to
// do so, 10 ms.)
func funcImports(wasm []byte) ([]funcImport, error) {
	r := &reader{b: wasm}
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return nil, errBadModule
	}
	r.i = 8
	var types [][2][]api.ValueType
	for r.i < len(r.b) {
		id := r.byte()
		size := int(r.uleb())
		end := r.i + size
		if r.err != nil || end > len(r.b) || end < r.i {
			return nil, errBadModule
		}
		switch id {
		case 1: // type
			n := r.uleb()
			for range n {
				if r.byte() != 0x60 {
					return nil, errBadModule
				}
				types = append(types, [2][]api.ValueType{r.valTypes(), r.valTypes()})
				if r.err != nil {
					return nil, r.err
				}
			}
		case 2: // import
			var out []funcImport
			n := r.uleb()
			for range n {
				mod, name := r.name(), r.name()
				switch r.byte() {
				case 0: // function
					t := r.uleb()
					if r.err != nil || t >= uint64(len(types)) {
						return nil, errBadModule
					}
					out = append(out, funcImport{mod, name, types[t][0], types[t][1]})
				case 1: // table
					r.byte()
					r.limits()
				case 2: // memory
					r.limits()
				case 3: // global
					r.byte()
					r.byte()
				default:
					return nil, errBadModule
				}
				if r.err != nil {
					return nil, r.err
				}
			}
			return out, nil
		case 0: // custom, before the others
		default:
			// Sections come in order: past the imports, there are none.
			if id > 2 {
				return nil, nil
			}
		}
		r.i = end
	}
	return nil, r.err
}

// reader reads a module binary, remembering the first error.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.i >= len(r.b) {
		r.err = errBadModule
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *reader) uleb() uint64 {
	var v uint64
	for s := 0; s < 64; s += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << s
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errBadModule
	return 0
}

func (r *reader) bytes(n uint64) []byte {
	if n > uint64(len(r.b)-r.i) {
		r.err = errBadModule
		return nil
	}
	r.i += int(n)
	return r.b[r.i-int(n) : r.i]
}

func (r *reader) name() string { return string(r.bytes(r.uleb())) }

func (r *reader) valTypes() []api.ValueType {
	return []api.ValueType(r.bytes(r.uleb()))
}

func (r *reader) limits() {
	if r.byte()&1 != 0 {
		r.uleb()
	}
	r.uleb()
}
