package main

import (
	"math"
	"testing"
)

// TestDemoLatency: the demo service's latency is the golden case's model,
// so make run's workload starts at 37 ms and meets 30 ms only at 4 pods.
func TestDemoLatency(t *testing.T) {
	tests := []struct {
		replicas float64
		want     float64
	}{
		{2, 0.0367},
		{3, 0.0310},
		{4, 0.0263},
	}
	for _, tc := range tests {
		if got := demoLatency(4800, tc.replicas); math.Abs(got-tc.want) > 0.0005 {
			t.Errorf("demoLatency(4800, %v) = %.4f, want about %.4f", tc.replicas, got, tc.want)
		}
	}
}
