// Package operator is wido's Kubernetes operator: CRD types, controllers,
// Prometheus telemetry, guarded actuation, the gRPC plugin manager, the
// observation store and learned-model persistence. It may import everything
// else in wido.
//
// The package is being built; see the project's open issues.
package operator
