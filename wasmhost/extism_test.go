package wasmhost

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
	"github.com/wido-dev/wido/planner"
	"github.com/wido-dev/wido/wasmhost/wasmtest"
)

// extismConfig is the host configuration of the Extism tests: the default
// one with a compilation cache shared by the tests (and kept between runs,
// like wasmtest's builds). An Extism module compiles twice at load, once for
// validation and once by the Extism SDK in its own runtime, and a large
// guest compiles slowly under the race detector; the cache makes every
// compilation after the first a read. TestExtismPlan runs without a cache
// and TestExtismSwapAndCache with an empty one.
func extismConfig(t testing.TB) Config {
	t.Helper()
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return NewConfig().WithCacheDir(filepath.Join(dir, "wido", "wasmtest", "wazero"))
}

var latencyProfiles = map[string]actuator.Profile{"p99": {Type: actuator.Latency, Minimize: true}}

// scaleRequest asks the Extism guest for its next states from pods pods at
// latency p99.
func scaleRequest(key string, pods int, p99 float64) *actuator.NextStateRequest {
	req := &actuator.NextStateRequest{
		State:    actuator.State{Intent: actuator.Intent{Key: key, Objectives: map[string]float64{"p99": p99}}},
		Goal:     actuator.State{Intent: actuator.Intent{Key: key, Objectives: map[string]float64{"p99": p99 / 2}}},
		Profiles: latencyProfiles,
	}
	if pods > 0 {
		req.State.Pods = map[string]actuator.PodState{}
		for i := range pods {
			req.State.Pods[string(rune('a'+i))] = actuator.PodState{Availability: 1, State: "Running"}
		}
	}
	return req
}

func TestExtismLoad(t *testing.T) {
	guest := wasmtest.BuildExtismGuest(t)
	h := newHost(t, extismConfig(t).WithInstances(2))
	ctx := context.Background()
	tests := []struct {
		name     string
		load     string
		wasm     []byte
		config   map[string]string
		wantInfo actuator.Info
		wantErr  string
	}{
		{
			name:     "describe names the actuator",
			load:     "extismguest.wasm",
			wasm:     guest,
			wantInfo: actuator.Info{Name: "extismScale", Group: "extismScale", Version: "0.1.0"},
		},
		{
			name:     "describe accepts a configuration it knows",
			load:     "extismguest.wasm",
			wasm:     guest,
			config:   map[string]string{"maxPods": "3"},
			wantInfo: actuator.Info{Name: "extismScale", Group: "extismScale", Version: "0.1.0"},
		},
		{
			name:    "describe refuses a configuration it does not know",
			load:    "extismguest.wasm",
			wasm:    guest,
			config:  map[string]string{"replicas": "3"},
			wantErr: `describe failed: internal: extismScale: unknown configuration key "replicas"`,
		},
		{
			name:    "describe refuses a bad value",
			load:    "extismguest.wasm",
			wasm:    guest,
			config:  map[string]string{"maxPods": "many"},
			wantErr: `maxPods "many" is not a positive integer`,
		},
		{
			name:     "without describe the module is named after its file",
			load:     "extismnodescribe.wasm",
			wasm:     fixture(t, "extismnodescribe"),
			wantInfo: actuator.Info{Name: "extismnodescribe", Group: "extismnodescribe"},
		},
		{
			name:    "without describe a configuration is refused",
			load:    "extismnodescribe.wasm",
			wasm:    fixture(t, "extismnodescribe"),
			config:  map[string]string{"maxPods": "3"},
			wantErr: "cannot receive configuration: the Extism module does not export describe",
		},
		{
			name:    "a missing export is named",
			load:    "extismnextonly.wasm",
			wasm:    fixture(t, "extismnextonly"),
			wantErr: "is an Extism module without the export(s) perform, effect",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := h.Load(ctx, tc.load, tc.wasm, tc.config)
			if tc.wantErr != "" {
				if !IsModuleError(err) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Load error = %v\nwant a ModuleError containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			defer m.Close(ctx)
			if m.Kind() != KindExtism || m.Info() != tc.wantInfo {
				t.Errorf("Kind, Info = %v, %+v; want %v, %+v", m.Kind(), m.Info(), KindExtism, tc.wantInfo)
			}
			if resp, err := m.NextState(ctx, request("")); err != nil || len(resp.States) != 0 {
				t.Errorf("NextState = %+v, %v; want an empty response", resp, err)
			}
		})
	}
	if n := liveInstances(h); n != 0 {
		t.Errorf("%d live instances after every module was closed or refused", n)
	}
}

