package kpiprofile

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/promtest"
	"github.com/wido-dev/wido/operator/telemetry"
	"github.com/wido-dev/wido/operator/testenv"
)

// TestReconcile resolves profiles in a real API server against a real
// Prometheus, and against one that is down.
func TestReconcile(t *testing.T) {
	env := testenv.Start(t)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("kpi{deployment=\"example\"} 1\n"))
	}))
	defer target.Close()
	u, _ := url.Parse(target.URL)
	prom := promtest.Start(t, u.Host)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()

	tests := []struct {
		name     string
		spec     widov1.KPIProfileSpec
		status   metav1.ConditionStatus
		reason   string
		message  string
		requeued bool
	}{
		{name: "a valid query", spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: `sum(kpi{deployment="{{.Name}}"})`},
			status: metav1.ConditionTrue, reason: ReasonQueryAccepted},
		{name: "a valid IDO query with no data yet", spec: widov1.KPIProfileSpec{Type: widov1.Throughput, Query: `sum(rate(request_total{namespace="%s",deployment="%s"}[30s]))`},
			status: metav1.ConditionTrue, reason: ReasonQueryAccepted},
		{name: "invalid PromQL", spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: `sum(kpi{deployment="{{.Name}}"}`},
			status: metav1.ConditionFalse, reason: ReasonInvalidQuery, message: "parse error"},
		{name: "a broken template", spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: `kpi{d="{{.Nam}}"}`},
			status: metav1.ConditionFalse, reason: ReasonInvalidTemplate, message: "Nam"},
		{name: "availability needs no query", spec: widov1.KPIProfileSpec{Type: widov1.Availability},
			status: metav1.ConditionTrue, reason: ReasonComputed},
		{name: "latency without a query", spec: widov1.KPIProfileSpec{Type: widov1.Latency},
			status: metav1.ConditionFalse, reason: ReasonQueryMissing},
		{name: "Prometheus down", spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: `kpi`, Endpoint: down.URL},
			status: metav1.ConditionUnknown, reason: ReasonPrometheusUnavailable, requeued: true},
	}
	r := &Reconciler{Client: env.Client, Prometheus: telemetry.NewPrometheus(prom.URL, 2*time.Second, time.Minute)}
	ctx := context.Background()
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &widov1.KPIProfile{ObjectMeta: metav1.ObjectMeta{Name: "p" + string(rune('a'+i)), Namespace: "default"}, Spec: tc.spec}
			if err := env.Client.Create(ctx, p); err != nil {
				t.Fatal(err)
			}
			res, err := r.Reconcile(ctx, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "default", Name: p.Name}})
			if err != nil {
				t.Fatal(err)
			}
			if (res.RequeueAfter > 0) != tc.requeued {
				t.Errorf("RequeueAfter = %v, want requeued %v", res.RequeueAfter, tc.requeued)
			}
			if err := env.Client.Get(ctx, types.NamespacedName{Namespace: "default", Name: p.Name}, p); err != nil {
				t.Fatal(err)
			}
			c := meta.FindStatusCondition(p.Status.Conditions, ConditionResolved)
			if c == nil || c.Status != tc.status || c.Reason != tc.reason || !strings.Contains(c.Message, tc.message) || c.ObservedGeneration != p.Generation {
				t.Fatalf("Resolved = %+v, want %s/%s containing %q", c, tc.status, tc.reason, tc.message)
			}
			if p.Status.ObservedGeneration != p.Generation {
				t.Errorf("observedGeneration %d, generation %d", p.Status.ObservedGeneration, p.Generation)
			}
			// A second reconcile changes nothing: LastTransitionTime is stable.
			before := c.LastTransitionTime
			if _, err := r.Reconcile(ctx, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "default", Name: p.Name}}); err != nil {
				t.Fatal(err)
			}
			_ = env.Client.Get(ctx, types.NamespacedName{Namespace: "default", Name: p.Name}, p)
			if c := meta.FindStatusCondition(p.Status.Conditions, ConditionResolved); !c.LastTransitionTime.Equal(&before) {
				t.Errorf("LastTransitionTime moved from %v to %v", before, c.LastTransitionTime)
			}
		})
	}

	t.Run("a deleted profile is no error", func(t *testing.T) {
		if _, err := r.Reconcile(ctx, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "default", Name: "gone"}}); err != nil {
			t.Errorf("Reconcile = %v", err)
		}
	})
}
