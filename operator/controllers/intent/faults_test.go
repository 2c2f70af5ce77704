package intent

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/wido-dev/wido/operator/actuation"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/testenv"
	"github.com/wido-dev/wido/planner"
	"github.com/wido-dev/wido/plugins/scaleout"
)

// TestFaults: each bad input or guard ends in a condition and an Event
// naming the cause, and no write outside bounds.
func TestFaults(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()
	ns := func(name string) {
		must(t, env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}))
	}
	deployment := func(namespace string) {
		must(t, createWorkload(ctx, env.Client, namespace, "web", "web-a", "web-b"))
	}
	profile := func(namespace string) {
		must(t, env.Client.Create(ctx, &widov1.KPIProfile{ObjectMeta: metav1.ObjectMeta{Name: "p99latency", Namespace: namespace},
			Spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: "lat"}}))
		must(t, env.Client.Create(ctx, &widov1.KPIProfile{ObjectMeta: metav1.ObjectMeta{Name: "throughput", Namespace: namespace},
			Spec: widov1.KPIProfileSpec{Type: widov1.Throughput, Query: "rps"}}))
	}
	intent := func(namespace, name string, mods ...func(*widov1.Intent)) {
		in := &widov1.Intent{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace},
			Spec: widov1.IntentSpec{TargetRef: widov1.TargetRef{Kind: widov1.Deployment, Name: "web"},
				Objectives: []widov1.Objective{{Name: "p99", Value: 0.03, MeasuredBy: "p99latency"}, {Name: "rps", Value: 0, MeasuredBy: "throughput"}}}}
		for _, m := range mods {
			m(in)
		}
		must(t, env.Client.Create(ctx, in))
		time.Sleep(1100 * time.Millisecond) // distinct creation timestamps (second resolution)
	}

	out, err := scaleout.Build(nil)
	must(t, err)
	clock := clocktesting.NewFakePassiveClock(time.Now())
	recorder := events.NewFakeRecorder(100)
	r := &Reconciler{
		Client:    env.Client,
		Measurer:  fakeMeasurer{"lat": 0.04, "rps": 4800},
		Actuators: []planner.Actuator{planner.Native(out)},
		Models:    goldenModels(),
		Executor:  &actuation.Executor{Client: env.Client, Clock: clock, Recorder: recorder},
		Recorder:  recorder,
		Clock:     clock,
	}

	tests := []struct {
		name      string
		setup     func(namespace string)
		intent    string
		condition string
		status    metav1.ConditionStatus
		reason    string
		message   string
		event     string
		replicas  int32 // of the Deployment afterwards; 0: no Deployment
	}{
		{name: "target missing", setup: func(n string) { profile(n); intent(n, "i") }, intent: "i",
			condition: ConditionReady, status: metav1.ConditionFalse, reason: ReasonTargetMissing, message: "Deployment %s/web not found", event: ReasonTargetMissing},
		{name: "objective naming a missing KPIProfile", setup: func(n string) {
			deployment(n)
			profile(n)
			intent(n, "i", func(in *widov1.Intent) { in.Spec.Objectives[1].MeasuredBy = "nope" })
		}, intent: "i", condition: ConditionMetricsAvailable, status: metav1.ConditionFalse, reason: ReasonMetricsUnknown,
			message: `KPIProfile "nope" not found`, event: ReasonMetricsUnknown, replicas: 2},
		{name: "two intents on one workload: the second is refused", setup: func(n string) {
			deployment(n)
			profile(n)
			intent(n, "first", func(in *widov1.Intent) { in.Spec.Mode = widov1.Observe })
			intent(n, "second")
		}, intent: "second", condition: ConditionReady, status: metav1.ConditionFalse, reason: ReasonDuplicateTarget,
			message: "Intent first already targets", event: ReasonDuplicateTarget, replicas: 2},
		{name: "Recommend mode reports and never writes", setup: func(n string) {
			deployment(n)
			profile(n)
			intent(n, "i", func(in *widov1.Intent) { in.Spec.Mode = widov1.Recommend })
		}, intent: "i", condition: ConditionPlanBlocked, status: metav1.ConditionTrue, reason: actuation.ReasonModeForbids,
			message: "Recommend", event: "Recommended", replicas: 2},
		{name: "IDO's active: false is Recommend", setup: func(n string) {
			deployment(n)
			profile(n)
			intent(n, "i", func(in *widov1.Intent) { in.Spec.Active = ptr.To(false) })
		}, intent: "i", condition: ConditionPlanBlocked, status: metav1.ConditionTrue, reason: actuation.ReasonModeForbids,
			replicas: 2},
		{name: "target owned by an HPA", setup: func(n string) {
			deployment(n)
			profile(n)
			must(t, env.Client.Create(ctx, &autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: n},
				Spec: autoscalingv2.HorizontalPodAutoscalerSpec{MaxReplicas: 5,
					ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"}}}))
			intent(n, "i")
		}, intent: "i", condition: ConditionPlanBlocked, status: metav1.ConditionTrue, reason: actuation.ReasonOwnedByAutoscaler,
			message: "web", event: actuation.EventPlanBlocked, replicas: 2},
		{name: "a plan beyond maxReplicas is blocked", setup: func(n string) {
			deployment(n)
			profile(n)
			intent(n, "i", func(in *widov1.Intent) { in.Spec.Bounds.MaxReplicas = ptr.To[int32](3) })
		}, intent: "i", condition: ConditionPlanBlocked, status: metav1.ConditionTrue, reason: actuation.ReasonOutOfBounds,
			message: "maxReplicas 3", event: actuation.EventPlanBlocked, replicas: 2},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := "faults-" + string(rune('a'+i))
			ns(n)
			tc.setup(n)
			key := types.NamespacedName{Namespace: n, Name: tc.intent}
			if _, err := r.Reconcile(ctx, reconcile.Request{NamespacedName: key}); err != nil {
				t.Fatal(err)
			}
			var got widov1.Intent
			must(t, env.Client.Get(ctx, key, &got))
			c := meta.FindStatusCondition(got.Status.Conditions, tc.condition)
			msg := tc.message
			if strings.Contains(msg, "%s") {
				msg = strings.Replace(msg, "%s", n, 1)
			}
			if c == nil || c.Status != tc.status || c.Reason != tc.reason || !strings.Contains(c.Message, msg) {
				t.Fatalf("%s = %+v, want %s/%s containing %q; all: %+v", tc.condition, c, tc.status, tc.reason, msg, got.Status.Conditions)
			}
			if tc.event != "" {
				expectEvent(t, recorder, tc.event)
			}
			if tc.replicas > 0 {
				var d appsv1.Deployment
				must(t, env.Client.Get(ctx, types.NamespacedName{Namespace: n, Name: "web"}, &d))
				if *d.Spec.Replicas != tc.replicas {
					t.Errorf("replicas = %d, want %d", *d.Spec.Replicas, tc.replicas)
				}
			}
			for len(recorder.Events) > 0 {
				<-recorder.Events
			}
		})
	}

	t.Run("a deleted Intent is no error", func(t *testing.T) {
		if _, err := r.Reconcile(ctx, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "default", Name: "gone"}}); err != nil {
			t.Errorf("Reconcile = %v", err)
		}
	})
}

