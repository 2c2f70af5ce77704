package wasmhost

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
	"github.com/wido-dev/wido/wasmhost/wasmtest"
)

const probePkg = "./wasmhost/testdata/guests/probe"

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".wasm"))
	if err != nil {
		t.Fatalf("fixture %s: %v (run make generate)", name, err)
	}
	return b
}

func newHost(t testing.TB, cfg Config) Host {
	t.Helper()
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	return h
}

func load(t testing.TB, h Host, name string, wasm []byte, config map[string]string) Module {
	t.Helper()
	m, err := h.Load(context.Background(), name, wasm, config)
	if err != nil {
		t.Fatalf("Load(%s): %v", name, err)
	}
	return m
}

func request(key string) *actuator.NextStateRequest {
	return &actuator.NextStateRequest{
		State: actuator.State{Intent: actuator.Intent{Key: key, Objectives: map[string]float64{"p99": 20}}},
		Goal:  actuator.State{Intent: actuator.Intent{Key: key, Objectives: map[string]float64{"p99": 10}}},
	}
}

func TestLoadDescribesTheModule(t *testing.T) {
	h := newHost(t, NewConfig())
	m := load(t, h, "good.wasm", fixture(t, "good"), nil)
	if want := (actuator.Info{Name: "fixture", Group: "fixture", Version: "1"}); m.Info() != want {
		t.Errorf("Info() = %+v, want %+v", m.Info(), want)
	}
	if m.Kind() != KindWido || m.Name() != "fixture" || m.Group() != "fixture" {
		t.Errorf("Kind, Name, Group = %v, %q, %q", m.Kind(), m.Name(), m.Group())
	}
	resp, err := m.NextState(context.Background(), request("x"))
	if err != nil || len(resp.States) != 0 {
		t.Fatalf("NextState = %+v, %v; want an empty response", resp, err)
	}
	if _, err := m.Perform(context.Background(), &actuator.PerformRequest{}); err != nil {
		t.Errorf("Perform: %v", err)
	}
	if _, err := m.Effect(context.Background(), &actuator.EffectRequest{}); err != nil {
		t.Errorf("Effect: %v", err)
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"memory below a page", NewConfig().WithMemoryLimit(100), "memory limit"},
		{"memory above 4 GiB", NewConfig().WithMemoryLimit(8 << 30), "memory limit"},
		{"no instances", NewConfig().WithInstances(0), "instances 0"},
		{"tiny messages", NewConfig().WithMaxMessageSize(10), "max message size"},
		{"zero deadline", NewConfig().WithDeadline(Effect, 0), "deadline of effect"},
		{"unknown call", NewConfig().WithDeadline(Call(9), time.Second), "deadline of describe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(context.Background(), tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New() error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestGoGuest runs the SDK's behaviour through a real Go guest.
func TestGoGuest(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := newHost(t, NewConfig().WithLogger(logger).WithInstances(2).WithMemoryLimit(64<<20))
	m := load(t, h, "probe.wasm", wasmtest.BuildGo(t, probePkg), map[string]string{"version": "7"})
	if want := (actuator.Info{Name: "probe", Group: "probe", Version: "7"}); m.Info() != want {
		t.Fatalf("Info() = %+v, want %+v", m.Info(), want)
	}
	tests := []struct {
		key           string
		wantErr       string
		wantCode      wire.ErrorCode
		wantDiscarded bool
		wantStates    int
	}{
		{key: "", wantStates: 0},
		{key: "echo", wantStates: 1},
		{key: "panic", wantErr: "next_state: panic: probe: asked to panic", wantCode: wire.CodeInternal},
		{key: "error", wantErr: "probe: asked to fail", wantCode: wire.CodeInternal},
		{key: "log", wantStates: 0},
		{key: "alloc", wantErr: "trapped", wantDiscarded: true},
		{key: "echo", wantStates: 1},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			before := m.Stats()
			req := request(tc.key)
			req.State.Pods = map[string]actuator.PodState{"a": {Availability: 1, State: "Running"}}
			resp, err := m.NextState(context.Background(), req)
			after := m.Stats()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("NextState: %v", err)
				}
				if len(resp.States) != tc.wantStates {
					t.Fatalf("got %d states, want %d", len(resp.States), tc.wantStates)
				}
				if tc.wantStates == 1 && !reflect.DeepEqual(resp.States[0], req.State) {
					t.Errorf("echo = %+v, want %+v", resp.States[0], req.State)
				}
				return
			}
			var ce *CallError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("NextState error = %v, want a CallError containing %q", err, tc.wantErr)
			}
			if ce.Discarded != tc.wantDiscarded || after.Discarded-before.Discarded != map[bool]uint64{true: 1}[tc.wantDiscarded] {
				t.Errorf("discarded = %v (stats %d→%d), want %v", ce.Discarded, before.Discarded, after.Discarded, tc.wantDiscarded)
			}
			var ge *wire.GuestError
			if tc.wantCode != 0 && (!errors.As(err, &ge) || ge.Code != tc.wantCode) {
				t.Errorf("error %v does not carry guest code %v", err, tc.wantCode)
			}
		})
	}
	if !strings.Contains(logs.String(), "hello from the guest") || !strings.Contains(logs.String(), "module=probe.wasm") {
		t.Errorf("the guest's log line is missing from the host's log:\n%s", logs.String())
	}
}

func TestLoadRefusesAConfigurationTheGuestRefuses(t *testing.T) {
	h := newHost(t, NewConfig())
	_, err := h.Load(context.Background(), "probe.wasm", wasmtest.BuildGo(t, probePkg), map[string]string{"refuse": "please"})
	if !IsModuleError(err) || !strings.Contains(err.Error(), "refusing configuration please") {
		t.Fatalf("Load error = %v, want a ModuleError with the guest's reason", err)
	}
}

