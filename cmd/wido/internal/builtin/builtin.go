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

// New builds the shipped actuator name with config (a JSON object; empty or
// null keeps the defaults), in-process.
//
// # Errors
//
// An unknown name, a config that is not an object of the actuator's fields,
// or values the actuator refuses.
func New(name string, config []byte) (planner.Actuator, error) {
	var logic actuator.Interface
	var err error
	switch name {
	case scaleout.Name:
		cfg := scaleout.DefaultConfig()
		if err = decode(config, &cfg); err == nil {
			logic, err = scaleout.New(cfg)
		}
	case rmpod.Name:
		cfg := rmpod.DefaultConfig()
		if err = decode(config, &cfg); err == nil {
			logic, err = rmpod.New(cfg)
		}
	case scalecpu.Name:
		cfg := scalecpu.DefaultConfig()
		if err = decode(config, &cfg); err == nil {
			logic, err = scalecpu.New(cfg)
		}
	default:
		return nil, fmt.Errorf("unknown actuator %q (shipped: %s)", name, strings.Join(Names(), ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("actuator %s: %w", name, err)
	}
	return planner.Native(logic), nil
}

func decode(b []byte, into any) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}
