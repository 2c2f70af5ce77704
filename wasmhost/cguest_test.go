package wasmhost_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
	"github.com/wido-dev/wido/planner"
	"github.com/wido-dev/wido/wasmhost"
)

// The C guest (plugins/examples/c-scaleup) is an actuator written against
// abi/ABI.md alone, built by the Makefile with clang for wasm32-wasi. These
// tests load it through the host like any other module: they show the ABI
// is implementable without wido's Go SDK.

const (
	cGuestTarget = "bin/plugins/c-scaleup.wasm"
	// requireToolchains makes a missing toolchain fail the tests instead of
	// skipping them (CI sets it).
	requireToolchains = "WIDO_REQUIRE_TOOLCHAINS"
)

var cGuestBuild struct {
	once sync.Once
	wasm []byte
	skip string // why the toolchain is missing
	err  error
}

// cGuest builds the C guest with `make bin/plugins/c-scaleup.wasm`, once per
// test binary, and returns it. Without clang, wasm-ld or wasi-libc it skips
// the test, or fails it when WIDO_REQUIRE_TOOLCHAINS=1.
func cGuest(tb testing.TB) []byte {
	tb.Helper()
	b := &cGuestBuild
	b.once.Do(func() {
		if b.skip = missingCToolchain(); b.skip != "" {
			return
		}
		root, err := filepath.Abs("..") // tests run in wasmhost/
		if err != nil {
			b.err = err
			return
		}
		cmd := exec.Command("make", "-C", root, "--no-print-directory", cGuestTarget)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = errors.New("make " + cGuestTarget + ": " + err.Error() + "\n" + string(out))
			return
		}
		b.wasm, b.err = os.ReadFile(filepath.Join(root, cGuestTarget))
	})
	switch {
	case b.skip != "" && os.Getenv(requireToolchains) == "1":
		tb.Fatalf("C toolchain: %s (run make wasm-toolchain)", b.skip)
	case b.skip != "":
		tb.Skipf("C toolchain: %s; run make wasm-toolchain, or set %s=1 to fail instead of skipping", b.skip, requireToolchains)
	case b.err != nil:
		tb.Fatal(b.err)
	}
	return b.wasm
}

// missingCToolchain says what the Makefile's C rule lacks, or "".
func missingCToolchain() string {
	clang := os.Getenv("CLANG")
	if clang == "" {
		clang = "clang"
	}
	for _, tool := range []string{"make", clang, "wasm-ld"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool + " not found"
		}
	}
	args := []string{"--target=wasm32-wasi"}
	if s := os.Getenv("WASI_SYSROOT"); s != "" {
		args = append(args, "--sysroot="+s)
	}
	found := func(flag string) bool {
		out, err := exec.Command(clang, append(args, flag)...).Output()
		p := strings.TrimSpace(string(out))
		if err != nil || !filepath.IsAbs(p) {
			return false
		}
		_, err = os.Stat(p)
		return err == nil
	}
	if !found("-print-file-name=libc.a") {
		return "wasi-libc not found by " + clang + " --target=wasm32-wasi (set WASI_SYSROOT?)"
	}
	if !found("-print-libgcc-file-name") {
		return "compiler-rt builtins for wasm32 not found (Debian: libclang-rt-dev-wasm32)"
	}
	return ""
}

func loadCGuest(t testing.TB, config map[string]string) wasmhost.Module {
	t.Helper()
	wasm := cGuest(t)
	ctx := context.Background()
	h, err := wasmhost.New(ctx, wasmhost.NewConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(ctx) })
	m, err := h.Load(ctx, "c-scaleup.wasm", wasm, config)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return m
}

// loadWithin is Load that fails the test, rather than hanging it, when Load
// does not return: refusing a module must not block the host.
func loadWithin(t testing.TB, h wasmhost.Host, wasm []byte, config map[string]string) (wasmhost.Module, error) {
	t.Helper()
	type loaded struct {
		m   wasmhost.Module
		err error
	}
	done := make(chan loaded, 1)
	go func() {
		m, err := h.Load(context.Background(), "c-scaleup.wasm", wasm, config)
		done <- loaded{m, err}
	}()
	select {
	case l := <-done:
		return l.m, l.err
	case <-time.After(10 * time.Second):
		t.Fatalf("Load(%v) did not return within 10s", config)
		return nil, nil
	}
}

var cProfiles = map[string]actuator.Profile{
	"p99": {Type: actuator.Latency, Minimize: true},
	"rps": {Type: actuator.Throughput},
}

