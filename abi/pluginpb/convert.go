package pluginpb

import (
	"fmt"
	"maps"

	"github.com/wido-dev/wido/abi/actuator"
)

// Conversions between the wire messages and the Go contract types of
// abi/actuator. From* functions never fail; To* functions refuse enum values
// they do not know. Maps and slices are copied, never shared.

// FromProfileType converts a profile type; an unknown type is OBSOLETE.
func FromProfileType(t actuator.ProfileType) ProfileType {
	switch t {
	case actuator.Latency:
		return ProfileType_LATENCY
	case actuator.Availability:
		return ProfileType_AVAILABILITY
	case actuator.Throughput:
		return ProfileType_THROUGHPUT
	case actuator.Power:
		return ProfileType_POWER
	}
	return ProfileType_OBSOLETE
}

// ToProfileType converts a wire profile type.
//
// # Errors
//
// OBSOLETE or a value this schema does not define.
func ToProfileType(t ProfileType) (actuator.ProfileType, error) {
	switch t {
	case ProfileType_LATENCY:
		return actuator.Latency, nil
	case ProfileType_AVAILABILITY:
		return actuator.Availability, nil
	case ProfileType_THROUGHPUT:
		return actuator.Throughput, nil
	case ProfileType_POWER:
		return actuator.Power, nil
	}
	return "", fmt.Errorf("pluginpb: unknown profile type %d", t)
}

// FromProfiles converts profiles; each carries its key, as IDO's do.
func FromProfiles(in map[string]actuator.Profile) map[string]*Profile {
	if in == nil {
		return nil
	}
	out := make(map[string]*Profile, len(in))
	for k, p := range in {
		out[k] = &Profile{Key: k, ProfileType: FromProfileType(p.Type), Minimize: p.Minimize}
	}
	return out
}

// ToProfiles converts wire profiles, keyed by their map key.
//
// # Errors
//
// A profile of unknown type.
func ToProfiles(in map[string]*Profile) (map[string]actuator.Profile, error) {
	if in == nil {
		return nil, nil
	}
	out := make(map[string]actuator.Profile, len(in))
	for k, p := range in {
		t, err := ToProfileType(p.GetProfileType())
		if err != nil {
			return nil, fmt.Errorf("profile %q: %w", k, err)
		}
		out[k] = actuator.Profile{Type: t, Minimize: p.GetMinimize()}
	}
	return out, nil
}

// FromState converts a state.
func FromState(s *actuator.State) *State {
	out := &State{
		Intent: &Intent{
			Key: s.Intent.Key, Priority: s.Intent.Priority, TargetKey: s.Intent.TargetKey, TargetKind: s.Intent.TargetKind,
			Objectives: maps.Clone(s.Intent.Objectives), Tolerances: maps.Clone(s.Intent.Tolerances),
		},
		Resources:   maps.Clone(s.Resources),
		Annotations: maps.Clone(s.Annotations),
	}
	if s.Pods != nil {
		out.CurrentPods = make(map[string]*PodState, len(s.Pods))
		for k, p := range s.Pods {
			out.CurrentPods[k] = &PodState{Availability: p.Availability, NodeName: p.NodeName, State: p.State, QosClass: p.QoSClass}
		}
	}
	if s.Data != nil {
		out.CurrentData = make(map[string]*DataEntry, len(s.Data))
		for k, d := range s.Data {
			out.CurrentData[k] = &DataEntry{Data: maps.Clone(d)}
		}
	}
	return out
}

// ToState converts a wire state. A nil state is the zero State.
func ToState(s *State) actuator.State {
	in := s.GetIntent()
	out := actuator.State{
		Intent: actuator.Intent{
			Key: in.GetKey(), Priority: in.GetPriority(), TargetKey: in.GetTargetKey(), TargetKind: in.GetTargetKind(),
			Objectives: maps.Clone(in.GetObjectives()), Tolerances: maps.Clone(in.GetTolerances()),
		},
		Resources:   maps.Clone(s.GetResources()),
		Annotations: maps.Clone(s.GetAnnotations()),
	}
	if pods := s.GetCurrentPods(); pods != nil {
		out.Pods = make(map[string]actuator.PodState, len(pods))
		for k, p := range pods {
			out.Pods[k] = actuator.PodState{Availability: p.GetAvailability(), NodeName: p.GetNodeName(), State: p.GetState(), QoSClass: p.GetQosClass()}
		}
	}
	if data := s.GetCurrentData(); data != nil {
		out.Data = make(map[string]map[string]float64, len(data))
		for k, d := range data {
			out.Data[k] = maps.Clone(d.GetData())
		}
	}
	return out
}

