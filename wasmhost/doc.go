// Package wasmhost runs actuators that are WebAssembly modules: it owns the
// wazero runtime, module validation against wido's ABI, the compilation
// cache, instance pools, limits and hot swap, and adapts a module to
// planner.Actuator. It imports planner and abi, never the operator.
//
// The package is being built; see the project's open issues.
package wasmhost