// cState is a state with two pods, p99 at 100 and every field set, so that
// the test sees the guest keep what it does not change.
func cState(pods ...string) actuator.State {
	s := actuator.State{
		Intent: actuator.Intent{
			Key: "default/web", Priority: 1, TargetKey: "default/web", TargetKind: "Deployment",
			Objectives: map[string]float64{"p99": 100, "rps": 4800},
			Tolerances: map[string]float64{"p99": 0.05},
		},
		Pods:        map[string]actuator.PodState{},
		Resources:   map[string]int64{"app_cpu_requests": 500},
		Annotations: map[string]string{"team": "web"},
		Data:        map[string]map[string]float64{"cscaleup": {"seen": 1}},
	}
	for _, p := range pods {
		s.Pods[p] = actuator.PodState{Availability: 0.99, NodeName: "node-1", State: "Running", QoSClass: "Burstable"}
	}
	return s
}

func cGoal() actuator.State {
	return actuator.State{Intent: actuator.Intent{Key: "default/web", Priority: 1, Objectives: map[string]float64{"p99": 60}}}
}

func TestCGuestDescribe(t *testing.T) {
	tests := []struct {
		name    string
		config  map[string]string
		refused string // a word the error must contain; "" when loaded
	}{
		{name: "no configuration", config: nil},
		{name: "max_steps in range", config: map[string]string{"max_steps": "16"}},
		{name: "an unknown key is refused by name", config: map[string]string{"bogus": "1"}, refused: "bogus"},
		{name: "max_steps 0 is refused", config: map[string]string{"max_steps": "0"}, refused: "max_steps"},
		{name: "max_steps 17 is refused", config: map[string]string{"max_steps": "17"}, refused: "max_steps"},
		{name: "max_steps not a number is refused", config: map[string]string{"max_steps": "four"}, refused: "max_steps"},
		{name: "a key that needs escaping stays readable", config: map[string]string{"a\"b\x01": "1"}, refused: `a\x22b\x01`},
	}
	wasm := cGuest(t)
	ctx := context.Background()
	h, err := wasmhost.New(ctx, wasmhost.NewConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close(ctx)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := loadWithin(t, h, wasm, tc.config)
			if tc.refused != "" {
				if err == nil {
					_ = m.Close(ctx)
					t.Fatalf("Load(%v) succeeded, want it refused", tc.config)
				}
				var ge *wire.GuestError
				if !wasmhost.IsModuleError(err) || !errors.As(err, &ge) || ge.Code != wire.CodeInvalidArgument || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("Load(%v) = %v; want a ModuleError with an INVALID_ARGUMENT guest error naming %q", tc.config, err, tc.refused)
				}
				t.Logf("refused: %v", err)
				return
			}
			if err != nil {
				t.Fatalf("Load(%v): %v", tc.config, err)
			}
			defer m.Close(ctx)
			if want := (actuator.Info{Name: "cScaleUp", Group: "cScaleUp", Version: "0.1.0"}); m.Info() != want {
				t.Errorf("Info() = %+v, want %+v", m.Info(), want)
			}
			if m.Kind() != wasmhost.KindWido || m.Name() != "cScaleUp" || m.Group() != "cScaleUp" {
				t.Errorf("Kind, Name, Group = %v, %q, %q", m.Kind(), m.Name(), m.Group())
			}
			resp, err := m.Effect(ctx, &actuator.EffectRequest{Profiles: cProfiles})
			if err != nil || len(resp.Models) != 0 {
				t.Errorf("Effect = %+v, %v; want an empty response", resp, err)
			}
		})
	}
}

