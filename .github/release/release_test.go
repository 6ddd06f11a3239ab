package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

var testFiles = []entry{
	{"bindery", 0o755, []byte("\x7fELF not really")},
	{"README.md", 0o644, []byte("# Bindery\n")},
}

var testDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestTarGz checks that a tar.gz holds the files sorted, with their modes,
// one date, and nothing of the machine: no owner, no gzip name or time; and
// that packing twice gives the same bytes.
func TestTarGz(t *testing.T) {
	var a, b bytes.Buffer
	if err := writeTarGz(&a, testFiles, testDate); err != nil {
		t.Fatal(err)
	}
	writeTarGz(&b, []entry{testFiles[1], testFiles[0]}, testDate)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the order of the files given changes the archive")
	}
	zr, err := gzip.NewReader(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("gzip header carries name %q, time %v", zr.Name, zr.ModTime)
	}
	tr := tar.NewReader(zr)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		want := testFiles[slices.IndexFunc(testFiles, func(e entry) bool { return e.name == h.Name })]
		data, _ := io.ReadAll(tr)
		if !bytes.Equal(data, want.data) || h.Mode != want.mode || !h.ModTime.Equal(testDate) ||
			h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" || h.Typeflag != tar.TypeReg {
			t.Errorf("entry %s: %+v", h.Name, h)
		}
	}
	if !slices.Equal(names, []string{"README.md", "bindery"}) {
		t.Errorf("entries %q, want sorted", names)
	}
}

// TestZip checks the Windows archive the same way.
func TestZip(t *testing.T) {
	var a, b bytes.Buffer
	if err := writeZip(&a, testFiles, testDate); err != nil {
		t.Fatal(err)
	}
	writeZip(&b, []entry{testFiles[1], testFiles[0]}, testDate)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the order of the files given changes the archive")
	}
	zr, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(testDate) || f.Method != zip.Deflate {
			t.Errorf("entry %s: modified %v, method %d", f.Name, f.Modified, f.Method)
		}
		want := testFiles[slices.IndexFunc(testFiles, func(e entry) bool { return e.name == f.Name })]
		if f.Mode().Perm() != os.FileMode(want.mode) {
			t.Errorf("entry %s: mode %v, want %v", f.Name, f.Mode(), os.FileMode(want.mode))
		}
	}
	if !slices.Equal(names, []string{"README.md", "bindery"}) {
		t.Errorf("entries %q, want sorted", names)
	}
}

func TestSourceDate(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want time.Time
		ok   bool
	}{
		{"", defaultEpoch, true},
		{"1767225600", testDate, true},
		{"0", defaultEpoch, true}, // a zip cannot say 1970
		{"yesterday", time.Time{}, false},
	} {
		t.Setenv("SOURCE_DATE_EPOCH", tc.env)
		got, err := sourceDate()
		if (err == nil) != tc.ok || !got.Equal(tc.want) {
			t.Errorf("SOURCE_DATE_EPOCH=%q: %v, %v; want %v", tc.env, got, err, tc.want)
		}
	}
}

func TestRefusals(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		version string
		targets []string
		want    string
	}{
		{"v1 -X main.evil=1", []string{"linux/amd64"}, "version"},
		{"", []string{"linux/amd64"}, "version"},
		{"v1.0.0", []string{"plan9/386"}, `target "plan9/386"`},
	} {
		err := Release{Version: tc.version, Dir: dir}.Build(tc.targets)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Build(%q, %q): %v, want an error about %s", tc.version, tc.targets, err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("a refused build wrote %v", entries)
	}
}

// TestBuildReproducible builds this machine's archive twice, in two
// folders, and checks the two are the same bytes; checksums.txt reads as
// sha256sum -c reads it. Build itself checks the binary's version stamp.
func TestBuildReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not installed")
	}
	host := runtime.GOOS + "/" + runtime.GOARCH
	if !slices.Contains(Targets, host) {
		t.Skipf("%s is not a release target", host)
	}
	var sums [2][]byte
	for i := range sums {
		dir := t.TempDir()
		r := Release{Root: filepath.Join("..", ".."), Version: "v0.0.0-repro", Dir: dir, Epoch: testDate}
		if err := r.Build([]string{host}); err != nil {
			t.Fatal(err)
		}
		sums[i], _ = os.ReadFile(filepath.Join(dir, "checksums.txt"))
		name := ArchiveName(runtime.GOOS, runtime.GOARCH)
		if !regexp.MustCompile(`^[0-9a-f]{64}  ` + regexp.QuoteMeta(name) + "\n$").Match(sums[i]) {
			t.Errorf("checksums.txt: %q", sums[i])
		}
		if _, err := exec.LookPath("sha256sum"); err == nil {
			cmd := exec.Command("sha256sum", "-c", "checksums.txt")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("sha256sum -c: %v\n%s", err, out)
			}
		}
	}
	if !bytes.Equal(sums[0], sums[1]) {
		t.Errorf("two builds differ:\n%s%s", sums[0], sums[1])
	}
}
