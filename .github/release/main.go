// Command release builds the bindery binaries a GitHub release carries: one
// archive for each platform we publish (tar.gz, zip for Windows) and a
// checksums.txt of their SHA-256 sums, the file the GitHub Action checks a
// download against.
//
// Usage, from the repository root:
//
//	go run ./.github/release -version v1.2.3 [-o dist/release] [-targets linux/amd64,...]
//
// The builds are reproducible: the same source, Go version and version stamp
// give the same bytes on any machine. Each binary is built with
// CGO_ENABLED=0, -trimpath, -buildvcs=false and -ldflags "-s -w -buildid=
// -X main.buildVersion=VERSION"; archive entries are in a fixed order, owned
// by root, and dated SOURCE_DATE_EPOCH (else 1980-01-01, the earliest date a
// zip can hold). Archive names carry no version (bindery_linux_amd64.tar.gz),
// so the latest release's download URLs stay put.
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Targets are the platforms a release carries, as GOOS/GOARCH.
var Targets = []string{
	"darwin/amd64", "darwin/arm64",
	"linux/amd64", "linux/arm64",
	"windows/amd64", "windows/arm64",
}

// defaultEpoch dates archive entries when SOURCE_DATE_EPOCH is not set.
var defaultEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// validVersion is what may follow -X main.buildVersion= (ldflags are split
// at spaces, and the version names a git tag).
var validVersion = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._+-]*$`)

// docs are the repository files every archive carries beside the binary,
// with their names in the archive: the README, and the notices of the
// hyphenation patterns and of Graphviz's WebAssembly build the binary
// embeds (some licences ask binaries to reproduce them).
var docs = []struct{ src, name string }{
	{"README.md", "README.md"},
	{"book/hyphen/patterns/LICENSES.md", "LICENSES-hyphenation.md"},
	{"book/diagram/internal/dot/README.md", "NOTICE-graphviz.md"},
	{"book/diagram/internal/dot/LICENSE.go-graphviz", "LICENSE-go-graphviz"},
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("release: ")
	version := flag.String("version", "", "version stamped into the binaries, such as v1.2.3 (required)")
	out := flag.String("o", filepath.Join("dist", "release"), "write the archives and checksums.txt into `DIR`")
	targets := flag.String("targets", strings.Join(Targets, ","), "comma-separated GOOS/GOARCH `LIST`, or \"host\"")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: go run ./.github/release -version VERSION [flags]\n\nFlags:\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 || *version == "" {
		flag.Usage()
		os.Exit(2)
	}
	list := strings.Split(*targets, ",")
	if *targets == "host" {
		list = []string{runtime.GOOS + "/" + runtime.GOARCH}
	}
	epoch, err := sourceDate()
	if err != nil {
		log.Fatal(err)
	}
	r := Release{Version: *version, Dir: *out, Epoch: epoch, Log: os.Stderr}
	if err := r.Build(list); err != nil {
		log.Fatal(err)
	}
}

// sourceDate reads SOURCE_DATE_EPOCH.
func sourceDate() (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return defaultEpoch, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a number of seconds", s)
	}
	t := time.Unix(n, 0).UTC()
	if t.Before(defaultEpoch) {
		t = defaultEpoch // a zip cannot date a file before 1980
	}
	return t, nil
}

// Release builds release archives from the bindery module at Root.
type Release struct {
	Root    string    // the module's root folder; "" is the working folder
	Version string    // stamped into each binary
	Dir     string    // where archives and checksums.txt go
	Epoch   time.Time // the date of every archive entry
	Log     io.Writer // progress, one line a target; nil for none
}

// Build builds, packs and checksums each target, then writes checksums.txt
// listing every archive in Dir.
func (r Release) Build(targets []string) error {
	if !validVersion.MatchString(r.Version) {
		return fmt.Errorf("version %q: want letters, digits and . _ + - only, such as v1.2.3", r.Version)
	}
	for _, t := range targets {
		if !slices.Contains(Targets, t) {
			return fmt.Errorf("target %q: want one of %s", t, strings.Join(Targets, ", "))
		}
	}
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		return err
	}
	for _, t := range targets {
		goos, goarch, _ := strings.Cut(t, "/")
		start := time.Now()
		bin, err := r.compile(goos, goarch)
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		if goos == runtime.GOOS && goarch == runtime.GOARCH {
			if err := r.checkStamp(bin); err != nil {
				return err
			}
		}
		name, err := r.pack(goos, goarch, bin)
		os.RemoveAll(filepath.Dir(bin))
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		if r.Log != nil {
			fmt.Fprintf(r.Log, "%s (%.1fs)\n", name, time.Since(start).Seconds())
		}
	}
	return r.writeChecksums()
}

// ArchiveName is the name of the archive for a platform.
func ArchiveName(goos, goarch string) string {
	if goos == "windows" {
		return "bindery_" + goos + "_" + goarch + ".zip"
	}
	return "bindery_" + goos + "_" + goarch + ".tar.gz"
}

// compile builds bindery for one platform into a new temporary folder and
// returns the binary's path.
func (r Release) compile(goos, goarch string) (string, error) {
	tmp, err := os.MkdirTemp("", "bindery-release-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(tmp, binaryName(goos))
	cmd := exec.Command("go", "build",
		"-trimpath", "-buildvcs=false",
		"-ldflags=-s -w -buildid= -X main.buildVersion="+r.Version,
		"-o", bin, "./cmd/bindery")
	cmd.Env = append(os.Environ(),
		"CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch,
		// The baseline instruction sets, whatever the builder's environment says.
		"GOAMD64=v1", "GOARM64=v8.0",
		// Nothing from the builder's GOFLAGS (-race, -cover, -tags) reaches a release.
		"GOFLAGS=")
	cmd.Dir = r.Root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("go build: %w", err)
	}
	return bin, nil
}

func binaryName(goos string) string {
	if goos == "windows" {
		return "bindery.exe"
	}
	return "bindery"
}

// checkStamp runs a binary built for this machine and checks that it
// reports the release's version.
func (r Release) checkStamp(bin string) error {
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		return fmt.Errorf("%s version: %w", bin, err)
	}
	if got, want := strings.TrimSpace(string(out)), "bindery "+r.Version; got != want {
		return fmt.Errorf("%s version printed %q, want %q", bin, got, want)
	}
	return nil
}

// entry is one file of an archive.
type entry struct {
	name string
	mode int64
	data []byte
}

// pack writes the archive of one platform into Dir.
func (r Release) pack(goos, goarch, bin string) (string, error) {
	data, err := os.ReadFile(bin)
	if err != nil {
		return "", err
	}
	files := []entry{{binaryName(goos), 0o755, data}}
	for _, d := range docs {
		b, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(d.src)))
		if err != nil {
			return "", err
		}
		files = append(files, entry{d.name, 0o644, b})
	}
	var buf bytes.Buffer
	if goos == "windows" {
		err = writeZip(&buf, files, r.Epoch)
	} else {
		err = writeTarGz(&buf, files, r.Epoch)
	}
	if err != nil {
		return "", err
	}
	name := ArchiveName(goos, goarch)
	return name, writeFileAtomic(filepath.Join(r.Dir, name), buf.Bytes())
}

// writeTarGz writes files, sorted by name, as a gzipped tar whose entries
// carry nothing of the machine that made them: root owner, no user names,
// one date, no gzip name or time.
func writeTarGz(w io.Writer, files []entry, date time.Time) error {
	zw, err := gzip.NewWriterLevel(w, gzip.DefaultCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	for _, f := range sorted(files) {
		h := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     f.name,
			Mode:     f.mode,
			Size:     int64(len(f.data)),
			ModTime:  date,
			Format:   tar.FormatUSTAR,
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(f.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// writeZip writes files, sorted by name, as a zip with one date in UTC.
func writeZip(w io.Writer, files []entry, date time.Time) error {
	zw := zip.NewWriter(w)
	for _, f := range sorted(files) {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: date.UTC()}
		h.SetMode(os.FileMode(f.mode))
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

func sorted(files []entry) []entry {
	s := slices.Clone(files)
	slices.SortFunc(s, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return s
}

// writeChecksums writes checksums.txt: the SHA-256 of every archive in Dir,
// sorted by name, in the format sha256sum -c reads.
func (r Release) writeChecksums() error {
	var names []string
	for _, t := range Targets {
		goos, goarch, _ := strings.Cut(t, "/")
		name := ArchiveName(goos, goarch)
		if _, err := os.Stat(filepath.Join(r.Dir, name)); err == nil {
			names = append(names, name)
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	slices.Sort(names)
	var b strings.Builder
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(r.Dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%x  %s\n", sha256.Sum256(data), name)
	}
	return writeFileAtomic(filepath.Join(r.Dir, "checksums.txt"), []byte(b.String()))
}

// writeFileAtomic writes data to a temporary file beside name and renames
// it into place, so an interrupted run never leaves a truncated archive.
func writeFileAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
