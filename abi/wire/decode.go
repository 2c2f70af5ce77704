package wire

import (
	"strconv"

	"github.com/wido-dev/wido/abi/actuator"
)

// Field names by number, for error paths.
var (
	intentFields            = []string{1: "key", 2: "priority", 3: "target_key", 4: "target_kind", 5: "objectives", 6: "tolerances"}
	podStateFields          = []string{1: "availability", 2: "node_name", 3: "state", 4: "qos_class"}
	dataEntryFields         = []string{1: "data"}
	stateFields             = []string{1: "intent", 2: "current_pods", 3: "current_data", 4: "resources", 5: "annotations"}
	profileFields           = []string{1: "key", 2: "profile_type", 3: "minimize"}
	actionPropertiesFields  = []string{1: "type", 2: "intProperties", 3: "strProperties"}
	actionFields            = []string{1: "name", 2: "properties"}
	doubleListFields        = []string{1: "values"}
	modelFields             = []string{1: "params"}
	nextStateRequestFields  = []string{1: "state", 2: "goal", 3: "profiles", 4: "models"}
	nextStateResponseFields = []string{1: "states", 2: "utilities", 3: "actions"}
	performRequestFields    = []string{1: "state", 2: "plan"}
	operationFields         = []string{1: "kind", 2: "replicas", 3: "pod", 4: "container", 5: "cpu_request", 6: "cpu_limit", 7: "key", 8: "value"}
	performResponseFields   = []string{1: "operations"}
	observationFields       = []string{1: "time", 2: "state", 3: "actions"}
	effectRequestFields     = []string{1: "state", 2: "profiles", 3: "observations", 4: "models"}
	effectResponseFields    = []string{1: "models"}
	describeRequestFields   = []string{1: "config"}
	actuatorInfoFields      = []string{1: "name", 2: "group", 3: "version"}
)

// DecodeDescribeRequest decodes a DescribeRequest: the actuator's
// configuration. No entries decode as a nil map.
//
// # Errors
//
// A *DecodeError when b is not a DescribeRequest: bad framing or a key or
// value that is not UTF-8.
func DecodeDescribeRequest(b []byte) (map[string]string, error) {
	var config map[string]string
	err := decodeFields(b, describeRequestFields, func(f field) *DecodeError {
		if f.num == 1 {
			return decodeEntry(&config, f, "", stringValue)
		}
		return nil
	})
	if err != nil {
		return nil, err.in("DescribeRequest")
	}
	return config, nil
}

// DecodeInfo decodes an ActuatorInfo.
//
// # Errors
//
// A *DecodeError when b is not an ActuatorInfo: bad framing or a string that
// is not UTF-8.
func DecodeInfo(b []byte) (actuator.Info, error) {
	var info actuator.Info
	err := decodeFields(b, actuatorInfoFields, func(f field) *DecodeError {
		var err *DecodeError
		switch {
		case f.is(1, bytesType):
			info.Name, err = f.str()
		case f.is(2, bytesType):
			info.Group, err = f.str()
		case f.is(3, bytesType):
			info.Version, err = f.str()
		}
		return err
	})
	if err != nil {
		return actuator.Info{}, err.in("ActuatorInfo")
	}
	return info, nil
}

// DecodeNextStateRequest decodes a NextStateRequest, as
// pluginpb.ToNextStateRequest converts it.
//
// # Errors
//
// A *DecodeError when b is not a NextStateRequest: bad framing, a string
// that is not UTF-8, or a profile of a type this schema does not define
// (OBSOLETE included).
func DecodeNextStateRequest(b []byte) (*actuator.NextStateRequest, error) {
	var r actuator.NextStateRequest
	var profiles map[string]profile
	err := decodeFields(b, nextStateRequestFields, func(f field) *DecodeError {
		switch {
		case f.is(1, bytesType):
			return decodeState(f.b, &r.State)
		case f.is(2, bytesType):
			return decodeState(f.b, &r.Goal)
		case f.num == 3:
			return decodeEntry(&profiles, f, profile{}, profileValue)
		case f.num == 4:
			return decodeModelsEntry(&r.Models, f)
		}
		return nil
	})
	if err == nil {
		r.Profiles, err = toProfiles(profiles)
	}
	if err != nil {
		return nil, err.in("NextStateRequest")
	}
	return &r, nil
}

