package scalecpu

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/wido-dev/wido/abi/actuator"
)

// request is the example: popt {400, 2, 30}, p99 250 against a goal
// of 120, on one container "app" at 500 millicores.
func request() *actuator.NextStateRequest {
	return &actuator.NextStateRequest{
		State: actuator.State{
			Intent:    actuator.Intent{Priority: 1, Objectives: map[string]float64{"p99": 250}},
			Pods:      map[string]actuator.PodState{"web-a": {Availability: 1, State: "Running", QoSClass: "Burstable"}},
			Resources: map[string]int64{"app_cpu_requests": 500, "app_cpu_limits": 500, "app_memory_requests": 256000},
		},
		Goal:     actuator.State{Intent: actuator.Intent{Priority: 1, Objectives: map[string]float64{"p99": 120}}},
		Profiles: map[string]actuator.Profile{"p99": {Type: actuator.Latency, Minimize: true}},
		Models:   actuator.Models{"p99": {"popt": {400, 2, 30}}},
	}
}

func TestNextState(t *testing.T) {
	tests := []struct {
		name      string
		cfg       func(*Config)
		modify    func(*actuator.NextStateRequest)
		value     int64 // 0: no candidate
		utility   float64
		container string
		limit     int64 // 0: no limit expected
		qos       string
	}{
		{
			name:  "the issue's example: 800 millicores",
			value: 800, utility: 800.0 / 4000, container: "app", limit: 800, qos: "Guaranteed",
		},
		{
			name:   "raising CPU is weighed by 1/priority",
			modify: func(r *actuator.NextStateRequest) { r.Goal.Intent.Priority = 0.5 },
			value:  800, utility: 800.0 / 4000 * 2, container: "app", limit: 800, qos: "Guaranteed",
		},
		{
			name: "lowering CPU is not",
			modify: func(r *actuator.NextStateRequest) {
				r.Goal.Intent.Priority = 0.5
				r.State.Resources["app_cpu_limits"] = 2000
			},
			value: 800, utility: 800.0 / 4000, container: "app", limit: 800, qos: "Guaranteed",
		},
		{
			name:  "capped at cpu_max",
			cfg:   func(c *Config) { c.CPUMax = 600 },
			value: 600, utility: 1, container: "app", limit: 600, qos: "Guaranteed",
		},
		{
			name:  "rounded up to cpu_rounding",
			cfg:   func(c *Config) { c.CPURounding = 250 },
			value: 1000, utility: 1000.0 / 4000, container: "app", limit: 1000, qos: "Guaranteed",
		},
		{
			name:  "a boost factor above 1 gives Burstable pods with a higher limit",
			cfg:   func(c *Config) { c.BoostFactor = 1.5 },
			value: 800, utility: 800.0 / 4000, container: "app", limit: 1200, qos: "Burstable",
		},
		{
			name:  "a boost factor below 1 sets no limit",
			cfg:   func(c *Config) { c.BoostFactor = 0 },
			value: 800, utility: 800.0 / 4000, container: "app", limit: 500, qos: "Burstable",
		},
		{
			name: "numeric containers: the highest index (IDO's last container)",
			modify: func(r *actuator.NextStateRequest) {
				r.State.Resources = map[string]int64{"0_cpu_requests": 100, "2_cpu_requests": 300}
			},
			value: 800, utility: 800.0 / 4000, container: "2", limit: 800, qos: "Guaranteed",
		},
		{
			name: "the configured container",
			cfg:  func(c *Config) { c.Container = "sidecar" },
			modify: func(r *actuator.NextStateRequest) {
				r.State.Resources["sidecar_cpu_requests"] = 100
			},
			value: 800, utility: 800.0 / 4000, container: "sidecar", limit: 800, qos: "Guaranteed",
		},
		{
			name:   "nothing when the value would not change",
			modify: func(r *actuator.NextStateRequest) { r.State.Resources["app_cpu_limits"] = 800 },
		},
		{
			name:   "nothing when the safeguarded target is below the model's floor p2",
			modify: func(r *actuator.NextStateRequest) { r.Goal.Intent.Objectives["p99"] = 31 },
		},
		{
			name:   "nothing twice in one plan",
			modify: func(r *actuator.NextStateRequest) { r.State.Data = map[string]map[string]float64{Name: {Name: 1}} },
		},
		{
			name:   "nothing without pods",
			modify: func(r *actuator.NextStateRequest) { r.State.Pods = nil },
		},
		{
			name:   "nothing without a model",
			modify: func(r *actuator.NextStateRequest) { r.Models = nil },
		},
		{
			name:   "nothing with a model whose rows are not of three",
			modify: func(r *actuator.NextStateRequest) { r.Models["p99"]["popt"] = []float64{1, 2} },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			a, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			req := request()
			if tc.modify != nil {
				tc.modify(req)
			}
			resp, err := a.NextState(req)
			if err != nil {
				t.Fatal(err)
			}
			if tc.value == 0 {
				if len(resp.States) != 0 {
					t.Fatalf("candidates %+v, want none", resp.Actions)
				}
				return
			}
			if len(resp.States) != 1 {
				t.Fatalf("%d candidates, want 1", len(resp.States))
			}
			s := resp.States[0]
			if got := resp.Actions[0].Properties.Int["value"]; resp.Actions[0].Name != "scaleCPU" || got != tc.value {
				t.Errorf("action = %+v, want scaleCPU{value: %d}", resp.Actions[0], tc.value)
			}
			if math.Abs(resp.Utilities[0]-tc.utility) > 1e-12 {
				t.Errorf("utility = %v, want %v", resp.Utilities[0], tc.utility)
			}
			if s.Resources[tc.container+"_cpu_requests"] != tc.value || s.Resources[tc.container+"_cpu_limits"] != tc.limit {
				t.Errorf("resources = %v, want %s request %d limit %d", s.Resources, tc.container, tc.value, tc.limit)
			}
			if s.Pods["web-a"].QoSClass != tc.qos {
				t.Errorf("QoS = %s, want %s", s.Pods["web-a"].QoSClass, tc.qos)
			}
			want := 400*math.Exp(-2*float64(tc.value)/1000) + 30
			if math.Abs(s.Intent.Objectives["p99"]-want) > 1e-9 {
				t.Errorf("predicted p99 = %v, want %v", s.Intent.Objectives["p99"], want)
			}
			if _, marked := s.Data[Name]; !marked {
				t.Error("candidate is not marked as scaled in this plan")
			}
		})
	}
}

