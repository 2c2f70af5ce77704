package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// ProfileType is the kind of KPI a profile measures.
// +kubebuilder:validation:Enum=latency;throughput;availability;power
type ProfileType string

// The kinds of KPI.
const (
	Latency      ProfileType = "latency"
	Throughput   ProfileType = "throughput"
	Availability ProfileType = "availability"
	Power        ProfileType = "power"
)

// KPIProfileSpec says how one kind of objective is measured.
type KPIProfileSpec struct {
	// Type of KPI: latency, throughput, availability or power.
	Type ProfileType `json:"type"`
	// Minimize is true when lower values are better (latency, power).
	// Default: true for latency and power, false otherwise.
	// +optional
	Minimize *bool `json:"minimize,omitempty"`
	// Query is the PromQL query measuring the KPI of one workload: a Go
	// template over .Namespace, .Name and .Kind of the Intent's target, e.g.
	// histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace="{{.Namespace}}", deployment="{{.Name}}"}[30s])) by (le)).
	// IDO's %s placeholders (namespace, then name) are accepted too. Not
	// needed for availability, which wido computes from pod restarts.
	// +optional
	Query string `json:"query,omitempty"`
	// Endpoint is the Prometheus base URL to query; the operator's default
	// Prometheus when empty.
	// +kubebuilder:validation:Pattern=`^https?://`
	// +optional
	Endpoint string `json:"endpoint,omitempty"`
}

// KPIProfileStatus says whether the profile can be used.
type KPIProfileStatus struct {
	// ObservedGeneration is the generation of the spec the status is for.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions: Resolved (the query parses and its template renders),
	// with the reason when it does not.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// KPIProfile defines how a kind of objective (p99 latency, throughput,
// availability, …) is measured for a workload.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=kpi
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="Resolved",type=string,JSONPath=`.status.conditions[?(@.type=="Resolved")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type KPIProfile struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   KPIProfileSpec   `json:"spec"`
	Status KPIProfileStatus `json:"status,omitempty"`
}

// KPIProfileList is a list of KPIProfiles.
//
// +kubebuilder:object:root=true
type KPIProfileList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []KPIProfile `json:"items"`
}