func TestCGuestNextState(t *testing.T) {
	tests := []struct {
		name    string
		config  map[string]string
		state   actuator.State
		latency []float64 // p99 of candidates k = 1, 2, …
		newPods []string  // the pods the last candidate adds
	}{
		{
			name:    "four candidates by default, latency scaled by n/(n+k)",
			state:   cState("web-0", "web-1"),
			latency: []float64{66.666666666666667, 50, 40, 33.333333333333333},
			newPods: []string{"cscaleup-new-3", "cscaleup-new-4", "cscaleup-new-5", "cscaleup-new-6"},
		},
		{
			name:    "max_steps 2 gives two",
			config:  map[string]string{"max_steps": "2"},
			state:   cState("web-0", "web-1"),
			latency: []float64{66.666666666666667, 50},
			newPods: []string{"cscaleup-new-3", "cscaleup-new-4"},
		},
		{
			name:    "without pods latency is unchanged",
			config:  map[string]string{"max_steps": "1"},
			state:   cState(),
			latency: []float64{100},
			newPods: []string{"cscaleup-new-1"},
		},
		{
			name:    "names already taken are skipped",
			config:  map[string]string{"max_steps": "3"},
			state:   cState("web-0", "cscaleup-new-3", "cscaleup-new-5"),
			latency: []float64{75, 60, 50},
			newPods: []string{"cscaleup-new-4", "cscaleup-new-6", "cscaleup-new-7"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := loadCGuest(t, tc.config)
			req := &actuator.NextStateRequest{State: tc.state, Goal: cGoal(), Profiles: cProfiles}
			resp, err := m.NextState(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.States) != len(tc.latency) || len(resp.Utilities) != len(tc.latency) || len(resp.Actions) != len(tc.latency) {
				t.Fatalf("%d states, %d utilities, %d actions; want %d of each", len(resp.States), len(resp.Utilities), len(resp.Actions), len(tc.latency))
			}
			n := len(tc.state.Pods)
			for i, got := range resp.States {
				k := i + 1
				if p99 := got.Intent.Objectives["p99"]; math.Abs(p99-tc.latency[i]) > 1e-9 {
					t.Errorf("candidate %d: p99 = %v, want %v", k, p99, tc.latency[i])
				}
				want := tc.state.DeepCopy()
				if n > 0 {
					want.Intent.Objectives["p99"] = 100 * float64(n) / float64(n+k)
				}
				for _, p := range tc.newPods[:k] {
					want.Pods[p] = actuator.PodState{Availability: 1, State: "Running"}
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("candidate %d:\n got %+v\nwant %+v", k, got, want)
				}
				if resp.Utilities[i] != float64(k) {
					t.Errorf("candidate %d: utility %v, want %d", k, resp.Utilities[i], k)
				}
				if a := resp.Actions[i]; a.Name != "cScaleUp" || !reflect.DeepEqual(a.Properties.Int, map[string]int64{"replicas": int64(k)}) || len(a.Properties.Str) != 0 {
					t.Errorf("candidate %d: action %+v, want cScaleUp{replicas: %d}", k, a, k)
				}
			}
			if !reflect.DeepEqual(req.State, tc.state) {
				t.Errorf("the request was modified")
			}
		})
	}
}

func TestCGuestPerform(t *testing.T) {
	scaleUp := func(k int64) actuator.Action {
		return actuator.Action{Name: "cScaleUp", Properties: actuator.Properties{Int: map[string]int64{"replicas": k}}}
	}
	tests := []struct {
		name    string
		plan    []actuator.Action
		want    []actuator.Operation
		refused bool
	}{
		{
			name: "the first cScaleUp action scales to the pods plus its replicas",
			plan: []actuator.Action{{Name: "rmPod", Properties: actuator.Properties{Int: map[string]int64{"replicas": 9}}}, scaleUp(2), scaleUp(3)},
			want: []actuator.Operation{{Kind: actuator.Scale, Replicas: 4}},
		},
		{
			name: "without a cScaleUp action there is nothing to do",
			plan: []actuator.Action{{Name: "rmPod"}},
		},
		{
			name:    "a cScaleUp action without replicas is refused",
			plan:    []actuator.Action{{Name: "cScaleUp"}},
			refused: true,
		},
		{
			name:    "a cScaleUp action of 0 replicas is refused",
			plan:    []actuator.Action{scaleUp(0)},
			refused: true,
		},
	}
	m := loadCGuest(t, nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := m.Perform(context.Background(), &actuator.PerformRequest{State: cState("web-0", "web-1"), Plan: tc.plan})
			if tc.refused {
				var ge *wire.GuestError
				if !errors.As(err, &ge) || ge.Code != wire.CodeInvalidArgument || !strings.Contains(ge.Message, "replicas") {
					t.Fatalf("Perform = %+v, %v; want an INVALID_ARGUMENT guest error about replicas", resp, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Operations) != len(tc.want) || (len(tc.want) > 0 && !reflect.DeepEqual(resp.Operations, tc.want)) {
				t.Fatalf("operations = %+v, want %+v", resp.Operations, tc.want)
			}
		})
	}
}

