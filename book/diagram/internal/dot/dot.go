// Package dot lays out graphs with Graphviz dot: Graphviz compiled to
// WebAssembly (the build of github.com/goccy/go-graphviz, see README.md),
// run by wazero, without cgo.
//
// Nothing happens when the package is loaded: the module is compiled and
// instantiated on the first Layout, or in the background once Preload is
// called. Its compiled form is cached in a private per-user directory (see
// CacheDir) so that later runs skip the compilation. The module sees no
// files, no environment and no clock: it only gets the DOT source and
// gives back the laid-out graph.
package dot

import (
	"bytes"
	"context"
	_ "embed" // the module
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// wasm is graphviz.wasm of go-graphviz (see README.md). It is not
// compressed: decompressing it would take 7 to 10 ms of the load.
//
//go:embed graphviz.wasm
var wasm []byte

// wasmSHA256 is the SHA-256 of wasm (TestWasmHash checks it), which names
// the cache folder.
const wasmSHA256 = "7cc5b0a5f176aeaa69760ed5dc3282ceda2b1b04229b22de77bb0a5eab45578e"

// engine holds the compiled module and its instances. The zero value is
// ready: the module is compiled on first use.
type engine struct {
	loadOnce sync.Once
	ctx      context.Context
	rt       wazero.Runtime
	compiled wazero.CompiledModule
	loadErr  error

	preloadOnce sync.Once

	// mu guards the instances: an instance is single-threaded, so a
	// layout has one to itself. There are as many as layouts have run at
	// once, and at most one for each core (an instance takes half a
	// millisecond to make, and a few megabytes); one that traps is
	// dropped, and the next layout makes another.
	mu   sync.Mutex
	free *sync.Cond  // signalled when an instance is given back or dropped
	idle []*instance // made and free
	made int         // instances made and not dropped
}

var eng engine

// Preload starts compiling and instantiating the module in the background,
// so that the first Layout does not wait for it. Calling it again does
// nothing.
func Preload() {
	eng.preloadOnce.Do(func() {
		go func() {
			if in, err := eng.take(); err == nil {
				eng.give(in)
			}
		}()
	})
}

// Layout parses src, a graph in the DOT language, lays it out with the dot
// engine and returns the graph with its positions, as `dot -Tdot` writes
// it. It is safe for concurrent use: as many layouts run at once as there
// are cores. ctx is passed to the module's calls but does not interrupt
// them: callers bound the work by the size of the graphs they give.
func Layout(ctx context.Context, src []byte) ([]byte, error) {
	return eng.run(func(in *instance) ([]byte, error) { return in.layout(ctx, src) })
}

// run runs f on an instance of its own. A call of f that traps or exits
// the module leaves graphviz's memory in an unknown state: the instance is
// dropped, and a new one is made from the compiled module when needed.
func (e *engine) run(f func(*instance) ([]byte, error)) (out []byte, err error) {
	in, err := e.take()
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			in.broken = true
			out, err = nil, fmt.Errorf("graphviz: %v", r)
		}
		e.give(in)
	}()
	return f(in)
}

// take returns an instance for the caller alone, compiling the module
// first if need be, and waits while every instance there may be is busy.
func (e *engine) take() (*instance, error) {
	e.loadOnce.Do(e.load)
	if e.loadErr != nil {
		return nil, e.loadErr
	}
	e.mu.Lock()
	if e.free == nil {
		e.free = sync.NewCond(&e.mu)
	}
	for len(e.idle) == 0 && e.made >= runtime.GOMAXPROCS(0) {
		e.free.Wait()
	}
	if n := len(e.idle); n > 0 {
		in := e.idle[n-1]
		e.idle = e.idle[:n-1]
		e.mu.Unlock()
		return in, nil
	}
	e.made++
	e.mu.Unlock()
	in, err := e.instantiate()
	if err != nil {
		e.give(nil)
		return nil, fmt.Errorf("graphviz: %w", err)
	}
	return in, nil
}

// give gives back an instance take returned, or drops it if it is broken
// (nil: one take failed to make).
func (e *engine) give(in *instance) {
	if in != nil && in.broken {
		_ = in.mod.Close(e.ctx)
	}
	e.mu.Lock()
	if in == nil || in.broken {
		e.made--
	} else {
		e.idle = append(e.idle, in)
	}
	e.free.Signal()
	e.mu.Unlock()
}

