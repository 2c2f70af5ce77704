package wasmhost

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// The exports of wido's ABI, version 1 (abi/ABI.md).
const (
	abiVersion       = 1
	abiMarkerPrefix  = "wido_abi_v"
	exportMarker     = "wido_abi_v1"
	exportBuffer     = "wido_v1_buffer"
	exportDescribe   = "wido_v1_describe"
	exportNextState  = "wido_v1_next_state"
	exportPerform    = "wido_v1_perform"
	exportEffect     = "wido_v1_effect"
	exportMemory     = "memory"
	exportInitialize = "_initialize"
)

// callExports maps a call to its export.
var callExports = [numCalls]string{exportDescribe, exportNextState, exportPerform, exportEffect}

var (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// signature is a function type.
type signature struct{ params, results []api.ValueType }

func (s signature) String() string {
	names := func(ts []api.ValueType) string {
		out := make([]string, len(ts))
		for i, t := range ts {
			out[i] = api.ValueTypeName(t)
		}
		return "(" + strings.Join(out, ", ") + ")"
	}
	return names(s.params) + " -> " + names(s.results)
}

func signatureOf(d api.FunctionDefinition) signature {
	return signature{d.ParamTypes(), d.ResultTypes()}
}

func (s signature) equal(o signature) bool {
	return slices.Equal(s.params, o.params) && slices.Equal(s.results, o.results)
}

// abiExports lists every required function export with its signature.
var abiExports = []struct {
	name string
	sig  signature
}{
	{exportMarker, signature{}},
	{exportBuffer, signature{[]api.ValueType{i32}, []api.ValueType{i32}}},
	{exportDescribe, signature{[]api.ValueType{i32, i32}, []api.ValueType{i64}}},
	{exportNextState, signature{[]api.ValueType{i32, i32}, []api.ValueType{i64}}},
	{exportPerform, signature{[]api.ValueType{i32, i32}, []api.ValueType{i64}}},
	{exportEffect, signature{[]api.ValueType{i32, i32}, []api.ValueType{i64}}},
}

var hostLogSignature = signature{[]api.ValueType{i32, i32, i32}, nil}

// checkHeader tells "not Wasm at all" from "truncated" before the compiler
// gives a less direct message.
func checkHeader(wasm []byte) error {
	magic := []byte("\x00asm")
	switch {
	case len(wasm) == 0:
		return errors.New("empty file, not a WebAssembly module")
	case len(wasm) < 8 && bytes.HasPrefix(magic, wasm[:min(len(wasm), 4)]):
		return fmt.Errorf("truncated: %d bytes, shorter than a WebAssembly header", len(wasm))
	case !bytes.HasPrefix(wasm, magic):
		return errors.New("not a WebAssembly module (no \\0asm magic number)")
	case !bytes.Equal(wasm[4:8], []byte{1, 0, 0, 0}):
		return fmt.Errorf("WebAssembly binary version %x is not 1 (a component or a newer format?)", wasm[4:8])
	}
	return nil
}

// classify validates a compiled module's imports and exports and says which
// ABI it speaks.
func (h *host) classify(compiled wazero.CompiledModule) (Kind, error) {
	if mems := compiled.ImportedMemories(); len(mems) > 0 {
		mod, name, _ := mems[0].Import()
		return 0, fmt.Errorf("imports its memory (%s.%s); a guest must define and export its own", mod, name)
	}
	extism := false
	for _, imp := range compiled.ImportedFunctions() {
		if mod, _, _ := imp.Import(); mod == extismModule {
			extism = true
		}
	}
	if extism {
		return KindExtism, h.checkImports(compiled, true)
	}
	if err := h.checkImports(compiled, false); err != nil {
		return 0, err
	}
	return KindWido, checkABIExports(compiled)
}

// checkImports refuses an import from a module the ABI does not allow, a
// function those modules do not define, or a wrong signature.
func (h *host) checkImports(compiled wazero.CompiledModule, extism bool) error {
	for _, imp := range compiled.ImportedFunctions() {
		mod, name, _ := imp.Import()
		sig := signatureOf(imp)
		switch {
		case mod == wasiModule:
			def, ok := h.wasi[name]
			if !ok {
				return fmt.Errorf("imports %s.%s, which WASI preview 1 does not define", mod, name)
			}
			if want := signatureOf(def); !want.equal(sig) {
				return fmt.Errorf("imports %s.%s as %s; WASI defines it as %s", mod, name, sig, want)
			}
		case mod == hostModule && !extism:
			if name != hostLog {
				return fmt.Errorf("imports %s.%s; wido's host module offers only %s", mod, name, hostLog)
			}
			if !sig.equal(hostLogSignature) {
				return fmt.Errorf("imports %s.%s as %s; it is %s", mod, name, sig, hostLogSignature)
			}
		case mod == extismModule && extism:
			// Checked by the Extism runtime, which defines this module.
		default:
			allowed := wasiModule + " and " + hostModule
			if extism {
				allowed = wasiModule + " and " + extismModule
			}
			return fmt.Errorf("imports %s.%s from a module guests may not use (allowed: %s)", mod, name, allowed)
		}
	}
	return nil
}

// checkABIExports checks the marker, every export's signature and the
// memory.
func checkABIExports(compiled wazero.CompiledModule) error {
	exports := compiled.ExportedFunctions()
	if _, ok := exports[exportMarker]; !ok {
		for name := range exports {
			if v, ok := strings.CutPrefix(name, abiMarkerPrefix); ok {
				return fmt.Errorf("speaks wido ABI v%s (export %s); this host speaks v%d", v, name, abiVersion)
			}
		}
		return fmt.Errorf("has no %s export: not a wido actuator module (see abi/ABI.md), nor an Extism one", exportMarker)
	}
	for _, want := range abiExports {
		def, ok := exports[want.name]
		if !ok {
			return fmt.Errorf("lacks the export %s %s", want.name, want.sig)
		}
		if got := signatureOf(def); !got.equal(want.sig) {
			return fmt.Errorf("exports %s as %s; the ABI requires %s", want.name, got, want.sig)
		}
	}
	if def, ok := exports[exportInitialize]; ok {
		if got := signatureOf(def); !got.equal(signature{}) {
			return fmt.Errorf("exports %s as %s; the ABI requires () -> ()", exportInitialize, got)
		}
	}
	// A memory above the cap at start does not compile (the runtime's memory
	// limit), so only the export is checked here.
	if _, ok := compiled.ExportedMemories()[exportMemory]; !ok {
		return fmt.Errorf("does not export its memory as %q", exportMemory)
	}
	return nil
}
