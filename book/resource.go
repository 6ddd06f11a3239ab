package book

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
)

// Resource is a file a chapter refers to, such as an image.
type Resource struct {
	// File is the fs path within the content root; empty when Remote.
	File string
	// Remote is true for http and https URLs, which are not fetched.
	Remote bool
	URL    string
	// MediaType is the type from the file name: image/png, image/jpeg, image/gif, image/svg+xml, image/webp.
	MediaType string
}

// ErrOutside is returned for a path that leads out of the content root.
var ErrOutside = errors.New("the path leads outside the content root; refused")

var mediaTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".svg": "image/svg+xml", ".webp": "image/webp",
}

// Resource finds the file a chapter's image (or other resource) refers to:
// relative to the chapter's folder, then to the book's folder, then as a
// site path from the content root. Nothing outside the content root is ever
// read: such a path is an error.
func (b *Book) Resource(from *Chapter, src string) (Resource, error) {
	src = strings.TrimSpace(src)
	if hasScheme(src) {
		u, err := url.Parse(src)
		if err != nil || u.Scheme != "http" && u.Scheme != "https" {
			return Resource{}, errors.New("unsupported URL scheme")
		}
		return Resource{Remote: true, URL: src, MediaType: mediaTypes[strings.ToLower(path.Ext(u.Path))]}, nil
	}
	p, _, _ := strings.Cut(src, "#")
	p, _, _ = strings.Cut(p, "?")
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if p == "" {
		return Resource{}, errors.New("empty path")
	}
	var tries []string
	if strings.HasPrefix(p, "/") {
		site := strings.TrimPrefix(path.Clean(p), "/")
		tries = []string{site}
		for _, e := range b.extra {
			tries = append(tries, e.name+":"+site)
		}
	} else {
		tries = []string{path.Join(path.Dir(from.File), p), path.Join(b.indexDir, p)}
	}
	outside := false
	for _, t := range tries {
		if t == ".." || strings.HasPrefix(t, "../") {
			outside = true
			continue
		}
		fsys, name := b.fsys, t
		if root, rest, ok := strings.Cut(t, ":"); ok {
			for _, e := range b.extra {
				if e.name == root {
					fsys, name = e.fsys, rest
				}
			}
		}
		fi, err := fs.Stat(fsys, name)
		if err != nil {
			if isEscape(err) {
				outside = true
			}
			continue
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		mt := mediaTypes[strings.ToLower(path.Ext(t))]
		if mt == "" {
			return Resource{}, errors.New("not an image Bindery knows (png, jpeg, gif, svg, webp)")
		}
		return Resource{File: t, MediaType: mt}, nil
	}
	if outside {
		return Resource{}, ErrOutside
	}
	return Resource{}, errors.New("no such file")
}

// isEscape reports whether err is os.Root refusing a symlink that leads out.
func isEscape(err error) bool {
	return err != nil && strings.Contains(err.Error(), "escapes")
}

// fetcher fetches remote images when the user asks for it (--fetch-remote).
type fetcher struct {
	enabled bool
	mu      sync.Mutex
	cache   map[string]fetched
}

type fetched struct {
	data []byte
	err  error
}

// maxFetch bounds the size of a fetched image.
const maxFetch = 32 << 20

// FetchRemote reports whether remote images may be fetched.
func (b *Book) FetchRemote() bool { return b.fetch.enabled }

// Fetch downloads a remote resource once per build. It fails unless the
// book was loaded with FetchRemote.
func (b *Book) Fetch(res Resource) ([]byte, error) {
	f := &b.fetch
	if !f.enabled || !res.Remote {
		return nil, errors.New("remote images are not fetched without --fetch-remote")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.cache[res.URL]; ok {
		return r.data, r.err
	}
	if f.cache == nil {
		f.cache = map[string]fetched{}
	}
	data, err := download(res.URL)
	f.cache[res.URL] = fetched{data, err}
	return data, err
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

func download(url string) ([]byte, error) {
	resp, err := httpClient.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxFetch+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFetch {
		return nil, fmt.Errorf("fetch: larger than %d MB", maxFetch>>20)
	}
	return data, nil
}
