package main

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/wido-dev/wido/cmd/wido/internal/scenario"
	"github.com/wido-dev/wido/planner"
)

// goldenPlanner builds the golden scenario's planner and problem with the
// shipped actuators native or as Wasm modules, as `wido plan` does.
func goldenPlanner(b *testing.B, native bool) (planner.Planner, *planner.Problem) {
	b.Helper()
	data, err := os.ReadFile(goldenScenario)
	if err != nil {
		b.Fatal(err)
	}
	sc, err := scenario.Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	acts, err := buildActuators(ctx, sc, actuatorOptions{native: native, pluginsDir: defaultPluginsDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { acts.Close(ctx) })
	p, err := planner.NewPlanner(sc.Config(), acts.list...)
	if err != nil {
		b.Fatal(err)
	}
	return p, sc.Problem()
}

// BenchmarkGoldenCase plans the golden case with the shipped actuators
// in-process and as Wasm modules, side by side, and reports each median and
// their ratio.
func BenchmarkGoldenCase(b *testing.B) {
	ctx := context.Background()
	native, problem := goldenPlanner(b, true)
	wasm, _ := goldenPlanner(b, false)
	plan := func(p planner.Planner) time.Duration {
		start := time.Now()
		got, err := p.CreatePlan(ctx, problem)
		if err != nil || len(got.Actions) != 1 {
			b.Fatalf("plan = %+v, %v", got, err)
		}
		return time.Since(start)
	}
	var nativeTimes, wasmTimes []time.Duration
	for b.Loop() {
		nativeTimes = append(nativeTimes, plan(native))
		wasmTimes = append(wasmTimes, plan(wasm))
	}
	n, w := median(nativeTimes), median(wasmTimes)
	b.ReportMetric(float64(n.Nanoseconds())/1e3, "µs-native-median")
	b.ReportMetric(float64(w.Nanoseconds())/1e3, "µs-wasm-median")
	b.ReportMetric(float64(w)/float64(n), "wasm/native")
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
