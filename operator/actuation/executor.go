package actuation

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/wido-dev/wido/abi/actuator"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
)

// FieldManager is the server-side apply field manager of wido's writes to
// pod templates.
const FieldManager = "wido"

// DefaultMaxConflictRetries is the number of times a Scale is retried after
// a Conflict when Executor.MaxConflictRetries is 0.
const DefaultMaxConflictRetries = 3

// Event reasons of performed operations (type Normal). A blocked plan is a
// Warning Event with reason EventPlanBlocked whose note starts with the
// guard's name (a Reason… constant).
const (
	EventScaled        = "Scaled"
	EventPodEvicted    = "PodEvicted"
	EventCPUResized    = "CPUResized"
	EventAnnotationSet = "AnnotationSet"
	EventPlanBlocked   = "PlanBlocked"
)

// ScaledObjectGVK is KEDA's ScaledObject, read as unstructured so that wido
// does not depend on KEDA's Go module.
var ScaledObjectGVK = schema.GroupVersionKind{Group: "keda.sh", Version: "v1alpha1", Kind: "ScaledObject"}

// Executor reads an Intent's target, runs the guard chain and applies
// operations. Set the exported fields before first use and do not change
// them afterwards; an Executor is then safe for concurrent use (Apply
// calls for different targets run in parallel; for one target they should
// be serialized by the caller, as a controller's per-object queue does).
type Executor struct {
	// Client reads and writes the cluster. Required. Reads may come from a
	// cache (a manager's client), except that the Scale read before a
	// write goes to the API server through the /scale subresource.
	Client client.Client
	// Clock is the time source of the Cooldown guard. Default: the real
	// clock.
	Clock clock.PassiveClock
	// Recorder receives an Event on the Intent for every block and every
	// performed operation (a manager's GetEventRecorder). Default: none, no
	// Events.
	Recorder events.EventRecorder
	// MaxConflictRetries is how often a Scale is re-read and retried after
	// a Conflict. 0 means DefaultMaxConflictRetries; negative means no
	// retry.
	MaxConflictRetries int

	mu sync.Mutex
	// lastAction holds the time of the last action performed by this
	// Executor per target ("Kind namespace/name"), so that the cooldown
	// holds even before the reconciler has written status.lastPlan.
	lastAction map[string]time.Time
}

// Change is one performed operation with the value before and after, as
// written in its Event.
type Change struct {
	Op     actuator.Operation
	Before string
	After  string
}

// Result is the outcome of Apply.
type Result struct {
	// Blocked is true when a guard, or a PodDisruptionBudget while
	// evicting, stopped the plan. Operations before the blocked one may
	// have been performed (see Performed).
	Blocked bool
	// Guard is the Reason… constant of what blocked the plan.
	Guard string
	// Message names the specifics, e.g. "operation 1 (Scale): scale to 12
	// replicas exceeds maxReplicas 10".
	Message string
	// Performed lists the operations applied, in order.
	Performed []Change
}

func (e *Executor) clock() clock.PassiveClock {
	if e.Clock == nil {
		return clock.RealClock{}
	}
	return e.Clock
}

func (e *Executor) retries() int {
	switch {
	case e.MaxConflictRetries == 0:
		return DefaultMaxConflictRetries
	case e.MaxConflictRetries < 0:
		return 0
	}
	return e.MaxConflictRetries
}

