package intent

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/operator/actuation"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/planner"
)

// ControllerName names the controller in logs and metrics.
const ControllerName = "intent"

// Condition types of an Intent.
const (
	ConditionReady            = "Ready"
	ConditionObjectivesMet    = "ObjectivesMet"
	ConditionMetricsAvailable = "MetricsAvailable"
	ConditionPlanBlocked      = "PlanBlocked"
	ConditionActuatorsHealthy = "ActuatorsHealthy"
)

// Reasons of the conditions (besides actuation's guard names, which
// PlanBlocked carries).
const (
	ReasonServing          = "Serving"
	ReasonTargetMissing    = "TargetMissing"
	ReasonDuplicateTarget  = "DuplicateTarget"
	ReasonMeasured         = "Measured"
	ReasonMetricsUnknown   = "MetricsUnknown"
	ReasonMet              = "Met"
	ReasonNotMet           = "NotMet"
	ReasonNotBlocked       = "NotBlocked"
	ReasonActuatorsOK      = "ActuatorsOK"
	ReasonActuatorsFailing = "ActuatorsFailing"
)

// DefaultInterval is how often an Intent is planned when nothing changes
// (IDO: a 45 s tick plus a 45 s plan cache).
const DefaultInterval = 15 * time.Second

// Reconciler plans and acts for Intents.
type Reconciler struct {
	Client   client.Client
	Measurer Measurer
	// Actuators plan and perform; the planner is built from them.
	Actuators []planner.Actuator
	// Config of the planner (budgets). Default planner.NewConfig().
	Config planner.Config
	// Models per actuator name, e.g. a scale-out model from configuration.
	Models map[string]actuator.Models
	// Executor applies operations behind the guard chain.
	Executor *actuation.Executor
	Recorder events.EventRecorder
	Clock    clock.PassiveClock
	// Interval between plans of an unchanged Intent. Default 15 s.
	Interval time.Duration
	// Workers reconcile Intents in parallel. Default 4.
	Workers int
	// Metrics, if set, are updated by every reconcile.
	Metrics *Metrics
	// TargetIndexed says Client's cache indexes Intents by target
	// (IndexTargets), so the duplicate check lists only the Intents on the
	// same workload. SetupWithManager sets it.
	TargetIndexed bool

	planner planner.Planner
}

var _ reconcile.Reconciler = (*Reconciler)(nil)

// SetupWithManager registers the controller: changes of an Intent's spec,
// of the KPIProfiles and of the pods of its namespace trigger a reconcile.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	if err := r.init(); err != nil {
		return err
	}
	if err := IndexTargets(context.Background(), mgr.GetFieldIndexer()); err != nil {
		return fmt.Errorf("%s: index intents by target: %w", ControllerName, err)
	}
	r.TargetIndexed = true
	inNamespace := handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, o client.Object) []reconcile.Request {
		var list widov1.IntentList
		if err := r.Client.List(ctx, &list, client.InNamespace(o.GetNamespace())); err != nil {
			return nil
		}
		reqs := make([]reconcile.Request, 0, len(list.Items))
		for _, in := range list.Items {
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: in.Namespace, Name: in.Name}})
		}
		return reqs
	})
	workers := r.Workers
	if workers <= 0 {
		workers = 4
	}
	return ctrl.NewControllerManagedBy(mgr).Named(ControllerName).
		// Only spec changes: the controller's own status writes must not
		// trigger it again (the interval replans).
		For(&widov1.Intent{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&widov1.KPIProfile{}, inNamespace).
		Watches(&corev1.Pod{}, inNamespace).
		WithOptions(controller.Options{MaxConcurrentReconciles: workers}).
		Complete(r)
}

func (r *Reconciler) init() error {
	if r.planner != nil {
		return nil
	}
	if r.Config == nil {
		r.Config = planner.NewConfig()
	}
	p, err := planner.NewPlanner(r.Config, r.Actuators...)
	if err != nil {
		return fmt.Errorf("%s: %w", ControllerName, err)
	}
	r.planner = p
	if r.Clock == nil {
		r.Clock = clock.RealClock{}
	}
	if r.Interval <= 0 {
		r.Interval = DefaultInterval
	}
	return nil
}

