package wasmhost

import (
	"bytes"
	"compress/gzip"
	"context"
	"testing"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
	"github.com/wido-dev/wido/wasmhost/wasmtest"
)

// BenchmarkEmptyCall is the round trip of an empty NextState through the
// ABI and back, under the per-call deadline: into a minimal guest (the WAT
// fixture good.wasm: the boundary alone) and into a Go guest built with the
// SDK (the boundary plus the Go runtime's entry, decoding and allocation).
func BenchmarkEmptyCall(b *testing.B) {
	ctx := context.Background()
	h := newHost(b, NewConfig().WithInstances(1))
	minimal := load(b, h, "good.wasm", fixture(b, "good"), nil)
	b.Run("minimal guest", func(b *testing.B) {
		req := &actuator.NextStateRequest{}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := minimal.NextState(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	m := load(b, h, "probe.wasm", wasmtest.BuildGo(b, probePkg), nil)
	b.Run("Go guest", func(b *testing.B) {
		req := &actuator.NextStateRequest{}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.NextState(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Go guest, engine only", func(b *testing.B) {
		eng := m.(*module).current().eng
		req := wire.AppendNextStateRequest(nil, &actuator.NextStateRequest{})
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := eng.call(ctx, NextState, req); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCompile compiles a shipped module cold and from the cache
// directory.
func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	wasm := wasmtest.Shipped(b, "scaleout")
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			h := newHost(b, NewConfig())
			if _, err := h.(*host).rt.CompileModule(ctx, wasm); err != nil {
				b.Fatal(err)
			}
			_ = h.Close(ctx)
		}
	})
	b.Run("cached", func(b *testing.B) {
		dir := b.TempDir()
		warm := newHost(b, NewConfig().WithCacheDir(dir))
		if _, err := warm.(*host).rt.CompileModule(ctx, wasm); err != nil {
			b.Fatal(err)
		}
		_ = warm.Close(ctx)
		for b.Loop() {
			h := newHost(b, NewConfig().WithCacheDir(dir))
			if _, err := h.(*host).rt.CompileModule(ctx, wasm); err != nil {
				b.Fatal(err)
			}
			_ = h.Close(ctx)
		}
	})
}

// BenchmarkInstantiate creates one instance of a compiled shipped module:
// instantiation, _initialize (the Go runtime's start) and describe.
func BenchmarkInstantiate(b *testing.B) {
	ctx := context.Background()
	h := newHost(b, NewConfig().WithInstances(1))
	m := load(b, h, "scaleout.wasm", wasmtest.Shipped(b, "scaleout"), nil)
	eng := m.(*module).current().eng.(*abiEngine)
	for b.Loop() {
		inst, err := eng.instantiate(ctx)
		if err != nil {
			b.Fatal(err)
		}
		eng.discard(inst)
	}
}

// BenchmarkModuleSize reports the shipped modules' sizes, raw and gzipped
// (a ConfigMap holds at most 1 MiB).
func BenchmarkModuleSize(b *testing.B) {
	for _, name := range wasmtest.ShippedNames {
		b.Run(name, func(b *testing.B) {
			wasm := wasmtest.Shipped(b, name)
			var gz bytes.Buffer
			for b.Loop() {
				gz.Reset()
				zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
				_, _ = zw.Write(wasm)
				_ = zw.Close()
			}
			b.ReportMetric(float64(len(wasm))/1024, "KiB")
			b.ReportMetric(float64(gz.Len())/1024, "KiB-gzipped")
		})
	}
}
