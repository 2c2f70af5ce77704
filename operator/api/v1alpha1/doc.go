// Package v1alpha1 holds wido's API, group wido.dev, version v1alpha1: the
// Intent (what a workload's service level objectives are and how wido may
// act on it) and the KPIProfile (how one objective is measured).
//
// The CRDs in deploy/crds are generated from these types with
// controller-gen (make manifests); every field's comment is its
// `kubectl explain` text.
//
// +kubebuilder:object:generate=true
// +groupName=wido.dev
package v1alpha1
