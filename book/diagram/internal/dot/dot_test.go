package dot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero"
)

// nodeAttr returns attribute attr of node name in dot's output.
func nodeAttr(t *testing.T, out []byte, name, attr string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)\n\s*` + regexp.QuoteMeta(name) + `\s*\[([^\]]*)\]`)
	m := re.FindSubmatch(out)
	if m == nil {
		t.Fatalf("no node %s in:\n%s", name, out)
	}
	am := regexp.MustCompile(`(?:^|[,\s])` + attr + `=(?:"((?:[^"\\]|\\.)*)"|([^,\s\]]+))`).FindSubmatch(m[1])
	if am == nil {
		t.Fatalf("node %s has no %s in:\n%s", name, attr, out)
	}
	return strings.ReplaceAll(string(am[1])+string(am[2]), "\\\n", "")
}

// pos returns the position of node name.
func pos(t *testing.T, out []byte, name string) (x, y float64) {
	t.Helper()
	f := strings.Split(nodeAttr(t, out, name, "pos"), ",")
	if len(f) != 2 {
		t.Fatalf("node %s: pos %q", name, f)
	}
	x, err1 := strconv.ParseFloat(f[0], 64)
	y, err2 := strconv.ParseFloat(f[1], 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("node %s: pos %q", name, f)
	}
	return x, y
}

func TestLayout(t *testing.T) {
	out, err := Layout(context.Background(), []byte("digraph G { rankdir=TB; a -> b; b -> c; a -> c }"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`bb="0,0,`)) {
		t.Errorf("no bounding box:\n%s", out)
	}
	_, ya := pos(t, out, "a")
	_, yb := pos(t, out, "b")
	_, yc := pos(t, out, "c")
	// dot's y goes up: each rank below the one before.
	if !(ya > yb && yb > yc) {
		t.Errorf("ranks a %v, b %v, c %v: want a above b above c", ya, yb, yc)
	}
	if !regexp.MustCompile(`a -> b\s*\[pos="e,`).Match(out) {
		t.Errorf("edge a -> b has no spline:\n%s", out)
	}
}

func TestLayoutSizes(t *testing.T) {
	// The sizes dot is given come back; a node with no label gets its name.
	out, err := Layout(context.Background(), []byte(`digraph { node [fixedsize=true, shape=box]; n0 [width=2, height=0.5]; n1 [width=1, height=1]; n0 -> n1 }`))
	if err != nil {
		t.Fatal(err)
	}
	if w := nodeAttr(t, out, "n0", "width"); w != "2" {
		t.Errorf("n0 width %s, want 2", w)
	}
	if h := nodeAttr(t, out, "n1", "height"); h != "1" {
		t.Errorf("n1 height %s, want 1", h)
	}
	if !bytes.Contains(out, []byte(`label="\N"`)) {
		t.Errorf("nodes without labels are not labelled with their names:\n%s", out)
	}
}

func TestLayoutBadDOT(t *testing.T) {
	for _, src := range []string{
		"digraph G { a -> ; }",
		"digraph G { a -> b [label=<unclosed]; }",
		"graph { a -> b }", // -> in an undirected graph
		"",
	} {
		out, err := Layout(context.Background(), []byte(src))
		if err == nil {
			t.Errorf("%q: no error; output:\n%s", src, out)
			continue
		}
		if !strings.HasPrefix(err.Error(), "graphviz: ") {
			t.Errorf("%q: error %q does not name graphviz", src, err)
		}
	}
	// The instance is still good.
	if _, err := Layout(context.Background(), []byte("digraph { a -> b }")); err != nil {
		t.Fatalf("after errors: %v", err)
	}
	_, err := Layout(context.Background(), []byte("digraph G { a -> ; }"))
	if err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("error %v, want graphviz's syntax error", err)
	}
}

// chain returns a DOT chain of n nodes.
func chain(n int) []byte {
	var b bytes.Buffer
	b.WriteString("digraph {")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, " n%d -> n%d;", i-1, i)
	}
	b.WriteString(" }")
	return b.Bytes()
}