// DecodeNextStateResponse decodes a NextStateResponse, as
// pluginpb.ToNextStateResponse converts it. The lengths of the three slices
// are kept as they are on the wire.
//
// # Errors
//
// A *DecodeError when b is not a NextStateResponse: bad framing (packed
// utilities whose length is not a multiple of 8 included) or a string that
// is not UTF-8.
func DecodeNextStateResponse(b []byte) (*actuator.NextStateResponse, error) {
	var r actuator.NextStateResponse
	err := decodeFields(b, nextStateResponseFields, func(f field) *DecodeError {
		switch {
		case f.is(1, bytesType):
			var s actuator.State
			if err := decodeState(f.b, &s); err != nil {
				return err.at(len(r.States))
			}
			r.States = append(r.States, s)
		case f.num == 2:
			var err *DecodeError
			r.Utilities, err = f.doubles(r.Utilities)
			return err
		case f.is(3, bytesType):
			var a actuator.Action
			if err := decodeAction(f.b, &a); err != nil {
				return err.at(len(r.Actions))
			}
			r.Actions = append(r.Actions, a)
		}
		return nil
	})
	if err != nil {
		return nil, err.in("NextStateResponse")
	}
	return &r, nil
}

// DecodePerformRequest decodes a PerformRequest, as pluginpb.ToPerformRequest
// converts it.
//
// # Errors
//
// A *DecodeError when b is not a PerformRequest: bad framing or a string
// that is not UTF-8.
func DecodePerformRequest(b []byte) (*actuator.PerformRequest, error) {
	var r actuator.PerformRequest
	err := decodeFields(b, performRequestFields, func(f field) *DecodeError {
		switch {
		case f.is(1, bytesType):
			return decodeState(f.b, &r.State)
		case f.is(2, bytesType):
			var a actuator.Action
			if err := decodeAction(f.b, &a); err != nil {
				return err.at(len(r.Plan))
			}
			r.Plan = append(r.Plan, a)
		}
		return nil
	})
	if err != nil {
		return nil, err.in("PerformRequest")
	}
	return &r, nil
}

// DecodePerformResponse decodes a PerformResponse, as
// pluginpb.ToPerformResponse converts it.
//
// # Errors
//
// A *DecodeError when b is not a PerformResponse: bad framing, a string that
// is not UTF-8, or an operation whose kind is OPERATION_UNSPECIFIED or a
// value this schema does not define.
func DecodePerformResponse(b []byte) (*actuator.PerformResponse, error) {
	var r actuator.PerformResponse
	err := decodeFields(b, performResponseFields, func(f field) *DecodeError {
		if f.is(1, bytesType) {
			op, err := decodeOperation(f.b)
			if err != nil {
				return err.at(len(r.Operations))
			}
			r.Operations = append(r.Operations, op)
		}
		return nil
	})
	if err != nil {
		return nil, err.in("PerformResponse")
	}
	return &r, nil
}

// DecodeEffectRequest decodes an EffectRequest, as pluginpb.ToEffectRequest
// converts it. Its state field, which actuator.EffectRequest does not have,
// is checked like every other field and then dropped.
//
// # Errors
//
// A *DecodeError when b is not an EffectRequest: bad framing, a string that
// is not UTF-8, or a profile of a type this schema does not define.
func DecodeEffectRequest(b []byte) (*actuator.EffectRequest, error) {
	var r actuator.EffectRequest
	var profiles map[string]profile
	err := decodeFields(b, effectRequestFields, func(f field) *DecodeError {
		switch {
		case f.is(1, bytesType):
			var dropped actuator.State
			return decodeState(f.b, &dropped)
		case f.num == 2:
			return decodeEntry(&profiles, f, profile{}, profileValue)
		case f.is(3, bytesType):
			var o actuator.Observation
			if err := decodeObservation(f.b, &o); err != nil {
				return err.at(len(r.Observations))
			}
			r.Observations = append(r.Observations, o)
		case f.num == 4:
			return decodeModelsEntry(&r.Models, f)
		}
		return nil
	})
	if err == nil {
		r.Profiles, err = toProfiles(profiles)
	}
	if err != nil {
		return nil, err.in("EffectRequest")
	}
	return &r, nil
}

// DecodeEffectResponse decodes an EffectResponse, as
// pluginpb.ToEffectResponse converts it.
//
// # Errors
//
// A *DecodeError when b is not an EffectResponse: bad framing or a string
// that is not UTF-8.
func DecodeEffectResponse(b []byte) (*actuator.EffectResponse, error) {
	var r actuator.EffectResponse
	err := decodeFields(b, effectResponseFields, func(f field) *DecodeError {
		if f.num == 1 {
			return decodeModelsEntry(&r.Models, f)
		}
		return nil
	})
	if err != nil {
		return nil, err.in("EffectResponse")
	}
	return &r, nil
}

