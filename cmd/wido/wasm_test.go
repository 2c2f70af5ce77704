package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wido-dev/wido/wasmhost/wasmtest"
)

const wasmFixtures = "../../wasmhost/testdata/"

// TestPlanWasmAndNativeAgree plans the golden scenario with the shipped
// actuators as Wasm modules (the default) and in-process (--native).
func TestPlanWasmAndNativeAgree(t *testing.T) {
	var plans [2]planOutput
	for i, args := range [][]string{
		{"plan", "-f", goldenScenario, "-o", "json"},
		{"plan", "-f", goldenScenario, "-o", "json", "--native"},
	} {
		code, stdout, stderr := runWido(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if err := json.Unmarshal([]byte(stdout), &plans[i]); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(plans[0].Plan, plans[1].Plan) || len(plans[0].Plan) != 1 || plans[0].Plan[0].Name != "scaleOut" {
		t.Fatalf("Wasm plan %+v, native plan %+v; want both [scaleOut{factor: 2}]", plans[0].Plan, plans[1].Plan)
	}
	for _, key := range []string{"path", "candidates", "statesExplored", "statesCreated", "cost"} {
		if !reflect.DeepEqual(plans[0].Explain[key], plans[1].Explain[key]) {
			t.Errorf("explain.%s differs: Wasm %v, native %v", key, plans[0].Explain[key], plans[1].Explain[key])
		}
	}
}

func TestPlanActuatorFlags(t *testing.T) {
	data, err := os.ReadFile(goldenScenario)
	if err != nil {
		t.Fatal(err)
	}
	probe := filepath.Join(t.TempDir(), "probe.wasm")
	if err := os.WriteFile(probe, wasmtest.BuildGo(t, "./wasmhost/testdata/guests/probe"), 0o644); err != nil {
		t.Fatal(err)
	}
	// configure lists the actuator name with config in the scenario.
	configure := func(name, config string) func(string) string {
		return func(s string) string {
			const list = "actuators:              # absent: every shipped actuator with its defaults\n"
			if !strings.Contains(s, list) {
				t.Fatal("the golden scenario's actuators list moved")
			}
			return strings.Replace(s, list, list+"  - name: "+name+"\n    config: "+config+"\n", 1)
		}
	}
	tests := []struct {
		name     string
		args     []string
		scenario func(string) string
		code     int
		want     string // in stdout when code is 0, else in stderr
	}{
		{name: "a user's module is added to the shipped ones",
			args: []string{"--actuator", wasmFixtures + "good.wasm"}, code: 0, want: `"name": "scaleOut"`},
		{name: "a user's module gets the configuration the scenario gives its name",
			args:     []string{"--actuator", probe},
			scenario: configure("probe", "{refuse: now}"),
			code:     2, want: "probe: refusing configuration now"},
		{name: "a shipped module gets its configuration",
			scenario: configure("scaleCPU", "{cpu_max: -1}"),
			code:     2, want: "scaleCPU: cpu_max must be at least 1 millicore"},
		{name: "a refused module says why",
			args: []string{"--actuator", wasmFixtures + "nomarker.wasm"}, code: 2, want: "has no wido_abi_v1 export"},
		{name: "a missing module file",
			args: []string{"--actuator", "nowhere.wasm"}, code: 2, want: "nowhere.wasm: no such file"},
		{name: "the same actuator twice",
			args: []string{"--actuator", wasmFixtures + "good.wasm", "--actuator", wasmFixtures + "good.wasm"}, code: 2, want: `actuator "fixture" is given twice`},
		{name: "shipped modules not built",
			args: []string{"--plugins-dir", "/nonexistent"}, code: 2, want: "module /nonexistent/scaleout.wasm not found (build the shipped modules with `make plugins`"},
		{name: "--native needs no modules",
			args: []string{"--plugins-dir", "/nonexistent", "--native"}, code: 0, want: `"name": "scaleOut"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := string(data)
			if tc.scenario != nil {
				sc = tc.scenario(sc)
			}
			code, stdout, stderr := runWido(t, sc, append([]string{"plan", "-f", "-", "-o", "json"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, stderr)
			}
			out := stdout
			if code != 0 {
				out = stderr
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("output %q lacks %q", out, tc.want)
			}
		})
	}
}