func TestLayoutConcurrent(t *testing.T) {
	const n = 8
	want := make([][]byte, n)
	for i := range n {
		out, err := Layout(context.Background(), chain(i+2))
		if err != nil {
			t.Fatal(err)
		}
		want[i] = out
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for range 4 {
		for i := range n {
			wg.Go(func() {
				out, err := Layout(context.Background(), chain(i+2))
				switch {
				case err != nil:
					errs <- err
				case !bytes.Equal(out, want[i]):
					errs <- fmt.Errorf("chain of %d: output differs from the same layout alone:\n%s\nwant:\n%s", i+2, out, want[i])
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestLayoutAfterTrap breaks the instance three ways: a trap (abort), a
// host function bindery does not provide, and the module exiting. Each is
// an error, not a crash, and the next layout works on a new instance.
func TestLayoutAfterTrap(t *testing.T) {
	want, err := Layout(context.Background(), chain(3))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		fn   string
		args []uint64
		msg  string
	}{
		{"abort", nil, "unreachable"},
		{"IDAllocator_Open", []uint64{0, 0}, "graphviz called wasm_bridge_IDAllocator_Open, which bindery does not provide"},
		{"exit", []uint64{3}, "exit_code(3)"},
	} {
		var used *instance
		_, err := eng.run(func(in *instance) ([]byte, error) {
			used = in
			f := in.mod.ExportedFunction(c.fn)
			if f == nil {
				t.Fatalf("module has no %s", c.fn)
			}
			_, err := in.call(context.Background(), f, c.args...)
			return nil, err
		})
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want one with %q", c.fn, err, c.msg)
		}
		eng.mu.Lock()
		dropped := !slices.Contains(eng.idle, used)
		eng.mu.Unlock()
		if !dropped {
			t.Errorf("%s: the instance is kept", c.fn)
		}
		got, err := Layout(context.Background(), chain(3))
		if err != nil {
			t.Fatalf("after %s: %v", c.fn, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("after %s: layout differs:\n%s\nwant:\n%s", c.fn, got, want)
		}
	}
}

// png returns the header of a w × h PNG image (enough for graphviz to
// read its size).
func png(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 17)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	copy(ihdr[12:], []byte{8, 2, 0, 0, 0})
	_ = binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(ihdr)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	return b.Bytes()
}

// TestLayoutReadsNoFiles gives graphviz an image to size a node by: a
// module that could open it would make the node 10 inches wide.
func TestLayoutReadsNoFiles(t *testing.T) {
	img := filepath.Join(t.TempDir(), "big.png")
	if err := os.WriteFile(img, png(720, 720), 0o644); err != nil {
		t.Fatal(err)
	}
	src := fmt.Sprintf(`digraph { a [shape=box, label="", image=%q]; }`, img)
	out, err := Layout(context.Background(), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	w, err := strconv.ParseFloat(nodeAttr(t, out, "a", "width"), 64)
	if err != nil || w > 1 {
		t.Errorf("node a is %v inches wide (%v): graphviz read %s", w, err, img)
	}
}

func TestWasmHash(t *testing.T) {
	if h := sha256.Sum256(wasm); hex.EncodeToString(h[:]) != wasmSHA256 {
		t.Errorf("graphviz.wasm has SHA-256 %x; set wasmSHA256 to it", h)
	}
}

// TestModuleImports checks that the imports read from the module binary are
// the ones wazero finds.
func TestModuleImports(t *testing.T) {
	got, err := funcImports(wasm)
	if err != nil {
		t.Fatal(err)
	}
	r := wazero.NewRuntime(context.Background())
	defer r.Close(context.Background())
	m, err := r.CompileModule(context.Background(), wasm)
	if err != nil {
		t.Fatal(err)
	}
	want := m.ImportedFunctions()
	if len(got) != len(want) {
		t.Fatalf("%d imports, want %d", len(got), len(want))
	}
	for i, w := range want {
		mod, name, _ := w.Import()
		g := got[i]
		if g.module != mod || g.name != name || !slices.Equal(g.params, w.ParamTypes()) || !slices.Equal(g.results, w.ResultTypes()) {
			t.Errorf("import %d: %s.%s %v %v, want %s.%s %v %v", i, g.module, g.name, g.params, g.results, mod, name, w.ParamTypes(), w.ResultTypes())
		}
	}
	if _, err := funcImports(wasm[:100]); err == nil {
		t.Error("a cut module: no error")
	}
}

// TestCacheDir checks the cache directory's place and permissions.
func TestCacheDir(t *testing.T) {
	base := t.TempDir()
	t.Setenv(CacheEnv, base)
	dir := CacheDir()
	if filepath.Dir(dir) != base || !strings.HasPrefix(filepath.Base(dir), "graphviz-") || !strings.HasSuffix(dir, wasmSHA256[:16]) {
		t.Fatalf("cache dir %q, want graphviz-<wazero version>-<hash> in %s", dir, base)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("cache dir mode %v, want 0700", perm)
	}
	// A folder others may use is narrowed.
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if CacheDir() != dir {
		t.Fatal("cache dir lost")
	}
	if fi, err := os.Lstat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache dir mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	// A link is not followed.
	link := t.TempDir()
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(link, dir); err != nil {
		t.Skip(err)
	}
	if got := CacheDir(); got != "" {
		t.Errorf("cache dir %q through a symbolic link", got)
	}

	t.Setenv(CacheEnv, "off")
	if got := CacheDir(); got != "" {
		t.Errorf("%s=off: cache dir %q", CacheEnv, got)
	}
	t.Setenv(CacheEnv, "")
	t.Setenv("XDG_CACHE_HOME", filepath.Join(base, "xdg"))
	t.Setenv("HOME", filepath.Join(base, "home"))
	if got := CacheDir(); got == "" || !strings.HasPrefix(got, filepath.Join(base, "xdg", "bindery")+string(filepath.Separator)) && !strings.HasPrefix(got, filepath.Join(base, "home")) {
		t.Errorf("default cache dir %q, not in the user's cache directory", got)
	}
}

// TestLayoutFiles lays out a graph in a new process, with every directory
// a program might write to its own, and checks what was written: the
// compiled module in the cache directory, and nothing else.
func TestLayoutFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the module")
	}
	userCache := "xdg"
	switch runtime.GOOS {
	case "darwin", "ios":
		userCache = "home"
	case "windows", "plan9":
		t.Skip("no XDG_CACHE_HOME or HOME")
	}
	for _, c := range []struct {
		name  string
		cache string // BINDERY_CACHE: "dir" for a directory of the test's
		where string // the directory the compiled module must be in, or ""
	}{
		{"default", "", userCache},
		{"dir", "dir", "dir"},
		{"off", "off", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			dirs := map[string]string{}
			for _, d := range []string{"home", "xdg", "tmp", "wd", "dir"} {
				dirs[d] = filepath.Join(root, d)
				if err := os.Mkdir(dirs[d], 0o755); err != nil {
					t.Fatal(err)
				}
			}
			cache := c.cache
			if cache == "dir" {
				cache = dirs["dir"]
			}
			layoutProcess(t, dirs["wd"], "HOME="+dirs["home"], "XDG_CACHE_HOME="+dirs["xdg"], "TMPDIR="+dirs["tmp"], CacheEnv+"="+cache)
			for d, path := range dirs {
				var files []string
				_ = filepath.WalkDir(path, func(p string, e fs.DirEntry, err error) error {
					if err == nil && !e.IsDir() {
						files = append(files, p)
					}
					if err == nil && e.IsDir() && p != path && d == c.where {
						if fi, err := e.Info(); err == nil && fi.Mode().Perm()&0o077 != 0 {
							t.Errorf("%s: mode %v, want 0700", p, fi.Mode().Perm())
						}
					}
					return nil
				})
				switch {
				case d == c.where && len(files) == 0:
					t.Errorf("no compiled module in %s", d)
				case d != c.where && len(files) > 0:
					t.Errorf("files written in %s: %q", d, files)
				}
			}
		})
	}
}

// layoutProcess lays out a graph in a new process, in dir, with env.
func layoutProcess(t *testing.T, dir string, env ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLayout$", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "BINDERY_TEST_LAYOUT=1"), env...)
	if out, err := cmd.CombinedOutput(); err != nil || !bytes.Contains(out, []byte("laid out")) {
		t.Fatalf("%v:\n%s", err, out)
	}
}

// TestLayoutDamagedCache damages the compiled module in the cache: the
// next run compiles it again and caches it afresh.
func TestLayoutDamagedCache(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the module")
	}
	dir := t.TempDir()
	env := CacheEnv + "=" + dir
	layoutProcess(t, dir, env)
	cached := func() []string {
		var files []string
		_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				files = append(files, p)
			}
			return nil
		})
		return files
	}
	files := cached()
	if len(files) != 1 {
		t.Fatalf("cache holds %q, want one file", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for i := len(b) / 2; i < len(b)/2+64; i++ {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(files[0], b, 0o600); err != nil {
		t.Fatal(err)
	}
	layoutProcess(t, dir, env)
	again := cached()
	if len(again) != 1 {
		t.Fatalf("cache holds %q after the damaged run, want one file", again)
	}
	if c, err := os.ReadFile(again[0]); err != nil || bytes.Equal(c, b) {
		t.Errorf("damaged compiled module kept (%v)", err)
	}
	layoutProcess(t, dir, env)
}

// TestHelperLayout is the process TestLayoutFiles starts.
func TestHelperLayout(t *testing.T) {
	if os.Getenv("BINDERY_TEST_LAYOUT") != "1" {
		t.Skip("run by TestLayoutFiles")
	}
	if _, err := Layout(context.Background(), chain(3)); err != nil {
		t.Fatal(err)
	}
	fmt.Println("laid out")
}
