package pluginpb

import (
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/wido-dev/wido/abi/actuator"
)

func fullRequest() *actuator.NextStateRequest {
	return &actuator.NextStateRequest{
		State: actuator.State{
			Intent: actuator.Intent{
				Key: "default/i", Priority: 0.5, TargetKey: "default/d", TargetKind: "Deployment",
				Objectives: map[string]float64{"p99": 0.04, "rps": 4800},
			},
			Pods:        map[string]actuator.PodState{"pod_0": {Availability: 0.9, NodeName: "n1", State: "Running", QoSClass: "Burstable"}},
			Resources:   map[string]int64{"app_cpu_requests": 500},
			Annotations: map[string]string{"a": "b"},
			Data:        map[string]map[string]float64{"scaleCPU": {"scaleCPU": 1}},
		},
		Goal: actuator.State{Intent: actuator.Intent{
			Priority: 0.5, Objectives: map[string]float64{"p99": 0.03, "rps": 0}, Tolerances: map[string]float64{"p99": 0.1},
		}},
		Profiles: map[string]actuator.Profile{
			"p99": {Type: actuator.Latency, Minimize: true}, "rps": {Type: actuator.Throughput},
			"a": {Type: actuator.Availability}, "w": {Type: actuator.Power, Minimize: true},
		},
		Models: actuator.Models{"p99": {"popt": {1, 2, 3, 4}, "replicaRange": {1, 12}}},
	}
}

// roundTrip marshals m to wire bytes and back.
func roundTrip[M proto.Message](t *testing.T, m M, into M) M {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := proto.Unmarshal(b, into); err != nil {
		t.Fatal(err)
	}
	return into
}

func TestNextStateRoundTrip(t *testing.T) {
	want := fullRequest()
	wire := roundTrip(t, FromNextStateRequest(want), &NextStateRequest{})
	got, err := ToNextStateRequest(wire)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip changed the request:\n got %+v\nwant %+v", got, want)
	}
	if wire.Profiles["p99"].Key != "p99" {
		t.Error("profiles must carry their key on the wire, as IDO's do")
	}

	resp := &actuator.NextStateResponse{
		States:    []actuator.State{want.State, want.Goal},
		Utilities: []float64{0.9, 1.2},
		Actions: []actuator.Action{
			{Name: "scaleOut", Properties: actuator.Properties{Int: map[string]int64{"factor": 2}}},
			{Name: "rmPod", Properties: actuator.Properties{Str: map[string]string{"name": "pod_0"}}},
		},
	}
	wireResp := roundTrip(t, FromNextStateResponse(resp), &NextStateResponse{})
	if gotResp := ToNextStateResponse(wireResp); !reflect.DeepEqual(gotResp, resp) {
		t.Fatalf("round trip changed the response:\n got %+v\nwant %+v", gotResp, resp)
	}
	if wireResp.Actions[1].Properties.Type != PropertyType_STRING_PROPERTY || wireResp.Actions[0].Properties.Type != PropertyType_INT_PROPERTY {
		t.Error("property types are not IDO's")
	}
}

func TestOperationsRoundTrip(t *testing.T) {
	ops := []actuator.Operation{
		{Kind: actuator.Scale, Replicas: 4},
		{Kind: actuator.EvictPod, Pod: "pod_0"},
		{Kind: actuator.SetCPU, Container: "app", CPURequest: 800, CPULimit: 1200},
		{Kind: actuator.SetAnnotation, Key: "k", Value: "v"},
	}
	for _, op := range ops {
		wire := roundTrip(t, FromOperation(&op), &Operation{})
		got, err := ToOperation(wire)
		if err != nil || got != op {
			t.Errorf("round trip of %+v gave %+v, %v", op, got, err)
		}
	}
}

func TestUnknownEnumsAreRefused(t *testing.T) {
	if _, err := ToOperation(&Operation{Kind: 42}); err == nil || !strings.Contains(err.Error(), "unknown operation kind 42") {
		t.Errorf("err = %v", err)
	}
	if _, err := ToOperation(FromOperation(&actuator.Operation{Kind: "Delete"})); err == nil {
		t.Error("an unknown operation kind must not convert")
	}
	req := &NextStateRequest{Profiles: map[string]*Profile{"p": {ProfileType: ProfileType_OBSOLETE}}}
	if _, err := ToNextStateRequest(req); err == nil || !strings.Contains(err.Error(), `profile "p"`) {
		t.Errorf("err = %v", err)
	}
}

