package v1alpha1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Mode says how far wido may go for an Intent.
// +kubebuilder:validation:Enum=Enforce;Recommend;Observe
type Mode string

const (
	// Enforce plans and performs the plan (within bounds and guards).
	Enforce Mode = "Enforce"
	// Recommend plans and reports the plan in status and Events, and never
	// changes the workload (IDO's active: false).
	Recommend Mode = "Recommend"
	// Observe only measures the objectives.
	Observe Mode = "Observe"
)

// TargetKind is the kind of workload an Intent may target.
// +kubebuilder:validation:Enum=Deployment;StatefulSet;ReplicaSet
type TargetKind string

// The workload kinds an Intent may target.
const (
	Deployment  TargetKind = "Deployment"
	StatefulSet TargetKind = "StatefulSet"
	ReplicaSet  TargetKind = "ReplicaSet"
)

// TargetRef names the workload an Intent is about.
type TargetRef struct {
	// Kind of the workload: Deployment, StatefulSet or ReplicaSet.
	Kind TargetKind `json:"kind"`
	// Name of the workload.
	// +kubebuilder:validation:MinLength=1
	Name string `json:"name"`
	// Namespace of the workload; the Intent's own namespace when empty.
	// +optional
	Namespace string `json:"namespace,omitempty"`
}

// Objective is one service level objective of an Intent.
type Objective struct {
	// Name of the objective, unique within the Intent (e.g. p99latency).
	// +kubebuilder:validation:Pattern=`^[a-zA-Z][a-zA-Z0-9_-]{0,62}$`
	Name string `json:"name"`
	// Value is the target: an upper bound when the KPIProfile minimizes
	// (latency, power), a lower bound otherwise (throughput, availability).
	// Units are the KPIProfile query's (e.g. seconds or milliseconds).
	Value float64 `json:"value"`
	// MeasuredBy names the KPIProfile (in the Intent's namespace) whose
	// query measures the objective.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	MeasuredBy string `json:"measuredBy"`
	// Tolerance is a relative slack on Value: 0.1 on a 30 ms latency target
	// accepts up to 33 ms. Default 0.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1
	// +optional
	Tolerance float64 `json:"tolerance,omitempty"`
}

// ContainerCPUBounds bounds the CPU wido may give one container.
// +kubebuilder:validation:XValidation:rule="!has(self.min) || !has(self.max) || quantity(self.min).compareTo(quantity(self.max)) <= 0",message="min must not exceed max"
type ContainerCPUBounds struct {
	// Container name, as in the pod template.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Container string `json:"container"`
	// Min is the least CPU request wido may set.
	// +optional
	Min *resource.Quantity `json:"min,omitempty"`
	// Max is the most CPU request (and limit) wido may set.
	// +optional
	Max *resource.Quantity `json:"max,omitempty"`
}

// Bounds limit what wido may do to the workload. A plan that would leave
// them is not performed (the PlanBlocked condition names the bound).
// +kubebuilder:validation:XValidation:rule="!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",message="minReplicas must not exceed maxReplicas"
type Bounds struct {
	// MinReplicas is the fewest replicas wido may scale to. Default 1.
	// +kubebuilder:validation:Minimum=0
	// +optional
	MinReplicas *int32 `json:"minReplicas,omitempty"`
	// MaxReplicas is the most replicas wido may scale to.
	// +kubebuilder:validation:Minimum=1
	// +optional
	MaxReplicas *int32 `json:"maxReplicas,omitempty"`
	// CPU bounds per container (at most 8 containers, which keeps the CEL
	// check of each pair within the API server's cost budget).
	// +kubebuilder:validation:MaxItems=8
	// +listType=map
	// +listMapKey=container
	// +optional
	CPU []ContainerCPUBounds `json:"cpu,omitempty"`
}

