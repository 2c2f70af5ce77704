package builtin

import (
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name, actuator, config, want string
	}{
		{"scaleOut with defaults", "scaleOut", "", ""},
		{"rmPod with null config", "rmPod", "null", ""},
		{"scaleCPU with a container", "scaleCPU", `{"container": "app", "cpu_max": 2000}`, ""},
		{"unknown actuator", "scaleIn", "", `unknown actuator "scaleIn"`},
		{"unknown config field", "rmPod", `{"minPods": 2}`, `unknown configuration key "minPods" (known: min_pods)`},
		{"config of the wrong type", "scaleOut", `{"max_pods": "many"}`, `max_pods: not an integer: "many"`},
		{"numbers given as text", "scaleOut", `{"max_pods": "64"}`, ""},
		{"a nested value", "scaleOut", `{"max_pods": {"n": 1}}`, "max_pods: must be a number, a string or a boolean"},
		{"not an object", "scaleOut", `[1]`, "config: must be a JSON object"},
		{"config the actuator refuses", "scaleCPU", `{"cpu_safeguard_factor": 2}`, "cpu_safeguard_factor must be in (0, 1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(tc.actuator, []byte(tc.config))
			if tc.want == "" {
				if err != nil || a.Name() != tc.actuator {
					t.Fatalf("New = %v, %v", a, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	for _, n := range Names() {
		if _, err := New(n, nil); err != nil {
			t.Errorf("shipped actuator %s does not build with its defaults: %v", n, err)
		}
	}
}
