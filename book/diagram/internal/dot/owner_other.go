//go:build !unix

package dot

import "os"

// private reports whether dir is a directory, not a link to one: outside
// Unix, the user's cache directory is private to them and os reads no
// owner or permissions of a folder.
func private(dir string) bool {
	fi, err := os.Lstat(dir)
	return err == nil && fi.IsDir()
}
