// Package wasmtest builds Wasm guests for tests and benchmarks: the Go
// actuators wido ships and test guests, compiled with the Go guest SDK the
// way `make plugins` compiles them.
package wasmtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	mu    sync.Mutex
	built = map[string][]byte{}
)

// BuildGo compiles the Go package pkg (an import path, or a path relative to
// the module root starting with "./") with GOOS=wasip1 GOARCH=wasm
// -buildmode=c-shared and returns the module. Each package is built once per
// test binary; the file is kept in the user's cache directory.
func BuildGo(tb testing.TB, pkg string) []byte {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if b, ok := built[pkg]; ok {
		return b
	}
	root := moduleRoot(tb)
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "wido", "wasmtest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatalf("wasmtest: %v", err)
	}
	out := filepath.Join(dir, strings.NewReplacer("/", "_", ".", "_").Replace(pkg)+".wasm")
	if err := build(root, pkg, out); err != nil {
		tb.Fatalf("wasmtest: %v", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatalf("wasmtest: %v", err)
	}
	built[pkg] = b
	return b
}

// ShippedNames lists the shipped actuators' packages under plugins/, each
// built from plugins/<name>/wasm.
var ShippedNames = []string{"scaleout", "rmpod", "scalecpu"}

// BuildShipped builds the shipped actuators into dir as <name>.wasm, as
// `make plugins` does, for tests that need them as files (a TestMain has no
// testing.TB).
func BuildShipped(dir string) error {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return err
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	for _, name := range ShippedNames {
		if err := build(root, "./plugins/"+name+"/wasm", filepath.Join(dir, name+".wasm")); err != nil {
			return err
		}
	}
	return nil
}

func build(root, pkg, out string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-buildmode=c-shared", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %v\n%s", pkg, err, msg)
	}
	return nil
}

// Shipped returns the module of a shipped actuator: "scaleout", "rmpod" or
// "scalecpu".
func Shipped(tb testing.TB, name string) []byte {
	tb.Helper()
	return BuildGo(tb, "./plugins/"+name+"/wasm")
}

// ModuleRoot returns the directory of the wido module.
func ModuleRoot(tb testing.TB) string {
	tb.Helper()
	return moduleRoot(tb)
}

func moduleRoot(tb testing.TB) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" || strings.TrimSpace(string(out)) == os.DevNull {
		tb.Fatalf("wasmtest: not inside the wido module: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}