// load compiles the module, through the compilation cache when there is
// one, and gets its imports ready.
func (e *engine) load() {
	e.ctx = context.Background()
	e.loadErr = func() error {
		var err error
		dir := CacheDir()
		if dir != "" {
			e.rt, e.compiled, err = compile(e.ctx, dir)
			if err != nil {
				// A damaged cache (its checksum fails), or one that
				// cannot be written: cache afresh, or not at all.
				if os.RemoveAll(dir) != nil {
					dir = ""
				} else if dir = CacheDir(); dir != "" {
					e.rt, e.compiled, err = compile(e.ctx, dir)
				}
			}
		}
		if dir == "" || err != nil {
			if e.rt, e.compiled, err = compile(e.ctx, ""); err != nil {
				return err
			}
		}
		if _, err := wasi_snapshot_preview1.Instantiate(e.ctx, e.rt); err != nil {
			return err
		}
		return e.hostStubs()
	}()
	if e.loadErr != nil {
		e.loadErr = fmt.Errorf("graphviz: %w", e.loadErr)
	}
}

// compile makes a runtime and compiles the module in it, through the
// compilation cache in dir if it is not "".
func compile(ctx context.Context, dir string) (wazero.Runtime, wazero.CompiledModule, error) {
	cfg := wazero.NewRuntimeConfig()
	if dir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(dir)
		if err != nil {
			return nil, nil, err
		}
		cfg = cfg.WithCompilationCache(cache)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	compiled, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		_ = rt.Close(ctx)
		return nil, nil, err
	}
	return rt, compiled, nil
}

// hostStubs provides the functions the module imports from "env": the
// callbacks go-graphviz gives plugins written in Go. None is called on the
// way from DOT to a layout; one that is called fails the layout.
func (e *engine) hostStubs() error {
	imports, err := funcImports(wasm)
	if err != nil {
		return err
	}
	b := e.rt.NewHostModuleBuilder("env")
	for _, f := range imports {
		if f.module != "env" {
			continue
		}
		name := f.name
		b = b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(context.Context, api.Module, []uint64) {
			panic(fmt.Errorf("graphviz called %s, which bindery does not provide", name))
		}), f.params, f.results).Export(name)
	}
	_, err = b.Instantiate(e.ctx)
	return err
}

// instance is the module instantiated, with a graphviz context.
type instance struct {
	mod    api.Module
	stderr bytes.Buffer // graphviz's messages during one layout
	broken bool         // a call trapped or the module exited

	malloc, free                       api.Function
	agmemread, agclose, agget          api.Function
	agsafeset, agfstnode, agnxtnode    api.Function
	aglasterr                          api.Function
	gvLayout, gvRenderData, gvFreeData api.Function
	gvFreeLayout                       api.Function

	gvc                             uint64 // the GVC_t
	sLabel, sDefault, sDot, sFormat uint64 // C strings
}

// instantiate makes an instance of the compiled module and its graphviz
// context.
func (e *engine) instantiate() (*instance, error) {
	in := &instance{}
	// No file system, environment, arguments or clock: graphviz reads
	// nothing of the machine. Its messages go to a buffer.
	cfg := wazero.NewModuleConfig().WithName("").WithStderr(&in.stderr)
	m, err := e.rt.InstantiateModule(e.ctx, e.compiled, cfg)
	if err != nil {
		return nil, err
	}
	in.mod = m
	for _, f := range []struct {
		fn   *api.Function
		name string
	}{
		{&in.malloc, "malloc"}, {&in.free, "free"},
		{&in.agmemread, "agmemread"}, {&in.agclose, "agclose"},
		{&in.agget, "agget"}, {&in.agsafeset, "agsafeset"},
		{&in.agfstnode, "agfstnode"}, {&in.agnxtnode, "agnxtnode"},
		{&in.aglasterr, "aglasterr"},
		{&in.gvLayout, "gvLayout"}, {&in.gvRenderData, "gvRenderData"},
		{&in.gvFreeData, "gvFreeRenderData"}, {&in.gvFreeLayout, "gvFreeLayout"},
	} {
		if *f.fn = m.ExportedFunction(f.name); *f.fn == nil {
			_ = m.Close(e.ctx)
			return nil, fmt.Errorf("module has no function %s", f.name)
		}
	}
	if err := in.setup(e.ctx); err != nil {
		_ = m.Close(e.ctx)
		return nil, err
	}
	return in, nil
}

