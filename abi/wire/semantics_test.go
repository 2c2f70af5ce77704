package wire_test

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/pluginpb"
	"github.com/wido-dev/wido/abi/wire"
)

// Builders for hand-made wire bytes.

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func tag(num protowire.Number, typ protowire.Type) []byte { return protowire.AppendTag(nil, num, typ) }

func str(num protowire.Number, s string) []byte {
	return protowire.AppendString(tag(num, protowire.BytesType), s)
}

func sub(num protowire.Number, parts ...[]byte) []byte {
	return protowire.AppendBytes(tag(num, protowire.BytesType), cat(parts...))
}

func varint(num protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(tag(num, protowire.VarintType), v)
}

func double(num protowire.Number, v float64) []byte {
	return protowire.AppendFixed64(tag(num, protowire.Fixed64Type), math.Float64bits(v))
}

func fixed32(num protowire.Number, v uint32) []byte {
	return protowire.AppendFixed32(tag(num, protowire.Fixed32Type), v)
}

func group(num protowire.Number, parts ...[]byte) []byte {
	return cat(tag(num, protowire.StartGroupType), cat(parts...), tag(num, protowire.EndGroupType))
}

// nested returns depth groups numbered num nested in one another.
func nested(num protowire.Number, depth int) []byte {
	var open, closing []byte
	for range depth {
		open = append(open, tag(num, protowire.StartGroupType)...)
		closing = append(closing, tag(num, protowire.EndGroupType)...)
	}
	return append(open, closing...)
}

func packed(num protowire.Number, vs ...float64) []byte {
	var b []byte
	for _, v := range vs {
		b = protowire.AppendFixed64(b, math.Float64bits(v))
	}
	return protowire.AppendBytes(tag(num, protowire.BytesType), b)
}

// same checks that both codecs decode b to want.
func same[T any, M proto.Message](t *testing.T, c codec[T, M], b []byte, want T) {
	t.Helper()
	got, err := c.decode(b)
	if err != nil {
		t.Fatalf("wire: %v", err)
	}
	if !equal(got, want) {
		t.Errorf("wire decoded\n %#v\nwant %#v", got, want)
	}
	pb, err := c.unmarshal(b)
	if err != nil {
		t.Fatalf("protobuf-go: %v", err)
	}
	if !equal(pb, want) {
		t.Errorf("protobuf-go decoded\n %#v\nwant %#v", pb, want)
	}
}

// refused checks that both codecs refuse b, and that this package says so
// with the error message want.
func refused[T any, M proto.Message](t *testing.T, c codec[T, M], b []byte, want string) {
	t.Helper()
	_, err := c.decode(b)
	if err == nil || err.Error() != want {
		t.Errorf("wire: err = %v, want %s", err, want)
	}
	if !wire.IsMalformed(err) {
		t.Errorf("IsMalformed(%v) = false", err)
	}
	var de *wire.DecodeError
	if !errors.As(err, &de) {
		t.Errorf("err is a %T, want a *wire.DecodeError", err)
	}
	if _, err := c.unmarshal(b); err == nil {
		t.Error("protobuf-go accepts what wire refuses")
	}
}

// Field numbers, so that the cases read like the schema.
const (
	nsrState, nsrGoal, nsrProfiles                       = 1, 2, 3
	stIntent, stPods, stData, stResources, stAnnotations = 1, 2, 3, 4, 5
	inKey, inPriority, inObjectives                      = 1, 2, 5
	key, value                                           = 1, 2 // of a map entry
)

