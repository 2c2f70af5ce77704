package scaleout

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/wido-dev/wido/abi/actuator"
)

var profiles = map[string]actuator.Profile{
	"p99":          {Type: actuator.Latency, Minimize: true},
	"rps":          {Type: actuator.Throughput},
	"availability": {Type: actuator.Availability},
}

// golden is IDO's planner test case as a NextState request.
func golden() *actuator.NextStateRequest {
	return &actuator.NextStateRequest{
		State: actuator.State{
			Intent: actuator.Intent{Priority: 1, Objectives: map[string]float64{"p99": 0.04, "rps": 4800, "availability": 0.998}},
			Pods: map[string]actuator.PodState{
				"pod_0": {Availability: 0.9, State: "Running"},
				"pod_1": {Availability: 0.98, State: "Running"},
			},
		},
		Goal:     actuator.State{Intent: actuator.Intent{Priority: 1, Objectives: map[string]float64{"p99": 0.03, "rps": 0, "availability": 0.999}}},
		Profiles: profiles,
		Models: actuator.Models{"p99": {
			"popt":            {0.306355135, 0.193240314, 53.0816499, 0.0147372746},
			"throughputScale": {0.002143905536223758, 0.9993568283391329},
			"throughputRange": {0.3, 6064},
			"replicaRange":    {1, 12},
		}},
	}
}

type candidate struct {
	factor       int64
	utility      float64
	p99          float64
	availability float64
	pods         int
}

func candidates(resp *actuator.NextStateResponse) []candidate {
	var out []candidate
	for i, s := range resp.States {
		out = append(out, candidate{
			factor: resp.Actions[i].Properties.Int["factor"], utility: resp.Utilities[i],
			p99: s.Intent.Objectives["p99"], availability: s.Intent.Objectives["availability"], pods: len(s.Pods),
		})
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestNextState(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		modify   func(*actuator.NextStateRequest)
		expected []candidate
	}{
		{
			name: "golden case: one more pod meets availability, two more meet everything",
			cfg:  DefaultConfig(),
			expected: []candidate{
				{factor: 1, utility: 0.9 + 3.0/128, p99: 0.031045714293758075, availability: 1 - 0.1*0.02*0.06, pods: 3},
				{factor: 2, utility: 0.9 + 4.0/128, p99: 0.026287023615866236, availability: 1 - 0.1*0.02*0.06*0.06, pods: 4},
			},
		},
		{
			name:   "utility weighs pods by 1/priority",
			cfg:    DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) { r.Goal.Intent.Priority = 0.5 },
			expected: []candidate{
				{factor: 1, utility: 0.9 + 3.0/128*2, p99: 0.031045714293758075, availability: 1 - 0.1*0.02*0.06, pods: 3},
				{factor: 2, utility: 0.9 + 4.0/128*2, p99: 0.026287023615866236, availability: 1 - 0.1*0.02*0.06*0.06, pods: 4},
			},
		},
		{
			name:   "tolerance lets three pods meet the goal, so it stops there",
			cfg:    DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) { r.Goal.Intent.Tolerances = map[string]float64{"p99": 0.05} },
			expected: []candidate{
				{factor: 1, utility: 0.9 + 3.0/128, p99: 0.031045714293758075, availability: 1 - 0.1*0.02*0.06, pods: 3},
			},
		},
		{
			name: "max_pods bounds the scale-out and scales the utility",
			cfg:  Config{MaxPods: 3},
			expected: []candidate{
				{factor: 1, utility: 0.9 + 3.0/3, p99: 0.031045714293758075, availability: 1 - 0.1*0.02*0.06, pods: 3},
			},
		},
		{
			name:   "never beyond the model's replica range",
			cfg:    DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) { r.Models["p99"]["replicaRange"] = []float64{1, 3} },
			expected: []candidate{
				{factor: 1, utility: 0.9 + 3.0/128, p99: 0.031045714293758075, availability: 1 - 0.1*0.02*0.06, pods: 3},
			},
		},
		{
			name: "nothing when the state already meets the goal",
			cfg:  DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) {
				r.State.Intent.Objectives = map[string]float64{"p99": 0.02, "rps": 4800, "availability": 0.9999}
			},
		},
		{
			name: "nothing without a throughput objective",
			cfg:  DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) {
				delete(r.State.Intent.Objectives, "rps")
				delete(r.Goal.Intent.Objectives, "rps")
			},
		},
		{
			name:   "nothing when the throughput is unknown",
			cfg:    DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) { delete(r.State.Intent.Objectives, "rps") },
		},
		{
			name:   "nothing without a model for a latency objective",
			cfg:    DefaultConfig(),
			modify: func(r *actuator.NextStateRequest) { r.Models = nil },
		},
		{
			name: "nothing when no number of pods meets any objective",
			cfg:  Config{MaxPods: 12},
			modify: func(r *actuator.NextStateRequest) {
				r.Goal.Intent.Objectives = map[string]float64{"p99": 0.001, "rps": 0, "availability": 1.5}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			req := golden()
			if tc.modify != nil {
				tc.modify(req)
			}
			before := req.State.DeepCopy()
			resp, err := a.NextState(req)
			if err != nil {
				t.Fatal(err)
			}
			got := candidates(resp)
			if len(got) != len(tc.expected) {
				t.Fatalf("candidates = %+v, want %+v", got, tc.expected)
			}
			for i := range got {
				g, e := got[i], tc.expected[i]
				if g.factor != e.factor || g.pods != e.pods || !near(g.utility, e.utility) || !near(g.p99, e.p99) || !near(g.availability, e.availability) {
					t.Errorf("candidate %d = %+v, want %+v", i, g, e)
				}
			}
			if !reflect.DeepEqual(req.State, before) {
				t.Error("NextState modified its request")
			}
		})
	}
}

