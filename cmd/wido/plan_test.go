package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wido-dev/wido/cmd/wido/internal/scenario"
)

const goldenScenario = "../../deploy/samples/scenario-golden.yaml"

// runWido runs the CLI in-process and returns its exit code and output.
func runWido(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

type planOutput struct {
	Plan []struct {
		Name       string         `json:"name"`
		Properties map[string]any `json:"properties"`
	} `json:"plan"`
	Explain map[string]any `json:"explain"`
}

func TestPlanGoldenCaseAsJSON(t *testing.T) {
	data, err := os.ReadFile(goldenScenario)
	if err != nil {
		t.Fatal(err)
	}
	for _, maxStates := range []string{"50", "500", "2000", "5000"} {
		t.Run("maxStates "+maxStates, func(t *testing.T) {
			scenario := strings.Replace(string(data), "maxStates: 2000", "maxStates: "+maxStates, 1)
			code, stdout, stderr := runWido(t, scenario, "plan", "-f", "-", "-o", "json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var out planOutput
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, stdout)
			}
			if len(out.Plan) != 1 || out.Plan[0].Name != "scaleOut" || !reflect.DeepEqual(out.Plan[0].Properties, map[string]any{"factor": 2.0}) {
				t.Fatalf("plan = %+v, want [scaleOut{factor: 2}]", out.Plan)
			}
			for _, key := range []string{"stopped", "statesExplored", "statesCreated", "candidates", "path", "actuatorErrors"} {
				if _, ok := out.Explain[key]; !ok {
					t.Errorf("explain lacks %q", key)
				}
			}
			if out.Explain["stopped"] != "GoalReached" {
				t.Errorf("stopped = %v", out.Explain["stopped"])
			}
		})
	}
}

func TestPlanGoldenCaseAsText(t *testing.T) {
	code, stdout, stderr := runWido(t, "", "plan", "-f", goldenScenario)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"1. scaleOut{factor: 2}", "p99 0.04 (≤ 0.03 miss)", "GoalReached", "Candidates"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestPlanRefusesBadInput(t *testing.T) {
	golden, err := os.ReadFile(goldenScenario)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) string {
		if !strings.Contains(string(golden), old) {
			t.Fatalf("golden scenario lacks %q", old)
		}
		return strings.Replace(string(golden), old, new, 1)
	}
	tests := []struct {
		name     string
		scenario string
		want     string
	}{
		{"not YAML or JSON", "intent: [unclosed", "not valid YAML or JSON"},
		{"binary garbage", "\x00\x01\x02", "not valid YAML or JSON"},
		{"empty", "  \n", "empty input"},
		{"a list, not a scenario", "- 1\n- 2\n", "cannot unmarshal array"},
		{"unknown field", edit("planner:", "planer: {}\nplanner:"), `unknown field "planer"`},
		{"unknown profile type", edit("{type: throughput}", "{type: speed}"), `profile "rps" has unknown type "speed"`},
		{"objective without profile", edit("  availability: {type: availability}\n", ""), `goal objective "availability" has no profile`},
		{"current objective with unknown profile key", edit("    rps: 4800\n", "    rps: 4800\n    p50: 0.01\n"), `current objective "p50" has no profile`},
		{"NaN value", edit("p99: 0.04", "p99: .nan"), "NaN"},
		{"infinite value", edit("rps: 4800", "rps: .inf"), "Inf"},
		{"negative priority", edit("priority: 1.0", "priority: -0.5"), "priority is -0.5"},
		{"unknown actuator", edit("- name: rmPod", "- name: rmPods"), `unknown actuator "rmPods" (shipped: rmPod, scaleCPU, scaleOut; add others with --actuator PATH.wasm)`},
		{"unknown actuator config field", edit("{max_pods: 128}", "{maxPods: 128}"), `unknown configuration key "maxPods" (known: max_pods)`},
		{"bad actuator config value", edit("{max_pods: 128}", "{max_pods: 0}"), "max_pods must be between 1 and 1000"},
		{"models for an actuator not in use", edit("  scaleOut:             #", "  scaleout:             #"), `models are given for actuator "scaleout"`},
		{"duplicate key", edit("  rps: {type: throughput}\n", "  rps: {type: throughput}\n  rps: {type: latency}\n"), "key \"rps\" already set"},
		{"bad timeout", edit("timeout: 1s", "timeout: soon"), "invalid duration"},
		{"ragged model matrix", edit("replicaRange: [1, 12]", "replicaRange: [[1, 2], [3]]"), "rows must have the same length"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runWido(t, tc.scenario, "plan", "-f", "-", "-o", "json")
			if code != 2 {
				t.Fatalf("exit %d, want 2; stdout %s", code, stdout)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Fatalf("stderr %q does not name the problem %q", stderr, tc.want)
			}
		})
	}
}

func TestPlanUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "Usage"},
		{"unknown command", []string{"plot"}, 2, `unknown command "plot"`},
		{"plan without a file", []string{"plan"}, 2, "Usage: wido plan"},
		{"unknown output", []string{"plan", "-f", goldenScenario, "-o", "yaml"}, 2, `unknown output format "yaml"`},
		{"missing file", []string{"plan", "-f", filepath.Join(t.TempDir(), "nope.yaml")}, 2, "no such file"},
		{"version", []string{"version"}, 0, "wido"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runWido(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
				t.Fatalf("exit %d (want %d), output %q lacks %q", code, tc.code, stdout+stderr, tc.want)
			}
		})
	}
}

func FuzzPlanScenario(f *testing.F) {
	golden, err := os.ReadFile(goldenScenario)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add([]byte(`{"intent":{"priority":1,"objectives":{"p":1}},"profiles":{"p":{"type":"latency","minimize":true}},"current":{"objectives":{"p":2},"pods":{"a":{"availability":1,"state":"Running"}}}}`))
	f.Add([]byte("intent: {priority: 0.5, objectives: {p: 0}}\nprofiles: {p: {type: power}}\ncurrent: {objectives: {p: null}}\nplanner: {maxStates: 3}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Any input: an error or a plan, never a panic or a hang. Budgets
		// are kept small so that each input is quick.
		sc, err := scenario.Decode(data)
		if err != nil {
			return
		}
		if sc.Planner.MaxStates == 0 || sc.Planner.MaxStates > 500 {
			sc.Planner.MaxStates = 500
		}
		if sc.Planner.Timeout.Duration == 0 || sc.Planner.Timeout.Duration > 100*time.Millisecond {
			sc.Planner.Timeout.Duration = 100 * time.Millisecond
		}
		plan, _, err := planDecoded(context.Background(), sc, actuatorOptions{native: true})
		if err == nil && plan == nil {
			t.Fatal("no plan and no error")
		}
	})
}
