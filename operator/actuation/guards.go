package actuation

import (
	"fmt"
	"math"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/wido-dev/wido/abi/actuator"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
)

// Reasons a plan is blocked. Each is the name of the guard that blocked it;
// it shows up in the Intent's PlanBlocked condition, in the Warning Event
// and in Result.Guard. The values are stable: dashboards and alerts key on
// them.
const (
	// ReasonTargetMissing: the target workload does not exist, is of a kind
	// wido does not act on (only Deployment, StatefulSet and ReplicaSet), or
	// the state read is not the Intent's target.
	ReasonTargetMissing = "TargetMissing"
	// ReasonInvalidOperation: an operation is malformed (unknown kind,
	// negative or too large replicas, empty pod, container or annotation
	// key, a container the pod template lacks, a CPU request above its
	// limit, the same pod evicted twice). This is a bug of the actuator
	// that returned it, not of the cluster.
	ReasonInvalidOperation = "InvalidOperation"
	// ReasonModeForbids: the Intent's effective mode is Recommend or
	// Observe, so the plan is reported and not performed.
	ReasonModeForbids = "ModeForbids"
	// ReasonOwnedByAutoscaler: an HPA or a KEDA ScaledObject scales the
	// target. wido then does not act at all: replica changes would fight
	// the autoscaler, and CPU changes move the utilization it scales on.
	ReasonOwnedByAutoscaler = "OwnedByAutoscaler"
	// ReasonCooldown: the last action on the target is more recent than
	// spec.cooldown (default 1m).
	ReasonCooldown = "Cooldown"
	// ReasonOutOfBounds: an operation leaves spec.bounds: replicas below
	// minReplicas (default 1) or above maxReplicas, an eviction that would
	// leave fewer than minReplicas pods running or of a pod that is not the
	// target's, a CPU request or limit outside the container's bounds.
	ReasonOutOfBounds = "OutOfBounds"
	// ReasonPodDisruptionBudget: the Eviction API refused an eviction
	// (429) because a PodDisruptionBudget forbids it. Reported by the
	// Executor while applying, not by a guard of the chain: only the API
	// server knows the budget's current state.
	ReasonPodDisruptionBudget = "PodDisruptionBudget"
)

// DefaultCooldown is the cooldown when spec.cooldown is not set.
const DefaultCooldown = time.Minute

// DefaultMinReplicas is the minReplicas bound when spec.bounds.minReplicas
// is not set.
const DefaultMinReplicas int32 = 1

// Pod is what the guards know of one pod of the target.
type Pod struct {
	Name  string
	Phase corev1.PodPhase
	// Terminating is true when the pod has a deletion timestamp.
	Terminating bool
}

// running reports whether the pod counts as running for the eviction bound.
func (p Pod) running() bool { return p.Phase == corev1.PodRunning && !p.Terminating }

// ContainerCPU is a container's CPU in the target's pod template, in
// millicores; 0 means not set.
type ContainerCPU struct {
	Request int64
	Limit   int64
}

// TargetState is what the Executor read of an Intent's target. It is a
// snapshot: a copy, not a view of any cached object.
type TargetState struct {
	// Kind, Namespace and Name identify the workload as the Intent names it
	// (Namespace resolved to the Intent's own when targetRef leaves it
	// empty).
	Kind      widov1.TargetKind
	Namespace string
	Name      string
	// Exists is false when the workload was not found or its kind is not
	// supported; the other fields are then empty.
	Exists bool
	// Replicas is spec.replicas (1 when unset).
	Replicas int32
	// Pods are the pods matching the workload's selector.
	Pods []Pod
	// Containers maps each container of the pod template (not init
	// containers) to its CPU.
	Containers map[string]ContainerCPU
	// Annotations of the pod template.
	Annotations map[string]string
	// OwnedBy names an autoscaler scaling the workload, e.g.
	// "HorizontalPodAutoscaler default/frontend"; empty if none.
	OwnedBy string
}