// Reconcile implements reconcile.Reconciler: measure, plan, act, report.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	if err := r.init(); err != nil {
		return reconcile.Result{}, reconcile.TerminalError(err)
	}
	logger := log.FromContext(ctx).WithValues("intent", req.NamespacedName)
	var in widov1.Intent
	if err := r.Client.Get(ctx, req.NamespacedName, &in); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if !in.DeletionTimestamp.IsZero() {
		return reconcile.Result{}, nil
	}
	now := r.Clock.Now()
	st := &in.Status
	set := func(typ string, status metav1.ConditionStatus, reason, msg string) {
		meta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: typ, Status: status, Reason: reason, Message: msg, ObservedGeneration: in.Generation})
	}
	done := func() (reconcile.Result, error) {
		st.ObservedGeneration = in.Generation
		if err := r.Client.Status().Update(ctx, &in); err != nil {
			if apierrors.IsConflict(err) || apierrors.IsNotFound(err) {
				return reconcile.Result{RequeueAfter: time.Second}, nil
			}
			return reconcile.Result{}, fmt.Errorf("%s: update status of %s: %w", ControllerName, req, err)
		}
		return reconcile.Result{RequeueAfter: r.Interval}, nil
	}

	// The target, unless another Intent already owns it.
	if other, err := r.olderIntentOnTarget(ctx, &in); err != nil {
		return reconcile.Result{}, err
	} else if other != "" {
		set(ConditionReady, metav1.ConditionFalse, ReasonDuplicateTarget, "Intent "+other+" already targets "+targetText(&in)+"; this one is ignored")
		r.event(&in, corev1.EventTypeWarning, ReasonDuplicateTarget, "Intent %s already targets %s", other, targetText(&in))
		return done()
	}
	w, found, err := r.readWorkload(ctx, &in)
	if err != nil {
		return reconcile.Result{}, err
	}
	if !found {
		set(ConditionReady, metav1.ConditionFalse, ReasonTargetMissing, targetText(&in)+" not found")
		r.event(&in, corev1.EventTypeWarning, ReasonTargetMissing, "%s not found", targetText(&in))
		return done()
	}
	set(ConditionReady, metav1.ConditionTrue, ReasonServing, "measuring and planning for "+targetText(&in))

	// Measure.
	profiles, err := r.profiles(ctx, &in)
	if err != nil {
		return reconcile.Result{}, err
	}
	ms := measure(ctx, r.Measurer, &in, profiles, w, now)
	st.Objectives = st.Objectives[:0]
	var unknown []string
	allMet := true
	current, goal, profs := problem(&in, profiles, w, ms, now)
	for _, m := range ms {
		r.observe(&in, m, profs, goal)
		os := widov1.ObjectiveStatus{Name: m.Name}
		if m.Known {
			v := m.Value
			os.Value = &v
			os.Time = &metav1.Time{Time: m.Time}
			os.Met = actuator.Meets(profs[m.Name], v, goal.Intent.Objectives[m.Name], goal.Intent.Tolerances[m.Name])
		} else {
			unknown = append(unknown, m.Name+": "+m.Reason+" ("+m.Message+")")
		}
		allMet = allMet && os.Met
		st.Objectives = append(st.Objectives, os)
	}
	if len(unknown) > 0 {
		msg := "unknown objectives, the Intent is held (nothing that removes capacity): " + strings.Join(unknown, "; ")
		set(ConditionMetricsAvailable, metav1.ConditionFalse, ReasonMetricsUnknown, msg)
		r.event(&in, corev1.EventTypeWarning, ReasonMetricsUnknown, "%s", msg)
	} else {
		set(ConditionMetricsAvailable, metav1.ConditionTrue, ReasonMeasured, "every objective measured")
	}
	if allMet {
		set(ConditionObjectivesMet, metav1.ConditionTrue, ReasonMet, "every objective is met")
	} else {
		set(ConditionObjectivesMet, metav1.ConditionFalse, ReasonNotMet, "not every objective is met")
	}
	mode := in.Spec.EffectiveMode()
	if mode == widov1.Observe {
		meta.RemoveStatusCondition(&st.Conditions, ConditionPlanBlocked)
		return done()
	}

	// Plan.
	start := time.Now()
	plan, err := r.planner.CreatePlan(ctx, &planner.Problem{Current: current, Goal: goal, Profiles: profs, Models: r.Models})
	if r.Metrics != nil {
		r.Metrics.PlanDuration.Observe(time.Since(start).Seconds())
		if err == nil {
			r.Metrics.Plans.WithLabelValues(string(plan.Explanation.Stopped)).Inc()
			for _, ae := range plan.Explanation.ActuatorErrors {
				r.Metrics.ActuatorErrors.WithLabelValues(ae.Actuator).Inc()
			}
		}
	}
	if err != nil {
		set(ConditionPlanBlocked, metav1.ConditionTrue, "PlanFailed", err.Error())
		r.event(&in, corev1.EventTypeWarning, "PlanFailed", "%v", err)
		return done()
	}
	e := plan.Explanation
	if len(e.ActuatorErrors) > 0 {
		var msgs []string
		for _, ae := range e.ActuatorErrors {
			msgs = append(msgs, ae.Actuator+": "+ae.Error)
		}
		set(ConditionActuatorsHealthy, metav1.ConditionFalse, ReasonActuatorsFailing, strings.Join(msgs, "; "))
	} else {
		set(ConditionActuatorsHealthy, metav1.ConditionTrue, ReasonActuatorsOK, "every actuator answered")
	}
	last := &widov1.LastPlan{Time: metav1.Time{Time: now}, Reason: string(e.Stopped),
		Summary: fmt.Sprintf("%d states explored, %d created, cost %.4g", e.StatesExplored, e.StatesCreated, e.Cost)}
	for _, a := range plan.Actions {
		last.Actions = append(last.Actions, widov1.PlannedAction{Name: a.Name, Properties: properties(a)})
	}
	st.LastPlan = last
	if len(plan.Actions) == 0 {
		set(ConditionPlanBlocked, metav1.ConditionFalse, ReasonNotBlocked, "nothing to do: "+string(e.Stopped))
		return done()
	}
	if mode == widov1.Recommend {
		r.countActions(plan, "recommended")
		set(ConditionPlanBlocked, metav1.ConditionTrue, actuation.ReasonModeForbids, "mode Recommend: the plan is reported, not performed")
		r.event(&in, corev1.EventTypeNormal, "Recommended", "plan %s (%s)", planText(plan), e.Stopped)
		return done()
	}

	// Perform: each actuator turns its actions into operations.
	ops, err := r.perform(ctx, &in, plan, current)
	if err != nil {
		set(ConditionPlanBlocked, metav1.ConditionTrue, "PerformFailed", err.Error())
		r.event(&in, corev1.EventTypeWarning, "PerformFailed", "%v", err)
		return done()
	}
	if len(unknown) > 0 {
		if removes := removesCapacity(ops, w); removes != "" {
			set(ConditionPlanBlocked, metav1.ConditionTrue, ReasonMetricsUnknown, "objectives unknown; "+removes+" would remove capacity")
			r.event(&in, corev1.EventTypeWarning, ConditionPlanBlocked, "%s: objectives unknown; %s would remove capacity", ReasonMetricsUnknown, removes)
			return done()
		}
	}
	res, err := r.Executor.Apply(ctx, &in, ops, planText(plan)+" ("+string(e.Stopped)+")")
	if err != nil {
		logger.Error(err, "actuation failed")
		r.countActions(plan, "failed")
		set(ConditionPlanBlocked, metav1.ConditionTrue, "ActuationFailed", err.Error())
		r.event(&in, corev1.EventTypeWarning, "ActuationFailed", "%v", err)
		return done()
	}
	if res.Blocked {
		set(ConditionPlanBlocked, metav1.ConditionTrue, res.Guard, res.Message)
		r.countActions(plan, "blocked")
		if r.Metrics != nil {
			r.Metrics.GuardBlocks.WithLabelValues(res.Guard).Inc()
		}
	} else {
		r.countActions(plan, "performed")
		set(ConditionPlanBlocked, metav1.ConditionFalse, ReasonNotBlocked, "performed")
	}
	if len(res.Performed) > 0 {
		last.Performed = !res.Blocked
		st.LastAction = planText(plan)
	}
	return done()
}