// ReadTarget reads the Intent's target: the workload (Deployment,
// StatefulSet or ReplicaSet), the pods its selector matches, and an HPA
// (autoscaling/v2) or KEDA ScaledObject in the target's namespace whose
// scaleTargetRef names it.
//
// A target that does not exist, or whose kind is not supported, is not an
// error: the returned state has Exists false and the TargetExists guard
// reports it. A cluster without KEDA's CRD has no ScaledObjects.
//
// # Errors
//
// Any other failure to read the workload, its pods, HPAs or ScaledObjects,
// wrapped as "actuation: read Kind namespace/name: …"; the state returned
// with it is incomplete and must not be acted on.
func (e *Executor) ReadTarget(ctx context.Context, intent *widov1.Intent) (TargetState, error) {
	ref := intent.Spec.TargetRef
	st := TargetState{Kind: ref.Kind, Namespace: targetNamespace(intent), Name: ref.Name}
	w, ok := newWorkload(ref.Kind, st.Namespace, st.Name)
	if !ok {
		return st, nil
	}
	wrap := func(what string, err error) error {
		return fmt.Errorf("actuation: read %s: %s: %w", st.key(), what, err)
	}
	if err := e.Client.Get(ctx, client.ObjectKeyFromObject(w.obj), w.obj); err != nil {
		if apierrors.IsNotFound(err) {
			return st, nil
		}
		return st, wrap("get", err)
	}
	st.Exists = true
	replicas, sel, tmpl := w.parts()
	st.Replicas = 1
	if replicas != nil {
		st.Replicas = *replicas
	}
	st.Containers = make(map[string]ContainerCPU, len(tmpl.Spec.Containers))
	for _, c := range tmpl.Spec.Containers {
		var cpu ContainerCPU
		if q, ok := c.Resources.Requests[corev1.ResourceCPU]; ok {
			cpu.Request = q.MilliValue()
		}
		if q, ok := c.Resources.Limits[corev1.ResourceCPU]; ok {
			cpu.Limit = q.MilliValue()
		}
		st.Containers[c.Name] = cpu
	}
	st.Annotations = make(map[string]string, len(tmpl.Annotations))
	for k, v := range tmpl.Annotations {
		st.Annotations[k] = v
	}

	selector, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return st, wrap("selector", err)
	}
	if !selector.Empty() {
		var pods corev1.PodList
		if err := e.Client.List(ctx, &pods, client.InNamespace(st.Namespace), client.MatchingLabelsSelector{Selector: selector}); err != nil {
			return st, wrap("list pods", err)
		}
		for _, p := range pods.Items {
			st.Pods = append(st.Pods, Pod{Name: p.Name, Phase: p.Status.Phase, Terminating: p.DeletionTimestamp != nil})
		}
	}

	var hpas autoscalingv2.HorizontalPodAutoscalerList
	if err := e.Client.List(ctx, &hpas, client.InNamespace(st.Namespace)); err != nil {
		return st, wrap("list horizontalpodautoscalers", err)
	}
	for _, h := range hpas.Items {
		r := h.Spec.ScaleTargetRef
		if r.Kind == string(st.Kind) && r.Name == st.Name && appsGroup(r.APIVersion) {
			st.OwnedBy = "HorizontalPodAutoscaler " + h.Namespace + "/" + h.Name
			return st, nil
		}
	}

	sos := &unstructured.UnstructuredList{}
	sos.SetGroupVersionKind(ScaledObjectGVK.GroupVersion().WithKind(ScaledObjectGVK.Kind + "List"))
	if err := e.Client.List(ctx, sos, client.InNamespace(st.Namespace)); err != nil {
		if meta.IsNoMatchError(err) || apierrors.IsNotFound(err) {
			return st, nil // KEDA is not installed.
		}
		return st, wrap("list scaledobjects", err)
	}
	for _, so := range sos.Items {
		kind, _, _ := unstructured.NestedString(so.Object, "spec", "scaleTargetRef", "kind")
		name, _, _ := unstructured.NestedString(so.Object, "spec", "scaleTargetRef", "name")
		apiVersion, _, _ := unstructured.NestedString(so.Object, "spec", "scaleTargetRef", "apiVersion")
		if kind == "" {
			kind = string(widov1.Deployment) // KEDA's default
		}
		if kind == string(st.Kind) && name == st.Name && appsGroup(apiVersion) {
			st.OwnedBy = "ScaledObject " + so.GetNamespace() + "/" + so.GetName()
			return st, nil
		}
	}
	return st, nil
}

