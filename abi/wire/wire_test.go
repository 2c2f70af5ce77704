package wire_test

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/wido-dev/wido/abi/actuator"
)

// roundTrip checks one value of one message against protobuf-go:
//
//   - this package's encoding is protobuf-go's deterministic marshal of the
//     pluginpb message, byte for byte;
//   - protobuf-go decodes it, and pluginpb converts it back to the value;
//   - this package decodes protobuf-go's encoding (deterministic or not) to
//     the value.
func roundTrip[T any, M proto.Message](t *testing.T, c codec[T, M], want T) {
	t.Helper()
	encoded := c.encode(nil, want)
	deterministic, err := c.marshal(want, true)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encoded, deterministic) {
		t.Errorf("encoding differs from protobuf-go's deterministic marshal:\n got %x\nwant %x", encoded, deterministic)
	}
	got, err := c.unmarshal(encoded)
	if err != nil {
		t.Fatalf("protobuf-go cannot read the encoding: %v", err)
	}
	if !equal(got, want) {
		t.Errorf("protobuf-go read back\n %+v\nwant %+v", got, want)
	}

	for _, det := range []bool{false, true} {
		b, err := c.marshal(want, det)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.decode(b)
		if err != nil {
			t.Fatalf("decoding protobuf-go's marshal (deterministic %v): %v", det, err)
		}
		if !equal(got, want) {
			t.Errorf("decoded protobuf-go's marshal (deterministic %v) as\n %+v\nwant %+v", det, got, want)
		}
	}

	// Encoders append.
	prefix := []byte("prefix")
	if got := c.encode(bytes.Clone(prefix), want); !bytes.Equal(got, append(prefix, encoded...)) {
		t.Error("the encoder does not append to dst")
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		test func(t *testing.T)
	}{
		{"DescribeRequest", func(t *testing.T) { roundTrip(t, describeRequestCodec, goldenConfig()) }},
		{"DescribeRequest/empty", func(t *testing.T) { roundTrip(t, describeRequestCodec, nil) }},
		{"ActuatorInfo", func(t *testing.T) { roundTrip(t, infoCodec, goldenInfo()) }},
		{"ActuatorInfo/empty", func(t *testing.T) { roundTrip(t, infoCodec, actuator.Info{}) }},
		{"NextStateRequest", func(t *testing.T) { roundTrip(t, nextStateRequestCodec, goldenNextStateRequest()) }},
		{"NextStateRequest/empty", func(t *testing.T) { roundTrip(t, nextStateRequestCodec, &actuator.NextStateRequest{}) }},
		{"NextStateResponse", func(t *testing.T) { roundTrip(t, nextStateResponseCodec, goldenNextStateResponse()) }},
		{"NextStateResponse/big", func(t *testing.T) { roundTrip(t, nextStateResponseCodec, bigNextStateResponse()) }},
		{"NextStateResponse/empty", func(t *testing.T) { roundTrip(t, nextStateResponseCodec, &actuator.NextStateResponse{}) }},
		{"PerformRequest", func(t *testing.T) { roundTrip(t, performRequestCodec, goldenPerformRequest()) }},
		{"PerformRequest/empty", func(t *testing.T) { roundTrip(t, performRequestCodec, &actuator.PerformRequest{}) }},
		{"PerformResponse", func(t *testing.T) { roundTrip(t, performResponseCodec, goldenPerformResponse()) }},
		{"PerformResponse/empty", func(t *testing.T) { roundTrip(t, performResponseCodec, &actuator.PerformResponse{}) }},
		{"EffectRequest", func(t *testing.T) { roundTrip(t, effectRequestCodec, goldenEffectRequest()) }},
		{"EffectRequest/empty", func(t *testing.T) { roundTrip(t, effectRequestCodec, &actuator.EffectRequest{}) }},
		{"EffectResponse", func(t *testing.T) { roundTrip(t, effectResponseCodec, goldenEffectResponse()) }},
		{"EffectResponse/empty", func(t *testing.T) { roundTrip(t, effectResponseCodec, &actuator.EffectResponse{}) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.test)
	}
}
