// Package plugins holds the actuators wido ships: scaleOut (plugins/scaleout),
// rmPod (plugins/rmpod) and scaleCPU (plugins/scalecpu).
//
// Each is plain Go logic implementing actuator.Interface from abi/actuator,
// and imports nothing of wido but abi/: the same source runs in-process (the
// planner wraps it with planner.Native) and, built with the guest SDK, as a
// WebAssembly module. Keep fmt, encoding/json and reflect out of this tree;
// they would bloat the modules past what fits in a ConfigMap.
package plugins