// key is "Kind namespace/name".
func (t TargetState) key() string {
	return fmt.Sprintf("%s %s/%s", t.Kind, t.Namespace, t.Name)
}

// Input is everything a guard may look at. Guards read it and nothing
// else; they never modify it.
type Input struct {
	Intent *widov1.Intent
	Target TargetState
	// Ops are the operations of the plan, in the order they would be
	// applied.
	Ops []actuator.Operation
	// Now is the time of the evaluation (the Executor's clock).
	Now time.Time
	// LastAction is the time of the last action on the target; zero if
	// none is known.
	LastAction time.Time
	// OwnedBy names an HPA or KEDA ScaledObject scaling the target, ""
	// if none. Apply copies Target.OwnedBy here.
	OwnedBy string
}

// Guard checks one property of a plan. It returns blocked == true with a
// Reason constant and a message that names the specifics when the plan must
// not be performed. Guards are pure and safe for concurrent use.
type Guard func(Input) (reason, message string, blocked bool)

// Chain is an ordered list of guards.
type Chain []Guard

// Evaluate runs the guards in order and stops at the first that blocks,
// returning its reason and message. blocked is false when every guard
// passes.
func (c Chain) Evaluate(in Input) (reason, message string, blocked bool) {
	for _, g := range c {
		if reason, message, blocked = g(in); blocked {
			return reason, message, true
		}
	}
	return "", "", false
}

// DefaultChain is the chain the Executor runs, in this order: TargetExists,
// ValidOperations, ModeAllows, NotOwnedByAutoscaler, CooldownElapsed,
// WithinBounds. The order decides which reason is reported when several
// apply: a missing target first, then a malformed plan, then the
// Intent's own choices (mode), then the cluster's (another autoscaler),
// then time, then bounds.
func DefaultChain() Chain {
	return Chain{TargetExists, ValidOperations, ModeAllows, NotOwnedByAutoscaler, CooldownElapsed, WithinBounds}
}

// supportedKind reports whether wido acts on workloads of kind k.
func supportedKind(k widov1.TargetKind) bool {
	switch k {
	case widov1.Deployment, widov1.StatefulSet, widov1.ReplicaSet:
		return true
	}
	return false
}

// targetNamespace is the namespace of the Intent's target.
func targetNamespace(in *widov1.Intent) string {
	if in.Spec.TargetRef.Namespace != "" {
		return in.Spec.TargetRef.Namespace
	}
	return in.Namespace
}

// TargetExists blocks with ReasonTargetMissing when there is no Intent, the
// target's kind is not supported, the state read is not the Intent's target,
// or the target does not exist.
func TargetExists(in Input) (string, string, bool) {
	if in.Intent == nil {
		return ReasonTargetMissing, "no intent", true
	}
	ref := in.Intent.Spec.TargetRef
	if !supportedKind(ref.Kind) {
		return ReasonTargetMissing, fmt.Sprintf("kind %q of %s is not supported (Deployment, StatefulSet or ReplicaSet)", ref.Kind, ref.Name), true
	}
	want := TargetState{Kind: ref.Kind, Namespace: targetNamespace(in.Intent), Name: ref.Name}
	if in.Target.Kind != want.Kind || in.Target.Namespace != want.Namespace || in.Target.Name != want.Name {
		return ReasonTargetMissing, fmt.Sprintf("state read is for %s, the intent targets %s", in.Target.key(), want.key()), true
	}
	if !in.Target.Exists {
		return ReasonTargetMissing, fmt.Sprintf("%s does not exist", want.key()), true
	}
	return "", "", false
}

// ValidOperations blocks with ReasonInvalidOperation on the first malformed
// operation. Operations are numbered from 1 in messages.
func ValidOperations(in Input) (string, string, bool) {
	if in.Intent == nil {
		// TargetExists reports this; a chain without it still must not
		// panic.
		return ReasonInvalidOperation, "no intent", true
	}
	evicted := map[string]bool{}
	for i, op := range in.Ops {
		if msg := invalid(in.Target, op, evicted); msg != "" {
			return ReasonInvalidOperation, fmt.Sprintf("operation %d (%s): %s", i+1, op.Kind, msg), true
		}
	}
	return "", "", false
}