func TestExtismGuest(t *testing.T) {
	const deadline = 200 * time.Millisecond
	h := newHost(t, extismConfig(t).WithInstances(2).
		WithDeadline(NextState, deadline).
		WithMemoryLimit(16<<20). // so that "alloc" reaches the cap well within the deadline
		WithMaxMessageSize(4<<10))
	// A configuration for describe is not Extism's config: "config" sees none.
	m := load(t, h, "extismguest.wasm", wasmtest.BuildExtismGuest(t), map[string]string{"maxPods": "5"})
	ctx := context.Background()

	next := scaleRequest("default/web", 2, 100).State.DeepCopy()
	next.Pods["extism-new"] = actuator.PodState{Availability: 1, State: "Running"}
	next.Intent.Objectives["p99"] = 100 * 2.0 / 3
	scaled := &actuator.NextStateResponse{
		States:    []actuator.State{next},
		Utilities: []float64{1},
		Actions:   []actuator.Action{{Name: "extismScale", Properties: actuator.Properties{Int: map[string]int64{"replicas": 1}}}},
	}
	tests := []struct {
		key           string
		pods          int
		want          *actuator.NextStateResponse
		wantErr       string
		wantGuest     bool // a *wire.GuestError
		wantDiscarded bool
	}{
		{key: "default/web", pods: 2, want: scaled},
		{key: "default/web", pods: 5, want: &actuator.NextStateResponse{}}, // maxPods reached
		{key: "", pods: 2, want: &actuator.NextStateResponse{}},
		{key: "config", want: &actuator.NextStateResponse{}},
		{key: "panic", wantErr: "next_state: internal: extismScale: asked to fail", wantGuest: true},
		{key: "code", wantErr: "internal: next_state returned 1 without an error message", wantGuest: true},
		{key: "loop", wantErr: "next_state did not return within its deadline of 200ms", wantDiscarded: true},
		{key: "exit", wantErr: "next_state: the guest exited with code 3", wantDiscarded: true},
		{key: "exit0", wantErr: "the guest exited with code 0 during the call", wantDiscarded: true},
		{key: "alloc", wantErr: "next_state trapped: wasm error: unreachable", wantDiscarded: true},
		{key: "big", wantErr: "response of 8192 bytes exceeds the cap of 4096", wantDiscarded: true},
		{key: "http", wantErr: "HTTP request to 'http://example.com/' is not allowed", wantDiscarded: true},
		{key: "var", wantErr: "Vars are disabled by this host", wantDiscarded: true},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			before := m.Stats()
			resp, err := m.NextState(ctx, scaleRequest(tc.key, tc.pods, 100))
			after := m.Stats()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("NextState: %v", err)
				}
				if !reflect.DeepEqual(resp, tc.want) {
					t.Fatalf("NextState = %+v\nwant %+v", resp, tc.want)
				}
				return
			}
			var ce *CallError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("NextState error = %v\nwant a CallError containing %q", err, tc.wantErr)
			}
			var ge *wire.GuestError
			if errors.As(err, &ge) != tc.wantGuest || (tc.wantGuest && ge.Code != wire.CodeInternal) {
				t.Errorf("error %v: carries a GuestError %v (%+v), want %v with code internal", err, !tc.wantGuest, ge, tc.wantGuest)
			}
			wantDiscards := map[bool]uint64{true: 1}[tc.wantDiscarded]
			if ce.Discarded != tc.wantDiscarded || after.Discarded-before.Discarded != wantDiscards {
				t.Errorf("discarded = %v (stats %d→%d), want %v", ce.Discarded, before.Discarded, after.Discarded, tc.wantDiscarded)
			}
			// The module keeps serving, from a new instance if need be.
			if resp, err := m.NextState(ctx, scaleRequest("default/web", 2, 100)); err != nil || !reflect.DeepEqual(resp, scaled) {
				t.Fatalf("after %q: NextState = %+v, %v; want the module serving", tc.key, resp, err)
			}
		})
	}

	t.Run("perform", func(t *testing.T) {
		req := &actuator.PerformRequest{State: scaleRequest("default/web", 2, 100).State, Plan: scaled.Actions}
		resp, err := m.Perform(ctx, req)
		want := &actuator.PerformResponse{Operations: []actuator.Operation{{Kind: actuator.Scale, Replicas: 3}}}
		if err != nil || !reflect.DeepEqual(resp, want) {
			t.Errorf("Perform = %+v, %v; want %+v", resp, err, want)
		}
	})
	t.Run("effect", func(t *testing.T) {
		resp, err := m.Effect(ctx, &actuator.EffectRequest{Profiles: latencyProfiles})
		if err != nil || !reflect.DeepEqual(resp, &actuator.EffectResponse{}) {
			t.Errorf("Effect = %+v, %v; want an empty response", resp, err)
		}
	})
	if n := liveInstances(h); n != 2 {
		t.Errorf("%d live instances, want the pool's 2", n)
	}
}

