package dot

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// CacheEnv names the environment variable that sets where the compiled
// module is cached: a directory, or "off" for no cache.
const CacheEnv = "BINDERY_CACHE"

// CacheDir returns the directory the compiled module is cached in, created
// if need be, or "" for none: $BINDERY_CACHE, or else the user's cache
// directory (os.UserCacheDir) under bindery/, in a folder named after the
// versions of wazero and of the module, so that an upgrade never loads code
// compiled for another. It is "" when BINDERY_CACHE is "off", when there is
// no user cache directory, and when the folder cannot be made private to
// the user (mode 0700, owned by them): compiled code is run, so a folder
// another user could write to is never used.
func CacheDir() string {
	base := os.Getenv(CacheEnv)
	switch {
	case base == "off":
		return ""
	case base == "":
		dir, err := os.UserCacheDir()
		if err != nil || dir == "" || !filepath.IsAbs(dir) {
			return ""
		}
		base = filepath.Join(dir, "bindery")
	}
	base, err := filepath.Abs(base)
	if err != nil {
		return ""
	}
	dir := filepath.Join(base, "graphviz-"+wazeroVersion()+"-"+wasmSHA256[:16])
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ""
	}
	if !private(dir) {
		return ""
	}
	return dir
}

// wazeroVersion returns the version of wazero the binary is built with.
func wazeroVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/tetratelabs/wazero" {
				v := d.Version
				if d.Replace != nil {
					v = d.Replace.Version
				}
				if v != "" && !strings.ContainsAny(v, `/\`) {
					return v
				}
			}
		}
	}
	// wazero names a folder of its own after its version, too.
	return "wazero"
}
