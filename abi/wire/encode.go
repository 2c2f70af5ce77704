package wire

import (
	"slices"

	"github.com/wido-dev/wido/abi/actuator"
)

// The encoders append a message's wire bytes to dst and return the extended
// slice, like the append built-in. They write what the matching
// pluginpb.FromXxx conversion produces, byte for byte as protobuf-go's
// deterministic marshal writes it: fields in number order, zero scalars
// omitted, map entries in key order. A nil request or response encodes as
// the zero value.

// AppendDescribeRequest appends the DescribeRequest carrying config.
func AppendDescribeRequest(dst []byte, config map[string]string) []byte {
	return appendMap(dst, 1, config, stringEntry)
}

// AppendInfo appends info as an ActuatorInfo.
func AppendInfo(dst []byte, info actuator.Info) []byte {
	dst = appendString(dst, 1, info.Name)
	dst = appendString(dst, 2, info.Group)
	return appendString(dst, 3, info.Version)
}

// AppendNextStateRequest appends r as a NextStateRequest.
func AppendNextStateRequest(dst []byte, r *actuator.NextStateRequest) []byte {
	if r == nil {
		r = &actuator.NextStateRequest{}
	}
	dst = appendState(dst, 1, &r.State)
	dst = appendState(dst, 2, &r.Goal)
	dst = appendProfiles(dst, 3, r.Profiles)
	return appendModels(dst, 4, r.Models)
}

// AppendNextStateResponse appends r as a NextStateResponse.
func AppendNextStateResponse(dst []byte, r *actuator.NextStateResponse) []byte {
	if r == nil {
		return dst
	}
	for i := range r.States {
		dst = appendState(dst, 1, &r.States[i])
	}
	dst = appendDoubles(dst, 2, r.Utilities)
	for i := range r.Actions {
		dst = appendAction(dst, 3, &r.Actions[i])
	}
	return dst
}

// AppendPerformRequest appends r as a PerformRequest.
func AppendPerformRequest(dst []byte, r *actuator.PerformRequest) []byte {
	if r == nil {
		r = &actuator.PerformRequest{}
	}
	dst = appendState(dst, 1, &r.State)
	for i := range r.Plan {
		dst = appendAction(dst, 2, &r.Plan[i])
	}
	return dst
}

// AppendPerformResponse appends r as a PerformResponse. An operation of a
// kind this schema does not define is written as OPERATION_UNSPECIFIED
// (which no decoder accepts).
func AppendPerformResponse(dst []byte, r *actuator.PerformResponse) []byte {
	if r == nil {
		return dst
	}
	for i := range r.Operations {
		dst = appendOperation(dst, 1, &r.Operations[i])
	}
	return dst
}

// AppendEffectRequest appends r as an EffectRequest. Its state field stays
// unset: actuator.EffectRequest has none.
func AppendEffectRequest(dst []byte, r *actuator.EffectRequest) []byte {
	if r == nil {
		return dst
	}
	dst = appendProfiles(dst, 2, r.Profiles)
	for i := range r.Observations {
		dst = appendObservation(dst, 3, &r.Observations[i])
	}
	return appendModels(dst, 4, r.Models)
}

// AppendEffectResponse appends r as an EffectResponse.
func AppendEffectResponse(dst []byte, r *actuator.EffectResponse) []byte {
	if r == nil {
		return dst
	}
	return appendModels(dst, 1, r.Models)
}

// appendState writes s as the State field num. The intent is always
// written, as pluginpb.FromState always sets it.
func appendState(b []byte, num uint64, s *actuator.State) []byte {
	b, start := beginMessage(b, num)
	b = appendIntent(b, 1, &s.Intent)
	b = appendMap(b, 2, s.Pods, podStateEntry)
	b = appendMap(b, 3, s.Data, dataEntry)
	b = appendMap(b, 4, s.Resources, int64Entry)
	b = appendMap(b, 5, s.Annotations, stringEntry)
	return endMessage(b, start)
}

func appendIntent(b []byte, num uint64, in *actuator.Intent) []byte {
	b, start := beginMessage(b, num)
	b = appendString(b, 1, in.Key)
	b = appendDouble(b, 2, in.Priority)
	b = appendString(b, 3, in.TargetKey)
	b = appendString(b, 4, in.TargetKind)
	b = appendMap(b, 5, in.Objectives, doubleEntry)
	b = appendMap(b, 6, in.Tolerances, doubleEntry)
	return endMessage(b, start)
}

