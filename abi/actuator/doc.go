// Package actuator is the Go form of the contract between wido and an
// actuator: the state model (State, Intent, Profile, PodState), actions and
// declarative operations, the request and response of each call, and the
// comparison semantics that both the planner and actuators rely on
// (IsBetter, Distance, Meets).
//
// An actuator's logic implements Interface. The same implementation runs
// in-process (the planner wraps it with planner.Native) and, compiled with the
// guest SDK, as a WebAssembly module.
//
// # Notes
//
//   - This package must stay cheap to link into a wasip1 guest: it imports
//     only maps and math. Do not add fmt, encoding/json or
//     reflect.
//   - All functions are pure and goroutine-safe; values passed in are never
//     modified.
package actuator
