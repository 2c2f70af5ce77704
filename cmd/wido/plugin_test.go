package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPluginValidate(t *testing.T) {
	shipped := func(name string) string { return pluginsDirFromEnv(t) + "/" + name + ".wasm" }
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{name: "a shipped module",
			args: []string{shipped("scaleout")}, code: 0,
			stdout: []string{"valid", "kind:     wido ABI v1", "name:     scaleOut", "group:    scaling", "version:  0.1.0", "gzipped"}},
		{name: "with configuration",
			args: []string{"--config", "min_pods=2", shipped("rmpod")}, code: 0, stdout: []string{"name:     rmPod"}},
		{name: "configuration the module refuses",
			args: []string{"--config", "max_pods=0", shipped("scaleout")}, code: 1, stderr: "describe failed: invalid argument: configuration: scaleOut: max_pods must be between 1 and 1000, got 0"},
		{name: "an unknown configuration key",
			args: []string{"--config", "pods=2", shipped("rmpod")}, code: 1, stderr: `unknown configuration key "pods" (known: min_pods)`},
		{name: "a module of another ABI version",
			args: []string{wasmFixtures + "abiv2.wasm"}, code: 1, stderr: "speaks wido ABI v2 (export wido_abi_v2); this host speaks v1"},
		{name: "not Wasm",
			args: []string{goldenScenario}, code: 1, stderr: "not a WebAssembly module"},
		{name: "a missing file", args: []string{"nowhere.wasm"}, code: 2, stderr: "no such file"},
		{name: "no file", args: nil, code: 2, stderr: "Usage: wido plugin validate"},
		{name: "bad config flag", args: []string{"--config", "novalue", "x.wasm"}, code: 2, stderr: `want KEY=VALUE, got "novalue"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runWido(t, "", append([]string{"plugin", "validate"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q, stderr %q", code, tc.code, stdout, stderr)
			}
			for _, want := range tc.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout %q lacks %q", stdout, want)
				}
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tc.stderr)
			}
		})
	}
}

func TestPluginValidateJSON(t *testing.T) {
	code, stdout, _ := runWido(t, "", "plugin", "validate", "-o", "json", pluginsDirFromEnv(t)+"/scalecpu.wasm")
	var v validation
	if err := json.Unmarshal([]byte(stdout), &v); err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stdout)
	}
	if !v.Valid || v.Name != "scaleCPU" || v.Kind != "wido ABI v1" || !v.FitsConfigMap || v.GzippedSize > 700<<10 {
		t.Errorf("validation = %+v; want a valid scaleCPU whose gzipped size is at most 700 KiB", v)
	}
	code, stdout, _ = runWido(t, "", "plugin", "validate", "-o", "json", wasmFixtures+"nomarker.wasm")
	if err := json.Unmarshal([]byte(stdout), &v); err != nil || code != 1 || v.Valid || !strings.Contains(v.Error, "has no wido_abi_v1 export") {
		t.Errorf("exit %d, %+v, %v", code, v, err)
	}
}

func TestUsageOfPlugin(t *testing.T) {
	code, _, stderr := runWido(t, "", "plugin", "inspect")
	if code != 2 || !strings.Contains(stderr, "Usage: wido plugin validate") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func pluginsDirFromEnv(t *testing.T) string {
	t.Helper()
	dir := defaultPluginsDir()
	if dir == "" {
		t.Fatal("no plugins dir")
	}
	return dir
}