// observe exports one objective's measurement.
func (r *Reconciler) observe(in *widov1.Intent, m Measured, profs map[string]actuator.Profile, goal actuator.State) {
	if r.Metrics == nil {
		return
	}
	labels := []string{in.Namespace, in.Name, m.Name}
	if !m.Known {
		r.Metrics.Objective.DeleteLabelValues(labels...)
		r.Metrics.ObjectiveMet.WithLabelValues(labels...).Set(0)
		r.Metrics.UnknownMeasures.WithLabelValues(m.Reason).Inc()
		return
	}
	r.Metrics.Objective.WithLabelValues(labels...).Set(m.Value)
	met := 0.0
	if actuator.Meets(profs[m.Name], m.Value, goal.Intent.Objectives[m.Name], goal.Intent.Tolerances[m.Name]) {
		met = 1
	}
	r.Metrics.ObjectiveMet.WithLabelValues(labels...).Set(met)
}

// countActions counts a plan's actions with a result.
func (r *Reconciler) countActions(plan *planner.Plan, result string) {
	if r.Metrics == nil {
		return
	}
	for _, a := range plan.Actions {
		r.Metrics.Actions.WithLabelValues(a.Name, result).Inc()
	}
}

// perform asks each actuator of the plan for its operations, in plan order.
func (r *Reconciler) perform(ctx context.Context, in *widov1.Intent, plan *planner.Plan, current actuator.State) ([]actuator.Operation, error) {
	var ops []actuator.Operation
	asked := map[string]bool{}
	for _, a := range plan.Actions {
		if asked[a.Name] {
			continue
		}
		asked[a.Name] = true
		for _, act := range r.Actuators {
			if act.Name() != a.Name {
				continue
			}
			resp, err := act.Perform(ctx, &planner.PerformRequest{State: current, Plan: plan.Actions})
			if err != nil {
				return nil, fmt.Errorf("actuator %s: perform: %w", a.Name, err)
			}
			ops = append(ops, resp.Operations...)
		}
	}
	return ops, nil
}