// TestDecodeSemantics is the specification of what decoding accepts, each
// case checked against protobuf-go plus pluginpb's conversions.
func TestDecodeSemantics(t *testing.T) {
	intentKey := func(k string) *actuator.NextStateRequest {
		return &actuator.NextStateRequest{State: actuator.State{Intent: actuator.Intent{Key: k}}}
	}
	tests := []struct {
		name string
		test func(t *testing.T)
	}{
		{"empty input is the zero message", func(t *testing.T) {
			same(t, nextStateRequestCodec, nil, &actuator.NextStateRequest{})
			same(t, nextStateResponseCodec, nil, &actuator.NextStateResponse{})
			same(t, describeRequestCodec, nil, nil)
		}},
		{"unknown fields of every wire type are skipped", func(t *testing.T) {
			unknown := cat(varint(9, 7), double(10, 1), fixed32(11, 2), str(12, "x"),
				group(13, varint(1, 1), group(2, str(3, "y")), varint(math.MaxInt32, 1)), group(protowire.MaxValidNumber))
			b := cat(unknown, sub(nsrState, unknown, sub(stIntent, unknown, str(inKey, "k"), unknown),
				sub(stAnnotations, unknown, str(key, "a"), unknown, str(value, "b"), unknown)))
			want := intentKey("k")
			want.State.Annotations = map[string]string{"a": "b"}
			same(t, nextStateRequestCodec, b, want)
		}},
		{"a known field of the wrong wire type is skipped as unknown", func(t *testing.T) {
			b := cat(varint(nsrState, 1), sub(nsrGoal, sub(stIntent, varint(inKey, 1), varint(inPriority, 1))))
			same(t, nextStateRequestCodec, b, &actuator.NextStateRequest{})
			same(t, nextStateResponseCodec, cat(varint(1, 1), varint(2, 1), fixed32(3, 1)), &actuator.NextStateResponse{})
			same(t, performResponseCodec, sub(1, str(1, "SCALE"), varint(1, 1), str(2, "4")), &actuator.PerformResponse{Operations: []actuator.Operation{{Kind: actuator.Scale}}})
		}},
		{"a map field of the wrong wire type is skipped, but leaves an empty map", func(t *testing.T) {
			// protobuf-go makes the map before it looks at the wire type,
			// and pluginpb's conversions keep the empty map.
			b := cat(varint(nsrProfiles, 1), sub(nsrState, sub(stIntent, fixed32(inObjectives, 3)), group(stAnnotations), sub(stData, str(key, "d"), sub(value, varint(1, 0)))))
			same(t, nextStateRequestCodec, b, &actuator.NextStateRequest{
				State: actuator.State{
					Intent:      actuator.Intent{Objectives: map[string]float64{}},
					Annotations: map[string]string{},
					Data:        map[string]map[string]float64{"d": {}},
				},
				Profiles: map[string]actuator.Profile{},
			})
			same(t, describeRequestCodec, varint(1, 0), map[string]string{})
			same(t, effectResponseCodec, cat(double(1, 0), sub(1, str(key, "m"), sub(value, varint(1, 0)))), &actuator.EffectResponse{Models: actuator.Models{"m": {}}})
		}},
		{"the last value of a scalar field wins", func(t *testing.T) {
			b := sub(nsrState, sub(stIntent, str(inKey, "first"), str(inKey, "last"), double(inPriority, 1), double(inPriority, 0)))
			same(t, nextStateRequestCodec, b, intentKey("last"))
		}},
		{"an embedded message that appears twice is merged", func(t *testing.T) {
			b := cat(
				sub(nsrState, sub(stIntent, str(inKey, "k")), sub(stPods, str(key, "pod_0"))),
				sub(nsrState, sub(stIntent, double(inPriority, 0.5)), sub(stPods, str(key, "pod_1"))),
			)
			want := &actuator.NextStateRequest{State: actuator.State{
				Intent: actuator.Intent{Key: "k", Priority: 0.5},
				Pods:   map[string]actuator.PodState{"pod_0": {}, "pod_1": {}},
			}}
			same(t, nextStateRequestCodec, b, want)
		}},
		{"a map entry without key or value has zero ones", func(t *testing.T) {
			b := sub(nsrState,
				sub(stAnnotations, str(value, "v")), sub(stResources, str(key, "r")), sub(stData),
				sub(stPods, str(key, "p")))
			want := &actuator.NextStateRequest{State: actuator.State{
				Annotations: map[string]string{"": "v"}, Resources: map[string]int64{"r": 0},
				Data: map[string]map[string]float64{"": nil}, Pods: map[string]actuator.PodState{"p": {}},
			}}
			same(t, nextStateRequestCodec, b, want)
		}},
		{"a later map entry replaces an earlier one with the same key", func(t *testing.T) {
			b := sub(nsrState,
				sub(stPods, str(key, "p"), sub(value, str(2, "node-a"), str(3, "Running"))),
				sub(stPods, str(key, "p"), sub(value, str(3, "Pending"))))
			same(t, nextStateRequestCodec, b, &actuator.NextStateRequest{State: actuator.State{Pods: map[string]actuator.PodState{"p": {State: "Pending"}}}})
		}},
		{"a message value that appears twice in one entry is merged", func(t *testing.T) {
			b := sub(nsrState, sub(stPods, str(key, "p"), sub(value, str(2, "node-a")), str(key, "q"), sub(value, str(3, "Running"))))
			same(t, nextStateRequestCodec, b, &actuator.NextStateRequest{State: actuator.State{Pods: map[string]actuator.PodState{"q": {NodeName: "node-a", State: "Running"}}}})
		}},
		{"a profile of unknown type may be replaced by a later entry", func(t *testing.T) {
			b := cat(sub(nsrProfiles, str(key, "p"), sub(value, varint(2, 42))), sub(nsrProfiles, str(key, "p"), sub(value, varint(2, 1))))
			same(t, nextStateRequestCodec, b, &actuator.NextStateRequest{Profiles: map[string]actuator.Profile{"p": {Type: actuator.Latency}}})
		}},
		{"enum values are truncated to 32 bits, bools are any non-zero varint", func(t *testing.T) {
			b := sub(nsrProfiles, str(key, "p"), sub(value, varint(2, 1<<32|3), varint(3, 1<<40)))
			same(t, nextStateRequestCodec, b, &actuator.NextStateRequest{Profiles: map[string]actuator.Profile{"p": {Type: actuator.Throughput, Minimize: true}}})
		}},
		{"a profile's own key is ignored", func(t *testing.T) {
			b := sub(nsrProfiles, str(key, "p"), sub(value, str(1, "other"), varint(2, 4)))
			same(t, nextStateRequestCodec, b, &actuator.NextStateRequest{Profiles: map[string]actuator.Profile{"p": {Type: actuator.Power}}})
		}},
		{"varints may be longer than needed, up to 10 bytes", func(t *testing.T) {
			state := sub(stIntent, str(inKey, "k"))
			b := cat([]byte{0x8a, 0x80, 0x00}, []byte{0x80 | byte(len(state)), 0x80, 0x00}, state)
			same(t, nextStateRequestCodec, b, intentKey("k"))
			r := sub(nsrState, sub(stResources, str(key, "min"), tag(value, protowire.VarintType), []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}))
			same(t, nextStateRequestCodec, r, &actuator.NextStateRequest{State: actuator.State{Resources: map[string]int64{"min": math.MinInt64}}})
		}},
		{"repeated doubles may be packed, unpacked, or both", func(t *testing.T) {
			b := cat(double(2, 1), packed(2, 2, 3), packed(2), double(2, 4))
			same(t, nextStateResponseCodec, b, &actuator.NextStateResponse{Utilities: []float64{1, 2, 3, 4}})
			same(t, nextStateResponseCodec, packed(2), &actuator.NextStateResponse{})
			m := sub(1, str(key, "p99"), sub(value, sub(1, str(key, "popt"), sub(value, double(1, 1), packed(1, 2)))))
			same(t, effectResponseCodec, m, &actuator.EffectResponse{Models: actuator.Models{"p99": {"popt": {1, 2}}}})
		}},
		{"NaN and -0 keep their bits", func(t *testing.T) {
			nan := math.Float64frombits(0x7ff8_0000_dead_beef)
			same(t, nextStateResponseCodec, packed(2, nan, math.Copysign(0, -1)), &actuator.NextStateResponse{Utilities: []float64{nan, math.Copysign(0, -1)}})
		}},
		{"a present model is a non-nil map, a parameter without values is nil", func(t *testing.T) {
			b := cat(sub(1, str(key, "a")), sub(1, str(key, "b"), sub(value, sub(1, str(key, "x")))))
			same(t, effectResponseCodec, b, &actuator.EffectResponse{Models: actuator.Models{"a": {}, "b": {"x": nil}}})
		}},
		{"elements of repeated messages are not merged", func(t *testing.T) {
			b := cat(sub(3, str(1, "a")), sub(3, sub(2, sub(2, str(key, "f"), varint(value, 2)))))
			same(t, nextStateResponseCodec, b, &actuator.NextStateResponse{Actions: []actuator.Action{
				{Name: "a"}, {Properties: actuator.Properties{Int: map[string]int64{"f": 2}}},
			}})
		}},
		{"an action's property type is ignored", func(t *testing.T) {
			b := sub(3, str(1, "a"), sub(2, varint(1, 99), sub(3, str(key, "s"), str(value, "t"))))
			same(t, nextStateResponseCodec, b, &actuator.NextStateResponse{Actions: []actuator.Action{
				{Name: "a", Properties: actuator.Properties{Str: map[string]string{"s": "t"}}},
			}})
		}},
		{"the last operation kind wins", func(t *testing.T) {
			b := sub(1, varint(1, 42), varint(1, 2), str(3, "pod_0"))
			same(t, performResponseCodec, b, &actuator.PerformResponse{Operations: []actuator.Operation{{Kind: actuator.EvictPod, Pod: "pod_0"}}})
		}},
		{"an EffectRequest's state is checked, then dropped", func(t *testing.T) {
			b := cat(sub(1, sub(stIntent, str(inKey, "k"))), sub(3, varint(1, 1_700_000_000_000)))
			same(t, effectRequestCodec, b, &actuator.EffectRequest{Observations: []actuator.Observation{{Time: 1_700_000_000_000}}})
			refused(t, effectRequestCodec, sub(1, sub(stIntent, str(inKey, "\xff"))), "wire: EffectRequest.state.intent.key: invalid UTF-8")
		}},
		{"unknown groups may nest 10001 deep, protobuf-go's limit", func(t *testing.T) {
			same(t, nextStateRequestCodec, nested(9, 10001), &actuator.NextStateRequest{})
			refused(t, nextStateRequestCodec, nested(9, 10002), "wire: NextStateRequest.9: groups nested deeper than 10000")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.test)
	}
}