// TestIntentDeletedWhileActing deletes the Intent while its scale is being
// written: the action finishes, the status update finds no Intent, and
// neither that reconcile nor the next one fails or panics.
func TestIntentDeletedWhileActing(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()
	must(t, createWorkload(ctx, env.Client, "default", "web"))
	for _, p := range []*widov1.KPIProfile{
		{ObjectMeta: metav1.ObjectMeta{Name: "p99latency", Namespace: "default"}, Spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: "lat"}},
		{ObjectMeta: metav1.ObjectMeta{Name: "throughput", Namespace: "default"}, Spec: widov1.KPIProfileSpec{Type: widov1.Throughput, Query: "rps"}},
	} {
		must(t, env.Client.Create(ctx, p))
	}
	in := &widov1.Intent{ObjectMeta: metav1.ObjectMeta{Name: "i", Namespace: "default"},
		Spec: widov1.IntentSpec{TargetRef: widov1.TargetRef{Kind: widov1.Deployment, Name: "web"},
			Objectives: []widov1.Objective{{Name: "p99", Value: 0.03, MeasuredBy: "p99latency"}, {Name: "rps", Value: 0, MeasuredBy: "throughput"}}}}
	must(t, env.Client.Create(ctx, in))

	// The client deletes the Intent just before the scale is written.
	deleting := interceptor.Funcs{SubResourceUpdate: func(ctx context.Context, c client.Client, sub string, obj client.Object, opts ...client.SubResourceUpdateOption) error {
		if sub == "scale" {
			if err := c.Delete(ctx, &widov1.Intent{ObjectMeta: metav1.ObjectMeta{Name: "i", Namespace: "default"}}); err != nil {
				return err
			}
		}
		return c.SubResource(sub).Update(ctx, obj, opts...)
	}}
	c := interceptor.NewClient(env.Client.(client.WithWatch), deleting)
	out, err := scaleout.Build(nil)
	must(t, err)
	r := &Reconciler{
		Client:    c,
		Measurer:  fakeMeasurer{"lat": 0.04, "rps": 4800},
		Actuators: []planner.Actuator{planner.Native(out)},
		Models:    goldenModels(),
		Executor:  &actuation.Executor{Client: c},
	}
	key := reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "default", Name: "i"}}
	if _, err := r.Reconcile(ctx, key); err != nil {
		t.Fatalf("Reconcile while the Intent is deleted: %v", err)
	}
	var d appsv1.Deployment
	must(t, env.Client.Get(ctx, types.NamespacedName{Namespace: "default", Name: "web"}, &d))
	if *d.Spec.Replicas != 4 {
		t.Errorf("replicas = %d; the action in flight should finish", *d.Spec.Replicas)
	}
	if _, err := r.Reconcile(ctx, key); err != nil {
		t.Errorf("Reconcile after deletion: %v", err)
	}
}