func FuzzNextStateRequest(f *testing.F) {
	seed, _ := proto.Marshal(FromNextStateRequest(fullRequest()))
	f.Add(seed)
	f.Add([]byte{0x0a, 0x02, 0x0a, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		var wire NextStateRequest
		if proto.Unmarshal(data, &wire) != nil {
			return
		}
		req, err := ToNextStateRequest(&wire)
		if err != nil {
			return
		}
		// What converted once converts back to the same request.
		again, err := ToNextStateRequest(roundTrip(t, FromNextStateRequest(req), &NextStateRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		if normalize(again) != normalize(req) {
			t.Fatalf("second round trip differs:\n%+v\n%+v", again, req)
		}
	})
}

// normalize drops empty maps, which the wire cannot tell from absent ones,
// and NaNs, which never compare equal.
func normalize(r *actuator.NextStateRequest) string {
	b, _ := proto.MarshalOptions{Deterministic: true}.Marshal(FromNextStateRequest(r))
	return string(b)
}

func TestPerformRoundTrip(t *testing.T) {
	state := fullRequest().State
	req := &actuator.PerformRequest{State: state, Plan: []actuator.Action{
		{Name: "scaleOut", Properties: actuator.Properties{Int: map[string]int64{"factor": 2}}},
		{Name: "rmPod", Properties: actuator.Properties{Str: map[string]string{"name": "pod_0"}}},
		{Name: "noop"},
	}}
	got := ToPerformRequest(roundTrip(t, FromPerformRequest(req), &PerformRequest{}))
	if !reflect.DeepEqual(got, req) {
		t.Fatalf("round trip changed the request:\n got %+v\nwant %+v", got, req)
	}

	resp := &actuator.PerformResponse{Operations: []actuator.Operation{
		{Kind: actuator.Scale, Replicas: 4},
		{Kind: actuator.EvictPod, Pod: "pod_0"},
		{Kind: actuator.SetCPU, Container: "app", CPURequest: 800, CPULimit: 1200},
		{Kind: actuator.SetAnnotation, Key: "k", Value: "v"},
	}}
	gotResp, err := ToPerformResponse(roundTrip(t, FromPerformResponse(resp), &PerformResponse{}))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotResp, resp) {
		t.Fatalf("round trip changed the response:\n got %+v\nwant %+v", gotResp, resp)
	}

	// Empty slices come back nil, as everywhere else.
	if got := ToPerformRequest(roundTrip(t, FromPerformRequest(&actuator.PerformRequest{Plan: []actuator.Action{}}), &PerformRequest{})); got.Plan != nil {
		t.Errorf("plan = %#v, want nil", got.Plan)
	}
}

func TestEffectRoundTrip(t *testing.T) {
	full := fullRequest()
	req := &actuator.EffectRequest{
		Profiles: full.Profiles,
		Observations: []actuator.Observation{
			{Time: 1_700_000_000_123, State: full.State, Actions: []actuator.Action{{Name: "scaleOut", Properties: actuator.Properties{Int: map[string]int64{"factor": 2}}}}},
			{Time: 1_700_000_060_000, State: full.Goal},
		},
		Models: full.Models,
	}
	wire := roundTrip(t, FromEffectRequest(req), &EffectRequest{})
	got, err := ToEffectRequest(wire)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, req) {
		t.Fatalf("round trip changed the request:\n got %+v\nwant %+v", got, req)
	}
	if wire.Observations[0].Time != 1_700_000_000_123 {
		t.Errorf("observation time = %d, want Unix milliseconds as given", wire.Observations[0].Time)
	}
	if wire.State != nil {
		t.Error("the request's state must stay unset: actuator.EffectRequest has none")
	}

	resp := &actuator.EffectResponse{Models: actuator.Models{
		"p99":   {"popt": {1, 2, 3, 4}, "throughputScale": {0.001, 0}},
		"empty": {},
	}}
	if gotResp := ToEffectResponse(roundTrip(t, FromEffectResponse(resp), &EffectResponse{})); !reflect.DeepEqual(gotResp, resp) {
		t.Fatalf("round trip changed the response:\n got %+v\nwant %+v", gotResp, resp)
	}
}

func TestInfoRoundTrip(t *testing.T) {
	info := actuator.Info{Name: "scaleOut", Group: "scaling", Version: "v1.2.3"}
	if got := ToInfo(roundTrip(t, FromInfo(info), &ActuatorInfo{})); got != info {
		t.Fatalf("round trip gave %+v, want %+v", got, info)
	}
}

func TestUnknownEnumsAreRefusedInPerformAndEffect(t *testing.T) {
	resp := &PerformResponse{Operations: []*Operation{{Kind: OperationKind_SCALE}, {Kind: 42}}}
	if _, err := ToPerformResponse(resp); err == nil || !strings.Contains(err.Error(), "operation 1: pluginpb: unknown operation kind 42") {
		t.Errorf("err = %v", err)
	}
	req := &EffectRequest{Profiles: map[string]*Profile{"p": {ProfileType: 9}}}
	if _, err := ToEffectRequest(req); err == nil || !strings.Contains(err.Error(), `profile "p"`) {
		t.Errorf("err = %v", err)
	}
}