// TestExtismPlan plans with the Extism actuator alone: from 2 pods at a
// latency of 100 to a goal of 60 takes two more pods (100·2/3 ≈ 66.7, then
// 66.7·3/4 = 50).
func TestExtismPlan(t *testing.T) {
	h := newHost(t, NewConfig())
	m := load(t, h, "extismguest.wasm", wasmtest.BuildExtismGuest(t), nil)
	p, err := planner.NewPlanner(planner.NewConfig(), m)
	if err != nil {
		t.Fatal(err)
	}
	intent := func(p99 float64) actuator.Intent {
		return actuator.Intent{Key: "default/web", Priority: 1, TargetKey: "default/web", TargetKind: "Deployment", Objectives: map[string]float64{"p99": p99}}
	}
	plan, err := p.CreatePlan(context.Background(), &planner.Problem{
		Current: actuator.State{Intent: intent(100), Pods: map[string]actuator.PodState{
			"web-0": {Availability: 1, State: "Running"},
			"web-1": {Availability: 1, State: "Running"},
		}},
		Goal:     actuator.State{Intent: intent(60)},
		Profiles: latencyProfiles,
	})
	if err != nil {
		t.Fatal(err)
	}
	ex := plan.Explanation
	if len(ex.ActuatorErrors) > 0 {
		t.Fatalf("actuator errors: %+v", ex.ActuatorErrors)
	}
	scale := actuator.Action{Name: "extismScale", Properties: actuator.Properties{Int: map[string]int64{"replicas": 1}}}
	if !reflect.DeepEqual(plan.Actions, []actuator.Action{scale, scale}) || ex.Stopped != planner.GoalReached || ex.Cost != 2 {
		t.Fatalf("plan = %+v (stopped %s, cost %v), want two extismScale{replicas: 1} reaching the goal at cost 2", plan.Actions, ex.Stopped, ex.Cost)
	}
	for i, want := range []float64{200.0 / 3, 50} {
		if got := ex.Path[i].Objectives["p99"]; math.Abs(got-want) > 1e-9 || ex.Path[i].Actuator != "extismScale" {
			t.Errorf("step %d: %s → p99 %v, want extismScale → %v", i, ex.Path[i].Actuator, got, want)
		}
	}
}

func TestExtismConcurrentCalls(t *testing.T) {
	h := newHost(t, extismConfig(t).WithInstances(3))
	m := load(t, h, "extismguest.wasm", wasmtest.BuildExtismGuest(t), nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				key := "default/web"
				if (g+i)%7 == 0 {
					key = "panic"
				}
				resp, err := m.NextState(context.Background(), scaleRequest(key, 2+i%3, 100))
				if (err != nil) != (key == "panic") || (err == nil && len(resp.States) != 1) {
					t.Errorf("key %s: %+v, %v", key, resp, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if s := m.Stats(); s.Calls != 400 || s.Discarded != 0 {
		t.Errorf("stats = %+v, want 400 calls and nothing discarded", s)
	}
}

func TestExtismSwapAndCache(t *testing.T) {
	dir := t.TempDir()
	guest := wasmtest.BuildExtismGuest(t)
	ctx := context.Background()
	for i := range 2 {
		h := newHost(t, NewConfig().WithCacheDir(dir).WithInstances(1))
		m := load(t, h, "extismguest.wasm", guest, nil)
		if err := m.Swap(ctx, guest, map[string]string{"maxPods": "2"}); err != nil {
			t.Fatalf("run %d: Swap: %v", i, err)
		}
		// The new version has the new configuration.
		if resp, err := m.NextState(ctx, scaleRequest("default/web", 2, 100)); err != nil || len(resp.States) != 0 {
			t.Fatalf("run %d: NextState = %+v, %v; want no candidate at maxPods", i, resp, err)
		}
		if err := m.Swap(ctx, fixture(t, "extismnodescribe"), nil); !IsModuleError(err) || !strings.Contains(err.Error(), `describes actuator "extismguest"`) {
			t.Errorf("run %d: Swap to another actuator = %v, want a ModuleError", i, err)
		}
		if err := h.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if n := liveInstances(h); n != 0 {
			t.Errorf("run %d: %d live instances after Close", i, n)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("cache dir holds %d entries (%v), want the compiled module", len(entries), err)
	}
}

// BenchmarkExtismEmptyCall is the round trip of an empty NextState (an
// empty request the guest answers with an empty response) through
// Module.NextState, into the Extism guest and, for comparison, into the
// wido-ABI probe guest (as BenchmarkEmptyCall).
func BenchmarkExtismEmptyCall(b *testing.B) {
	guests := []struct {
		name string
		wasm func(testing.TB) []byte
	}{
		{"extism", wasmtest.BuildExtismGuest},
		{"wido-abi", func(tb testing.TB) []byte { return wasmtest.BuildGo(tb, probePkg) }},
	}
	for _, g := range guests {
		b.Run(g.name, func(b *testing.B) {
			h := newHost(b, extismConfig(b).WithInstances(1))
			m := load(b, h, g.name+".wasm", g.wasm(b), nil)
			ctx := context.Background()
			req := &actuator.NextStateRequest{}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.NextState(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