// A request the guest refuses is an error of that call; the instance stays.
func TestCGuestRefusalKeepsTheInstance(t *testing.T) {
	m := loadCGuest(t, nil)
	ctx := context.Background()
	bad := &actuator.PerformRequest{Plan: []actuator.Action{{Name: "cScaleUp"}}}
	for range 10 {
		_, err := m.Perform(ctx, bad)
		var ce *wasmhost.CallError
		if !errors.As(err, &ce) || ce.Discarded {
			t.Fatalf("Perform = %v; want a CallError that kept the instance", err)
		}
	}
	if _, err := m.NextState(ctx, &actuator.NextStateRequest{State: cState("a"), Goal: cGoal(), Profiles: cProfiles}); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Stats(), (wasmhost.Stats{Calls: 11, Failed: 10}); got != want {
		t.Fatalf("Stats() = %+v, want %+v", got, want)
	}
}

func TestCGuestPlan(t *testing.T) {
	m := loadCGuest(t, nil)
	p, err := planner.NewPlanner(planner.NewConfig(), m)
	if err != nil {
		t.Fatal(err)
	}
	current := cState("web-0", "web-1")
	delete(current.Intent.Objectives, "rps") // the planner wants the goal's objectives only
	prob := &planner.Problem{Current: current, Goal: cGoal(), Profiles: cProfiles}
	plan, err := p.CreatePlan(context.Background(), prob)
	if err != nil {
		t.Fatal(err)
	}
	// k = 1 gives 66.7 > 60; k = 2 gives 50, the cheapest state that
	// meets the goal (utility 2; two steps of 1 cost as much but A* pops
	// the k = 2 state first, its heuristic being negative).
	e := plan.Explanation
	if len(plan.Actions) != 1 || plan.Actions[0].Name != "cScaleUp" || plan.Actions[0].Properties.Int["replicas"] != 2 {
		t.Fatalf("plan = %+v, want [cScaleUp{replicas: 2}]; explanation %+v", plan.Actions, e)
	}
	if e.Stopped != planner.GoalReached || len(e.ActuatorErrors) != 0 || e.Cost != 2 {
		t.Fatalf("stopped %s, cost %v, actuator errors %v", e.Stopped, e.Cost, e.ActuatorErrors)
	}
	if st := m.Stats(); st.Failed != 0 || st.Discarded != 0 {
		t.Fatalf("Stats() = %+v", st)
	}
	t.Logf("explored %d, created %d states in %v", e.StatesExplored, e.StatesCreated, e.Elapsed)
}

// rawGuest calls the C guest's exports directly, without the host, to send
// it bytes the host would never encode.
type rawGuest struct {
	mu  sync.Mutex // one call at a time, as the host does
	mod api.Module
}

func newRawGuest(t testing.TB) *rawGuest {
	t.Helper()
	wasm := cGuest(t)
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	t.Cleanup(func() { _ = rt.Close(ctx) })
	mod, err := rt.InstantiateWithConfig(ctx, wasm, wazero.NewModuleConfig().WithStartFunctions("_initialize"))
	if err != nil {
		t.Fatal(err)
	}
	return &rawGuest{mod: mod}
}

// call sends req to export as the ABI says and returns the decoded
// envelope: the result, or a *wire.GuestError. A trap or a malformed
// envelope fails the test.
func (g *rawGuest) call(t testing.TB, export string, req []byte) ([]byte, error) {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	res, err := g.mod.ExportedFunction("wido_v1_buffer").Call(context.Background(), uint64(len(req)))
	if err != nil || res[0] == 0 {
		t.Fatalf("wido_v1_buffer(%d) = %v, %v", len(req), res, err)
	}
	ptr := uint32(res[0])
	if !g.mod.Memory().Write(ptr, req) {
		t.Fatalf("buffer at %d outside memory", ptr)
	}
	return g.callLocked(t, export, ptr, uint32(len(req)))
}

// callAt calls export with a request the guest did not place.
func (g *rawGuest) callAt(t testing.TB, export string, ptr, n uint32) ([]byte, error) {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.callLocked(t, export, ptr, n)
}

func (g *rawGuest) callLocked(t testing.TB, export string, ptr, n uint32) ([]byte, error) {
	t.Helper()
	res, err := g.mod.ExportedFunction(export).Call(context.Background(), uint64(ptr), uint64(n))
	if err != nil {
		t.Fatalf("%s trapped: %v", export, err)
	}
	env, ok := g.mod.Memory().Read(uint32(res[0]>>32), uint32(res[0]))
	if !ok {
		t.Fatalf("%s: envelope outside memory", export)
	}
	result, err := wire.DecodeEnvelope(env)
	if wire.IsMalformed(err) {
		t.Fatalf("%s: malformed envelope %x: %v", export, env, err)
	}
	return bytes.Clone(result), err
}

