// Command extismguest is a test guest of wasmhost built with the Extism Go
// PDK (github.com/extism/go-pdk) and standard Go:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o extismguest.wasm .
//
// It is the actuator "extismScale", speaking wasmhost's Extism convention
// (abi/ABI.md, "Extism modules"): each export takes the request message of
// its call (protobuf, as abi/wire encodes it) as Extism input and outputs the
// response message; errors go through pdk.SetError and a return code of 1.
//
// NextState proposes one more pod: a new pod "extism-new" (or
// "extism-new-<n>" when taken), every latency objective scaled by n/(n+1)
// for n pods, utility 1, action extismScale{replicas: 1}. With no pods it
// proposes nothing, and none either once the configured maxPods is reached.
// What it does also depends on the intent key:
//
//	""       an empty response (the benchmark's empty call)
//	"panic"  reports an error with pdk.SetError
//	"code"   returns 1 without setting an error
//	"loop"   loops forever
//	"exit"   exits with code 3 (proc_exit)
//	"exit0"  exits with code 0 (proc_exit)
//	"alloc"  allocates until the memory cap stops it
//	"big"    outputs 8 KiB of zeros
//	"http"   makes an HTTP request (the host allows none)
//	"var"    sets an Extism variable (the host allows none)
//	"config" answers an error if Extism's config has a value for "maxPods"
//
// Perform returns a Scale operation to len(pods)+1 replicas; Effect an empty
// response. describe names the actuator and accepts only the configuration
// key "maxPods" (an integer).
package main

import (
	"errors"
	"os"
	"strconv"

	"github.com/extism/go-pdk"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
)

const name = "extismScale"

// maxPods is set by describe; 0 means no limit.
var maxPods int

var sink [][]byte

//go:wasmexport describe
func describe() int32 {
	return run(func(in []byte) ([]byte, error) {
		config, err := wire.DecodeDescribeRequest(in)
		if err != nil {
			return nil, err
		}
		for k, v := range config {
			if k != "maxPods" {
				return nil, errors.New(name + ": unknown configuration key " + strconv.Quote(k))
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return nil, errors.New(name + ": maxPods " + strconv.Quote(v) + " is not a positive integer")
			}
			maxPods = n
		}
		return wire.AppendInfo(nil, actuator.Info{Name: name, Group: name, Version: "0.1.0"}), nil
	})
}

//go:wasmexport next_state
func nextState() int32 {
	in := pdk.Input()
	req, err := wire.DecodeNextStateRequest(in)
	if err != nil {
		pdk.SetError(err)
		return 1
	}
	switch req.State.Intent.Key {
	case "":
		pdk.Output(nil)
		return 0
	case "panic":
		pdk.SetErrorString(name + ": asked to fail")
		return 1
	case "code":
		return 1
	case "loop":
		for {
		}
	case "exit":
		os.Exit(3)
	case "exit0":
		os.Exit(0)
	case "alloc":
		for {
			sink = append(sink, make([]byte, 1<<20))
		}
	case "big":
		pdk.Output(make([]byte, 8<<10))
		return 0
	case "http":
		resp := pdk.NewHTTPRequest(pdk.MethodGet, "http://example.com/").Send()
		pdk.Output(resp.Body())
		return 0
	case "var":
		pdk.SetVar("state", []byte("kept between calls"))
		pdk.Output(nil)
		return 0
	case "config":
		if v, ok := pdk.GetConfig("maxPods"); ok {
			pdk.SetErrorString(name + ": Extism config maxPods=" + v)
			return 1
		}
		pdk.Output(nil)
		return 0
	}
	pdk.Output(wire.AppendNextStateResponse(nil, scale(req)))
	return 0
}

// scale proposes the state with one more pod.
func scale(req *actuator.NextStateRequest) *actuator.NextStateResponse {
	n := len(req.State.Pods)
	if n == 0 || (maxPods > 0 && n >= maxPods) {
		return &actuator.NextStateResponse{}
	}
	next := req.State.DeepCopy()
	if next.Pods == nil {
		next.Pods = map[string]actuator.PodState{}
	}
	pod := "extism-new"
	for i := 2; ; i++ {
		if _, taken := next.Pods[pod]; !taken {
			break
		}
		pod = "extism-new-" + strconv.Itoa(i)
	}
	next.Pods[pod] = actuator.PodState{Availability: 1, State: "Running"}
	for k, v := range next.Intent.Objectives {
		if req.Profiles[k].Type == actuator.Latency {
			next.Intent.Objectives[k] = v * float64(n) / float64(n+1)
		}
	}
	return &actuator.NextStateResponse{
		States:    []actuator.State{next},
		Utilities: []float64{1},
		Actions:   []actuator.Action{{Name: name, Properties: actuator.Properties{Int: map[string]int64{"replicas": 1}}}},
	}
}

//go:wasmexport perform
func perform() int32 {
	return run(func(in []byte) ([]byte, error) {
		req, err := wire.DecodePerformRequest(in)
		if err != nil {
			return nil, err
		}
		return wire.AppendPerformResponse(nil, &actuator.PerformResponse{
			Operations: []actuator.Operation{{Kind: actuator.Scale, Replicas: int64(len(req.State.Pods) + 1)}},
		}), nil
	})
}

//go:wasmexport effect
func effect() int32 {
	return run(func(in []byte) ([]byte, error) {
		if _, err := wire.DecodeEffectRequest(in); err != nil {
			return nil, err
		}
		return wire.AppendEffectResponse(nil, &actuator.EffectResponse{}), nil
	})
}

// run reads the input, calls f and outputs its answer or sets its error.
func run(f func(in []byte) ([]byte, error)) int32 {
	out, err := f(pdk.Input())
	if err != nil {
		pdk.SetError(err)
		return 1
	}
	pdk.Output(out)
	return 0
}

func main() {}
