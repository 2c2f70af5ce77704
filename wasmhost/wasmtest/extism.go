package wasmtest

import (
	"os"
	"path/filepath"
	"testing"
)

// extismGuestDir is the Extism test guest: a module of its own (it needs
// the Extism Go PDK, which wido does not depend on), relative to the wido
// module's root.
const extismGuestDir = "wasmhost/testdata/extismguest"

// BuildExtismGuest compiles the Extism test guest (wasmhost/testdata/
// extismguest, built with the Extism Go PDK) with GOOS=wasip1 GOARCH=wasm
// -buildmode=c-shared in its own module and returns it. It is built once per
// test binary; the file is kept in the user's cache directory. The first
// build may download the PDK through the module proxy.
func BuildExtismGuest(tb testing.TB) []byte {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	const key = "extism:" + extismGuestDir
	if b, ok := built[key]; ok {
		return b
	}
	src := filepath.Join(moduleRoot(tb), filepath.FromSlash(extismGuestDir))
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "wido", "wasmtest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatalf("wasmtest: %v", err)
	}
	out := filepath.Join(dir, "extismguest.wasm")
	if err := build(src, ".", out); err != nil {
		tb.Fatalf("wasmtest: the Extism guest in %s: %v", src, err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatalf("wasmtest: %v", err)
	}
	built[key] = b
	return b
}