// appsGroup reports whether apiVersion is empty or of the apps group.
func appsGroup(apiVersion string) bool {
	if apiVersion == "" {
		return true
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	return err == nil && gv.Group == "apps"
}

// Apply performs ops on the Intent's target, in order, if the guard chain
// lets the plan through. reason is the plan's reason (e.g. the planner's
// explanation summary); it is quoted in every Event.
//
// The time of the last action for the Cooldown guard is the later of
// intent.Status.LastPlan.Time when that plan was performed and the time
// this Executor last performed an operation on the same target.
//
// When a guard blocks, nothing is written: Apply returns a Result with
// Blocked, Guard and Message and emits a Warning Event (reason PlanBlocked)
// on the Intent. Otherwise each operation is applied and emits a Normal
// Event:
//
//   - Scale: get and update of the workload's /scale subresource; a
//     Conflict re-reads and retries up to MaxConflictRetries times.
//   - EvictPod: the Eviction API. A 429 (a PodDisruptionBudget forbids the
//     disruption) stops the plan: Result.Blocked with Guard
//     ReasonPodDisruptionBudget and a Warning Event, and no error. A pod
//     that is already gone counts as evicted.
//   - SetCPU, SetAnnotation: server-side apply of the pod template with
//     field manager "wido", forcing ownership of the fields it sets, and
//     keeping the fields wido set before. This rolls the workload out.
//
// Operations are not transactional: when one fails or is blocked, the
// earlier ones stay performed and are listed in Result.Performed. An empty
// ops performs nothing and reads nothing.
//
// # Errors
//
//   - reading the target failed (see ReadTarget);
//   - an operation failed, wrapped as "actuation: scale default/frontend:
//     …" (apierrors.IsConflict holds for a conflict that persisted past
//     MaxConflictRetries);
//   - ctx was done before an operation, wrapping ctx.Err().
func (e *Executor) Apply(ctx context.Context, intent *widov1.Intent, ops []actuator.Operation, reason string) (Result, error) {
	if len(ops) == 0 {
		return Result{}, nil
	}
	if intent == nil {
		return Result{}, errors.New("actuation: apply: nil intent")
	}
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("actuation: apply: %w", err)
	}
	target, err := e.ReadTarget(ctx, intent)
	if err != nil {
		return Result{}, err
	}
	now := e.clock().Now()
	in := Input{
		Intent:     intent,
		Target:     target,
		Ops:        ops,
		Now:        now,
		LastAction: e.lastActionTime(intent, target),
		OwnedBy:    target.OwnedBy,
	}
	if guard, msg, blocked := DefaultChain().Evaluate(in); blocked {
		e.blocked(intent, guard, msg, reason)
		return Result{Blocked: true, Guard: guard, Message: msg}, nil
	}

	w, _ := newWorkload(target.Kind, target.Namespace, target.Name) // TargetExists checked the kind
	var res Result
	running := 0
	for _, p := range target.Pods {
		if p.running() {
			running++
		}
	}
	for _, op := range ops {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("actuation: %s %s: %w", op.Kind, target.key(), err)
		}
		var (
			ch       Change
			evReason string
			related  runtime.Object = w.obj
			err      error
		)
		switch op.Kind {
		case actuator.Scale:
			evReason = EventScaled
			ch, err = e.scale(ctx, w, int32(op.Replicas)) // ValidOperations bounds Replicas to int32
			if err != nil {
				err = fmt.Errorf("actuation: scale %s/%s: %w", target.Namespace, target.Name, err)
			}
		case actuator.EvictPod:
			evReason = EventPodEvicted
			pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: target.Namespace, Name: op.Pod}}
			related = pod
			var pdb string
			ch, pdb, err = e.evict(ctx, pod, &running)
			if err != nil {
				err = fmt.Errorf("actuation: evict pod %s/%s: %w", target.Namespace, op.Pod, err)
			} else if pdb != "" {
				e.noteAction(target, now, len(res.Performed) > 0)
				res.Blocked, res.Guard, res.Message = true, ReasonPodDisruptionBudget, pdb
				e.blocked(intent, res.Guard, pdb, reason)
				return res, nil
			}
		case actuator.SetCPU:
			evReason = EventCPUResized
			ch, err = e.setCPU(ctx, target, op)
			if err != nil {
				err = fmt.Errorf("actuation: set cpu of container %s of %s/%s: %w", op.Container, target.Namespace, target.Name, err)
			}
		case actuator.SetAnnotation:
			evReason = EventAnnotationSet
			ch, err = e.setAnnotation(ctx, target, op)
			if err != nil {
				err = fmt.Errorf("actuation: set annotation %s of %s/%s: %w", op.Key, target.Namespace, target.Name, err)
			}
		default: // unreachable: ValidOperations rejects unknown kinds
			err = fmt.Errorf("actuation: unknown operation kind %q", op.Kind)
		}
		if err != nil {
			e.noteAction(target, now, len(res.Performed) > 0)
			return res, err
		}
		ch.Op = op
		res.Performed = append(res.Performed, ch)
		e.performed(intent, related, evReason, op, target, ch, reason)
	}
	e.noteAction(target, now, true)
	return res, nil
}