// FromAction converts an action. The property type is IDO's: STRING_PROPERTY
// when the action has string properties only.
func FromAction(a *actuator.Action) *Action {
	t := PropertyType_INT_PROPERTY
	if len(a.Properties.Int) == 0 && len(a.Properties.Str) > 0 {
		t = PropertyType_STRING_PROPERTY
	}
	return &Action{Name: a.Name, Properties: &ActionProperties{
		Type: t, IntProperties: maps.Clone(a.Properties.Int), StrProperties: maps.Clone(a.Properties.Str),
	}}
}

// ToAction converts a wire action.
func ToAction(a *Action) actuator.Action {
	return actuator.Action{Name: a.GetName(), Properties: actuator.Properties{
		Int: maps.Clone(a.GetProperties().GetIntProperties()), Str: maps.Clone(a.GetProperties().GetStrProperties()),
	}}
}

// FromModels converts models.
func FromModels(in actuator.Models) map[string]*Model {
	if in == nil {
		return nil
	}
	out := make(map[string]*Model, len(in))
	for k, m := range in {
		params := make(map[string]*DoubleList, len(m))
		for name, v := range m {
			params[name] = &DoubleList{Values: append([]float64(nil), v...)}
		}
		out[k] = &Model{Params: params}
	}
	return out
}

// ToModels converts wire models.
func ToModels(in map[string]*Model) actuator.Models {
	if in == nil {
		return nil
	}
	out := make(actuator.Models, len(in))
	for k, m := range in {
		model := make(actuator.Model, len(m.GetParams()))
		for name, v := range m.GetParams() {
			model[name] = append([]float64(nil), v.GetValues()...)
		}
		out[k] = model
	}
	return out
}

// FromNextStateRequest converts a NextState request.
func FromNextStateRequest(r *actuator.NextStateRequest) *NextStateRequest {
	return &NextStateRequest{State: FromState(&r.State), Goal: FromState(&r.Goal), Profiles: FromProfiles(r.Profiles), Models: FromModels(r.Models)}
}

// ToNextStateRequest converts a wire NextState request.
//
// # Errors
//
// A profile of unknown type.
func ToNextStateRequest(r *NextStateRequest) (*actuator.NextStateRequest, error) {
	profiles, err := ToProfiles(r.GetProfiles())
	if err != nil {
		return nil, err
	}
	return &actuator.NextStateRequest{State: ToState(r.GetState()), Goal: ToState(r.GetGoal()), Profiles: profiles, Models: ToModels(r.GetModels())}, nil
}

// FromNextStateResponse converts a NextState response.
func FromNextStateResponse(r *actuator.NextStateResponse) *NextStateResponse {
	out := &NextStateResponse{Utilities: append([]float64(nil), r.Utilities...)}
	for i := range r.States {
		out.States = append(out.States, FromState(&r.States[i]))
	}
	for i := range r.Actions {
		out.Actions = append(out.Actions, FromAction(&r.Actions[i]))
	}
	return out
}

// ToNextStateResponse converts a wire NextState response. Slice lengths are
// kept as they are: checking them is the planner's job.
func ToNextStateResponse(r *NextStateResponse) *actuator.NextStateResponse {
	out := &actuator.NextStateResponse{Utilities: append([]float64(nil), r.GetUtilities()...)}
	for _, s := range r.GetStates() {
		out.States = append(out.States, ToState(s))
	}
	for _, a := range r.GetActions() {
		out.Actions = append(out.Actions, ToAction(a))
	}
	return out
}

// FromOperation converts an operation; an unknown kind is
// OPERATION_UNSPECIFIED.
func FromOperation(o *actuator.Operation) *Operation {
	kind := OperationKind_OPERATION_UNSPECIFIED
	switch o.Kind {
	case actuator.Scale:
		kind = OperationKind_SCALE
	case actuator.EvictPod:
		kind = OperationKind_EVICT_POD
	case actuator.SetCPU:
		kind = OperationKind_SET_CPU
	case actuator.SetAnnotation:
		kind = OperationKind_SET_ANNOTATION
	}
	return &Operation{Kind: kind, Replicas: o.Replicas, Pod: o.Pod, Container: o.Container,
		CpuRequest: o.CPURequest, CpuLimit: o.CPULimit, Key: o.Key, Value: o.Value}
}

