package actuator

// ProfileType is the kind of a KPI profile. It decides how actuators treat an
// objective measured by the profile (a scaling model predicts latency, pods
// carry availability, …).
type ProfileType string

// The profile types wido knows. The names are IDO's, lower case.
const (
	Latency      ProfileType = "latency"
	Throughput   ProfileType = "throughput"
	Availability ProfileType = "availability"
	Power        ProfileType = "power"
)

// Valid reports whether t is one of the known profile types.
func (t ProfileType) Valid() bool {
	switch t {
	case Latency, Throughput, Availability, Power:
		return true
	}
	return false
}

// Profile describes how an objective is measured and compared. Profiles are
// keyed by name; an intent's objectives name the profile that measures them.
type Profile struct {
	Type ProfileType
	// Minimize is true when lower values are better (latency, power).
	Minimize bool
}

// Intent is the objective side of a State. In the goal state Objectives holds
// the targets; in any other state it holds the (measured or predicted)
// current values.
type Intent struct {
	// Key identifies the intent, "namespace/name".
	Key string
	// Priority is in (0, 1]; actuators scale utilities by it.
	Priority float64
	// TargetKey is the workload the intent is about, "namespace/name".
	TargetKey string
	// TargetKind is the workload's kind: Deployment, StatefulSet or ReplicaSet.
	TargetKind string
	// Objectives maps a profile key to a value. An objective that a state
	// does not list, or lists as NaN, is unknown: it never meets a target.
	Objectives map[string]float64
	// Tolerances maps a profile key to a relative tolerance (0.1 = 10 %).
	// Only the goal's tolerances are used: a minimized objective meets a
	// target t when value <= t + |t|·tolerance, a maximized one when
	// value >= t − |t|·tolerance.
	Tolerances map[string]float64
}

// PodState is what the planner knows of one pod.
type PodState struct {
	// Availability in [0, 1].
	Availability float64
	NodeName     string
	// State is the pod phase, e.g. "Running" or "Pending".
	State string
	// QoSClass is Guaranteed, Burstable or BestEffort.
	QoSClass string
}

// State is one state of an intent's workload: the planner's search node.
type State struct {
	Intent Intent
	// Pods maps pod name to its state.
	Pods map[string]PodState
	// Resources maps "<container>_<resource>_<requests|limits>" to
	// milli-units, e.g. "app_cpu_requests": 500.
	Resources map[string]int64
	// Annotations of the workload's pod template.
	Annotations map[string]string
	// Data is free data: actuators may keep values here between expansions
	// of one plan.
	Data map[string]map[string]float64
}

// Properties are an action's parameters, IDO's ActionProperties: integer and
// string valued.
type Properties struct {
	Int map[string]int64
	Str map[string]string
}

// Action is one step of a plan, e.g. scaleOut{factor: 2}.
type Action struct {
	Name       string
	Properties Properties
}

// OperationKind names a declarative operation that Perform may return.
type OperationKind string

// The operations wido's actuation layer can apply. Each is checked against
// the intent's target and guards before it is applied by the host.
const (
	// Scale sets the target's replica count to Replicas.
	Scale OperationKind = "Scale"
	// EvictPod evicts the pod named Pod through the Eviction API.
	EvictPod OperationKind = "EvictPod"
	// SetCPU sets the CPU request and/or limit of container Container in
	// the target's pod template, in millicores; 0 leaves a value unchanged.
	SetCPU OperationKind = "SetCPU"
	// SetAnnotation sets annotation Key to Value on the target's pod
	// template.
	SetAnnotation OperationKind = "SetAnnotation"
)

// Operation is one declarative change to the intent's target. Only the fields
// of its Kind are meaningful.
type Operation struct {
	Kind       OperationKind
	Replicas   int64
	Pod        string
	Container  string
	CPURequest int64
	CPULimit   int64
	Key        string
	Value      string
}

// Model is a learned model: named parameter vectors, e.g. the scale-out
// model {"popt": [4]…, "throughputScale": [2]…}. Matrices are stored row
// major; the actuator that owns a model knows its shape.
type Model map[string][]float64

// Models maps a profile key (the objective a model predicts) to a model.
type Models map[string]Model

// Observation is one measured point of an intent's history: the state as
// observed at Time (Unix milliseconds) and the actions performed before it.
type Observation struct {
	Time    int64
	State   State
	Actions []Action
}

// Info describes an actuator.
type Info struct {
	// Name is the actuator's name and the name of the actions it returns,
	// e.g. "scaleOut".
	Name string
	// Group is a family of actuators, e.g. "scaling".
	Group string
	// Version is the actuator's own version string.
	Version string
}

// NextStateRequest asks for the states reachable from State in one action.
type NextStateRequest struct {
	State    State
	Goal     State
	Profiles map[string]Profile
	// Models holds this actuator's learned models, keyed by profile key.
	Models Models
}

// NextStateResponse holds candidate states with, at the same index, the
// utility (the cost of the edge; lower is preferred, never negative) and the
// action leading to it. The three slices must have equal lengths.
type NextStateResponse struct {
	States    []State
	Utilities []float64
	Actions   []Action
}

// PerformRequest asks an actuator to turn the actions of a plan that are its
// own into operations. Plan is the whole plan, in order.
type PerformRequest struct {
	State State
	Plan  []Action
}

// PerformResponse holds declarative operations, in the order they should be
// applied.
type PerformResponse struct {
	Operations []Operation
}

// EffectRequest hands an actuator the observation history of one intent and
// its current models.
type EffectRequest struct {
	Profiles     map[string]Profile
	Observations []Observation
	Models       Models
}

// EffectResponse holds the actuator's models after learning from the
// observations. A model that is absent is unchanged.
type EffectResponse struct {
	Models Models
}

// Interface is the logic of an actuator. Implementations are pure: they read
// only their inputs, return new values (never modify a request) and perform
// no I/O, so that the same code runs in-process and as a Wasm module.
//
// # Errors
//
// An error means the call failed as a whole; the planner drops that
// actuator's output for the plan and says why in the plan's explanation. "No
// candidates" is not an error: return an empty response.
type Interface interface {
	Info() Info
	NextState(req *NextStateRequest) (*NextStateResponse, error)
	Perform(req *PerformRequest) (*PerformResponse, error)
	Effect(req *EffectRequest) (*EffectResponse, error)
}
