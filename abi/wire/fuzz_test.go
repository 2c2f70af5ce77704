package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/pluginpb"
	"github.com/wido-dev/wido/abi/wire"
)

// fuzzDecode checks, for arbitrary bytes, that this package and protobuf-go
// plus pluginpb agree:
//
//   - one accepts exactly what the other accepts, and a refusal is a
//     *wire.DecodeError;
//   - both decode to equal values (NaN-aware);
//   - re-encoding the value writes protobuf-go's deterministic marshal of it,
//     and decoding that gives the value again (up to empty maps, which the
//     wire does not carry), a fixed point from then on.
//
// Decoding never panics: the fuzzer reports a panic as a failure.
func fuzzDecode[T any, M proto.Message](f *testing.F, c codec[T, M], seeds ...T) {
	for _, s := range seeds {
		f.Add(c.encode(nil, s))
		b, err := c.marshal(s, false)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := c.decode(data)
		want, pbErr := c.unmarshal(data)
		if (err == nil) != (pbErr == nil) {
			t.Fatalf("wire: %v; protobuf-go and pluginpb: %v", err, pbErr)
		}
		if err != nil {
			var de *wire.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err is a %T, want a *wire.DecodeError", err)
			}
			return
		}
		if !equal(got, want) {
			t.Fatalf("wire decoded\n %#v\nprotobuf-go and pluginpb\n %#v", got, want)
		}

		encoded := c.encode(nil, got)
		pbEncoded, err := c.marshal(got, true)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(encoded, pbEncoded) {
			t.Fatalf("re-encoding differs from protobuf-go's:\n %x\n %x", encoded, pbEncoded)
		}
		again, err := c.decode(encoded)
		if err != nil {
			t.Fatalf("cannot decode the re-encoded value: %v", err)
		}
		if !equalOnTheWire(again, got) {
			t.Fatalf("re-encoding changed the value:\n %#v\n %#v", again, got)
		}
		if !bytes.Equal(c.encode(nil, again), encoded) {
			t.Fatal("a second re-encoding differs from the first")
		}
	})
}

// Small seeds reach more branches than mutations of the golden fixtures,
// most of which break the framing near the start.

func smallState() actuator.State {
	return actuator.State{
		Intent:      actuator.Intent{Key: "k", Objectives: map[string]float64{"p": 1}},
		Pods:        map[string]actuator.PodState{"p": {State: "R"}},
		Resources:   map[string]int64{"r": 1},
		Annotations: map[string]string{"a": "b"},
		Data:        map[string]map[string]float64{"d": {"x": 1}},
	}
}

func FuzzDecodeNextStateRequest(f *testing.F) {
	f.Add(cat(sub(nsrState, sub(stIntent, str(inKey, "k")), group(9, varint(1, 1))), sub(nsrProfiles, str(key, "p"), sub(value, varint(2, 42)))))
	fuzzDecode(f, nextStateRequestCodec, goldenNextStateRequest(), &actuator.NextStateRequest{},
		&actuator.NextStateRequest{State: smallState()},
		&actuator.NextStateRequest{Profiles: map[string]actuator.Profile{"p": {Type: actuator.Latency, Minimize: true}}},
		&actuator.NextStateRequest{Models: actuator.Models{"m": {"x": {1, 2}}}})
}

func FuzzDecodeNextStateResponse(f *testing.F) {
	f.Add(cat(double(2, 1), packed(2, 2, 3)))
	fuzzDecode(f, nextStateResponseCodec, goldenNextStateResponse(),
		&actuator.NextStateResponse{States: []actuator.State{smallState()}, Utilities: []float64{1}, Actions: goldenActions()[:2]})
}

func FuzzDecodePerformRequest(f *testing.F) {
	fuzzDecode(f, performRequestCodec, goldenPerformRequest(), &actuator.PerformRequest{Plan: goldenActions()[1:2]})
}

func FuzzDecodePerformResponse(f *testing.F) {
	fuzzDecode(f, performResponseCodec, goldenPerformResponse())
}