// setup makes the graphviz context with the plugins built into the module
// (the dot and neato layouts and the core renderers) and the strings every
// layout uses.
func (in *instance) setup(ctx context.Context) error {
	var err error
	for _, s := range []struct {
		p *uint64
		s string
	}{{&in.sLabel, "label"}, {&in.sDefault, `\N`}, {&in.sDot, "dot"}, {&in.sFormat, "dot"}} {
		if *s.p, err = in.cstring(ctx, []byte(s.s)); err != nil {
			return err
		}
	}
	// wasm_bridge_SymList_default gives a GoSlice {len, data} of pointers
	// to lt_symlist_t {name, address}, 8 bytes apart; gvContextPlugins
	// wants an array of lt_symlist_t ending with a zero one.
	listFn := in.mod.ExportedFunction("wasm_bridge_SymList_default")
	ctxFn := in.mod.ExportedFunction("gvContextPlugins")
	if listFn == nil || ctxFn == nil {
		return errors.New("module has no plugin list")
	}
	ret, err := in.alloc(ctx, 4)
	if err != nil {
		return err
	}
	if _, err := listFn.Call(ctx, ret); err != nil {
		return err
	}
	slice, err := in.u32(ret)
	if err != nil {
		return err
	}
	n, err1 := in.u32(slice)
	data, err2 := in.u32(slice + 4)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if n > 64 {
		return fmt.Errorf("plugin list of %d entries", n)
	}
	syms := make([]byte, 8*(n+1))
	for i := range n {
		elem, err := in.u32(data + 8*i)
		if err != nil {
			return err
		}
		b, ok := in.mod.Memory().Read(uint32(elem), 8)
		if !ok {
			return errors.New("plugin list out of memory")
		}
		copy(syms[8*i:], b)
	}
	// The context keeps the array: it is never freed.
	list, err := in.alloc(ctx, uint64(len(syms)))
	if err != nil {
		return err
	}
	in.mod.Memory().Write(uint32(list), syms)
	res, err := ctxFn.Call(ctx, list, 1)
	if err != nil {
		return err
	}
	if res[0] == 0 {
		return errors.New("no graphviz context")
	}
	in.gvc = res[0]
	return nil
}

// call calls f, marking the instance broken if the call does not return.
func (in *instance) call(ctx context.Context, f api.Function, args ...uint64) (uint64, error) {
	res, err := f.Call(ctx, args...)
	if err != nil {
		in.broken = true
		return 0, err
	}
	if len(res) == 0 {
		return 0, nil
	}
	return uint64(uint32(res[0])), nil
}

// alloc returns n bytes of the module's memory.
func (in *instance) alloc(ctx context.Context, n uint64) (uint64, error) {
	p, err := in.call(ctx, in.malloc, n)
	if err == nil && p == 0 {
		err = errors.New("out of memory")
	}
	return p, err
}

// cstring copies s into the module's memory as a C string.
func (in *instance) cstring(ctx context.Context, s []byte) (uint64, error) {
	p, err := in.alloc(ctx, uint64(len(s))+1)
	if err != nil {
		return 0, err
	}
	mem := in.mod.Memory()
	if !mem.Write(uint32(p), s) || !mem.WriteByte(uint32(p)+uint32(len(s)), 0) {
		return 0, errors.New("string out of memory")
	}
	return p, nil
}

// u32 reads a pointer or an unsigned int of the module's memory.
func (in *instance) u32(p uint64) (uint64, error) {
	v, ok := in.mod.Memory().ReadUint32Le(uint32(p))
	if !ok {
		return 0, fmt.Errorf("read out of memory at %#x", p)
	}
	return uint64(v), nil
}

// gostring reads the C string at p.
func (in *instance) gostring(p uint64) string {
	if p == 0 {
		return ""
	}
	mem := in.mod.Memory()
	var b []byte
	for a := uint32(p); len(b) < 4096; a++ {
		c, ok := mem.ReadByte(a)
		if !ok || c == 0 {
			break
		}
		b = append(b, c)
	}
	return string(b)
}

