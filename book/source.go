package book

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
)

// Every file of a book is read through a rooted file system: the content
// root, or Hugo's static/ and assets/ beside it. A path that leads out of
// its root, by "..", by an absolute path or by a symbolic link anywhere on
// its way, is refused. The roots themselves are checked too: a content
// root, static/ or assets/ that is a symbolic link must lead to a folder
// inside the site folder (the content root's parent), so a repository
// cannot make static/ a link to / and put the build machine's files in a
// book. Only regular files are read (a named pipe would block the build
// for ever), and each kind of file has a size limit.

// Limits on the size of what a book reads.
const (
	// maxPageSize bounds a markdown page or book.yaml.
	maxPageSize = 64 << 20
	// maxPictureSize bounds the file of a picture.
	maxPictureSize = 64 << 20
	// maxFontSize bounds a font file: a CJK collection is about 30 MB.
	maxFontSize = 128 << 20
)

// errOutside is the problem of a path that leads out of the content root.
var errOutside = errors.New("the path leads outside the content root; refused")

// fileError says why a file of a rooted file system cannot be read, in
// the words of a message: "no such file", "a symbolic link that leads
// outside the content root; refused", …; outside is true for the latter.
func fileError(err error) (msg string, outside bool) {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, errOutside), err != nil && strings.Contains(err.Error(), "path escapes from parent"):
		return errOutside.Error(), true
	case errors.Is(err, fs.ErrNotExist):
		return "no such file", false
	case errors.Is(err, syscall.ELOOP):
		return "a loop of symbolic links", false
	case errors.Is(err, syscall.EINVAL), errors.Is(err, fs.ErrInvalid):
		return "not a valid path", false
	case errors.Is(err, fs.ErrPermission):
		return "cannot read: permission denied", false
	case errors.Is(err, errNotRegular), err != nil && strings.HasPrefix(err.Error(), "a file of "):
		return err.Error(), false
	}
	return "cannot read: " + err.Error(), false
}

// errNotRegular is the problem of a path that names a folder, a pipe or a
// device.
var errNotRegular = errors.New("not a regular file")

// readFile reads the regular file name of fsys, of at most limit bytes.
func readFile(fsys fs.FS, name string, limit int64) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("a file of %s: larger than the %s Bindery reads", size(fi.Size()), size(limit))
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read into a buffer of the file's size (and a byte more, to see the
	// end): the book holds its sources, and io.ReadAll's doubling would
	// leave up to half of each unused.
	data := make([]byte, 0, min(fi.Size(), limit)+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			if int64(len(data)) > limit {
				break
			}
			data = append(data, 0)[:len(data)] // the file grew since its size was read
		}
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than the %s Bindery reads", size(limit))
	}
	return data, nil
}

// size writes a number of bytes for a message: "64 MB".
func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// siteRoot opens dir, a folder of the site folder site (the content root,
// static/ or assets/), as a root. When dir is a symbolic link, it must
// lead to a folder inside site, else it is refused with an error saying
// so; when dir does not exist, it returns nil and no error.
func siteRoot(dir, site string) (*os.Root, error) {
	fi, err := os.Lstat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return nil, fmt.Errorf("%s: a symbolic link that leads nowhere", printable(displayPath(dir)))
		}
		real = printable(real)
		realSite, err := filepath.EvalSymlinks(site)
		if err != nil {
			return nil, err
		}
		if !within(realSite, real) {
			return nil, fmt.Errorf("%s: a symbolic link to %s, outside %s; refused (name the folder itself to use it)", displayPath(dir), real, displayPath(site))
		}
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a folder", displayPath(dir))
	}
	return os.OpenRoot(dir)
}

// within reports whether path p is dir or inside it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// sources records the files a book reads, so a caller can refuse to
// write over any of them.
type sources struct {
	mu    sync.Mutex
	files map[string]bool // by "root\x00name", root "" for the content root
	dirs  map[string]string
}

func (s *sources) add(root, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = map[string]bool{}
	}
	s.files[root+"\x00"+name] = true
}

// Sources returns the files the book was made from, in no particular
// meaningful order but sorted: pages, book.yaml, the cover and pictures.
// For a book read from disk (Load) they are paths of the operating system;
// for one read from an fs.FS (LoadFS), paths within it.
func (b *Book) Sources() []string {
	s := &b.sources
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.files {
		root, name, _ := strings.Cut(k, "\x00")
		if dir, ok := s.dirs[root]; ok {
			out = append(out, filepath.Join(dir, filepath.FromSlash(name)))
		} else if root == "" {
			out = append(out, name)
		} else {
			out = append(out, path.Join(root, name))
		}
	}
	slices.Sort(out)
	return out
}