// TestMalformed lists input that both codecs refuse, and how this package
// says why.
func TestMalformed(t *testing.T) {
	tests := []struct {
		name string
		test func(t *testing.T)
	}{
		{"truncated tag", func(t *testing.T) {
			refused(t, nextStateRequestCodec, []byte{0x80}, "wire: NextStateRequest: truncated tag")
		}},
		{"truncated varint", func(t *testing.T) {
			refused(t, performResponseCodec, sub(1, []byte{0x10, 0x80}), "wire: PerformResponse.operations[0].replicas: truncated varint")
		}},
		{"varint longer than 64 bits", func(t *testing.T) {
			b := sub(1, cat([]byte{0x10}, bytes.Repeat([]byte{0xff}, 9), []byte{0x02}))
			refused(t, performResponseCodec, b, "wire: PerformResponse.operations[0].replicas: varint overflows 64 bits")
		}},
		{"truncated length", func(t *testing.T) {
			refused(t, nextStateRequestCodec, sub(nsrState, []byte{0x12, 0x80}), "wire: NextStateRequest.state.current_pods: truncated length")
		}},
		{"length past the end", func(t *testing.T) {
			refused(t, nextStateRequestCodec, sub(nsrState, []byte{0x12, 0x64, 0x0a}), "wire: NextStateRequest.state.current_pods: length 100 exceeds the 1 remaining bytes")
			huge := protowire.AppendVarint([]byte{0x0a}, math.MaxUint64)
			refused(t, nextStateRequestCodec, huge, "wire: NextStateRequest.state: length 18446744073709551615 exceeds the 0 remaining bytes")
		}},
		{"truncated fixed64", func(t *testing.T) {
			refused(t, nextStateResponseCodec, []byte{0x11, 1, 2, 3}, "wire: NextStateResponse.utilities: truncated fixed64")
		}},
		{"truncated fixed32 in an unknown field", func(t *testing.T) {
			refused(t, nextStateResponseCodec, []byte{0x4d, 1, 2, 3}, "wire: NextStateResponse.9: truncated fixed32")
		}},
		{"packed doubles that are not a multiple of 8 bytes", func(t *testing.T) {
			refused(t, nextStateResponseCodec, sub(2, make([]byte, 7)), "wire: NextStateResponse.utilities: packed doubles of 7 bytes, not a multiple of 8")
		}},
		{"invalid UTF-8", func(t *testing.T) {
			refused(t, nextStateRequestCodec, sub(nsrState, sub(stIntent, str(inKey, "\xc3"))), "wire: NextStateRequest.state.intent.key: invalid UTF-8")
			refused(t, nextStateRequestCodec, sub(nsrState, sub(stAnnotations, str(key, "\xed\xa0\x80"))), "wire: NextStateRequest.state.annotations.key: invalid UTF-8")
			refused(t, nextStateRequestCodec, sub(nsrState, sub(stAnnotations, str(value, "\xff"))), "wire: NextStateRequest.state.annotations.value: invalid UTF-8")
			refused(t, nextStateRequestCodec, sub(nsrProfiles, str(key, "p"), sub(value, str(1, "\xff"), varint(2, 1))), "wire: NextStateRequest.profiles.value.key: invalid UTF-8")
			refused(t, describeRequestCodec, sub(1, str(value, "\xc0\x80")), "wire: DescribeRequest.config.value: invalid UTF-8")
			refused(t, infoCodec, str(3, "v\xff"), "wire: ActuatorInfo.version: invalid UTF-8")
		}},
		{"unknown profile type", func(t *testing.T) {
			refused(t, nextStateRequestCodec, cat(
				sub(nsrProfiles, str(key, "z"), sub(value, varint(2, 7))),
				sub(nsrProfiles, str(key, "y"), sub(value, varint(2, 42)))),
				`wire: NextStateRequest.profiles["y"]: unknown profile type 42`)
			refused(t, effectRequestCodec, sub(2, str(key, "p")), `wire: EffectRequest.profiles["p"]: unknown profile type 0`)
			refused(t, nextStateRequestCodec, sub(nsrProfiles, str(key, "p"), sub(value, varint(2, math.MaxUint64))), `wire: NextStateRequest.profiles["p"]: unknown profile type -1`)
		}},
		{"unknown operation kind", func(t *testing.T) {
			refused(t, performResponseCodec, cat(sub(1, varint(1, 1)), sub(1, varint(1, 5))), "wire: PerformResponse.operations[1].kind: unknown operation kind 5")
			refused(t, performResponseCodec, sub(1, str(3, "pod_0")), "wire: PerformResponse.operations[0].kind: unknown operation kind 0")
		}},
		{"field number 0 or above 2^29-1", func(t *testing.T) {
			refused(t, infoCodec, []byte{0x02, 0x00}, "wire: ActuatorInfo: invalid field number 0")
			refused(t, infoCodec, varint(protowire.MaxValidNumber+1, 1), "wire: ActuatorInfo: invalid field number 536870912")
			refused(t, nextStateRequestCodec, sub(nsrState, sub(stAnnotations, varint(protowire.MaxValidNumber+1, 1))), "wire: NextStateRequest.state.annotations: invalid field number 536870912")
		}},
		{"reserved wire types", func(t *testing.T) {
			refused(t, infoCodec, []byte{0x0e}, "wire: ActuatorInfo.name: invalid wire type 6")
			refused(t, infoCodec, cat(group(9, []byte{0x0f})), "wire: ActuatorInfo.9: invalid wire type 7")
		}},
		{"groups that do not match", func(t *testing.T) {
			refused(t, infoCodec, tag(9, protowire.EndGroupType), "wire: ActuatorInfo.9: end group without a start group")
			refused(t, infoCodec, cat(tag(9, protowire.StartGroupType), tag(8, protowire.EndGroupType)), "wire: ActuatorInfo.9: end group 8 closes group 9")
			refused(t, infoCodec, tag(9, protowire.StartGroupType), "wire: ActuatorInfo.9: truncated tag")
			refused(t, infoCodec, cat(tag(9, protowire.StartGroupType), protowire.AppendVarint(nil, (math.MaxInt32+1)<<3)), "wire: ActuatorInfo.9: invalid field number 2147483648")
		}},
		{"groups nested too deep", func(t *testing.T) {
			refused(t, performRequestCodec, sub(1, nested(9, 20000)), "wire: PerformRequest.state.9: groups nested deeper than 10000")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.test)
	}
}

func TestEnvelope(t *testing.T) {
	payload := bytes.Repeat([]byte("x"), 200)
	tests := []struct {
		name       string
		envelope   []byte
		wantResult []byte
		wantErr    error // a *wire.GuestError, or nil
		malformed  string
	}{
		{name: "result", envelope: wire.AppendResultEnvelope(nil, payload), wantResult: payload},
		{name: "empty result", envelope: wire.AppendResultEnvelope(nil, nil), wantResult: []byte{}},
		{name: "error", envelope: wire.AppendErrorEnvelope(nil, wire.CodeInternal, "boom"), wantErr: &wire.GuestError{Code: wire.CodeInternal, Message: "boom"}},
		{name: "error without code or message", envelope: wire.AppendErrorEnvelope(nil, wire.CodeUnspecified, ""), wantErr: &wire.GuestError{}},
		{name: "error of an unknown code", envelope: wire.AppendErrorEnvelope(nil, 42, "x"), wantErr: &wire.GuestError{Code: 42, Message: "x"}},
		{name: "error of a negative code", envelope: wire.AppendErrorEnvelope(nil, -1, "x"), wantErr: &wire.GuestError{Code: -1, Message: "x"}},
		{name: "the last of result and error wins: result", envelope: cat(sub(2, varint(1, 2)), str(1, "r")), wantResult: []byte("r")},
		{name: "the last of result and error wins: error", envelope: cat(str(1, "r"), sub(2, varint(1, 2))), wantErr: &wire.GuestError{Code: wire.CodeInternal}},
		{name: "an error that appears twice in a row is merged", envelope: cat(sub(2, varint(1, 3)), sub(2, str(2, "m"))), wantErr: &wire.GuestError{Code: wire.CodeUnimplemented, Message: "m"}},
		{name: "an error interrupted by a result starts afresh", envelope: cat(sub(2, varint(1, 3)), str(1, "r"), sub(2, str(2, "m"))), wantErr: &wire.GuestError{Message: "m"}},
		{name: "unknown fields are skipped", envelope: cat(varint(7, 1), str(1, "r"), group(8)), wantResult: []byte("r")},
		{name: "empty envelope", envelope: nil, malformed: "wire: Envelope: neither result nor error set"},
		{name: "only unknown fields or wrong wire types", envelope: cat(varint(1, 1), varint(2, 1), str(3, "x")), malformed: "wire: Envelope: neither result nor error set"},
		{name: "truncated", envelope: wire.AppendResultEnvelope(nil, payload)[:50], malformed: "wire: Envelope.result: length 200 exceeds the 47 remaining bytes"},
		{name: "message not UTF-8", envelope: wire.AppendErrorEnvelope(nil, wire.CodeInternal, "\xff"), malformed: "wire: Envelope.error.message: invalid UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			result, err := wire.DecodeEnvelope(tc.envelope)
			var pb pluginpb.Envelope
			pbErr := proto.Unmarshal(tc.envelope, &pb)
			switch {
			case tc.malformed != "":
				if err == nil || err.Error() != tc.malformed || !wire.IsMalformed(err) {
					t.Fatalf("err = %v, want malformed: %s", err, tc.malformed)
				}
				if pbErr == nil && pb.GetOutcome() != nil {
					t.Error("protobuf-go finds an outcome")
				}
			case tc.wantErr != nil:
				var ge *wire.GuestError
				if !errors.As(err, &ge) || *ge != *tc.wantErr.(*wire.GuestError) {
					t.Fatalf("err = %#v, want %#v", err, tc.wantErr)
				}
				if wire.IsMalformed(err) {
					t.Error("a guest's error is not malformed")
				}
				if pbErr != nil || pb.GetError() == nil || wire.ErrorCode(pb.GetError().GetCode()) != ge.Code || pb.GetError().GetMessage() != ge.Message {
					t.Errorf("protobuf-go: %v, %v", pbErr, &pb)
				}
			default:
				if err != nil || !bytes.Equal(result, tc.wantResult) || result == nil {
					t.Fatalf("DecodeEnvelope = %q, %v; want %q", result, err, tc.wantResult)
				}
				if pbErr != nil || !bytes.Equal(pb.GetResult(), result) {
					t.Errorf("protobuf-go: %v, %q", pbErr, pb.GetResult())
				}
				if cap(result) != len(result) {
					t.Error("appending to the result could write into the envelope")
				}
			}
		})
	}
}

