package rmpod

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/wido-dev/wido/abi/actuator"
)

func request() *actuator.NextStateRequest {
	return &actuator.NextStateRequest{
		State: actuator.State{
			Intent: actuator.Intent{Priority: 1, Objectives: map[string]float64{"p99": 0.02, "rps": 4800, "availability": 0.9999}},
			Pods: map[string]actuator.PodState{
				"web-b":   {Availability: 0.98, State: "Running"},
				"web-a":   {Availability: 0.9, State: "Running"},
				"web-c":   {Availability: 0.95, State: "Pending"},
				"dummy@4": {Availability: 0.9, State: "Running"},
			},
		},
		Goal: actuator.State{Intent: actuator.Intent{Priority: 1, Objectives: map[string]float64{"p99": 0.03, "rps": 0, "availability": 0.99}}},
		Profiles: map[string]actuator.Profile{
			"p99":          {Type: actuator.Latency, Minimize: true},
			"rps":          {Type: actuator.Throughput},
			"availability": {Type: actuator.Availability},
		},
		Models: actuator.Models{"p99": {
			"popt":            {0.306355135, 0.193240314, 53.0816499, 0.0147372746},
			"throughputScale": {0.002143905536223758, 0.9993568283391329},
			"throughputRange": {0.3, 6064},
			"replicaRange":    {1, 12},
		}},
	}
}

func TestNextState(t *testing.T) {
	// Three pods remain of four after a removal: latency predicted for 3.
	const p99For3 = 0.031045714293758075
	tests := []struct {
		name      string
		cfg       Config
		modify    func(*actuator.NextStateRequest)
		removed   []string
		utilities []float64
	}{
		{
			name:      "each Running pod, in name order, utility = availability · priority",
			cfg:       DefaultConfig(),
			removed:   []string{"web-a", "web-b"},
			utilities: []float64{1 - 0.02*0.05*0.1, 1 - 0.1*0.05*0.1},
		},
		{
			name:      "utility scales with priority",
			cfg:       DefaultConfig(),
			modify:    func(r *actuator.NextStateRequest) { r.Goal.Intent.Priority = 0.5 },
			removed:   []string{"web-a", "web-b"},
			utilities: []float64{(1 - 0.02*0.05*0.1) * 0.5, (1 - 0.1*0.05*0.1) * 0.5},
		},
		{
			name: "utility is the priority without an availability objective",
			cfg:  DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) {
				delete(r.State.Intent.Objectives, "availability")
				delete(r.Goal.Intent.Objectives, "availability")
				r.Goal.Intent.Priority = 0.7
			},
			removed:   []string{"web-a", "web-b"},
			utilities: []float64{0.7, 0.7},
		},
		{
			name: "min_pods is kept",
			cfg:  Config{MinPods: 4},
		},
		{
			name:   "nothing while an objective is unknown",
			cfg:    DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) { delete(r.State.Intent.Objectives, "p99") },
		},
		{
			name:   "nothing without a model to predict latency",
			cfg:    DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) { r.Models = nil },
		},
		{
			name: "nothing without a throughput objective (IDO)",
			cfg:  DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) {
				delete(r.State.Intent.Objectives, "rps")
				delete(r.Goal.Intent.Objectives, "rps")
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(tc.cfg)
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
			var removed []string
			for i, s := range resp.States {
				name := resp.Actions[i].Properties.Str["name"]
				removed = append(removed, name)
				if _, still := s.Pods[name]; still || len(s.Pods) != 3 {
					t.Errorf("candidate %d still has pod %s or has %d pods", i, name, len(s.Pods))
				}
				if p99, ok := s.Intent.Objectives["p99"]; ok && math.Abs(p99-p99For3) > 1e-12 {
					t.Errorf("candidate %d p99 = %v, want %v", i, p99, p99For3)
				}
				if math.Abs(resp.Utilities[i]-tc.utilities[i]) > 1e-12 {
					t.Errorf("candidate %d utility = %v, want %v", i, resp.Utilities[i], tc.utilities[i])
				}
			}
			if !reflect.DeepEqual(removed, tc.removed) {
				t.Fatalf("removed = %v, want %v", removed, tc.removed)
			}
		})
	}
}

func TestPerform(t *testing.T) {
	a, _ := New(DefaultConfig())
	rm := func(name string) actuator.Action {
		return actuator.Action{Name: Name, Properties: actuator.Properties{Str: map[string]string{"name": name}}}
	}
	resp, err := a.Perform(&actuator.PerformRequest{Plan: []actuator.Action{rm("web-a"), {Name: "scaleOut"}, rm("web-b")}})
	if err != nil {
		t.Fatal(err)
	}
	want := []actuator.Operation{{Kind: actuator.EvictPod, Pod: "web-a"}, {Kind: actuator.EvictPod, Pod: "web-b"}}
	if !reflect.DeepEqual(resp.Operations, want) {
		t.Fatalf("operations = %+v, want %+v", resp.Operations, want)
	}
	if _, err := a.Perform(&actuator.PerformRequest{Plan: []actuator.Action{{Name: Name}}}); err == nil || !strings.Contains(err.Error(), "property name") {
		t.Fatalf("err = %v, want one about the missing name", err)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	if _, err := New(Config{MinPods: 0}); err == nil || !strings.Contains(err.Error(), "min_pods") {
		t.Fatalf("err = %v", err)
	}
}