// The decoders of embedded messages used in several places (decodeIntent,
// decodeState, decodeAction, decodeObservation) are marked //go:noinline:
// inlining would copy their closures into every caller, which costs a Wasm
// guest size and buys nothing.

// decodeIntent merges the Intent in b into in.
//
//go:noinline
func decodeIntent(b []byte, in *actuator.Intent) *DecodeError {
	return decodeFields(b, intentFields, func(f field) *DecodeError {
		var err *DecodeError
		switch {
		case f.is(1, bytesType):
			in.Key, err = f.str()
		case f.is(2, fixed64Type):
			in.Priority = f.double()
		case f.is(3, bytesType):
			in.TargetKey, err = f.str()
		case f.is(4, bytesType):
			in.TargetKind, err = f.str()
		case f.num == 5:
			err = decodeEntry(&in.Objectives, f, 0, doubleValue)
		case f.num == 6:
			err = decodeEntry(&in.Tolerances, f, 0, doubleValue)
		}
		return err
	})
}

// decodeState merges the State in b into s.
//
//go:noinline
func decodeState(b []byte, s *actuator.State) *DecodeError {
	return decodeFields(b, stateFields, func(f field) *DecodeError {
		switch {
		case f.is(1, bytesType):
			return decodeIntent(f.b, &s.Intent)
		case f.num == 2:
			return decodeEntry(&s.Pods, f, actuator.PodState{}, podStateValue)
		case f.num == 3:
			return decodeEntry(&s.Data, f, nil, dataEntryValue)
		case f.num == 4:
			return decodeEntry(&s.Resources, f, 0, int64Value)
		case f.num == 5:
			return decodeEntry(&s.Annotations, f, "", stringValue)
		}
		return nil
	})
}

func podStateValue(f field, p actuator.PodState) (actuator.PodState, *DecodeError) {
	if f.typ != bytesType {
		return p, nil
	}
	err := decodeFields(f.b, podStateFields, func(f field) *DecodeError {
		var err *DecodeError
		switch {
		case f.is(1, fixed64Type):
			p.Availability = f.double()
		case f.is(2, bytesType):
			p.NodeName, err = f.str()
		case f.is(3, bytesType):
			p.State, err = f.str()
		case f.is(4, bytesType):
			p.QoSClass, err = f.str()
		}
		return err
	})
	return p, err
}

// dataEntryValue merges a DataEntry into d; a DataEntry without data is a
// nil map, as in pluginpb.ToState.
func dataEntryValue(f field, d map[string]float64) (map[string]float64, *DecodeError) {
	if f.typ != bytesType {
		return d, nil
	}
	err := decodeFields(f.b, dataEntryFields, func(f field) *DecodeError {
		if f.num == 1 {
			return decodeEntry(&d, f, 0, doubleValue)
		}
		return nil
	})
	return d, err
}

// profile is a Profile as it is on the wire. Its profile type is checked
// only once the whole request is decoded, because a later map entry may
// replace a profile of an unknown type.
type profile struct {
	typ      int32
	minimize bool
}

func profileValue(f field, p profile) (profile, *DecodeError) {
	if f.typ != bytesType {
		return p, nil
	}
	err := decodeFields(f.b, profileFields, func(f field) *DecodeError {
		switch {
		case f.is(1, bytesType):
			// The key repeats the map key; pluginpb.ToProfiles ignores it,
			// but protobuf-go checks it is UTF-8.
			_, err := f.str()
			return err
		case f.is(2, varintType):
			p.typ = int32(f.u) // protobuf-go truncates enums to 32 bits
		case f.is(3, varintType):
			p.minimize = f.u != 0
		}
		return nil
	})
	return p, err
}

// The ProfileType enum of plugins.proto.
var profileTypes = [...]actuator.ProfileType{1: actuator.Latency, 2: actuator.Availability, 3: actuator.Throughput, 4: actuator.Power}

