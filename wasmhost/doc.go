// Package wasmhost runs actuators that are WebAssembly modules: it owns the
// wazero runtime, module validation against wido's ABI (abi/ABI.md), the
// compilation cache, instance pools, limits and hot swap, and adapts a
// module to planner.Actuator. Modules built with an Extism PDK are
// recognised and run through the Extism runtime with the same limits.
//
// A Host compiles and validates modules; Load returns a Module, which is a
// planner.Actuator whose code can be replaced while it serves (Swap). Guests
// get no files, no network, no environment and deterministic clocks; every
// call runs under a deadline with the instance closed when it passes, and
// any trap, timeout or malformed answer discards that instance while the
// module keeps serving.
//
// It imports planner and abi, never the operator.
package wasmhost
