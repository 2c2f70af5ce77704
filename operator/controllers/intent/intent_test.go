package intent

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wido-dev/wido/operator/actuation"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/promtest"
	"github.com/wido-dev/wido/operator/telemetry"
	"github.com/wido-dev/wido/operator/testenv"
	"github.com/wido-dev/wido/planner"
	"github.com/wido-dev/wido/plugins/rmpod"
	"github.com/wido-dev/wido/plugins/scaleout"
)

// TestEndToEnd runs the Intent controller against a real kube-apiserver and
// a real Prometheus: with p99 latency above target the Deployment is
// scaled out through /scale; with latency far under target and too many
// replicas a pod is evicted; with the metric gone, nothing that removes
// capacity happens. Status and Events say so each time.
func TestEndToEnd(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()
	var latency, rps atomic.Value
	latency.Store(0.04)
	rps.Store(4800.0)
	serving := atomic.Bool{}
	serving.Store(true)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if serving.Load() {
			fmt.Fprintf(w, "app_p99_seconds{deployment=\"frontend\"} %v\napp_rps{deployment=\"frontend\"} %v\n", latency.Load(), rps.Load())
		}
	}))
	defer target.Close()
	u, _ := url.Parse(target.URL)
	prom := promtest.Start(t, u.Host)
	prom.WaitForSeries(t, "app_p99_seconds")

	// The workload: a Deployment with two running pods.
	must(t, createWorkload(ctx, env.Client, "default", "frontend", "frontend-a", "frontend-b"))

	for _, p := range []*widov1.KPIProfile{
		{ObjectMeta: metav1.ObjectMeta{Name: "p99latency", Namespace: "default"}, Spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: `app_p99_seconds{deployment="{{.Name}}"}`}},
		{ObjectMeta: metav1.ObjectMeta{Name: "throughput", Namespace: "default"}, Spec: widov1.KPIProfileSpec{Type: widov1.Throughput, Query: `app_rps{deployment="{{.Name}}"}`}},
		{ObjectMeta: metav1.ObjectMeta{Name: "availability", Namespace: "default"}, Spec: widov1.KPIProfileSpec{Type: widov1.Availability}},
	} {
		must(t, env.Client.Create(ctx, p))
	}
	in := &widov1.Intent{
		ObjectMeta: metav1.ObjectMeta{Name: "frontend", Namespace: "default"},
		Spec: widov1.IntentSpec{
			TargetRef: widov1.TargetRef{Kind: widov1.Deployment, Name: "frontend"},
			Objectives: []widov1.Objective{
				{Name: "p99", Value: 0.03, MeasuredBy: "p99latency"},
				{Name: "rps", Value: 0, MeasuredBy: "throughput"},
				{Name: "availability", Value: 0.999, MeasuredBy: "availability"},
			},
			Bounds: widov1.Bounds{MinReplicas: ptr.To[int32](1), MaxReplicas: ptr.To[int32](10)},
		},
	}
	must(t, env.Client.Create(ctx, in))

	out, err := scaleout.Build(nil)
	must(t, err)
	rm, err := rmpod.Build(nil)
	must(t, err)
	clock := clocktesting.NewFakePassiveClock(time.Now())
	recorder := events.NewFakeRecorder(100)
	metrics, err := NewMetrics(prometheus.NewRegistry())
	must(t, err)
	r := &Reconciler{
		Metrics:   metrics,
		Client:    env.Client,
		Measurer:  telemetry.NewPrometheus(prom.URL, 2*time.Second, time.Minute),
		Actuators: []planner.Actuator{planner.Native(out), planner.Native(rm)},
		Models:    goldenModels(),
		Executor:  &actuation.Executor{Client: env.Client, Clock: clock, Recorder: recorder},
		Recorder:  recorder,
		Clock:     clock,
	}
	reconcileOnce := func() *widov1.Intent {
		t.Helper()
		res, err := r.Reconcile(ctx, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "default", Name: "frontend"}})
		must(t, err)
		if res.RequeueAfter != DefaultInterval {
			t.Errorf("RequeueAfter = %v, want the planning interval", res.RequeueAfter)
		}
		var got widov1.Intent
		must(t, env.Client.Get(ctx, types.NamespacedName{Namespace: "default", Name: "frontend"}, &got))
		return &got
	}
	replicas := func() int32 {
		var d appsv1.Deployment
		must(t, env.Client.Get(ctx, types.NamespacedName{Namespace: "default", Name: "frontend"}, &d))
		return *d.Spec.Replicas
	}

	t.Run("latency above target: scaled out through /scale", func(t *testing.T) {
		got := reconcileOnce()
		if n := replicas(); n != 4 {
			t.Fatalf("replicas = %d, want 4 (scaleOut{factor: 2})", n)
		}
		expectCondition(t, got, ConditionObjectivesMet, metav1.ConditionFalse, ReasonNotMet)
		expectCondition(t, got, ConditionMetricsAvailable, metav1.ConditionTrue, ReasonMeasured)
		expectCondition(t, got, ConditionPlanBlocked, metav1.ConditionFalse, ReasonNotBlocked)
		if got.Status.LastPlan == nil || !got.Status.LastPlan.Performed || got.Status.LastAction != "scaleOut{factor: 2}" {
			t.Errorf("lastPlan %+v, lastAction %q", got.Status.LastPlan, got.Status.LastAction)
		}
		expectEvent(t, recorder, "Scaled")
		if n := testutil.ToFloat64(metrics.Actions.WithLabelValues("scaleOut", "performed")); n != 1 {
			t.Errorf("wido_actions_total{scaleOut,performed} = %v, want 1", n)
		}
		if v := testutil.ToFloat64(metrics.Objective.WithLabelValues("default", "frontend", "p99")); v != 0.04 {
			t.Errorf("wido_objective_value{p99} = %v, want 0.04", v)
		}
		if n := testutil.ToFloat64(metrics.Plans.WithLabelValues("GoalReached")); n != 1 {
			t.Errorf("wido_plans_total{GoalReached} = %v, want 1", n)
		}
	})

	// The ReplicaSet controller would now start two pods.
	must(t, addRunningPods(ctx, env.Client, "default", "frontend", "frontend-c", "frontend-d"))
	clock.SetTime(clock.Now().Add(2 * time.Minute)) // past the cooldown

	t.Run("metrics gone: held, no capacity removed", func(t *testing.T) {
		serving.Store(false)
		waitFor(t, func() bool {
			_, err := r.Measurer.Measure(ctx, "", `app_p99_seconds{deployment="frontend"}`)
			return telemetry.ReasonOf(err) == telemetry.NoData || telemetry.ReasonOf(err) == telemetry.Stale
		})
		got := reconcileOnce()
		expectCondition(t, got, ConditionMetricsAvailable, metav1.ConditionFalse, ReasonMetricsUnknown)
		if n := replicas(); n != 4 {
			t.Errorf("replicas = %d, want 4 untouched", n)
		}
		expectEvent(t, recorder, ReasonMetricsUnknown)
		if n := testutil.ToFloat64(metrics.UnknownMeasures.WithLabelValues("NoData")); n < 1 {
			t.Errorf("wido_unknown_measurements_total{NoData} = %v", n)
		}
		if v := testutil.ToFloat64(metrics.ObjectiveMet.WithLabelValues("default", "frontend", "p99")); v != 0 {
			t.Errorf("wido_objective_met{p99} = %v while unknown, want 0", v)
		}
		serving.Store(true)
	})

	t.Run("latency far under target with too many pods: a pod is evicted", func(t *testing.T) {
		latency.Store(0.005)
		rps.Store(100.0)
		waitFor(t, func() bool {
			m, err := r.Measurer.Measure(ctx, "", `app_p99_seconds{deployment="frontend"}`)
			return err == nil && m.Value == 0.005
		})
		got := reconcileOnce()
		var pods corev1.PodList
		must(t, env.Client.List(ctx, &pods))
		if len(pods.Items) >= 4 {
			t.Fatalf("%d pods, want one evicted; plan %+v, conditions %+v", len(pods.Items), got.Status.LastPlan, got.Status.Conditions)
		}
		if !strings.HasPrefix(got.Status.LastAction, "rmPod{") {
			t.Errorf("lastAction = %q, want rmPod", got.Status.LastAction)
		}
		expectEvent(t, recorder, "PodEvicted")
	})
}

func expectCondition(t *testing.T, in *widov1.Intent, typ string, status metav1.ConditionStatus, reason string) {
	t.Helper()
	c := meta.FindStatusCondition(in.Status.Conditions, typ)
	if c == nil || c.Status != status || c.Reason != reason {
		t.Errorf("condition %s = %+v, want %s/%s", typ, c, status, reason)
	}
}

func expectEvent(t *testing.T, r *events.FakeRecorder, reason string) {
	t.Helper()
	for {
		select {
		case e := <-r.Events:
			if strings.Contains(e, reason) {
				return
			}
		default:
			t.Errorf("no Event with reason %s", reason)
			return
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 20 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
