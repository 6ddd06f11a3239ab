package book

import (
	"errors"
	"io/fs"
	"net/url"
	"path"
	"strings"
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
		tries = []string{strings.TrimPrefix(path.Clean(p), "/")}
	} else {
		tries = []string{path.Join(path.Dir(from.File), p), path.Join(b.indexDir, p)}
	}
	outside := false
	for _, t := range tries {
		if t == ".." || strings.HasPrefix(t, "../") {
			outside = true
			continue
		}
		fi, err := fs.Stat(b.fsys, t)
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