func TestCGuestMalformedInput(t *testing.T) {
	g := newRawGuest(t)
	if _, err := g.call(t, "wido_v1_describe", nil); err != nil {
		t.Fatalf("describe: %v", err)
	}
	tests := []struct {
		name   string
		export string
		req    []byte
	}{
		{"truncated tag", "wido_v1_next_state", []byte{0x80}},
		{"field number 0", "wido_v1_next_state", []byte{0x00}},
		{"invalid wire type", "wido_v1_next_state", []byte{0x0f}},
		{"length beyond the input", "wido_v1_next_state", []byte{0x0a, 0x05, 0x01}},
		{"varint over 64 bits", "wido_v1_effect", []byte{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}},
		{"end group without a start", "wido_v1_perform", []byte{0x0c}},
		{"group never closed", "wido_v1_perform", []byte{0x0b, 0x08, 0x01}},
		{"group closed by another number", "wido_v1_perform", []byte{0x0b, 0x14}},
		{"truncated state", "wido_v1_next_state", []byte{0x0a, 0x02, 0x12}},
		{"pod name not UTF-8", "wido_v1_next_state", []byte{0x0a, 0x05, 0x12, 0x03, 0x0a, 0x01, 0xff}},
		{"pod state badly framed", "wido_v1_next_state", []byte{0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x08, 0x80}},
		{
			"objective value truncated", "wido_v1_next_state",
			[]byte{0x0a, 0x0c, 0x0a, 0x0a, 0x2a, 0x08, 0x0a, 0x03, 'p', '9', '9', 0x11, 0x00, 0x00},
		},
		{"profile key not UTF-8", "wido_v1_next_state", []byte{0x1a, 0x03, 0x0a, 0x01, 0xc0}},
		{"action name not UTF-8", "wido_v1_perform", []byte{0x12, 0x03, 0x0a, 0x01, 0xff}},
		{"perform state badly framed", "wido_v1_perform", []byte{0x0a, 0x01, 0x07}},
		{"config key not UTF-8", "wido_v1_describe", []byte{0x0a, 0x05, 0x0a, 0x01, 0xff, 0x12, 0x00}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := g.call(t, tc.export, tc.req)
			var ge *wire.GuestError
			if !errors.As(err, &ge) || ge.Code != wire.CodeInvalidArgument {
				t.Fatalf("%s(%x) = %v; want an INVALID_ARGUMENT error", tc.export, tc.req, err)
			}
			t.Logf("%v", err)
		})
	}
	t.Run("request outside memory", func(t *testing.T) {
		_, err := g.callAt(t, "wido_v1_next_state", math.MaxUint32-10, 100)
		var ge *wire.GuestError
		if !errors.As(err, &ge) || ge.Code != wire.CodeInvalidArgument {
			t.Fatalf("next_state outside memory = %v; want an INVALID_ARGUMENT error", err)
		}
	})
	// The instance is still in working order.
	valid := wire.AppendNextStateRequest(nil, &actuator.NextStateRequest{State: cState("a", "b"), Goal: cGoal(), Profiles: cProfiles})
	res, err := g.call(t, "wido_v1_next_state", valid)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := wire.DecodeNextStateResponse(res); err != nil || len(resp.States) != 4 {
		t.Fatalf("NextState after malformed input = %+v, %v", resp, err)
	}
}

// cRequests are valid requests for each export of the C guest, the seeds of
// the corruption test and the fuzz target.
func cRequests() []struct {
	export string
	req    []byte
} {
	return []struct {
		export string
		req    []byte
	}{
		{"wido_v1_next_state", wire.AppendNextStateRequest(nil, &actuator.NextStateRequest{State: cState("a", "b"), Goal: cGoal(), Profiles: cProfiles})},
		{"wido_v1_perform", wire.AppendPerformRequest(nil, &actuator.PerformRequest{State: cState("a"), Plan: []actuator.Action{
			{Name: "cScaleUp", Properties: actuator.Properties{Int: map[string]int64{"replicas": 2}}},
		}})},
		{"wido_v1_effect", wire.AppendEffectRequest(nil, &actuator.EffectRequest{Profiles: cProfiles})},
		{"wido_v1_describe", wire.AppendDescribeRequest(nil, map[string]string{"max_steps": "3"})},
	}
}

