package main

import (
	"fmt"
	"os"
	"testing"

	"github.com/wido-dev/wido/wasmhost/wasmtest"
)

// TestMain builds the shipped actuator modules once and points wido at
// them, as make build does with bin/plugins next to bin/wido.
func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "wido-plugins-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if err := wasmtest.BuildShipped(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	os.Setenv(pluginsDirEnv, dir)
	return m.Run()
}
