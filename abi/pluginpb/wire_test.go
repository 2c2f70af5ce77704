package pluginpb

import (
	"math"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// These tests pin the field numbers IDO's plugins v1alpha1 API uses: bytes
// built by field number, as an IDO peer writes them, must decode into the
// fields of the same meaning.

func field(b []byte, num protowire.Number, typ protowire.Type, value func([]byte) []byte) []byte {
	b = protowire.AppendTag(b, num, typ)
	return value(b)
}

func str(s string) func([]byte) []byte {
	return func(b []byte) []byte { return protowire.AppendString(b, s) }
}

func msg(m []byte) func([]byte) []byte {
	return func(b []byte) []byte { return protowire.AppendBytes(b, m) }
}

func fixed64(v float64) func([]byte) []byte {
	return func(b []byte) []byte { return protowire.AppendFixed64(b, math.Float64bits(v)) }
}

func varint(v uint64) func([]byte) []byte {
	return func(b []byte) []byte { return protowire.AppendVarint(b, v) }
}

// mapEntry encodes one map entry: key = 1, value = 2.
func mapEntry(key func([]byte) []byte, keyType protowire.Type, value func([]byte) []byte, valueType protowire.Type) []byte {
	e := field(nil, 1, keyType, key)
	return field(e, 2, valueType, value)
}

func TestIDOFieldNumbers(t *testing.T) {
	// Intent{key=1, priority=2, target_key=3, target_kind=4, objectives=5}
	intent := field(nil, 1, protowire.BytesType, str("default/i"))
	intent = field(intent, 2, protowire.Fixed64Type, fixed64(0.5))
	intent = field(intent, 3, protowire.BytesType, str("default/d"))
	intent = field(intent, 4, protowire.BytesType, str("Deployment"))
	intent = field(intent, 5, protowire.BytesType, msg(mapEntry(str("p99"), protowire.BytesType, fixed64(0.03), protowire.Fixed64Type)))
	// PodState{availability=1, node_name=2, state=3, qos_class=4}
	pod := field(nil, 1, protowire.Fixed64Type, fixed64(0.9))
	pod = field(pod, 2, protowire.BytesType, str("n1"))
	pod = field(pod, 3, protowire.BytesType, str("Running"))
	pod = field(pod, 4, protowire.BytesType, str("Guaranteed"))
	// DataEntry{data=1}
	data := field(nil, 1, protowire.BytesType, msg(mapEntry(str("k"), protowire.BytesType, fixed64(2), protowire.Fixed64Type)))
	// State{intent=1, current_pods=2, current_data=3, resources=4, annotations=5}
	state := field(nil, 1, protowire.BytesType, msg(intent))
	state = field(state, 2, protowire.BytesType, msg(mapEntry(str("pod_0"), protowire.BytesType, msg(pod), protowire.BytesType)))
	state = field(state, 3, protowire.BytesType, msg(mapEntry(str("d"), protowire.BytesType, msg(data), protowire.BytesType)))
	state = field(state, 4, protowire.BytesType, msg(mapEntry(str("0_cpu_requests"), protowire.BytesType, varint(500), protowire.VarintType)))
	state = field(state, 5, protowire.BytesType, msg(mapEntry(str("a"), protowire.BytesType, str("b"), protowire.BytesType)))
	// ActionProperties{type=1, intProperties=2, strProperties=3}, Action{name=1, properties=2}
	props := field(nil, 1, protowire.VarintType, varint(0))
	props = field(props, 2, protowire.BytesType, msg(mapEntry(str("factor"), protowire.BytesType, varint(2), protowire.VarintType)))
	props = field(props, 3, protowire.BytesType, msg(mapEntry(str("name"), protowire.BytesType, str("pod_0"), protowire.BytesType)))
	action := field(nil, 1, protowire.BytesType, str("scaleOut"))
	action = field(action, 2, protowire.BytesType, msg(props))
	// NextStateResponse{states=1, utilities=2 (packed), actions=3}
	resp := field(nil, 1, protowire.BytesType, msg(state))
	resp = field(resp, 2, protowire.BytesType, msg(protowire.AppendFixed64(nil, math.Float64bits(0.93))))
	resp = field(resp, 3, protowire.BytesType, msg(action))

	var got NextStateResponse
	if err := proto.Unmarshal(resp, &got); err != nil {
		t.Fatal(err)
	}
	want := &NextStateResponse{
		States: []*State{{
			Intent:      &Intent{Key: "default/i", Priority: 0.5, TargetKey: "default/d", TargetKind: "Deployment", Objectives: map[string]float64{"p99": 0.03}},
			CurrentPods: map[string]*PodState{"pod_0": {Availability: 0.9, NodeName: "n1", State: "Running", QosClass: "Guaranteed"}},
			CurrentData: map[string]*DataEntry{"d": {Data: map[string]float64{"k": 2}}},
			Resources:   map[string]int64{"0_cpu_requests": 500},
			Annotations: map[string]string{"a": "b"},
		}},
		Utilities: []float64{0.93},
		Actions: []*Action{{Name: "scaleOut", Properties: &ActionProperties{
			IntProperties: map[string]int64{"factor": 2}, StrProperties: map[string]string{"name": "pod_0"},
		}}},
	}
	if !proto.Equal(&got, want) {
		t.Fatalf("decoded %v\nwant %v", &got, want)
	}
}

func TestIDORequestFieldNumbers(t *testing.T) {
	// NextStateRequest{state=1, goal=2, profiles=3}; Profile{key=1, profile_type=2, minimize=3}
	profile := field(nil, 1, protowire.BytesType, str("p99"))
	profile = field(profile, 2, protowire.VarintType, varint(1))
	profile = field(profile, 3, protowire.VarintType, varint(1))
	req := field(nil, 1, protowire.BytesType, msg(nil))
	req = field(req, 2, protowire.BytesType, msg(nil))
	req = field(req, 3, protowire.BytesType, msg(mapEntry(str("p99"), protowire.BytesType, msg(profile), protowire.BytesType)))
	var got NextStateRequest
	if err := proto.Unmarshal(req, &got); err != nil {
		t.Fatal(err)
	}
	if got.State == nil || got.Goal == nil || got.Profiles["p99"].GetProfileType() != ProfileType_LATENCY || !got.Profiles["p99"].GetMinimize() {
		t.Fatalf("decoded %v", &got)
	}
	// RegisterRequest{pInfo=1}; PluginInfo{type=1, name=2, endpoint=3, supported_versions=4}
	info := field(nil, 1, protowire.VarintType, varint(0))
	info = field(info, 2, protowire.BytesType, str("scaleout"))
	info = field(info, 3, protowire.BytesType, str("10.0.0.1:33334"))
	info = field(info, 4, protowire.BytesType, str("v1alpha1"))
	var reg RegisterRequest
	if err := proto.Unmarshal(field(nil, 1, protowire.BytesType, msg(info)), &reg); err != nil {
		t.Fatal(err)
	}
	if reg.GetPInfo().GetName() != "scaleout" || reg.GetPInfo().GetEndpoint() != "10.0.0.1:33334" || reg.GetPInfo().GetSupportedVersions() != "v1alpha1" {
		t.Fatalf("decoded %v", &reg)
	}
}

func TestServiceNamesAreIDOs(t *testing.T) {
	if Registration_ServiceDesc.ServiceName != "plugins.Registration" || ActuatorPlugin_ServiceDesc.ServiceName != "plugins.ActuatorPlugin" {
		t.Fatalf("service names %q, %q", Registration_ServiceDesc.ServiceName, ActuatorPlugin_ServiceDesc.ServiceName)
	}
	if ActuatorPlugin_NextState_FullMethodName != "/plugins.ActuatorPlugin/NextState" || Registration_Register_FullMethodName != "/plugins.Registration/Register" {
		t.Fatal("method names differ from IDO's")
	}
}
