package actuator

import (
	"fmt"
	"math"
	"testing"
)

var testProfiles = map[string]Profile{
	"p99":          {Type: Latency, Minimize: true},
	"rps":          {Type: Throughput},
	"availability": {Type: Availability},
}

func stateWith(objectives map[string]float64) *State {
	return &State{Intent: Intent{Objectives: objectives}}
}

func goalWith(objectives, tolerances map[string]float64) *State {
	return &State{Intent: Intent{Objectives: objectives, Tolerances: tolerances}}
}

func TestMeets(t *testing.T) {
	minimize := Profile{Type: Latency, Minimize: true}
	maximize := Profile{Type: Availability}
	tests := []struct {
		name                     string
		profile                  Profile
		value, target, tolerance float64
		expected                 bool
	}{
		{"minimized value under target", minimize, 9, 10, 0, true},
		{"minimized value at target", minimize, 10, 10, 0, true},
		{"minimized value over target", minimize, 10.5, 10, 0, false},
		{"tolerance 0.1 on a 10 ms target accepts 11 ms", minimize, 11, 10, 0.1, true},
		{"tolerance 0.1 on a 10 ms target refuses 11.01 ms", minimize, 11.01, 10, 0.1, false},
		{"maximized value over target", maximize, 0.9995, 0.999, 0, true},
		{"maximized value under target", maximize, 0.998, 0.999, 0, false},
		{"tolerance on a maximized target lowers the bar", maximize, 0.95, 1.0, 0.1, true},
		{"negative tolerance counts as zero", minimize, 10.5, 10, -1, false},
		{"NaN tolerance counts as zero", minimize, 10.5, 10, math.NaN(), false},
		{"NaN value never meets", minimize, math.NaN(), 10, 0, false},
		{"infinite value never meets", maximize, math.Inf(1), 10, 0, false},
		{"NaN target is never met", minimize, 1, math.NaN(), 0, false},
		{"negative target with tolerance", minimize, -9.5, -10, 0.1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Meets(tc.profile, tc.value, tc.target, tc.tolerance); got != tc.expected {
				t.Fatalf("Meets(%v, %v, %v) = %v, want %v", tc.value, tc.target, tc.tolerance, got, tc.expected)
			}
		})
	}
}

func TestIsBetter(t *testing.T) {
	goal := goalWith(map[string]float64{"p99": 0.03, "rps": 0, "availability": 0.999}, nil)
	tests := []struct {
		name     string
		state    *State
		goal     *State
		profiles map[string]Profile
		expected bool
	}{
		{
			name:     "all objectives met",
			state:    stateWith(map[string]float64{"p99": 0.02, "rps": 4800, "availability": 0.9999}),
			goal:     goal,
			profiles: testProfiles,
			expected: true,
		},
		{
			name:     "latency above its target",
			state:    stateWith(map[string]float64{"p99": 0.04, "rps": 4800, "availability": 0.9999}),
			goal:     goal,
			profiles: testProfiles,
		},
		{
			name:     "availability below its target",
			state:    stateWith(map[string]float64{"p99": 0.02, "rps": 4800, "availability": 0.998}),
			goal:     goal,
			profiles: testProfiles,
		},
		{
			name:     "equal to the goal is better",
			state:    stateWith(map[string]float64{"p99": 0.03, "rps": 0, "availability": 0.999}),
			goal:     goal,
			profiles: testProfiles,
			expected: true,
		},
		{
			name:     "tolerance applied from the goal",
			state:    stateWith(map[string]float64{"p99": 0.011}),
			goal:     goalWith(map[string]float64{"p99": 0.010}, map[string]float64{"p99": 0.1}),
			profiles: testProfiles,
			expected: true,
		},
		{
			name:     "tolerance of the state is ignored",
			state:    &State{Intent: Intent{Objectives: map[string]float64{"p99": 0.011}, Tolerances: map[string]float64{"p99": 0.5}}},
			goal:     goalWith(map[string]float64{"p99": 0.010}, nil),
			profiles: testProfiles,
		},
		{
			name:     "an absent objective is unknown, never better",
			state:    stateWith(map[string]float64{"rps": 4800, "availability": 0.9999}),
			goal:     goal,
			profiles: testProfiles,
		},
		{
			name:     "a NaN objective is unknown, never better",
			state:    stateWith(map[string]float64{"p99": math.NaN(), "rps": 4800, "availability": 0.9999}),
			goal:     goal,
			profiles: testProfiles,
		},
		{
			name:     "an objective without a profile cannot be judged",
			state:    stateWith(map[string]float64{"p50": 0.001}),
			goal:     goalWith(map[string]float64{"p50": 0.01}, nil),
			profiles: testProfiles,
		},
		{
			name:     "a goal without objectives is never met",
			state:    stateWith(map[string]float64{"p99": 0.01}),
			goal:     goalWith(nil, nil),
			profiles: testProfiles,
		},
		{
			name:     "extra objectives of the state do not matter",
			state:    stateWith(map[string]float64{"p99": 0.01, "p50": 9}),
			goal:     goalWith(map[string]float64{"p99": 0.03}, nil),
			profiles: testProfiles,
			expected: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.state.IsBetter(tc.goal, tc.profiles); got != tc.expected {
				t.Fatalf("IsBetter = %v, want %v", got, tc.expected)
			}
		})
	}
}

