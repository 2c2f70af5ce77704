// Package kpiprofile is the KPIProfile controller: it resolves a profile —
// its query template renders and Prometheus accepts the PromQL — and says
// so in the Resolved condition, with the reason when it does not. It does
// not measure anything for an Intent; the Intent controller does.
package kpiprofile

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/telemetry"
)

// ControllerName names the controller in logs and metrics.
const ControllerName = "kpiprofile"

// ConditionResolved is the profile's condition type.
const ConditionResolved = "Resolved"

// Reasons of the Resolved condition.
const (
	// ReasonQueryAccepted: the template renders and Prometheus parses the query.
	ReasonQueryAccepted = "QueryAccepted"
	// ReasonComputed: an availability profile without a query; wido
	// computes availability from pod restarts.
	ReasonComputed = "ComputedFromPods"
	// ReasonQueryMissing: a profile other than availability has no query.
	ReasonQueryMissing = "QueryMissing"
	// ReasonInvalidTemplate: the query's template does not render.
	ReasonInvalidTemplate = "InvalidTemplate"
	// ReasonInvalidQuery: Prometheus refuses the PromQL.
	ReasonInvalidQuery = "InvalidQuery"
	// ReasonPrometheusUnavailable: the query could not be checked (status
	// Unknown; retried).
	ReasonPrometheusUnavailable = "PrometheusUnavailable"
)

// Measurer runs a query; *telemetry.Prometheus is one.
type Measurer interface {
	Measure(ctx context.Context, endpoint, query string) (telemetry.Measurement, error)
}

var _ Measurer = (*telemetry.Prometheus)(nil)

// Reconciler resolves KPIProfiles.
type Reconciler struct {
	Client     client.Client
	Prometheus Measurer
	// RetryAfter is how soon a profile whose check failed for want of
	// Prometheus is checked again. Default 30 s.
	RetryAfter time.Duration
}

var _ reconcile.Reconciler = (*Reconciler)(nil)

// SetupWithManager registers the controller.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).Named(ControllerName).
		For(&widov1.KPIProfile{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Complete(r)
}

// Reconcile implements reconcile.Reconciler.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	var p widov1.KPIProfile
	if err := r.Client.Get(ctx, req.NamespacedName, &p); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	cond := r.resolve(ctx, &p)
	cond.ObservedGeneration = p.Generation
	changed := meta.SetStatusCondition(&p.Status.Conditions, cond)
	if changed || p.Status.ObservedGeneration != p.Generation {
		p.Status.ObservedGeneration = p.Generation
		if err := r.Client.Status().Update(ctx, &p); err != nil {
			if apierrors.IsConflict(err) {
				// Changed meanwhile: the watch brings the new version.
				return reconcile.Result{RequeueAfter: time.Second}, nil
			}
			return reconcile.Result{}, fmt.Errorf("%s: update status of %s: %w", ControllerName, req, err)
		}
	}
	if cond.Status == metav1.ConditionUnknown {
		retry := r.RetryAfter
		if retry <= 0 {
			retry = 30 * time.Second
		}
		return reconcile.Result{RequeueAfter: retry}, nil
	}
	return reconcile.Result{}, nil
}

// resolve checks the profile and returns its Resolved condition.
func (r *Reconciler) resolve(ctx context.Context, p *widov1.KPIProfile) metav1.Condition {
	cond := func(status metav1.ConditionStatus, reason, msg string) metav1.Condition {
		return metav1.Condition{Type: ConditionResolved, Status: status, Reason: reason, Message: msg}
	}
	if p.Spec.Query == "" {
		if p.Spec.Type == widov1.Availability {
			return cond(metav1.ConditionTrue, ReasonComputed, "availability is computed from the target's pod restarts")
		}
		return cond(metav1.ConditionFalse, ReasonQueryMissing, "a "+string(p.Spec.Type)+" profile needs a query")
	}
	// Render for an example target: the template must work for any.
	q, err := telemetry.RenderQuery(p.Spec.Query, telemetry.Target{Namespace: p.Namespace, Name: "example", Kind: "Deployment"})
	if err != nil {
		return cond(metav1.ConditionFalse, ReasonInvalidTemplate, err.Error())
	}
	_, err = r.Prometheus.Measure(ctx, p.Spec.Endpoint, q)
	switch reason := telemetry.ReasonOf(err); {
	case err == nil, reason == telemetry.NoData, reason == telemetry.NotANumber, reason == telemetry.Ambiguous, reason == telemetry.Stale:
		// Prometheus parsed and ran the query; what it returns for the
		// example target does not matter.
		return cond(metav1.ConditionTrue, ReasonQueryAccepted, "Prometheus accepts the query")
	case reason == telemetry.InvalidQuery:
		return cond(metav1.ConditionFalse, ReasonInvalidQuery, err.Error())
	default:
		return cond(metav1.ConditionUnknown, ReasonPrometheusUnavailable, err.Error())
	}
}
