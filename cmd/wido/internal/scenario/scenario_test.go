package scenario

import (
	"strings"
	"testing"
	"time"
)

func TestDecodeYAMLAndJSONAlike(t *testing.T) {
	yamlDoc := `
intent: {key: ns/i, priority: 0.5, targetKey: ns/d, targetKind: Deployment, objectives: {p99: 0.03}, tolerances: {p99: 0.1}}
profiles: {p99: {type: Latency, minimize: true}}
current:
  objectives: {p99: null}
  pods: {a: {availability: 1, state: Running, nodeName: n1, qosClass: Guaranteed}}
  resources: {app_cpu_requests: 500}
models: {scaleCPU: {p99: {popt: [[400, 2, 30], [1, 2, 3]]}}}
actuators: [{name: scaleCPU, config: {cpu_max: 2000}}]
planner: {maxStates: 10, maxCandidates: 2, timeout: 250ms, opportunisticCandidates: 1}
`
	jsonDoc := `{"intent":{"key":"ns/i","priority":0.5,"targetKey":"ns/d","targetKind":"Deployment","objectives":{"p99":0.03},"tolerances":{"p99":0.1}},
"profiles":{"p99":{"type":"Latency","minimize":true}},
"current":{"objectives":{"p99":null},"pods":{"a":{"availability":1,"state":"Running","nodeName":"n1","qosClass":"Guaranteed"}},"resources":{"app_cpu_requests":500}},
"models":{"scaleCPU":{"p99":{"popt":[[400,2,30],[1,2,3]]}}},
"actuators":[{"name":"scaleCPU","config":{"cpu_max":2000}}],
"planner":{"maxStates":10,"maxCandidates":2,"timeout":"250ms","opportunisticCandidates":1}}`
	for name, doc := range map[string]string{"yaml": yamlDoc, "json": jsonDoc} {
		t.Run(name, func(t *testing.T) {
			s, err := Decode([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			p := s.Problem()
			if _, known := p.Current.Intent.Objectives["p99"]; known {
				t.Error("a null objective must be unknown (left out)")
			}
			if p.Profiles["p99"].Type != "latency" {
				t.Errorf("profile type = %q, want it lower-cased", p.Profiles["p99"].Type)
			}
			if got := p.Models["scaleCPU"]["p99"]["popt"]; len(got) != 6 || got[3] != 1 {
				t.Errorf("matrix = %v, want 6 values row major", got)
			}
			if p.Goal.Intent.Tolerances["p99"] != 0.1 || p.Goal.Intent.Priority != 0.5 || p.Current.Intent.TargetKey != "ns/d" {
				t.Errorf("intent not carried over: %+v", p.Goal.Intent)
			}
			if p.Current.Pods["a"].QoSClass != "Guaranteed" || p.Current.Resources["app_cpu_requests"] != 500 {
				t.Errorf("state not carried over: %+v", p.Current)
			}
			if s.Planner.Timeout.Duration != 250*time.Millisecond || string(s.Actuators[0].Config) != `{"cpu_max":2000}` {
				t.Errorf("planner/actuators not carried over: %+v %s", s.Planner, s.Actuators[0].Config)
			}
		})
	}
}

func TestDecodeRefuses(t *testing.T) {
	base := "intent: {priority: 1, objectives: {p: 1}}\nprofiles: {p: {type: latency}}\ncurrent: {objectives: {p: 1}}\n"
	tests := []struct {
		name, doc, want string
	}{
		{"oversized", base + "# " + strings.Repeat("x", MaxSize), "more than"},
		{"no objectives", "intent: {priority: 1}\nprofiles: {p: {type: latency}}\n", "intent.objectives is empty"},
		{"no profiles", "intent: {priority: 1, objectives: {p: 1}}\n", "profiles is empty"},
		{"actuator without a name", base + "actuators: [{config: {}}]\n", "actuators[0] has no name"},
		{"actuator twice", base + "actuators: [{name: rmPod}, {name: rmPod}]\n", `"rmPod" is listed twice`},
		{"negative budget", base + "planner: {maxStates: -1}\n", "must not be negative"},
		{"string where a number goes", strings.Replace(base, "priority: 1", "priority: high", 1), "cannot unmarshal"},
		{"model parameter of the wrong kind", base + "models: {scaleOut: {p: {popt: foo}}}\n", "model parameter must be"},
		{"number out of range", strings.Replace(base, "priority: 1", "priority: 1e999", 1), "scenario:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("intent: {priority: 1, objectives: {p: 1}}\nprofiles: {p: {type: latency}}\ncurrent: {objectives: {p: 1}}\n"))
	f.Add([]byte(`{"intent":{"objectives":{"a":1}},"profiles":{"a":{"type":"power"}},"models":{"x":{"a":{"m":[[1],[2]]}}}}`))
	f.Add([]byte("- a\n- b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode(data)
		if err != nil {
			return
		}
		// A decoded scenario always converts.
		p := s.Problem()
		if len(p.Goal.Intent.Objectives) == 0 {
			t.Fatal("decoded a scenario without objectives")
		}
		_ = s.Config()
	})
}
