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