// lastActionTime is the later of the Intent's last performed plan and the
// last action this Executor performed on the target.
func (e *Executor) lastActionTime(intent *widov1.Intent, target TargetState) time.Time {
	var t time.Time
	if lp := intent.Status.LastPlan; lp != nil && lp.Performed {
		t = lp.Time.Time
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if mem := e.lastAction[target.key()]; mem.After(t) {
		t = mem
	}
	return t
}

// noteAction records now as the target's last action when did is true.
func (e *Executor) noteAction(target TargetState, now time.Time, did bool) {
	if !did {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.lastAction == nil {
		e.lastAction = map[string]time.Time{}
	}
	e.lastAction[target.key()] = now
}

// scale sets the workload's replicas through /scale, retrying conflicts.
func (e *Executor) scale(ctx context.Context, w workload, replicas int32) (Change, error) {
	retries := e.retries()
	for attempt := 0; ; attempt++ {
		sc := &autoscalingv1.Scale{}
		if err := e.Client.SubResource("scale").Get(ctx, w.obj, sc); err != nil {
			return Change{}, fmt.Errorf("get scale: %w", err)
		}
		before := sc.Spec.Replicas
		sc.Spec.Replicas = replicas
		err := e.Client.SubResource("scale").Update(ctx, w.obj, client.WithSubResourceBody(sc))
		if err == nil {
			return Change{Before: fmt.Sprint(before), After: fmt.Sprint(replicas)}, nil
		}
		if !apierrors.IsConflict(err) {
			return Change{}, fmt.Errorf("update scale: %w", err)
		}
		if attempt >= retries {
			return Change{}, fmt.Errorf("update scale: conflict persisted after %d retries: %w", retries, err)
		}
		if ctx.Err() != nil {
			return Change{}, fmt.Errorf("update scale: %w (after conflict: %w)", ctx.Err(), err)
		}
	}
}

// evict evicts pod. A PodDisruptionBudget refusal is returned as a non-empty
// pdb message, not as an error. running counts the target's running pods
// for the Event and is decremented.
func (e *Executor) evict(ctx context.Context, pod *corev1.Pod, running *int) (ch Change, pdb string, err error) {
	ev := &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Namespace: pod.Namespace, Name: pod.Name}}
	err = e.Client.SubResource("eviction").Create(ctx, pod, ev)
	switch {
	case err == nil:
	case apierrors.IsNotFound(err):
		// Already gone: what the eviction was for.
	case apierrors.IsTooManyRequests(err):
		return Change{}, pdbMessage(pod, err), nil
	default:
		return Change{}, "", err
	}
	before := *running
	if *running > 0 {
		*running--
	}
	return Change{Before: fmt.Sprintf("%d running pods", before), After: fmt.Sprintf("%d running pods", *running)}, "", nil
}

// pdbMessage is the message of a refused eviction: the API server's cause
// when it gives one.
func pdbMessage(pod *corev1.Pod, err error) string {
	msg := err.Error()
	var st apierrors.APIStatus
	if errors.As(err, &st) {
		if d := st.Status().Details; d != nil {
			for _, c := range d.Causes {
				if c.Type == policyv1.DisruptionBudgetCause && c.Message != "" {
					msg = c.Message
				}
			}
		}
	}
	return fmt.Sprintf("eviction of pod %s/%s refused: %s", pod.Namespace, pod.Name, msg)
}