func TestSeveralContainersNeedConfig(t *testing.T) {
	a, _ := New(DefaultConfig())
	req := request()
	req.State.Resources["sidecar_cpu_requests"] = 100
	_, err := a.NextState(req)
	if err == nil || !strings.Contains(err.Error(), "several containers (app, sidecar)") {
		t.Fatalf("err = %v, want one naming the containers", err)
	}
}

func TestPerform(t *testing.T) {
	a, _ := New(Config{CPUMax: 4000, CPURounding: 100, SafeguardFactor: 0.95, BoostFactor: 1.5})
	scale := func(v int64) actuator.Action {
		return actuator.Action{Name: Name, Properties: actuator.Properties{Int: map[string]int64{"value": v}}}
	}
	resp, err := a.Perform(&actuator.PerformRequest{State: request().State, Plan: []actuator.Action{{Name: "scaleOut"}, scale(800), scale(900)}})
	if err != nil {
		t.Fatal(err)
	}
	want := []actuator.Operation{{Kind: actuator.SetCPU, Container: "app", CPURequest: 800, CPULimit: 1200}}
	if !reflect.DeepEqual(resp.Operations, want) {
		t.Fatalf("operations = %+v, want only the first scaleCPU: %+v", resp.Operations, want)
	}
	if _, err := a.Perform(&actuator.PerformRequest{Plan: []actuator.Action{{Name: Name}}}); err == nil {
		t.Fatal("an action without a value must fail")
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	tests := map[string]func(*Config){
		"cpu_max":              func(c *Config) { c.CPUMax = 0 },
		"cpu_rounding":         func(c *Config) { c.CPURounding = -5 },
		"cpu_safeguard_factor": func(c *Config) { c.SafeguardFactor = 1.2 },
		"boost_factor":         func(c *Config) { c.BoostFactor = math.Inf(1) },
		"container name":       func(c *Config) { c.Container = "a_b" },
	}
	for want, modify := range tests {
		cfg := DefaultConfig()
		modify(&cfg)
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v", want, err)
		}
	}
}