func FuzzDecodeEffectRequest(f *testing.F) {
	fuzzDecode(f, effectRequestCodec, goldenEffectRequest(),
		&actuator.EffectRequest{Observations: []actuator.Observation{{Time: 1, State: smallState(), Actions: goldenActions()[:1]}}})
}

func FuzzDecodeEffectResponse(f *testing.F) {
	fuzzDecode(f, effectResponseCodec, goldenEffectResponse(), &actuator.EffectResponse{Models: actuator.Models{"m": {"x": {1}}}})
}

func FuzzDecodeDescribeRequest(f *testing.F) {
	fuzzDecode(f, describeRequestCodec, goldenConfig(), map[string]string{"k": "v"})
}

func FuzzDecodeInfo(f *testing.F) {
	fuzzDecode(f, infoCodec, goldenInfo())
}

// FuzzDecodeEnvelope checks that DecodeEnvelope agrees with protobuf-go: a
// result where it finds a result (the same bytes), a *GuestError where it
// finds an error (the same code and message), and a malformed error where
// it refuses the bytes or finds neither.
func FuzzDecodeEnvelope(f *testing.F) {
	f.Add(wire.AppendResultEnvelope(nil, wire.AppendNextStateResponse(nil, goldenNextStateResponse())))
	f.Add(wire.AppendResultEnvelope(nil, nil))
	f.Add(wire.AppendErrorEnvelope(nil, wire.CodeInternal, "next_state: panic: boom"))
	f.Add(wire.AppendErrorEnvelope(nil, wire.CodeUnspecified, ""))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		result, err := wire.DecodeEnvelope(data)
		var pb pluginpb.Envelope
		pbErr := proto.Unmarshal(data, &pb)
		var ge *wire.GuestError
		var reencoded []byte
		switch outcome := pb.GetOutcome().(type) {
		case *pluginpb.Envelope_Result:
			if pbErr != nil {
				break
			}
			if err != nil || result == nil || !bytes.Equal(result, outcome.Result) {
				t.Fatalf("DecodeEnvelope = %x, %v; protobuf-go finds the result %x", result, err, outcome.Result)
			}
			reencoded = wire.AppendResultEnvelope(nil, result)
		case *pluginpb.Envelope_Error:
			if pbErr != nil {
				break
			}
			if !errors.As(err, &ge) || wire.IsMalformed(err) || ge.Code != wire.ErrorCode(outcome.Error.GetCode()) || ge.Message != outcome.Error.GetMessage() {
				t.Fatalf("DecodeEnvelope = %x, %#v; protobuf-go finds the error %v", result, err, outcome.Error)
			}
			reencoded = wire.AppendErrorEnvelope(nil, ge.Code, ge.Message)
		}
		if reencoded == nil {
			// protobuf-go refused the bytes or found no outcome.
			if !wire.IsMalformed(err) || errors.As(err, &ge) || result != nil {
				t.Fatalf("DecodeEnvelope = %x, %v; want a malformed envelope (protobuf-go: %v, %v)", result, err, pbErr, &pb)
			}
			return
		}
		// The re-encoding is protobuf-go's, but for unknown fields, which it
		// drops.
		pb.ProtoReflect().SetUnknown(nil)
		if e := pb.GetError(); e != nil {
			e.ProtoReflect().SetUnknown(nil)
		}
		want, mErr := proto.MarshalOptions{Deterministic: true}.Marshal(&pb)
		if mErr != nil {
			t.Fatal(mErr)
		}
		if !bytes.Equal(reencoded, want) {
			t.Fatalf("re-encoding is %x, protobuf-go's %x", reencoded, want)
		}
		r2, err2 := wire.DecodeEnvelope(reencoded)
		if !bytes.Equal(r2, result) || (err2 == nil) != (err == nil) || (ge != nil && err2.Error() != ge.Error()) {
			t.Fatalf("decoding the re-encoding gives %x, %v; first %x, %v", r2, err2, result, err)
		}
	})
}
