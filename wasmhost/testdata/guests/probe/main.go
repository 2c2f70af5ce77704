// Command probe is a Go test guest of wasmhost: its NextState does what the
// request's intent key says, to exercise the host and the guest SDK.
//
//	""       an empty response (the benchmark's empty call)
//	"panic"  panics (the SDK answers an INTERNAL error envelope)
//	"error"  returns an error
//	"log"    logs "hello from the guest" at info level
//	"alloc"  allocates until the memory cap stops it
//	"echo"   returns the request's state as its one candidate
package main

import (
	"errors"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/guest"
)

var sink [][]byte

func nextState(req *actuator.NextStateRequest) (*actuator.NextStateResponse, error) {
	switch req.State.Intent.Key {
	case "panic":
		panic("probe: asked to panic")
	case "error":
		return nil, errors.New("probe: asked to fail")
	case "log":
		guest.Log(guest.LevelInfo, "hello from the guest")
	case "alloc":
		for {
			sink = append(sink, make([]byte, 1<<20))
		}
	case "echo":
		return &actuator.NextStateResponse{
			States:    []actuator.State{req.State},
			Utilities: []float64{1},
			Actions:   []actuator.Action{{Name: "probe"}},
		}, nil
	}
	return &actuator.NextStateResponse{}, nil
}

func init() {
	guest.Register(func(config map[string]string) (actuator.Interface, error) {
		if config["refuse"] != "" {
			return nil, errors.New("probe: refusing configuration " + config["refuse"])
		}
		name := config["name"]
		if name == "" {
			name = "probe"
		}
		return guest.Funcs{Name: name, Version: config["version"], NextStateFunc: nextState}, nil
	})
}

func main() {}
