package wire_test

import (
	"errors"
	"fmt"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
)

// A guest answers a call with an envelope; the host tells a result, a
// guest's error and broken bytes apart.
func ExampleDecodeEnvelope() {
	// The guest encodes its response and wraps it.
	resp := &actuator.PerformResponse{Operations: []actuator.Operation{{Kind: actuator.Scale, Replicas: 4}}}
	ok := wire.AppendResultEnvelope(nil, wire.AppendPerformResponse(nil, resp))
	failed := wire.AppendErrorEnvelope(nil, wire.CodeInvalidArgument, "perform: no plan")

	for _, env := range [][]byte{ok, failed, ok[:3]} {
		result, err := wire.DecodeEnvelope(env)
		var guestErr *wire.GuestError
		switch {
		case errors.As(err, &guestErr):
			fmt.Println("the guest says:", guestErr)
		case wire.IsMalformed(err):
			fmt.Println("broken envelope:", err)
		default:
			r, err := wire.DecodePerformResponse(result)
			if err != nil {
				fmt.Println("bad response:", err)
				continue
			}
			fmt.Println("operation:", r.Operations[0].Kind, r.Operations[0].Replicas)
		}
	}
	// Output:
	// operation: Scale 4
	// the guest says: invalid argument: perform: no plan
	// broken envelope: wire: Envelope.result: length 6 exceeds the 1 remaining bytes
}
