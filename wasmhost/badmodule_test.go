package wasmhost

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wido-dev/wido/abi/wire"
	"github.com/wido-dev/wido/wasmhost/wasmtest"
)

// TestBadModules feeds the host every kind of broken module (the WAT
// fixtures in testdata) and checks each gets a clear error or a discarded
// instance, while a good module loaded in the same host keeps serving and
// nothing leaks.
func TestBadModules(t *testing.T) {
	const deadline = 200 * time.Millisecond
	cfg := NewConfig().WithInstances(2).
		WithDeadline(Describe, deadline).
		WithDeadline(NextState, deadline).
		WithMemoryLimit(128 << 20)
	h := newHost(t, cfg)
	ctx := context.Background()
	good := load(t, h, "probe.wasm", wasmtest.BuildGo(t, probePkg), nil)
	goodWasm := fixture(t, "good")

	refused := []struct {
		name string
		wasm []byte
		want string
	}{
		{"not Wasm at all", []byte("#!/bin/sh\necho hello\n"), "not a WebAssembly module"},
		{"empty file", nil, "empty file"},
		{"truncated header", goodWasm[:5], "truncated"},
		{"truncated body", goodWasm[:len(goodWasm)/2], "does not compile"},
		{"a component, not a module", []byte("\x00asm\x0d\x00\x01\x00"), "binary version 0d000100 is not 1"},
		{"no ABI marker", fixture(t, "nomarker"), "has no wido_abi_v1 export"},
		{"wrong ABI version", fixture(t, "abiv2"), "speaks wido ABI v2 (export wido_abi_v2); this host speaks v1"},
		{"export with the wrong signature", fixture(t, "badsig"), "exports wido_v1_next_state as (i32, i32) -> (i32); the ABI requires (i32, i32) -> (i64)"},
		{"import from an unknown module", fixture(t, "importenv"), "imports env.socket_connect from a module guests may not use"},
		{"import WASI does not define", fixture(t, "importwasi"), "imports wasi_snapshot_preview1.sock_open, which WASI preview 1 does not define"},
		{"memory above the cap at start", fixture(t, "bigmemory"), "does not compile: section memory: min 4096 pages (256 Mi) over limit of 2048 pages (128 Mi)"},
		{"describe never returns", fixture(t, "describeloop"), "describe failed: wido_v1_describe did not return within its deadline of 200ms"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := h.Load(ctx, tc.name, tc.wasm, nil)
			if !IsModuleError(err) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load error = %v\nwant a ModuleError containing %q", err, tc.want)
			}
			if elapsed := time.Since(start); elapsed > 10*deadline+5*time.Second {
				t.Errorf("refusing took %v", elapsed)
			}
			expectServing(t, good)
		})
	}

	failing := []struct {
		name      string
		fixture   string
		want      string
		discarded bool
	}{
		{"loops forever", "loop", "did not return within its deadline of 200ms", true},
		{"allocates past the memory cap", "grow", "wido_v1_next_state trapped", true},
		{"traps (panic)", "trap", "wido_v1_next_state trapped", true},
		{"pointer outside its memory", "outofbounds", "lies outside the guest's memory", true},
		{"garbage bytes", "garbage", "malformed envelope", true},
		{"a 100 MiB response", "huge", "response of 104857600 bytes exceeds the cap of 16777216", true},
		{"a guest-reported error", "guesterror", "internal: boom", false},
	}
	for _, tc := range failing {
		t.Run(tc.name, func(t *testing.T) {
			m := load(t, h, tc.fixture+".wasm", fixture(t, tc.fixture), nil)
			defer m.Close(ctx)
			for i := range 3 { // the module stays usable: each call gets a (new) instance
				_, err := m.NextState(ctx, request("x"))
				var ce *CallError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("call %d: error = %v\nwant a CallError containing %q", i, err, tc.want)
				}
				if ce.Discarded != tc.discarded {
					t.Errorf("call %d: discarded = %v, want %v", i, ce.Discarded, tc.discarded)
				}
			}
			if s := m.Stats(); s.Discarded != map[bool]uint64{true: 3}[tc.discarded] || s.Failed != 3 {
				t.Errorf("stats = %+v", s)
			}
			var ge *wire.GuestError
			if _, err := m.NextState(ctx, request("x")); !tc.discarded && !errors.As(err, &ge) {
				t.Errorf("guest error not typed: %v", err)
			}
			expectServing(t, good)
		})
	}

	t.Run("1000 calls afterwards succeed and memory does not grow", func(t *testing.T) {
		for range 100 {
			expectServing(t, good)
		}
		before := heapInUse()
		for range 1000 {
			expectServing(t, good)
		}
		after := heapInUse()
		if after > before+8<<20 {
			t.Errorf("host heap grew from %d to %d bytes over 1000 calls", before, after)
		}
		if s := good.Stats(); s.Discarded != 0 || s.Failed != 0 {
			t.Errorf("good module stats = %+v, want no failures", s)
		}
		// Only the good module's instances are alive; every bad module's
		// instances were closed.
		if n := liveInstances(h); n != 2 {
			t.Errorf("%d live instances, want the good module's 2", n)
		}
	})
}

func expectServing(t *testing.T, m Module) {
	t.Helper()
	resp, err := m.NextState(context.Background(), request("echo"))
	if err != nil || len(resp.States) != 1 {
		t.Fatalf("the good module stopped serving: %+v, %v", resp, err)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}
