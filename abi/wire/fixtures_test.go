package wire_test

import (
	"maps"
	"math"
	"reflect"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/pluginpb"
	"github.com/wido-dev/wido/abi/wire"
)

// The fixtures are IDO's golden planning case (planner/golden_test.go) with
// every field of the schema filled in. They use only what survives a trip
// through the wire unchanged: nil rather than empty maps and slices, except
// a present Model, which decodes as an empty non-nil map.

func goldenState() actuator.State {
	return actuator.State{
		Intent: actuator.Intent{
			Key: "default/my-intent", Priority: 1, TargetKey: "default/my-deployment", TargetKind: "Deployment",
			Objectives: map[string]float64{"p99": 0.04, "rps": 4800, "availability": 0.998, "power": 0},
			Tolerances: map[string]float64{"p99": 0.1},
		},
		Pods: map[string]actuator.PodState{
			"pod_0": {Availability: 0.9, NodeName: "node-a", State: "Running", QoSClass: "Burstable"},
			"pod_1": {Availability: 0.98, NodeName: "node-b", State: "Running", QoSClass: "Guaranteed"},
			"pod_2": {State: "Pending"},
			"":      {}, // a zero key and value are written too
		},
		Resources:   map[string]int64{"app_cpu_requests": 500, "app_cpu_limits": 1000, "app_memory_requests": 256 << 20, "debt": -3, "zero": 0},
		Annotations: map[string]string{"wido.dev/owner": "ops", "note": "ünïcode ✓", "empty": ""},
		Data: map[string]map[string]float64{
			"scaleCPU": {"scaleCPU": 1, "negative": -2.5, "negativeZero": math.Copysign(0, -1)},
			"empty":    nil, // a DataEntry without data decodes as nil
		},
	}
}

func goldenGoal() actuator.State {
	return actuator.State{Intent: actuator.Intent{
		Key: "default/my-intent", Priority: 1, TargetKey: "default/my-deployment", TargetKind: "Deployment",
		Objectives: map[string]float64{"p99": 0.03, "rps": 0, "availability": 0.999},
		Tolerances: map[string]float64{"p99": 0.1, "availability": 0.0005},
	}}
}

func goldenProfiles() map[string]actuator.Profile {
	return map[string]actuator.Profile{
		"p99":          {Type: actuator.Latency, Minimize: true},
		"rps":          {Type: actuator.Throughput},
		"availability": {Type: actuator.Availability},
		"power":        {Type: actuator.Power, Minimize: true},
	}
}

func goldenModels() actuator.Models {
	return actuator.Models{
		"p99": {
			"popt":            {0.306355135, 0.193240314, 53.0816499, 0.0147372746},
			"throughputScale": {0.002143905536223758, 0.9993568283391329},
			"throughputRange": {0.3, 6064},
			"replicaRange":    {1, 12},
			"none":            nil,
		},
		"untrained": {}, // present but empty
	}
}

func goldenActions() []actuator.Action {
	return []actuator.Action{
		{Name: "scaleOut", Properties: actuator.Properties{Int: map[string]int64{"factor": 2}}},
		{Name: "rmPod", Properties: actuator.Properties{Str: map[string]string{"name": "pod_0"}}},
		{Name: "both", Properties: actuator.Properties{Int: map[string]int64{"n": -1}, Str: map[string]string{"s": "t"}}},
		{Name: "none"},
	}
}

func goldenNextStateRequest() *actuator.NextStateRequest {
	return &actuator.NextStateRequest{State: goldenState(), Goal: goldenGoal(), Profiles: goldenProfiles(), Models: goldenModels()}
}

func goldenNextStateResponse() *actuator.NextStateResponse {
	next := goldenState()
	next.Pods = maps.Clone(next.Pods)
	next.Pods["pod_3"] = actuator.PodState{Availability: 1, State: "Running"}
	next.Intent.Objectives = map[string]float64{"p99": 0.025, "rps": 4800, "availability": 0.9999}
	return &actuator.NextStateResponse{
		States:    []actuator.State{next, goldenState(), {}},
		Utilities: []float64{0.93, 1.5, 0, math.Inf(1)},
		Actions:   goldenActions(),
	}
}

// bigNextStateResponse has messages longer than 16383 bytes, whose lengths
// take three bytes.
func bigNextStateResponse() *actuator.NextStateResponse {
	s := goldenState()
	s.Pods = map[string]actuator.PodState{}
	for i := range 600 {
		s.Pods["pod_"+strconv.Itoa(i)] = actuator.PodState{Availability: 0.99, NodeName: "node-" + strconv.Itoa(i%7), State: "Running"}
	}
	return &actuator.NextStateResponse{States: []actuator.State{s, s}, Utilities: []float64{1, 2}}
}

func goldenPerformRequest() *actuator.PerformRequest {
	return &actuator.PerformRequest{State: goldenState(), Plan: goldenActions()}
}

func goldenPerformResponse() *actuator.PerformResponse {
	return &actuator.PerformResponse{Operations: []actuator.Operation{
		{Kind: actuator.Scale, Replicas: 4},
		{Kind: actuator.EvictPod, Pod: "pod_0"},
		{Kind: actuator.SetCPU, Container: "app", CPURequest: 800, CPULimit: 1200},
		{Kind: actuator.SetAnnotation, Key: "wido.dev/last-action", Value: "scaleOut"},
		{Kind: actuator.Scale, Replicas: -1},
	}}
}