// toProfiles converts wire profiles as pluginpb.ToProfiles does. An error
// names the first key, in key order, with a bad profile type.
func toProfiles(in map[string]profile) (map[string]actuator.Profile, *DecodeError) {
	if in == nil {
		return nil, nil
	}
	out := make(map[string]actuator.Profile, len(in))
	bad, badKey := false, ""
	for k, p := range in {
		if p.typ <= 0 || int(p.typ) >= len(profileTypes) {
			if !bad || k < badKey {
				bad, badKey = true, k
			}
			continue
		}
		out[k] = actuator.Profile{Type: profileTypes[p.typ], Minimize: p.minimize}
	}
	if bad {
		err := malformed("unknown profile type " + strconv.Itoa(int(in[badKey].typ)))
		return nil, err.in("[" + strconv.Quote(badKey) + "]").in("profiles")
	}
	return out, nil
}

// decodeAction merges the Action in b into a. ActionProperties.type is
// IDO's and ignored, as in pluginpb.ToAction.
//
//go:noinline
func decodeAction(b []byte, a *actuator.Action) *DecodeError {
	return decodeFields(b, actionFields, func(f field) *DecodeError {
		var err *DecodeError
		switch {
		case f.is(1, bytesType):
			a.Name, err = f.str()
		case f.is(2, bytesType):
			err = decodeFields(f.b, actionPropertiesFields, func(f field) *DecodeError {
				switch {
				case f.num == 2:
					return decodeEntry(&a.Properties.Int, f, 0, int64Value)
				case f.num == 3:
					return decodeEntry(&a.Properties.Str, f, "", stringValue)
				}
				return nil
			})
		}
		return err
	})
}

// decodeModelsEntry decodes one entry of a map<string, Model> into m. A
// Model that is present is a non-nil map, even when it has no parameters,
// as in pluginpb.ToModels; a parameter without values is nil.
func decodeModelsEntry(m *actuator.Models, f field) *DecodeError {
	return decodeEntry(m, f, actuator.Model{}, func(f field, model actuator.Model) (actuator.Model, *DecodeError) {
		if f.typ != bytesType {
			return model, nil
		}
		err := decodeFields(f.b, modelFields, func(f field) *DecodeError {
			if f.num == 1 {
				return decodeEntry(&model, f, nil, doubleListValue)
			}
			return nil
		})
		return model, err
	})
}

func doubleListValue(f field, v []float64) ([]float64, *DecodeError) {
	if f.typ != bytesType {
		return v, nil
	}
	err := decodeFields(f.b, doubleListFields, func(f field) *DecodeError {
		if f.num != 1 {
			return nil
		}
		var err *DecodeError
		v, err = f.doubles(v)
		return err
	})
	return v, err
}

// The OperationKind enum of plugins.proto.
var operationKinds = [...]actuator.OperationKind{1: actuator.Scale, 2: actuator.EvictPod, 3: actuator.SetCPU, 4: actuator.SetAnnotation}

// decodeOperation decodes one Operation, as pluginpb.ToOperation converts
// it.
func decodeOperation(b []byte) (actuator.Operation, *DecodeError) {
	var o actuator.Operation
	var kind int32
	err := decodeFields(b, operationFields, func(f field) *DecodeError {
		var err *DecodeError
		switch {
		case f.is(1, varintType):
			kind = int32(f.u)
		case f.is(2, varintType):
			o.Replicas = int64(f.u)
		case f.is(3, bytesType):
			o.Pod, err = f.str()
		case f.is(4, bytesType):
			o.Container, err = f.str()
		case f.is(5, varintType):
			o.CPURequest = int64(f.u)
		case f.is(6, varintType):
			o.CPULimit = int64(f.u)
		case f.is(7, bytesType):
			o.Key, err = f.str()
		case f.is(8, bytesType):
			o.Value, err = f.str()
		}
		return err
	})
	if err != nil {
		return actuator.Operation{}, err
	}
	if kind <= 0 || int(kind) >= len(operationKinds) {
		return actuator.Operation{}, malformed("unknown operation kind " + strconv.Itoa(int(kind))).in("kind")
	}
	o.Kind = operationKinds[kind]
	return o, nil
}

// decodeObservation merges the Observation in b into o.
//
//go:noinline
func decodeObservation(b []byte, o *actuator.Observation) *DecodeError {
	return decodeFields(b, observationFields, func(f field) *DecodeError {
		switch {
		case f.is(1, varintType):
			o.Time = int64(f.u)
		case f.is(2, bytesType):
			return decodeState(f.b, &o.State)
		case f.is(3, bytesType):
			var a actuator.Action
			if err := decodeAction(f.b, &a); err != nil {
				return err.at(len(o.Actions))
			}
			o.Actions = append(o.Actions, a)
		}
		return nil
	})
}