// invalid returns why op is malformed, or "" when it is well formed.
func invalid(t TargetState, op actuator.Operation, evicted map[string]bool) string {
	switch op.Kind {
	case actuator.Scale:
		if op.Replicas < 0 {
			return fmt.Sprintf("negative replicas %d", op.Replicas)
		}
		if op.Replicas > math.MaxInt32 {
			return fmt.Sprintf("replicas %d exceed the API's limit %d", op.Replicas, math.MaxInt32)
		}
	case actuator.EvictPod:
		if op.Pod == "" {
			return "empty pod name"
		}
		if evicted[op.Pod] {
			return fmt.Sprintf("pod %s is evicted twice", op.Pod)
		}
		evicted[op.Pod] = true
	case actuator.SetCPU:
		if op.Container == "" {
			return "empty container name"
		}
		if op.CPURequest < 0 || op.CPULimit < 0 {
			return fmt.Sprintf("negative cpu (request %dm, limit %dm)", op.CPURequest, op.CPULimit)
		}
		if op.CPURequest == 0 && op.CPULimit == 0 {
			return "sets neither cpu request nor limit"
		}
		cur, ok := t.Containers[op.Container]
		if !ok {
			return fmt.Sprintf("container %s is not in the pod template of %s", op.Container, t.key())
		}
		req, lim := cur.Request, cur.Limit
		if op.CPURequest > 0 {
			req = op.CPURequest
		}
		if op.CPULimit > 0 {
			lim = op.CPULimit
		}
		if lim > 0 && req > lim {
			return fmt.Sprintf("cpu request %dm of container %s would exceed its limit %dm", req, op.Container, lim)
		}
	case actuator.SetAnnotation:
		if op.Key == "" {
			return "empty annotation key"
		}
		if errs := validation.IsQualifiedName(op.Key); len(errs) > 0 {
			return fmt.Sprintf("annotation key %q is invalid: %s", op.Key, strings.Join(errs, "; "))
		}
	default:
		return fmt.Sprintf("unknown operation kind %q", op.Kind)
	}
	return ""
}

// ModeAllows blocks with ReasonModeForbids unless the Intent's effective
// mode is Enforce.
func ModeAllows(in Input) (string, string, bool) {
	if in.Intent == nil {
		return ReasonModeForbids, "no intent", true
	}
	switch m := in.Intent.Spec.EffectiveMode(); m {
	case widov1.Enforce:
		return "", "", false
	case widov1.Recommend:
		why := "mode Recommend"
		if in.Intent.Spec.Active != nil && !*in.Intent.Spec.Active {
			why = "active: false (mode Recommend)"
		}
		return ReasonModeForbids, why + ": the plan is reported, not performed", true
	default:
		return ReasonModeForbids, fmt.Sprintf("mode %s: wido only measures", m), true
	}
}

// NotOwnedByAutoscaler blocks with ReasonOwnedByAutoscaler when OwnedBy is
// set.
func NotOwnedByAutoscaler(in Input) (string, string, bool) {
	if in.OwnedBy == "" {
		return "", "", false
	}
	return ReasonOwnedByAutoscaler, fmt.Sprintf("%s is scaled by %s", in.Target.key(), in.OwnedBy), true
}

// Cooldown is the Intent's cooldown: spec.cooldown, or DefaultCooldown when
// it is not set. A cooldown of 0 disables the guard.
func Cooldown(in *widov1.Intent) time.Duration {
	if in == nil || in.Spec.Cooldown == nil {
		return DefaultCooldown
	}
	return in.Spec.Cooldown.Duration
}

// CooldownElapsed blocks with ReasonCooldown when LastAction is set and
// Now - LastAction < the Intent's cooldown. A LastAction after Now (clock
// skew) blocks too.
func CooldownElapsed(in Input) (string, string, bool) {
	if in.LastAction.IsZero() {
		return "", "", false
	}
	cd := Cooldown(in.Intent)
	since := in.Now.Sub(in.LastAction)
	if since >= cd {
		return "", "", false
	}
	return ReasonCooldown, fmt.Sprintf("last action %s ago, cooldown %s: next action in %s", since.Round(time.Second), cd, (cd - since).Round(time.Second)), true
}