func TestSwapKeepsCallsInFlightOnTheOldVersion(t *testing.T) {
	h := newHost(t, NewConfig().WithInstances(2))
	probe := wasmtest.BuildGo(t, probePkg)
	m := load(t, h, "probe.wasm", probe, map[string]string{"version": "1"})
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := m.NextState(ctx, request("echo")); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for v := 2; v <= 4; v++ {
		if err := m.Swap(ctx, probe, map[string]string{"version": string(rune('0' + v))}); err != nil {
			t.Fatalf("Swap to v%d: %v", v, err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a call failed during swaps: %v", err)
	}
	if got := m.Info().Version; got != "4" {
		t.Errorf("version after swaps = %q, want 4", got)
	}
	if s := m.Stats(); s.Swaps != 3 || s.Failed != 0 {
		t.Errorf("stats = %+v, want 3 swaps and no failures", s)
	}
	// The old versions' instances are closed: only the current pool lives.
	if n := liveInstances(h); n != 2 {
		t.Errorf("%d live instances, want the current version's 2", n)
	}

	err := m.Swap(ctx, probe, map[string]string{"name": "other"})
	if !IsModuleError(err) || !strings.Contains(err.Error(), `describes actuator "other"`) {
		t.Errorf("Swap to another actuator: %v, want a ModuleError", err)
	}
	if err := m.Swap(ctx, []byte("junk"), nil); !IsModuleError(err) {
		t.Errorf("Swap to junk: %v, want a ModuleError", err)
	}
	if _, err := m.NextState(ctx, request("echo")); err != nil || m.Info().Version != "4" {
		t.Errorf("after failed swaps: %v, version %q; want the current version serving", err, m.Info().Version)
	}
}

func liveInstances(h Host) int {
	n := 0
	h.(*host).names.Range(func(any, any) bool { n++; return true })
	return n
}

func TestClose(t *testing.T) {
	h := newHost(t, NewConfig().WithInstances(1))
	m := load(t, h, "good.wasm", fixture(t, "good"), nil)
	if err := m.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := m.NextState(context.Background(), request("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("NextState after Close = %v, want ErrClosed", err)
	}
	if err := m.Close(context.Background()); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if n := liveInstances(h); n != 0 {
		t.Errorf("%d live instances after Close", n)
	}
	m2 := load(t, h, "good.wasm", fixture(t, "good"), nil)
	if err := h.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := m2.NextState(context.Background(), request("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("NextState after the host's Close = %v, want ErrClosed", err)
	}
	if _, err := h.Load(context.Background(), "good.wasm", fixture(t, "good"), nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Load after Close = %v, want ErrClosed", err)
	}
}

func TestCallerContextStopsACall(t *testing.T) {
	h := newHost(t, NewConfig().WithInstances(1).WithDeadline(NextState, time.Minute))
	m := load(t, h, "loop.wasm", fixture(t, "loop"), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := m.NextState(ctx, request("x"))
	var ce *CallError
	if !errors.As(err, &ce) || !ce.Discarded {
		t.Fatalf("NextState = %v, want a discarding CallError", err)
	}
}

func TestCompilationCache(t *testing.T) {
	dir := t.TempDir()
	wasm := wasmtest.BuildGo(t, probePkg)
	for i := range 2 {
		h := newHost(t, NewConfig().WithCacheDir(dir).WithInstances(1))
		m := load(t, h, "probe.wasm", wasm, nil)
		if _, err := m.NextState(context.Background(), request("")); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		_ = h.Close(context.Background())
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("cache dir holds %d entries (%v), want the compiled module", len(entries), err)
	}
}

func TestConcurrentCalls(t *testing.T) {
	h := newHost(t, NewConfig().WithInstances(3))
	m := load(t, h, "probe.wasm", wasmtest.BuildGo(t, probePkg), nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				key := "echo"
				if (g+i)%7 == 0 {
					key = "panic"
				}
				_, err := m.NextState(context.Background(), request(key))
				if (err != nil) != (key == "panic") {
					t.Errorf("key %s: %v", key, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if s := m.Stats(); s.Calls != 400 || s.Discarded != 0 {
		t.Errorf("stats = %+v, want 400 calls and nothing discarded", s)
	}
	runtime.GC()
}

// TestGoGuestHeapStaysBounded makes a thousand allocating calls into a Go
// guest: the SDK's periodic yields let the guest's garbage collector finish
// its cycles, so its linear memory stops growing.
func TestGoGuestHeapStaysBounded(t *testing.T) {
	h := newHost(t, NewConfig().WithInstances(1))
	m := load(t, h, "probe.wasm", wasmtest.BuildGo(t, probePkg), nil)
	req := request("echo")
	req.State.Pods = map[string]actuator.PodState{}
	for i := range 200 {
		req.State.Pods["pod-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26))] = actuator.PodState{Availability: 0.99, NodeName: "node", State: "Running", QoSClass: "Guaranteed"}
	}
	memory := func() uint32 {
		eng := m.(*module).current().eng.(*abiEngine)
		inst := <-eng.pool.slots
		defer func() { eng.pool.slots <- inst }()
		return inst.mem.Size()
	}
	for range 100 {
		if _, err := m.NextState(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	warm := memory()
	for range 1000 {
		if _, err := m.NextState(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	if after := memory(); after > warm+8<<20 {
		t.Errorf("guest memory grew from %d to %d bytes over 1000 calls", warm, after)
	}
}