// checkCGuestAnswer sends req to export and checks the answer: no trap, a
// well-formed envelope, and an error only with code INVALID_ARGUMENT. A
// NextStateRequest the host's decoder accepts must get candidates the host's
// decoder accepts.
func checkCGuestAnswer(t testing.TB, g *rawGuest, export string, req []byte) {
	t.Helper()
	res, err := g.call(t, export, req)
	var ge *wire.GuestError
	if err != nil && (!errors.As(err, &ge) || ge.Code != wire.CodeInvalidArgument) {
		t.Fatalf("%s(%x) = %v; want a result or an INVALID_ARGUMENT error", export, req, err)
	}
	if export == "wido_v1_describe" && err == nil {
		// Keep max_steps at 3 for the checks below.
		if _, err := g.call(t, export, wire.AppendDescribeRequest(nil, map[string]string{"max_steps": "3"})); err != nil {
			t.Fatal(err)
		}
	}
	if export != "wido_v1_next_state" {
		return
	}
	if _, derr := wire.DecodeNextStateRequest(req); derr != nil {
		return
	}
	if err != nil {
		t.Fatalf("next_state(%x) = %v; the host would have sent it", req, err)
	}
	resp, derr := wire.DecodeNextStateResponse(res)
	if derr != nil || len(resp.States) != 3 {
		t.Fatalf("next_state(%x): %d candidates, %v; want 3 the host can decode", req, len(resp.States), derr)
	}
}

// Every prefix and many corruptions of valid requests.
func TestCGuestCorruptedRequests(t *testing.T) {
	g := newRawGuest(t)
	if _, err := g.call(t, "wido_v1_describe", wire.AppendDescribeRequest(nil, map[string]string{"max_steps": "3"})); err != nil {
		t.Fatalf("describe: %v", err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	calls := 0
	for _, v := range cRequests() {
		for i := range len(v.req) {
			checkCGuestAnswer(t, g, v.export, v.req[:i])
			for range 8 {
				c := bytes.Clone(v.req)
				c[i] = byte(rng.Uint32())
				checkCGuestAnswer(t, g, v.export, c)
			}
			calls += 9
		}
		for range 200 {
			c := make([]byte, rng.IntN(64))
			for i := range c {
				c[i] = byte(rng.Uint32())
			}
			checkCGuestAnswer(t, g, v.export, c)
			calls++
		}
	}
	t.Logf("%d calls", calls)
}

// FuzzCGuest sends arbitrary bytes to the C guest's exports.
func FuzzCGuest(f *testing.F) {
	exports := []string{"wido_v1_next_state", "wido_v1_perform", "wido_v1_effect", "wido_v1_describe"}
	for _, v := range cRequests() {
		for i, e := range exports {
			if e == v.export {
				f.Add(uint8(i), v.req)
			}
		}
	}
	g := newRawGuest(f)
	if _, err := g.call(f, "wido_v1_describe", wire.AppendDescribeRequest(nil, map[string]string{"max_steps": "3"})); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, which uint8, req []byte) {
		checkCGuestAnswer(t, g, exports[int(which)%len(exports)], req)
	})
}

func BenchmarkCGuestNextState(b *testing.B) {
	req := &actuator.NextStateRequest{State: cState("web-0", "web-1"), Goal: cGoal(), Profiles: cProfiles}
	b.Run("host", func(b *testing.B) {
		m := loadCGuest(b, nil)
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.NextState(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("guest", func(b *testing.B) {
		// Only the guest's work: the encoded request is written once and
		// the envelope is not decoded.
		g := newRawGuest(b)
		if _, err := g.call(b, "wido_v1_describe", nil); err != nil {
			b.Fatal(err)
		}
		enc := wire.AppendNextStateRequest(nil, req)
		res, err := g.mod.ExportedFunction("wido_v1_buffer").Call(context.Background(), uint64(len(enc)))
		if err != nil || !g.mod.Memory().Write(uint32(res[0]), enc) {
			b.Fatal("buffer", err)
		}
		fn := g.mod.ExportedFunction("wido_v1_next_state")
		stack := []uint64{0, 0}
		b.ReportAllocs()
		for b.Loop() {
			stack[0], stack[1] = res[0], uint64(len(enc))
			if err := fn.CallWithStack(context.Background(), stack); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(uint32(stack[0])), "envelope-bytes")
	})
}