// applyTemplate re-reads the workload (into a fresh object, so that nothing
// of an earlier read survives), extracts the fields wido manages, lets
// mutate change the pod template and applies the result.
//
// Extracting first matters: an apply by a field manager that omits a field
// it owned removes the field, so applying only the new value would drop,
// e.g., the CPU request wido set before when it now sets an annotation.
func (e *Executor) applyTemplate(ctx context.Context, target TargetState, mutate func(*corev1ac.PodTemplateSpecApplyConfiguration)) error {
	w, ok := newWorkload(target.Kind, target.Namespace, target.Name)
	if !ok {
		return fmt.Errorf("unsupported kind %q", target.Kind)
	}
	if err := e.Client.Get(ctx, client.ObjectKeyFromObject(w.obj), w.obj); err != nil {
		return fmt.Errorf("get: %w", err)
	}
	ac, tmpl, err := w.extract(FieldManager)
	if err != nil {
		return fmt.Errorf("extract fields of manager %s: %w", FieldManager, err)
	}
	mutate(tmpl)
	if err := e.Client.Apply(ctx, ac, client.FieldOwner(FieldManager), client.ForceOwnership); err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	return nil
}

func (e *Executor) setCPU(ctx context.Context, target TargetState, op actuator.Operation) (Change, error) {
	cur := target.Containers[op.Container]
	err := e.applyTemplate(ctx, target, func(t *corev1ac.PodTemplateSpecApplyConfiguration) {
		setContainerCPU(t, op.Container, op.CPURequest, op.CPULimit)
	})
	if err != nil {
		return Change{}, err
	}
	after := cur
	if op.CPURequest > 0 {
		after.Request = op.CPURequest
	}
	if op.CPULimit > 0 {
		after.Limit = op.CPULimit
	}
	target.Containers[op.Container] = after // for a later SetCPU's "before"
	f := func(c ContainerCPU) string {
		return fmt.Sprintf("request %s limit %s", milliString(c.Request), milliString(c.Limit))
	}
	return Change{Before: f(cur), After: f(after)}, nil
}

func (e *Executor) setAnnotation(ctx context.Context, target TargetState, op actuator.Operation) (Change, error) {
	before, had := target.Annotations[op.Key]
	err := e.applyTemplate(ctx, target, func(t *corev1ac.PodTemplateSpecApplyConfiguration) {
		t.WithAnnotations(map[string]string{op.Key: op.Value})
	})
	if err != nil {
		return Change{}, err
	}
	if target.Annotations != nil {
		target.Annotations[op.Key] = op.Value // for a later SetAnnotation's "before"
	}
	b := fmt.Sprintf("%q", before)
	if !had {
		b = "unset"
	}
	return Change{Before: b, After: fmt.Sprintf("%q", op.Value)}, nil
}

// blocked emits the Warning Event of a blocked plan.
func (e *Executor) blocked(intent *widov1.Intent, guard, msg, reason string) {
	if e.Recorder == nil {
		return
	}
	e.Recorder.Eventf(intent, nil, corev1.EventTypeWarning, EventPlanBlocked, guard, "%s: %s%s", guard, msg, planReason(reason))
}

// performed emits the Normal Event of a performed operation.
func (e *Executor) performed(intent *widov1.Intent, related runtime.Object, evReason string, op actuator.Operation, target TargetState, ch Change, reason string) {
	if e.Recorder == nil {
		return
	}
	var what string
	switch op.Kind {
	case actuator.Scale:
		what = fmt.Sprintf("%s replicas", target.key())
	case actuator.EvictPod:
		what = fmt.Sprintf("evicted pod %s/%s of %s", target.Namespace, op.Pod, target.key())
	case actuator.SetCPU:
		what = fmt.Sprintf("cpu of container %s of %s", op.Container, target.key())
	case actuator.SetAnnotation:
		what = fmt.Sprintf("pod template annotation %s of %s", op.Key, target.key())
	}
	e.Recorder.Eventf(intent, related, corev1.EventTypeNormal, evReason, string(op.Kind), "%s: %s → %s%s", what, ch.Before, ch.After, planReason(reason))
}

func planReason(reason string) string {
	if reason == "" {
		return ""
	}
	return " (plan: " + reason + ")"
}

func resourceMilli(m int64) *resource.Quantity {
	return resource.NewMilliQuantity(m, resource.DecimalSI)
}