func TestEnvelopeEncodingIsProtobufGos(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want *pluginpb.Envelope
	}{
		{"result", wire.AppendResultEnvelope(nil, []byte("payload")), &pluginpb.Envelope{Outcome: &pluginpb.Envelope_Result{Result: []byte("payload")}}},
		{"empty result", wire.AppendResultEnvelope(nil, nil), &pluginpb.Envelope{Outcome: &pluginpb.Envelope_Result{}}},
		{"error", wire.AppendErrorEnvelope(nil, wire.CodeInvalidArgument, "bad"), &pluginpb.Envelope{Outcome: &pluginpb.Envelope_Error{Error: &pluginpb.Error{Code: pluginpb.ErrorCode_INVALID_ARGUMENT, Message: "bad"}}}},
		{"empty error", wire.AppendErrorEnvelope(nil, 0, ""), &pluginpb.Envelope{Outcome: &pluginpb.Envelope_Error{Error: &pluginpb.Error{}}}},
		{"negative code", wire.AppendErrorEnvelope(nil, -5, ""), &pluginpb.Envelope{Outcome: &pluginpb.Envelope_Error{Error: &pluginpb.Error{Code: -5}}}},
		{"long message", wire.AppendErrorEnvelope(nil, wire.CodeInternal, string(bytes.Repeat([]byte("x"), 300))), &pluginpb.Envelope{Outcome: &pluginpb.Envelope_Error{Error: &pluginpb.Error{Code: pluginpb.ErrorCode_INTERNAL, Message: string(bytes.Repeat([]byte("x"), 300))}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := proto.MarshalOptions{Deterministic: true}.Marshal(tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(tc.got, want) {
				t.Errorf("got %x, want %x", tc.got, want)
			}
		})
	}
}

func TestErrorStrings(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&wire.GuestError{Code: wire.CodeInternal, Message: "next_state: panic: boom"}, "internal: next_state: panic: boom"},
		{&wire.GuestError{Code: wire.CodeInvalidArgument, Message: "x"}, "invalid argument: x"},
		{&wire.GuestError{Code: wire.CodeUnimplemented}, "unimplemented"},
		{&wire.GuestError{}, "unspecified"},
		{&wire.GuestError{Code: 42, Message: "x"}, "ErrorCode(42): x"},
		{&wire.DecodeError{Path: "NextStateRequest.state", Reason: "truncated tag"}, "wire: NextStateRequest.state: truncated tag"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}