func goldenEffectRequest() *actuator.EffectRequest {
	return &actuator.EffectRequest{
		Profiles: goldenProfiles(),
		Observations: []actuator.Observation{
			{Time: 1_700_000_000_123, State: goldenState(), Actions: goldenActions()[:1]},
			{Time: 1_700_000_060_000, State: goldenGoal()},
			{},
		},
		Models: goldenModels(),
	}
}

func goldenEffectResponse() *actuator.EffectResponse {
	return &actuator.EffectResponse{Models: goldenModels()}
}

func goldenInfo() actuator.Info {
	return actuator.Info{Name: "scaleOut", Group: "scaling", Version: "v1.2.3"}
}

func goldenConfig() map[string]string {
	return map[string]string{"max_pods": "64", "min_pods": "1", "": "", "ü": "✓"}
}

// codec is one message of the schema with its two implementations: this
// package's, and protobuf-go's followed by pluginpb's conversions. T is the
// Go value, M the generated message.
type codec[T any, M proto.Message] struct {
	encode func(dst []byte, v T) []byte
	decode func(b []byte) (T, error)
	from   func(v T) M
	to     func(m M) (T, error)
}

// unmarshal decodes b with protobuf-go and converts it with pluginpb.
func (c codec[T, M]) unmarshal(b []byte) (T, error) {
	var zero T
	var typ M // a nil message still knows its type
	m := typ.ProtoReflect().Type().New().Interface().(M)
	if err := proto.Unmarshal(b, m); err != nil {
		return zero, err
	}
	return c.to(m)
}

// marshal converts v with pluginpb and encodes it with protobuf-go.
func (c codec[T, M]) marshal(v T, deterministic bool) ([]byte, error) {
	return proto.MarshalOptions{Deterministic: deterministic}.Marshal(c.from(v))
}

func noError[T, M any](to func(M) T) func(M) (T, error) {
	return func(m M) (T, error) { return to(m), nil }
}

var (
	describeRequestCodec = codec[map[string]string, *pluginpb.DescribeRequest]{
		encode: wire.AppendDescribeRequest,
		decode: wire.DecodeDescribeRequest,
		// pluginpb has no conversion for a plain map: the config is the map.
		from: func(c map[string]string) *pluginpb.DescribeRequest {
			return &pluginpb.DescribeRequest{Config: maps.Clone(c)}
		},
		to: func(m *pluginpb.DescribeRequest) (map[string]string, error) {
			return maps.Clone(m.GetConfig()), nil
		},
	}
	infoCodec = codec[actuator.Info, *pluginpb.ActuatorInfo]{
		encode: wire.AppendInfo, decode: wire.DecodeInfo, from: pluginpb.FromInfo, to: noError(pluginpb.ToInfo),
	}
	nextStateRequestCodec = codec[*actuator.NextStateRequest, *pluginpb.NextStateRequest]{
		encode: wire.AppendNextStateRequest, decode: wire.DecodeNextStateRequest,
		from: pluginpb.FromNextStateRequest, to: pluginpb.ToNextStateRequest,
	}
	nextStateResponseCodec = codec[*actuator.NextStateResponse, *pluginpb.NextStateResponse]{
		encode: wire.AppendNextStateResponse, decode: wire.DecodeNextStateResponse,
		from: pluginpb.FromNextStateResponse, to: noError(pluginpb.ToNextStateResponse),
	}
	performRequestCodec = codec[*actuator.PerformRequest, *pluginpb.PerformRequest]{
		encode: wire.AppendPerformRequest, decode: wire.DecodePerformRequest,
		from: pluginpb.FromPerformRequest, to: noError(pluginpb.ToPerformRequest),
	}
	performResponseCodec = codec[*actuator.PerformResponse, *pluginpb.PerformResponse]{
		encode: wire.AppendPerformResponse, decode: wire.DecodePerformResponse,
		from: pluginpb.FromPerformResponse, to: pluginpb.ToPerformResponse,
	}
	effectRequestCodec = codec[*actuator.EffectRequest, *pluginpb.EffectRequest]{
		encode: wire.AppendEffectRequest, decode: wire.DecodeEffectRequest,
		from: pluginpb.FromEffectRequest, to: pluginpb.ToEffectRequest,
	}
	effectResponseCodec = codec[*actuator.EffectResponse, *pluginpb.EffectResponse]{
		encode: wire.AppendEffectResponse, decode: wire.DecodeEffectResponse,
		from: pluginpb.FromEffectResponse, to: noError(pluginpb.ToEffectResponse),
	}
)

// equal is reflect.DeepEqual, except that floats are equal when their bits
// are: NaN equals the same NaN, and -0 differs from +0 (both codecs keep
// every bit of a double).
func equal(a, b any) bool {
	return equalValues(reflect.ValueOf(a), reflect.ValueOf(b), false)
}

// equalOnTheWire is equal, except that an empty map equals a nil one: the
// wire cannot tell them apart.
func equalOnTheWire(a, b any) bool {
	return equalValues(reflect.ValueOf(a), reflect.ValueOf(b), true)
}

func equalValues(a, b reflect.Value, emptyIsNil bool) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalValues(a.Elem(), b.Elem(), emptyIsNil)
	case reflect.Struct:
		for i := range a.NumField() {
			if !equalValues(a.Field(i), b.Field(i), emptyIsNil) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalValues(a.Index(i), b.Index(i), emptyIsNil) {
				return false
			}
		}
		return true
	case reflect.Map:
		if (a.IsNil() != b.IsNil() && !emptyIsNil) || a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() || !equalValues(a.MapIndex(k), bv, emptyIsNil) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