// ToOperation converts a wire operation.
//
// # Errors
//
// An unspecified or unknown kind.
func ToOperation(o *Operation) (actuator.Operation, error) {
	var kind actuator.OperationKind
	switch o.GetKind() {
	case OperationKind_SCALE:
		kind = actuator.Scale
	case OperationKind_EVICT_POD:
		kind = actuator.EvictPod
	case OperationKind_SET_CPU:
		kind = actuator.SetCPU
	case OperationKind_SET_ANNOTATION:
		kind = actuator.SetAnnotation
	default:
		return actuator.Operation{}, fmt.Errorf("pluginpb: unknown operation kind %d", o.GetKind())
	}
	return actuator.Operation{Kind: kind, Replicas: o.GetReplicas(), Pod: o.GetPod(), Container: o.GetContainer(),
		CPURequest: o.GetCpuRequest(), CPULimit: o.GetCpuLimit(), Key: o.GetKey(), Value: o.GetValue()}, nil
}

// FromPerformRequest converts a Perform request.
func FromPerformRequest(r *actuator.PerformRequest) *PerformRequest {
	out := &PerformRequest{State: FromState(&r.State)}
	for i := range r.Plan {
		out.Plan = append(out.Plan, FromAction(&r.Plan[i]))
	}
	return out
}

// ToPerformRequest converts a wire Perform request.
func ToPerformRequest(r *PerformRequest) *actuator.PerformRequest {
	out := &actuator.PerformRequest{State: ToState(r.GetState())}
	for _, a := range r.GetPlan() {
		out.Plan = append(out.Plan, ToAction(a))
	}
	return out
}

// FromPerformResponse converts a Perform response; an operation of unknown
// kind is OPERATION_UNSPECIFIED (see FromOperation).
func FromPerformResponse(r *actuator.PerformResponse) *PerformResponse {
	out := &PerformResponse{}
	for i := range r.Operations {
		out.Operations = append(out.Operations, FromOperation(&r.Operations[i]))
	}
	return out
}

// ToPerformResponse converts a wire Perform response.
//
// # Errors
//
// An operation of unspecified or unknown kind.
func ToPerformResponse(r *PerformResponse) (*actuator.PerformResponse, error) {
	out := &actuator.PerformResponse{}
	for i, o := range r.GetOperations() {
		op, err := ToOperation(o)
		if err != nil {
			return nil, fmt.Errorf("operation %d: %w", i, err)
		}
		out.Operations = append(out.Operations, op)
	}
	return out, nil
}

// FromObservation converts an observation; the time stays in Unix
// milliseconds.
func FromObservation(o *actuator.Observation) *Observation {
	out := &Observation{Time: o.Time, State: FromState(&o.State)}
	for i := range o.Actions {
		out.Actions = append(out.Actions, FromAction(&o.Actions[i]))
	}
	return out
}

// ToObservation converts a wire observation.
func ToObservation(o *Observation) actuator.Observation {
	out := actuator.Observation{Time: o.GetTime(), State: ToState(o.GetState())}
	for _, a := range o.GetActions() {
		out.Actions = append(out.Actions, ToAction(a))
	}
	return out
}

// FromEffectRequest converts an Effect request. The wire message's state
// (IDO's) stays unset: actuator.EffectRequest has none; the observations
// carry the states.
func FromEffectRequest(r *actuator.EffectRequest) *EffectRequest {
	out := &EffectRequest{Profiles: FromProfiles(r.Profiles), Models: FromModels(r.Models)}
	for i := range r.Observations {
		out.Observations = append(out.Observations, FromObservation(&r.Observations[i]))
	}
	return out
}

// ToEffectRequest converts a wire Effect request. The state is ignored (see
// FromEffectRequest).
//
// # Errors
//
// A profile of unknown type.
func ToEffectRequest(r *EffectRequest) (*actuator.EffectRequest, error) {
	profiles, err := ToProfiles(r.GetProfiles())
	if err != nil {
		return nil, err
	}
	out := &actuator.EffectRequest{Profiles: profiles, Models: ToModels(r.GetModels())}
	for _, o := range r.GetObservations() {
		out.Observations = append(out.Observations, ToObservation(o))
	}
	return out, nil
}

// FromEffectResponse converts an Effect response.
func FromEffectResponse(r *actuator.EffectResponse) *EffectResponse {
	return &EffectResponse{Models: FromModels(r.Models)}
}

// ToEffectResponse converts a wire Effect response.
func ToEffectResponse(r *EffectResponse) *actuator.EffectResponse {
	return &actuator.EffectResponse{Models: ToModels(r.GetModels())}
}

// FromInfo converts an actuator's description.
func FromInfo(i actuator.Info) *ActuatorInfo {
	return &ActuatorInfo{Name: i.Name, Group: i.Group, Version: i.Version}
}

// ToInfo converts a wire actuator description.
func ToInfo(i *ActuatorInfo) actuator.Info {
	return actuator.Info{Name: i.GetName(), Group: i.GetGroup(), Version: i.GetVersion()}
}
