package scaling

import (
	"math"
	"testing"

	"github.com/wido-dev/wido/abi/actuator"
)

func goldenModel() actuator.Model {
	return actuator.Model{
		"popt":            {0.306355135, 0.193240314, 53.0816499, 0.0147372746},
		"throughputScale": {0.002143905536223758, 0.9993568283391329},
		"throughputRange": {0.3, 6064},
		"replicaRange":    {1, 12},
	}
}

func TestPredictLatency(t *testing.T) {
	m, err := ParseOutModel(goldenModel())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		throughput float64
		pods       int
		expected   float64
	}{
		{"two pods at 4800 rps", 4800, 2, 0.03666586183716536},
		{"three pods at 4800 rps", 4800, 3, 0.031045714293758075},
		{"four pods at 4800 rps", 4800, 4, 0.026287023615866236},
		{"no pods predicts 0 (IDO)", 4800, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := m.PredictLatency(tc.throughput, tc.pods); math.Abs(got-tc.expected) > 1e-12 {
				t.Fatalf("PredictLatency = %v, want %v", got, tc.expected)
			}
		})
	}
	if m.MaxReplicas() != 12 {
		t.Fatalf("MaxReplicas = %d", m.MaxReplicas())
	}
}

func TestParseOutModelRefuses(t *testing.T) {
	tests := []struct {
		name   string
		modify func(actuator.Model)
		want   string
	}{
		{"missing popt", func(m actuator.Model) { delete(m, "popt") }, "missing popt"},
		{"short throughputScale", func(m actuator.Model) { m["throughputScale"] = []float64{1} }, "throughputScale needs 2 values, has 1"},
		{"NaN in replicaRange", func(m actuator.Model) { m["replicaRange"] = []float64{1, math.NaN()} }, "not finite"},
		{"p2 of zero", func(m actuator.Model) { m["popt"] = []float64{1, 1, 0, 1} }, "popt[2] must not be 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := goldenModel()
			tc.modify(m)
			if _, err := ParseOutModel(m); err == nil || !contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestAvailability(t *testing.T) {
	pods := map[string]actuator.PodState{"a": {Availability: 0.9}, "b": {Availability: 0.98}}
	if got := Availability(pods); math.Abs(got-0.998) > 1e-12 {
		t.Fatalf("Availability = %v, want 1 − 0.1·0.02 = 0.998", got)
	}
	if got := MeanAvailability(pods); math.Abs(got-0.94) > 1e-12 {
		t.Fatalf("MeanAvailability = %v, want 0.94", got)
	}
	if Availability(nil) != 0 || MeanAvailability(nil) != 0 {
		t.Fatal("no pods must have availability 0")
	}
}

func TestDummyName(t *testing.T) {
	pods := map[string]actuator.PodState{"dummy@3": {}, "dummy@4": {}}
	if got := DummyName(pods, 3); got != "dummy@5" {
		t.Fatalf("DummyName = %q, want the first free name dummy@5", got)
	}
	if !IsDummy("dummy@5") || IsDummy("web-1") {
		t.Fatal("IsDummy is wrong")
	}
}