func podStateEntry(b []byte, p actuator.PodState) []byte {
	b, start := beginMessage(b, 2)
	b = appendDouble(b, 1, p.Availability)
	b = appendString(b, 2, p.NodeName)
	b = appendString(b, 3, p.State)
	b = appendString(b, 4, p.QoSClass)
	return endMessage(b, start)
}

// dataEntry writes a DataEntry, even for a nil map.
func dataEntry(b []byte, d map[string]float64) []byte {
	b, start := beginMessage(b, 2)
	b = appendMap(b, 1, d, doubleEntry)
	return endMessage(b, start)
}

// appendProfiles writes profiles; each carries its key, as IDO's do
// (pluginpb.FromProfiles). A profile type this schema does not define is
// written as OBSOLETE, i.e. omitted.
func appendProfiles(b []byte, num uint64, profiles map[string]actuator.Profile) []byte {
	if len(profiles) == 0 {
		return b
	}
	var buf [16]string
	for _, k := range sortedKeys(buf[:0], profiles) {
		p := profiles[k]
		var entry, body int
		b, entry = beginMessage(b, num)
		b = appendStringValue(b, 1, k)
		b, body = beginMessage(b, 2)
		b = appendString(b, 1, k)
		b = appendInt64(b, 2, int64(profileTypeNumber(p.Type)))
		b = appendBool(b, 3, p.Minimize)
		b = endMessage(b, body)
		b = endMessage(b, entry)
	}
	return b
}

func profileTypeNumber(t actuator.ProfileType) int32 {
	for i, known := range profileTypes {
		if i > 0 && t == known {
			return int32(i)
		}
	}
	return 0
}

// appendAction writes a as the Action field num with IDO's property type:
// STRING_PROPERTY when the action has string properties only
// (pluginpb.FromAction). The properties are always written.
func appendAction(b []byte, num uint64, a *actuator.Action) []byte {
	b, start := beginMessage(b, num)
	b = appendString(b, 1, a.Name)
	var props int
	b, props = beginMessage(b, 2)
	if len(a.Properties.Int) == 0 && len(a.Properties.Str) > 0 {
		b = appendInt64(b, 1, 1) // STRING_PROPERTY
	}
	b = appendMap(b, 2, a.Properties.Int, int64Entry)
	b = appendMap(b, 3, a.Properties.Str, stringEntry)
	b = endMessage(b, props)
	return endMessage(b, start)
}

func appendModels(b []byte, num uint64, models actuator.Models) []byte {
	return appendMap(b, num, models, modelEntry)
}

func modelEntry(b []byte, m actuator.Model) []byte {
	b, start := beginMessage(b, 2)
	b = appendMap(b, 1, m, doubleListEntry)
	return endMessage(b, start)
}

func doubleListEntry(b []byte, v []float64) []byte {
	b, start := beginMessage(b, 2)
	b = appendDoubles(b, 1, v)
	return endMessage(b, start)
}

func appendOperation(b []byte, num uint64, o *actuator.Operation) []byte {
	b, start := beginMessage(b, num)
	b = appendInt64(b, 1, int64(operationKindNumber(o.Kind)))
	b = appendInt64(b, 2, o.Replicas)
	b = appendString(b, 3, o.Pod)
	b = appendString(b, 4, o.Container)
	b = appendInt64(b, 5, o.CPURequest)
	b = appendInt64(b, 6, o.CPULimit)
	b = appendString(b, 7, o.Key)
	b = appendString(b, 8, o.Value)
	return endMessage(b, start)
}

func operationKindNumber(k actuator.OperationKind) int32 {
	for i, known := range operationKinds {
		if i > 0 && k == known {
			return int32(i)
		}
	}
	return 0
}

// appendObservation writes o; its state is always written, as
// pluginpb.FromObservation always sets it.
func appendObservation(b []byte, num uint64, o *actuator.Observation) []byte {
	b, start := beginMessage(b, num)
	b = appendInt64(b, 1, o.Time)
	b = appendState(b, 2, &o.State)
	for i := range o.Actions {
		b = appendAction(b, 3, &o.Actions[i])
	}
	return endMessage(b, start)
}

// sortedKeys appends the keys of m to buf, sorted. Callers pass a small
// array on their stack so that small maps cost no allocation.
func sortedKeys[V any](buf []string, m map[string]V) []string {
	for k := range m {
		buf = append(buf, k)
	}
	slices.Sort(buf)
	return buf
}