// WithinBounds blocks with ReasonOutOfBounds on the first operation that
// leaves the Intent's bounds. Operations are checked in order against the
// state the earlier ones leave: after a Scale to n, at most n pods count as
// running for a later EvictPod.
//
// # Notes
//
//   - A container without CPU bounds may get any CPU; absent maxReplicas
//     means no upper bound.
//   - The eviction bound counts pods that are Running and not terminating;
//     an eviction of a pod that is not running is always within it.
func WithinBounds(in Input) (string, string, bool) {
	if in.Intent == nil {
		return ReasonOutOfBounds, "no intent", true
	}
	b := in.Intent.Spec.Bounds
	minR := DefaultMinReplicas
	if b.MinReplicas != nil {
		minR = *b.MinReplicas
	}
	pods := make(map[string]Pod, len(in.Target.Pods))
	running := int64(0)
	for _, p := range in.Target.Pods {
		pods[p.Name] = p
		if p.running() {
			running++
		}
	}
	replicas := int64(in.Target.Replicas)
	evictedRunning := int64(0)
	for i, op := range in.Ops {
		var msg string
		switch op.Kind {
		case actuator.Scale:
			switch {
			case op.Replicas < int64(minR):
				msg = fmt.Sprintf("scale to %d replicas is below minReplicas %d", op.Replicas, minR)
			case b.MaxReplicas != nil && op.Replicas > int64(*b.MaxReplicas):
				msg = fmt.Sprintf("scale to %d replicas exceeds maxReplicas %d", op.Replicas, *b.MaxReplicas)
			}
			replicas = op.Replicas
		case actuator.EvictPod:
			p, ok := pods[op.Pod]
			if !ok {
				msg = fmt.Sprintf("pod %s is not a pod of %s", op.Pod, in.Target.key())
				break
			}
			if !p.running() {
				break
			}
			left := min(running, replicas) - evictedRunning - 1
			if left < int64(minR) {
				msg = fmt.Sprintf("evicting pod %s would leave %d running pods, below minReplicas %d", op.Pod, max(left, 0), minR)
			}
			evictedRunning++
		case actuator.SetCPU:
			msg = cpuOutOfBounds(b.CPU, op)
		}
		if msg != "" {
			return ReasonOutOfBounds, fmt.Sprintf("operation %d (%s): %s", i+1, op.Kind, msg), true
		}
	}
	return "", "", false
}

// cpuOutOfBounds returns why op leaves the container's CPU bounds, or "".
func cpuOutOfBounds(bounds []widov1.ContainerCPUBounds, op actuator.Operation) string {
	for _, cb := range bounds {
		if cb.Container != op.Container {
			continue
		}
		if op.CPURequest > 0 && cb.Min != nil && op.CPURequest < cb.Min.MilliValue() {
			return fmt.Sprintf("cpu request %dm of container %s is below min %dm", op.CPURequest, op.Container, cb.Min.MilliValue())
		}
		if op.CPURequest > 0 && cb.Max != nil && op.CPURequest > cb.Max.MilliValue() {
			return fmt.Sprintf("cpu request %dm of container %s exceeds max %dm", op.CPURequest, op.Container, cb.Max.MilliValue())
		}
		if op.CPULimit > 0 && cb.Max != nil && op.CPULimit > cb.Max.MilliValue() {
			return fmt.Sprintf("cpu limit %dm of container %s exceeds max %dm", op.CPULimit, op.Container, cb.Max.MilliValue())
		}
	}
	return ""
}

var (
	_ Guard = TargetExists
	_ Guard = ValidOperations
	_ Guard = ModeAllows
	_ Guard = NotOwnedByAutoscaler
	_ Guard = CooldownElapsed
	_ Guard = WithinBounds
)