// layout runs one layout.
func (in *instance) layout(ctx context.Context, src []byte) (out []byte, err error) {
	in.stderr.Reset()
	defer func() {
		if err != nil {
			err = fmt.Errorf("graphviz: %w", err)
		}
	}()
	s, err := in.cstring(ctx, src)
	if err != nil {
		return nil, err
	}
	g, err := in.call(ctx, in.agmemread, s)
	if _, ferr := in.call(ctx, in.free, s); err == nil {
		err = ferr
	}
	if err != nil {
		return nil, err
	}
	if g == 0 {
		return nil, in.lastError(ctx, "syntax error")
	}
	defer func() {
		if !in.broken {
			if _, cerr := in.call(ctx, in.agclose, g); err == nil && cerr != nil {
				err = cerr
			}
		}
	}()
	if err := in.labelNodes(ctx, g); err != nil {
		return nil, err
	}
	rc, err := in.call(ctx, in.gvLayout, in.gvc, g, in.sDot)
	if err != nil {
		return nil, err
	}
	if rc != 0 {
		return nil, in.lastError(ctx, "layout failed")
	}
	defer func() {
		if !in.broken {
			if _, ferr := in.call(ctx, in.gvFreeLayout, in.gvc, g); err == nil && ferr != nil {
				err = ferr
			}
		}
	}()
	return in.render(ctx, g)
}

// labelNodes gives every node without a label its name as one, as
// go-graphviz does after parsing.
func (in *instance) labelNodes(ctx context.Context, g uint64) error {
	n, err := in.call(ctx, in.agfstnode, g)
	for ; err == nil && n != 0; n, err = in.call(ctx, in.agnxtnode, g, n) {
		v, err := in.call(ctx, in.agget, n, in.sLabel)
		if err != nil {
			return err
		}
		if c, _ := in.mod.Memory().ReadByte(uint32(v)); v == 0 || c == 0 {
			if _, err := in.call(ctx, in.agsafeset, n, in.sLabel, in.sDefault, in.sDefault); err != nil {
				return err
			}
		}
	}
	return err
}

// render writes the laid-out graph g in the dot format.
func (in *instance) render(ctx context.Context, g uint64) ([]byte, error) {
	// char *result; unsigned int length;
	res, err := in.alloc(ctx, 8)
	if err != nil {
		return nil, err
	}
	defer func() {
		if !in.broken {
			_, _ = in.call(ctx, in.free, res)
		}
	}()
	mem := in.mod.Memory()
	mem.WriteUint64Le(uint32(res), 0)
	rc, err := in.call(ctx, in.gvRenderData, in.gvc, g, in.sFormat, res, res+4)
	if err != nil {
		return nil, err
	}
	b, ok := mem.Read(uint32(res), 8)
	if !ok {
		return nil, errors.New("render out of memory")
	}
	data, n := uint64(binary.LittleEndian.Uint32(b)), binary.LittleEndian.Uint32(b[4:])
	if data != 0 {
		defer func() {
			if !in.broken {
				_, _ = in.call(ctx, in.gvFreeData, data)
			}
		}()
	}
	if rc != 0 || data == 0 {
		return nil, in.lastError(ctx, "render failed")
	}
	out, ok := mem.Read(uint32(data), n)
	if !ok {
		return nil, errors.New("render out of memory")
	}
	return bytes.Clone(out), nil
}

// lastError returns graphviz's last error message: what aglasterr gives
// (nothing, as it keeps it in a file this module cannot open), or else the
// errors it wrote on stderr, or else what.
func (in *instance) lastError(ctx context.Context, what string) error {
	msg := ""
	if p, err := in.call(ctx, in.aglasterr); err == nil {
		msg = in.gostring(p)
	}
	if msg == "" {
		// "Error: syntax error in line 1 near ';'", after any warnings.
		s := in.stderr.String()
		if i := strings.Index(s, "Error: "); i >= 0 {
			s = s[i+len("Error: "):]
		}
		msg = s
	}
	msg = strings.Join(strings.Fields(msg), " ")
	if len(msg) > 300 {
		msg = strings.ToValidUTF8(msg[:300], "") + "..."
	}
	if msg == "" {
		msg = what
	}
	return errors.New(msg)
}
