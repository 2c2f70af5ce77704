// Package actuation executes the operations that actuators' Perform return
// (see abi/actuator: Scale, EvictPod, SetCPU, SetAnnotation) on an Intent's
// target workload, behind a chain of guards.
//
// It owns:
//
//   - the guards (guards.go): pure functions of an Input — the Intent, what
//     was read of its target, the operations, the time and the time of the
//     last action — each returning a documented Reason (TargetMissing,
//     InvalidOperation, ModeForbids, OwnedByAutoscaler, Cooldown,
//     OutOfBounds) when it blocks. A Chain stops at the first block, as
//     cert-manager's policy chains do. Guards perform no I/O and take the
//     time from their Input, so they are tested without a cluster;
//   - the Executor (executor.go): reads the target (workload, its pods, an
//     HPA or KEDA ScaledObject scaling it), runs the chain, and applies the
//     operations with wido's own identity: replicas through the /scale
//     subresource (conflicts retried), pods through the Eviction API (a
//     PodDisruptionBudget that forbids it blocks the plan, reported as the
//     PodDisruptionBudget guard), CPU and pod-template annotations through
//     server-side apply with field manager "wido". Every block is a Warning
//     Event (reason PlanBlocked) and every performed operation a Normal
//     Event on the Intent.
//
// It does not own:
//
//   - planning or calling actuators (planner/, wasmhost/, plugins/): it gets
//     the operations as data;
//   - the Intent's status. The Executor returns a Result; writing the
//     PlanBlocked condition and status.lastPlan is the reconciler's job,
//     and the Cooldown guard reads the time of the last action back from
//     status.lastPlan (see Executor.Apply);
//   - in-place resize of running pods: SetCPU changes the pod template,
//     which rolls the workload out. Resizing running pods where the cluster
//     supports it is not done yet;
//   - RBAC. The operator's service account needs get on deployments,
//     statefulsets and replicasets and their scale subresource (and update
//     of scale and patch of the workloads), list on pods,
//     horizontalpodautoscalers and keda.sh scaledobjects, create on
//     pods/eviction, and create on events.
package actuation