func TestNewPodsCarryTheMeanAvailability(t *testing.T) {
	a, _ := New(DefaultConfig())
	resp, err := a.NextState(golden())
	if err != nil {
		t.Fatal(err)
	}
	last := resp.States[len(resp.States)-1]
	for name, pod := range last.Pods {
		if strings.HasPrefix(name, "dummy@") && !near(pod.Availability, 0.94) {
			t.Fatalf("pod %s has availability %v, want the mean 0.94", name, pod.Availability)
		}
	}
}

func TestPerform(t *testing.T) {
	state := golden().State
	scaleOut := func(f int64) actuator.Action {
		return actuator.Action{Name: Name, Properties: actuator.Properties{Int: map[string]int64{"factor": f}}}
	}
	rmPod := actuator.Action{Name: "rmPod", Properties: actuator.Properties{Str: map[string]string{"name": "pod_0"}}}
	tests := []struct {
		name     string
		plan     []actuator.Action
		expected []actuator.Operation
		err      string
	}{
		{"scale out by two", []actuator.Action{scaleOut(2)}, []actuator.Operation{{Kind: actuator.Scale, Replicas: 4}}, ""},
		{"scale out twice", []actuator.Action{scaleOut(1), scaleOut(2)}, []actuator.Operation{{Kind: actuator.Scale, Replicas: 5}}, ""},
		{"a removed pod lowers the replicas (IDO)", []actuator.Action{rmPod}, []actuator.Operation{{Kind: actuator.Scale, Replicas: 1}}, ""},
		{"no scaling action, no operation", []actuator.Action{{Name: "scaleCPU"}}, nil, ""},
		{"factor missing", []actuator.Action{{Name: Name}}, nil, "positive integer property factor"},
		{"below one replica", []actuator.Action{rmPod, rmPod}, nil, "would leave 0 replicas"},
	}
	a, _ := New(DefaultConfig())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := a.Perform(&actuator.PerformRequest{State: state, Plan: tc.plan})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(resp.Operations, tc.expected) {
				t.Fatalf("operations = %+v, want %+v", resp.Operations, tc.expected)
			}
		})
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	for _, maxPods := range []int{0, -1, LimitMaxPods + 1} {
		if _, err := New(Config{MaxPods: maxPods}); err == nil || !strings.Contains(err.Error(), "max_pods") {
			t.Errorf("max_pods %d: err = %v", maxPods, err)
		}
	}
}
