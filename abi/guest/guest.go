package guest

import (
	"errors"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
)

// Factory builds the actuator from the configuration the host passes to
// describe (values as text, e.g. "max_pods": "64"). It is called once per
// instance, before the first request.
//
// # Errors
//
// A configuration the actuator cannot accept: unknown keys, values out of
// range. The host refuses the module with the error's message.
type Factory func(config map[string]string) (actuator.Interface, error)

// Register sets the actuator the module serves. Call it once, from an init
// function; a later call replaces the factory for instances not yet
// configured.
func Register(f Factory) {
	current.factory = f
}

// current is the module's one dispatcher. A Wasm instance runs one call at a
// time, so it needs no locking; the host never re-enters a guest.
var current dispatcher

// CallKind names an ABI call.
type CallKind int

// The calls of the ABI.
const (
	Describe CallKind = iota
	NextState
	Perform
	Effect
)

// String returns the export's short name.
func (k CallKind) String() string {
	switch k {
	case Describe:
		return "describe"
	case NextState:
		return "next_state"
	case Perform:
		return "perform"
	case Effect:
		return "effect"
	}
	return "unknown call"
}

// errNotRegistered is reported when no actuator is registered.
var errNotRegistered = errors.New("guest: no actuator registered; call guest.Register from an init function")

// dispatcher decodes a request, runs the actuator and encodes the envelope.
// The envelope it returns is valid until its next call.
type dispatcher struct {
	factory Factory
	act     actuator.Interface
	payload []byte // the encoded response, reused
	out     []byte // the envelope, reused
	in      []byte // the request buffer handed to the host

	// Calls and payload bytes since the last yield.
	calls, bytes int
}

// When an export yields to the Go scheduler before returning (yieldDue).
const (
	yieldEveryCalls = 16
	yieldEveryBytes = 64 << 10
)

// yieldDue counts a call that moved n payload bytes and reports whether the
// export must yield (runtime.Gosched) before returning: after describe,
// after every 16th call and once 64 KiB of requests and responses passed
// since the last yield (decoding and building them is what allocates). A
// Wasm guest has one thread; the garbage collector's background goroutines
// run only when the guest yields, so a guest that never yields keeps
// growing its heap. A yield costs about 5 µs in a Go guest, more than the
// rest of an empty call, so it is amortised; abi/RATIONALE.md has the
// numbers.
func (d *dispatcher) yieldDue(kind CallKind, n int) bool {
	d.calls++
	d.bytes += n
	if kind == Describe || d.calls >= yieldEveryCalls || d.bytes >= yieldEveryBytes {
		d.calls, d.bytes = 0, 0
		return true
	}
	return false
}

// buffer returns a buffer of at least size bytes for the host's request.
func (d *dispatcher) buffer(size int) []byte {
	if cap(d.in) < size || len(d.in) == 0 {
		n := max(size, 256)
		d.in = make([]byte, n)
	}
	return d.in[:cap(d.in)]
}

// call handles one request and returns the envelope. A panic in the
// actuator (or in decoding) becomes an INTERNAL error envelope.
func (d *dispatcher) call(kind CallKind, req []byte) (env []byte) {
	defer func() {
		if r := recover(); r != nil {
			env = d.fail(wire.CodeInternal, kind.String()+": panic: "+panicText(r))
		}
	}()
	if kind == Describe {
		return d.describe(req)
	}
	if d.act == nil {
		// A host that skipped describe gets the default configuration.
		if env := d.configure(nil); env != nil {
			return env
		}
	}
	d.payload = d.payload[:0]
	var err error
	var bad bool // err is the request's fault
	switch kind {
	case NextState:
		var r *actuator.NextStateRequest
		if r, err = wire.DecodeNextStateRequest(req); err != nil {
			bad = true
			break
		}
		var resp *actuator.NextStateResponse
		if resp, err = d.act.NextState(r); err == nil {
			if resp == nil {
				resp = &actuator.NextStateResponse{}
			}
			d.payload = wire.AppendNextStateResponse(d.payload, resp)
		}
	case Perform:
		var r *actuator.PerformRequest
		if r, err = wire.DecodePerformRequest(req); err != nil {
			bad = true
			break
		}
		var resp *actuator.PerformResponse
		if resp, err = d.act.Perform(r); err == nil {
			if resp == nil {
				resp = &actuator.PerformResponse{}
			}
			d.payload = wire.AppendPerformResponse(d.payload, resp)
		}
	case Effect:
		var r *actuator.EffectRequest
		if r, err = wire.DecodeEffectRequest(req); err != nil {
			bad = true
			break
		}
		var resp *actuator.EffectResponse
		if resp, err = d.act.Effect(r); err == nil {
			if resp == nil {
				resp = &actuator.EffectResponse{}
			}
			d.payload = wire.AppendEffectResponse(d.payload, resp)
		}
	default:
		return d.fail(wire.CodeUnimplemented, kind.String()+": not a call of this ABI")
	}
	if err != nil {
		code := wire.CodeInternal
		if bad {
			code = wire.CodeInvalidArgument
		}
		return d.fail(code, kind.String()+": "+err.Error())
	}
	d.out = wire.AppendResultEnvelope(d.out[:0], d.payload)
	return d.out
}

// describe configures the actuator and returns its info.
func (d *dispatcher) describe(req []byte) []byte {
	config, err := wire.DecodeDescribeRequest(req)
	if err != nil {
		return d.fail(wire.CodeInvalidArgument, "describe: "+err.Error())
	}
	if env := d.configure(config); env != nil {
		return env
	}
	d.payload = wire.AppendInfo(d.payload[:0], d.act.Info())
	d.out = wire.AppendResultEnvelope(d.out[:0], d.payload)
	return d.out
}

// configure builds the actuator; it returns an error envelope on failure.
func (d *dispatcher) configure(config map[string]string) []byte {
	if d.factory == nil {
		return d.fail(wire.CodeUnimplemented, errNotRegistered.Error())
	}
	act, err := d.factory(config)
	if err == nil && act == nil {
		err = errors.New("the factory returned no actuator")
	}
	if err != nil {
		d.act = nil
		return d.fail(wire.CodeInvalidArgument, "configuration: "+err.Error())
	}
	d.act = act
	return nil
}

func (d *dispatcher) fail(code wire.ErrorCode, msg string) []byte {
	d.out = wire.AppendErrorEnvelope(d.out[:0], code, msg)
	return d.out
}

// panicText describes a recovered value without fmt.
func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	case interface{ String() string }:
		return v.String()
	}
	return "a value of a type without a message"
}