// IntentSpec is what the workload's objectives are and how wido may act.
type IntentSpec struct {
	// TargetRef is the workload the objectives are about.
	TargetRef TargetRef `json:"targetRef"`
	// Priority of the Intent, in [0.01, 1]; actuators weigh the cost of
	// their actions by it (a high priority makes adding resources cheaper).
	// +kubebuilder:validation:Minimum=0.01
	// +kubebuilder:validation:Maximum=1
	// +kubebuilder:default=1
	// +optional
	Priority float64 `json:"priority,omitempty"`
	// Objectives are the service level objectives to keep; names are
	// unique.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	// +listType=map
	// +listMapKey=name
	Objectives []Objective `json:"objectives"`
	// Mode is Enforce (plan and act, the default), Recommend (plan and
	// report, never change the workload) or Observe (only measure).
	// +kubebuilder:default=Enforce
	// +optional
	Mode Mode `json:"mode,omitempty"`
	// Active is IDO's switch, kept for IDO manifests: false means
	// mode Recommend. Prefer mode.
	// +optional
	Active *bool `json:"active,omitempty"`
	// Bounds limit replicas and CPU.
	// +optional
	Bounds Bounds `json:"bounds,omitempty"`
	// Cooldown is the least time between two actions on the workload.
	// Default 1m.
	// +optional
	Cooldown *metav1.Duration `json:"cooldown,omitempty"`
}

// EffectiveMode is the mode wido applies: Recommend when IDO's active is
// false, else Mode (Enforce when empty).
func (s *IntentSpec) EffectiveMode() Mode {
	if s.Active != nil && !*s.Active && (s.Mode == "" || s.Mode == Enforce) {
		return Recommend
	}
	if s.Mode == "" {
		return Enforce
	}
	return s.Mode
}

// ObjectiveStatus is the last measurement of one objective.
type ObjectiveStatus struct {
	// Name of the objective.
	Name string `json:"name"`
	// Value measured; absent when the measurement failed (unknown).
	// +optional
	Value *float64 `json:"value,omitempty"`
	// Met says whether Value meets the objective with its tolerance.
	Met bool `json:"met"`
	// Time of the measurement.
	// +optional
	Time *metav1.Time `json:"time,omitempty"`
}

// PlannedAction is one action of a plan.
type PlannedAction struct {
	// Actuator that proposed the action, also the action's name.
	Name string `json:"name"`
	// Properties of the action, e.g. factor: "2".
	// +optional
	Properties map[string]string `json:"properties,omitempty"`
}

// LastPlan is the most recent plan wido made for the Intent.
type LastPlan struct {
	// Actions of the plan, in order; empty when nothing needs doing.
	// +optional
	Actions []PlannedAction `json:"actions,omitempty"`
	// Time the plan was made.
	Time metav1.Time `json:"time"`
	// Reason the search stopped (GoalReached, AlreadySatisfied,
	// Unreachable, StateBudgetExhausted, TimeBudgetExhausted).
	Reason string `json:"reason"`
	// Summary of the explanation: states explored, cost, dropped actuators.
	// +optional
	Summary string `json:"summary,omitempty"`
	// Performed says whether the plan's operations were applied.
	Performed bool `json:"performed"`
}

// IntentStatus is what wido last observed and did.
type IntentStatus struct {
	// ObservedGeneration is the generation of the spec the status is for.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Objectives holds the current value of every objective.
	// +listType=map
	// +listMapKey=name
	// +optional
	Objectives []ObjectiveStatus `json:"objectives,omitempty"`
	// Conditions: Ready, ObjectivesMet, MetricsAvailable, PlanBlocked,
	// ActuatorsHealthy.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// LastPlan is the most recent plan.
	// +optional
	LastPlan *LastPlan `json:"lastPlan,omitempty"`
	// LastAction summarises the last performed action, e.g. "scaleOut{factor: 2}".
	// +optional
	LastAction string `json:"lastAction,omitempty"`
}

// Intent declares service level objectives for a workload; wido keeps them
// true by planning over its actuators' proposals and acting within bounds.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=intent
// +kubebuilder:printcolumn:name="Target",type=string,JSONPath=`.spec.targetRef.name`
// +kubebuilder:printcolumn:name="Mode",type=string,JSONPath=`.spec.mode`
// +kubebuilder:printcolumn:name="Objectives Met",type=string,JSONPath=`.status.conditions[?(@.type=="ObjectivesMet")].status`
// +kubebuilder:printcolumn:name="Last Action",type=string,JSONPath=`.status.lastAction`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Intent struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   IntentSpec   `json:"spec"`
	Status IntentStatus `json:"status,omitempty"`
}

// IntentList is a list of Intents.
//
// +kubebuilder:object:root=true
type IntentList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Intent `json:"items"`
}
