// Package builtin builds the actuators wido ships, by name, from a JSON
// configuration: scaleOut, rmPod and scaleCPU, run in-process.
package builtin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/planner"
	"github.com/wido-dev/wido/plugins/rmpod"
	"github.com/wido-dev/wido/plugins/scalecpu"
	"github.com/wido-dev/wido/plugins/scaleout"
)

// Names returns the names of the shipped actuators, sorted.
func Names() []string {
	return []string{rmpod.Name, scalecpu.Name, scaleout.Name}
}

// Shipped reports whether name is an actuator wido ships.
func Shipped(name string) bool {
	_, ok := factories[name]
	return ok
}

// New builds the shipped actuator name with config (a JSON object; empty or
// null keeps the defaults), in-process.
//
// # Errors
//
// An unknown name, a config that is not an object of scalar values, or
// keys and values the actuator refuses.
func New(name string, config []byte) (planner.Actuator, error) {
	build, ok := factories[name]
	if !ok {
		return nil, fmt.Errorf("unknown actuator %q (shipped: %s)", name, strings.Join(Names(), ", "))
	}
	settings, err := ConfigMap(config)
	if err != nil {
		return nil, fmt.Errorf("actuator %s: %w", name, err)
	}
	logic, err := build(settings)
	if err != nil {
		return nil, fmt.Errorf("actuator %s: %w", name, err)
	}
	return planner.Native(logic), nil
}

var factories = map[string]func(map[string]string) (actuator.Interface, error){
	scaleout.Name: scaleout.Build,
	rmpod.Name:    rmpod.Build,
	scalecpu.Name: scalecpu.Build,
}

// ConfigMap turns an actuator's JSON configuration into the text values an
// actuator takes (what a Wasm actuator's describe receives): strings as
// they are, numbers as written, booleans as "true"/"false"; null values are
// left out. Empty or null config gives nil.
//
// # Errors
//
// A config that is not a JSON object, or a value that is an object or an
// array.
func ConfigMap(config []byte) (map[string]string, error) {
	config = bytes.TrimSpace(config)
	if len(config) == 0 || bytes.Equal(config, []byte("null")) {
		return nil, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(config, &fields); err != nil {
		return nil, fmt.Errorf("config: must be a JSON object: %w", err)
	}
	out := make(map[string]string, len(fields))
	for k, raw := range fields {
		raw = bytes.TrimSpace(raw)
		switch {
		case bytes.Equal(raw, []byte("null")):
		case raw[0] == '"':
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, fmt.Errorf("config: %s: %w", k, err)
			}
			out[k] = s
		case raw[0] == '{' || raw[0] == '[':
			return nil, fmt.Errorf("config: %s: must be a number, a string or a boolean", k)
		default:
			out[k] = string(raw)
		}
	}
	return out, nil
}