// removesCapacity names the first operation that would remove capacity.
func removesCapacity(ops []actuator.Operation, w Workload) string {
	for _, op := range ops {
		switch op.Kind {
		case actuator.EvictPod:
			return "evicting pod " + op.Pod
		case actuator.Scale:
			if op.Replicas < int64(len(w.Pods)) {
				return "scaling to " + strconv.FormatInt(op.Replicas, 10) + " replicas"
			}
		case actuator.SetCPU:
			for _, c := range w.Containers {
				if q, ok := c.Resources.Requests[corev1.ResourceCPU]; c.Name == op.Container && ok && op.CPURequest > 0 && op.CPURequest < q.MilliValue() {
					return "lowering the CPU of " + op.Container
				}
			}
		}
	}
	return ""
}

func (r *Reconciler) event(in *widov1.Intent, typ, reason, format string, args ...any) {
	if r.Recorder != nil {
		r.Recorder.Eventf(in, nil, typ, reason, ControllerName, format, args...)
	}
}

// profiles fetches the KPIProfiles the Intent's objectives name; missing
// ones are left out (their objectives are unknown).
func (r *Reconciler) profiles(ctx context.Context, in *widov1.Intent) (map[string]*widov1.KPIProfile, error) {
	out := map[string]*widov1.KPIProfile{}
	for _, o := range in.Spec.Objectives {
		if _, ok := out[o.MeasuredBy]; ok {
			continue
		}
		var p widov1.KPIProfile
		err := r.Client.Get(ctx, types.NamespacedName{Namespace: in.Namespace, Name: o.MeasuredBy}, &p)
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: KPIProfile %s: %w", ControllerName, o.MeasuredBy, err)
		}
		out[o.MeasuredBy] = &p
	}
	return out, nil
}