func TestDistance(t *testing.T) {
	goal := goalWith(map[string]float64{"p99": 0.03, "availability": 0.999}, nil)
	tests := []struct {
		name     string
		state    *State
		expected float64
	}{
		{"euclidean when worse", stateWith(map[string]float64{"p99": 0.06, "availability": 0.995}), math.Sqrt(0.03*0.03 + 0.004*0.004)},
		{"negative inverse when better", stateWith(map[string]float64{"p99": 0.02, "availability": 0.999}), -1 / 0.01},
		{"zero when equal", stateWith(map[string]float64{"p99": 0.03, "availability": 0.999}), 0},
		{"unknown objectives are left out", stateWith(map[string]float64{"p99": 0.05, "availability": math.NaN()}), 0.02},
		{"absent objectives are left out", stateWith(map[string]float64{"p99": 0.05}), 0.02},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.state.Distance(goal, testProfiles)
			if math.Abs(got-tc.expected) > 1e-9 {
				t.Fatalf("Distance = %v, want %v", got, tc.expected)
			}
		})
	}
}

func TestDistanceDoesNotDependOnMapOrder(t *testing.T) {
	objectives := map[string]float64{}
	target := map[string]float64{}
	for i := 0; i < 12; i++ {
		k := fmt.Sprintf("o%d", i)
		objectives[k] = 1.0 / float64(3+i)
		target[k] = 0.1 * float64(i)
	}
	profiles := map[string]Profile{}
	for k := range objectives {
		profiles[k] = Profile{Type: Latency, Minimize: true}
	}
	s, g := stateWith(objectives), goalWith(target, nil)
	first := s.Distance(g, profiles)
	for i := 0; i < 100; i++ {
		if got := s.Distance(g, profiles); math.Float64bits(got) != math.Float64bits(first) {
			t.Fatalf("Distance changed between calls: %v != %v", got, first)
		}
	}
}

func TestDeepCopySharesNothing(t *testing.T) {
	s := State{
		Intent:      Intent{Key: "a/b", Objectives: map[string]float64{"p99": 1}, Tolerances: map[string]float64{"p99": 0.1}},
		Pods:        map[string]PodState{"p": {Availability: 1, State: "Running"}},
		Resources:   map[string]int64{"app_cpu_requests": 100},
		Annotations: map[string]string{"a": "b"},
		Data:        map[string]map[string]float64{"x": {"y": 1}},
	}
	c := s.DeepCopy()
	c.Intent.Objectives["p99"] = 2
	c.Intent.Tolerances["p99"] = 2
	c.Pods["q"] = PodState{}
	c.Resources["app_cpu_requests"] = 5
	c.Annotations["a"] = "c"
	c.Data["x"]["y"] = 2
	if s.Intent.Objectives["p99"] != 1 || s.Intent.Tolerances["p99"] != 0.1 || len(s.Pods) != 1 ||
		s.Resources["app_cpu_requests"] != 100 || s.Annotations["a"] != "b" || s.Data["x"]["y"] != 1 {
		t.Fatalf("modifying the copy changed the original: %+v", s)
	}
	var empty State
	if c := empty.DeepCopy(); c.Pods != nil || c.Data != nil {
		t.Fatalf("nil maps should stay nil: %+v", c)
	}
}

func ExampleMeets() {
	latency := Profile{Type: Latency, Minimize: true}
	fmt.Println(Meets(latency, 0.011, 0.010, 0.1))
	fmt.Println(Meets(latency, 0.012, 0.010, 0.1))
	// Output:
	// true
	// false
}
