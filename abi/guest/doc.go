// Package guest is the Go SDK for wido's Wasm actuators: it implements the
// guest side of the ABI in abi/ABI.md, so an actuator author writes the
// actuator's logic and registers it, and gets a module:
//
//	package main
//
//	import (
//		"github.com/wido-dev/wido/abi/actuator"
//		"github.com/wido-dev/wido/abi/guest"
//	)
//
//	func init() {
//		guest.Register(func(config map[string]string) (actuator.Interface, error) {
//			return guest.Funcs{Name: "myActuator", NextStateFunc: nextState,
//				PerformFunc: perform, EffectFunc: effect}, nil
//		})
//	}
//
//	func main() {} // required by Go; a reactor module never runs it
//
// Build it with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -ldflags='-s -w' -o my.wasm .
//
// The SDK exports wido_abi_v1, wido_v1_buffer and the four calls, decodes
// requests and encodes responses with the small codec of abi/wire (not the
// protobuf-go runtime, so modules stay small enough for a ConfigMap), turns
// a returned error into an INVALID_ARGUMENT or INTERNAL error envelope and a
// panic into an INTERNAL one, and yields to the Go scheduler
// (runtime.Gosched) before an export returns often enough for the garbage
// collector's goroutines to run: after every 16th call and after every
// 64 KiB of payload (see yieldDue).
//
// Register must be called from an init function: with -buildmode=c-shared
// the host runs package initialisation through _initialize and never calls
// main. Keep guest code free of fmt, encoding/json and reflect; each adds
// hundreds of KiB to the module.
//
// Outside GOOS=wasip1 the exports are not built; the dispatch logic is, so it
// is tested natively.
package guest