// readWorkload reads the target and its pods.
func (r *Reconciler) readWorkload(ctx context.Context, in *widov1.Intent) (Workload, bool, error) {
	ref := in.Spec.TargetRef
	ns := ref.Namespace
	if ns == "" {
		ns = in.Namespace
	}
	w := Workload{Kind: string(ref.Kind), Namespace: ns, Name: ref.Name}
	key := types.NamespacedName{Namespace: ns, Name: ref.Name}
	var selector *metav1.LabelSelector
	var template corev1.PodTemplateSpec
	var err error
	switch ref.Kind {
	case widov1.Deployment:
		var o appsv1.Deployment
		err = r.Client.Get(ctx, key, &o)
		selector, template = o.Spec.Selector, o.Spec.Template
	case widov1.StatefulSet:
		var o appsv1.StatefulSet
		err = r.Client.Get(ctx, key, &o)
		selector, template = o.Spec.Selector, o.Spec.Template
	case widov1.ReplicaSet:
		var o appsv1.ReplicaSet
		err = r.Client.Get(ctx, key, &o)
		selector, template = o.Spec.Selector, o.Spec.Template
	default:
		return w, false, nil
	}
	if apierrors.IsNotFound(err) {
		return w, false, nil
	}
	if err != nil {
		return w, false, fmt.Errorf("%s: read %s: %w", ControllerName, targetText(in), err)
	}
	sel, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil || sel.Empty() {
		sel = labels.Nothing()
	}
	var pods corev1.PodList
	if err := r.Client.List(ctx, &pods, client.InNamespace(ns), client.MatchingLabelsSelector{Selector: sel}); err != nil {
		return w, false, fmt.Errorf("%s: pods of %s: %w", ControllerName, targetText(in), err)
	}
	w.Pods, w.Containers = pods.Items, template.Spec.Containers
	return w, true, nil
}

// targetIndex indexes Intents by their target ("Kind namespace/name").
const targetIndex = "wido.dev/target"

// IndexTargets adds the index of Intents by target to a cache.
func IndexTargets(ctx context.Context, indexer client.FieldIndexer) error {
	return indexer.IndexField(ctx, &widov1.Intent{}, targetIndex, func(o client.Object) []string {
		return []string{targetText(o.(*widov1.Intent))}
	})
}

// olderIntentOnTarget returns the name of another Intent on the same
// workload that takes precedence (created earlier; by name on a tie).
func (r *Reconciler) olderIntentOnTarget(ctx context.Context, in *widov1.Intent) (string, error) {
	var list widov1.IntentList
	opts := []client.ListOption{client.InNamespace(in.Namespace)}
	if r.TargetIndexed {
		opts = append(opts, client.MatchingFields{targetIndex: targetText(in)})
	}
	if err := r.Client.List(ctx, &list, opts...); err != nil {
		return "", fmt.Errorf("%s: list intents: %w", ControllerName, err)
	}
	var others []widov1.Intent
	for _, o := range list.Items {
		if o.Name != in.Name && o.DeletionTimestamp.IsZero() && targetText(&o) == targetText(in) {
			others = append(others, o)
		}
	}
	sort.Slice(others, func(i, j int) bool { return before(&others[i], &others[j]) })
	if len(others) > 0 && before(&others[0], in) {
		return others[0].Name, nil
	}
	return "", nil
}

func before(a, b *widov1.Intent) bool {
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return a.CreationTimestamp.Before(&b.CreationTimestamp)
	}
	return a.Name < b.Name
}

func targetText(in *widov1.Intent) string {
	ns := in.Spec.TargetRef.Namespace
	if ns == "" {
		ns = in.Namespace
	}
	return string(in.Spec.TargetRef.Kind) + " " + ns + "/" + in.Spec.TargetRef.Name
}

func properties(a actuator.Action) map[string]string {
	out := map[string]string{}
	for k, v := range a.Properties.Int {
		out[k] = strconv.FormatInt(v, 10)
	}
	for k, v := range a.Properties.Str {
		out[k] = v
	}
	return out
}

// planText renders a plan as IDO prints actions: scaleOut{factor: 2}, ….
func planText(p *planner.Plan) string {
	parts := make([]string, len(p.Actions))
	for i, a := range p.Actions {
		props := properties(a)
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		kv := make([]string, len(keys))
		for j, k := range keys {
			kv[j] = k + ": " + props[k]
		}
		parts[i] = a.Name + "{" + strings.Join(kv, ", ") + "}"
	}
	return strings.Join(parts, ", ")
}
