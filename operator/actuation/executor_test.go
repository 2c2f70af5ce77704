package actuation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/wido-dev/wido/abi/actuator"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/testenv"
)

// TestExecutor runs the Executor against a real kube-apiserver. envtest has
// no controller-manager: Deployments create no pods, so the tests create
// pods with the workload's labels themselves, and set PodDisruptionBudget
// status by hand. Each case has its own namespace.
func TestExecutor(t *testing.T) {
	env := testenv.Start(t)
	c := env.Client

	t.Run("scales a Deployment from 2 to 4 through /scale", func(t *testing.T) {
		ns := newNamespace(t, c)
		createDeployment(t, c, ns, "frontend", 2)
		intent := createIntent(t, c, ns, withReplicaBounds(1, 10))
		ex, rec := newExecutor(c)

		res := expectApplied(t, ex, intent, "latency above target", scaleTo(4))

		if got := getDeployment(t, c, ns, "frontend").Spec.Replicas; *got != 4 {
			t.Fatalf("spec.replicas = %d; want 4", *got)
		}
		if len(res.Performed) != 1 || res.Performed[0].Before != "2" || res.Performed[0].After != "4" {
			t.Fatalf("performed %+v; want 2 → 4", res.Performed)
		}
		expectEvents(t, rec, fmt.Sprintf("Normal Scaled Deployment %s/frontend replicas: 2 → 4 (plan: latency above target)", ns))
	})

	t.Run("scales a StatefulSet through /scale", func(t *testing.T) {
		ns := newNamespace(t, c)
		sts := &appsv1.StatefulSet{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db"},
			Spec: appsv1.StatefulSetSpec{
				Replicas: ptr.To[int32](1),
				Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
				Template: podTemplate("db"),
			},
		}
		expectCreated(t, c, sts)
		intent := createIntent(t, c, ns, func(in *widov1.Intent) { in.Spec.TargetRef = widov1.TargetRef{Kind: widov1.StatefulSet, Name: "db"} })
		ex, _ := newExecutor(c)

		expectApplied(t, ex, intent, "", scaleTo(3))

		if err := c.Get(context.Background(), client.ObjectKeyFromObject(sts), sts); err != nil {
			t.Fatal(err)
		}
		if *sts.Spec.Replicas != 3 {
			t.Fatalf("spec.replicas = %d; want 3", *sts.Spec.Replicas)
		}
	})

	blocks := map[string]struct {
		// setup prepares the namespace (a Deployment frontend with 2
		// replicas exists) and returns the Intent.
		setup       func(t *testing.T, ns string) *widov1.Intent
		ops         []actuator.Operation
		wantGuard   string
		wantMessage string
	}{
		"a scale above maxReplicas is blocked by OutOfBounds": {
			setup: func(t *testing.T, ns string) *widov1.Intent {
				return createIntent(t, c, ns, withReplicaBounds(1, 10))
			},
			ops:       []actuator.Operation{scaleTo(12)},
			wantGuard: ReasonOutOfBounds, wantMessage: "scale to 12 replicas exceeds maxReplicas 10",
		},
		"mode Recommend is blocked by ModeForbids": {
			setup: func(t *testing.T, ns string) *widov1.Intent {
				return createIntent(t, c, ns, withMode(widov1.Recommend))
			},
			ops:       []actuator.Operation{scaleTo(4)},
			wantGuard: ReasonModeForbids, wantMessage: "mode Recommend",
		},
		"a plan 30s after the last performed plan is blocked by Cooldown": {
			setup: func(t *testing.T, ns string) *widov1.Intent {
				in := createIntent(t, c, ns)
				in.Status.LastPlan = &widov1.LastPlan{Time: metav1.NewTime(t0.Add(-30 * time.Second)), Reason: "GoalReached", Performed: true}
				if err := c.Status().Update(context.Background(), in); err != nil {
					t.Fatal(err)
				}
				return in
			},
			ops:       []actuator.Operation{scaleTo(4)},
			wantGuard: ReasonCooldown, wantMessage: "last action 30s ago, cooldown 1m0s",
		},
		"a Deployment scaled by an HPA is blocked by OwnedByAutoscaler": {
			setup: func(t *testing.T, ns string) *widov1.Intent {
				expectCreated(t, c, &autoscalingv2.HorizontalPodAutoscaler{
					ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "frontend-hpa"},
					Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
						ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "frontend"},
						MinReplicas:    ptr.To[int32](1),
						MaxReplicas:    5,
					},
				})
				return createIntent(t, c, ns)
			},
			ops:       []actuator.Operation{scaleTo(4)},
			wantGuard: ReasonOwnedByAutoscaler, wantMessage: "is scaled by HorizontalPodAutoscaler",
		},
		"an intent on a missing Deployment is blocked by TargetMissing": {
			setup: func(t *testing.T, ns string) *widov1.Intent {
				return createIntent(t, c, ns, func(in *widov1.Intent) { in.Spec.TargetRef.Name = "ghost" })
			},
			ops:       []actuator.Operation{scaleTo(4)},
			wantGuard: ReasonTargetMissing, wantMessage: "/ghost does not exist",
		},
		"an intent on an unsupported kind is blocked by TargetMissing": {
			setup: func(t *testing.T, ns string) *widov1.Intent {
				in := genIntent(withTargetKind("DaemonSet"))
				in.Namespace = ns
				// The CRD refuses the kind, so this Intent exists only in
				// memory, as one read from an older CRD could.
				if err := c.Create(context.Background(), in.DeepCopy()); !apierrors.IsInvalid(err) {
					t.Fatalf("creating an Intent on a DaemonSet: %v; want Invalid", err)
				}
				return in
			},
			ops:       []actuator.Operation{scaleTo(4)},
			wantGuard: ReasonTargetMissing, wantMessage: `kind "DaemonSet" of frontend is not supported`,
		},
	}
	for name, tc := range blocks {
		t.Run(name, func(t *testing.T) {
			ns := newNamespace(t, c)
			createDeployment(t, c, ns, "frontend", 2)
			intent := tc.setup(t, ns)
			ex, rec := newExecutor(c)
			rv := getDeployment(t, c, ns, "frontend").ResourceVersion

			res, err := ex.Apply(context.Background(), intent, tc.ops, "plan reason")
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if !res.Blocked || res.Guard != tc.wantGuard || !strings.Contains(res.Message, tc.wantMessage) {
				t.Fatalf("result %+v; want blocked by %s with %q", res, tc.wantGuard, tc.wantMessage)
			}
			if len(res.Performed) != 0 {
				t.Fatalf("performed %+v; want nothing", res.Performed)
			}
			if got := getDeployment(t, c, ns, "frontend"); got.ResourceVersion != rv || *got.Spec.Replicas != 2 {
				t.Fatalf("Deployment changed: resourceVersion %s → %s, replicas %d", rv, got.ResourceVersion, *got.Spec.Replicas)
			}
			expectEvents(t, rec, "Warning PlanBlocked "+tc.wantGuard+": ")
		})
	}

	t.Run("a Deployment scaled by a KEDA ScaledObject is blocked by OwnedByAutoscaler", func(t *testing.T) {
		ns := newNamespace(t, c)
		createDeployment(t, c, ns, "frontend", 2)
		intent := createIntent(t, c, ns)
		ex, _ := newExecutor(c)

		// Without KEDA's CRD there is no ScaledObject.
		st, err := ex.ReadTarget(context.Background(), intent)
		if err != nil || st.OwnedBy != "" {
			t.Fatalf("ReadTarget without KEDA: owned by %q, %v; want none", st.OwnedBy, err)
		}

		installScaledObjectCRD(t, c)
		so := &unstructured.Unstructured{}
		so.SetGroupVersionKind(ScaledObjectGVK)
		so.SetNamespace(ns)
		so.SetName("frontend-keda")
		if err := unstructured.SetNestedField(so.Object, "frontend", "spec", "scaleTargetRef", "name"); err != nil {
			t.Fatal(err)
		}
		expectCreated(t, c, so)

		res, err := ex.Apply(context.Background(), intent, []actuator.Operation{scaleTo(4)}, "")
		if err != nil {
			t.Fatal(err)
		}
		if !res.Blocked || res.Guard != ReasonOwnedByAutoscaler || !strings.Contains(res.Message, "ScaledObject "+ns+"/frontend-keda") {
			t.Fatalf("result %+v; want blocked by the ScaledObject", res)
		}
	})

	t.Run("an action starts the cooldown, which the clock ends", func(t *testing.T) {
		ns := newNamespace(t, c)
		createDeployment(t, c, ns, "frontend", 2)
		intent := createIntent(t, c, ns)
		ex, _ := newExecutor(c)
		clk := ex.Clock.(*clocktesting.FakePassiveClock)

		expectApplied(t, ex, intent, "", scaleTo(3))
		clk.SetTime(t0.Add(59 * time.Second))
		res, err := ex.Apply(context.Background(), intent, []actuator.Operation{scaleTo(4)}, "")
		if err != nil || !res.Blocked || res.Guard != ReasonCooldown {
			t.Fatalf("second plan 59s later: %+v, %v; want blocked by Cooldown", res, err)
		}
		clk.SetTime(t0.Add(61 * time.Second))
		expectApplied(t, ex, intent, "", scaleTo(4))
		if got := getDeployment(t, c, ns, "frontend").Spec.Replicas; *got != 4 {
			t.Fatalf("spec.replicas = %d; want 4", *got)
		}
	})

	t.Run("a conflict on /scale is retried after a re-read", func(t *testing.T) {
		ns := newNamespace(t, c)
		createDeployment(t, c, ns, "frontend", 2)
		intent := createIntent(t, c, ns)
		var updates atomic.Int32
		ex, _ := newExecutor(conflictingClient(t, env, &updates, 1))

		expectApplied(t, ex, intent, "", scaleTo(4))

		if n := updates.Load(); n != 2 {
			t.Fatalf("%d scale updates; want 2 (one conflict, one success)", n)
		}
		if got := getDeployment(t, c, ns, "frontend").Spec.Replicas; *got != 4 {
			t.Fatalf("spec.replicas = %d; want 4", *got)
		}
	})

	t.Run("a persistent conflict on /scale fails after MaxConflictRetries", func(t *testing.T) {
		ns := newNamespace(t, c)
		createDeployment(t, c, ns, "frontend", 2)
		intent := createIntent(t, c, ns)
		var updates atomic.Int32
		ex, rec := newExecutor(conflictingClient(t, env, &updates, 1000))
		ex.MaxConflictRetries = 2

		res, err := ex.Apply(context.Background(), intent, []actuator.Operation{scaleTo(4)}, "")
		if !apierrors.IsConflict(err) || !strings.Contains(err.Error(), fmt.Sprintf("actuation: scale %s/frontend: update scale: conflict persisted after 2 retries", ns)) {
			t.Fatalf("error %v; want a wrapped Conflict after 2 retries", err)
		}
		if n := updates.Load(); n != 3 {
			t.Fatalf("%d scale updates; want 3 (1 + 2 retries)", n)
		}
		if res.Blocked || len(res.Performed) != 0 {
			t.Fatalf("result %+v; want nothing performed", res)
		}
		if got := getDeployment(t, c, ns, "frontend").Spec.Replicas; *got != 2 {
			t.Fatalf("spec.replicas = %d; want 2", *got)
		}
		expectEvents(t, rec)
	})

	t.Run("evicts a pod of the target through the Eviction API", func(t *testing.T) {
		ns := newNamespace(t, c)
		createDeployment(t, c, ns, "frontend", 3)
		createPods(t, c, ns, "frontend", 3)
		intent := createIntent(t, c, ns)
		ex, rec := newExecutor(c)

		expectApplied(t, ex, intent, "too many replicas", evict("frontend-0"))

		pod := &corev1.Pod{}
		err := c.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "frontend-0"}, pod)
		if err == nil && pod.DeletionTimestamp == nil {
			t.Fatal("pod frontend-0 is neither deleted nor terminating")
		} else if err != nil && !apierrors.IsNotFound(err) {
			t.Fatal(err)
		}
		expectEvents(t, rec, fmt.Sprintf("Normal PodEvicted evicted pod %s/frontend-0 of Deployment %s/frontend: 3 running pods → 2 running pods (plan: too many replicas)", ns, ns))
	})

	t.Run("a PodDisruptionBudget blocks an eviction", func(t *testing.T) {
		ns := newNamespace(t, c)
		createDeployment(t, c, ns, "frontend", 3)
		createPods(t, c, ns, "frontend", 3)
		createBlockingPDB(t, c, ns, "frontend", 3)
		intent := createIntent(t, c, ns)
		ex, rec := newExecutor(c)

		res, err := ex.Apply(context.Background(), intent, []actuator.Operation{evict("frontend-0")}, "too many replicas")
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if !res.Blocked || res.Guard != ReasonPodDisruptionBudget || !strings.Contains(res.Message, "eviction of pod "+ns+"/frontend-0 refused") {
			t.Fatalf("result %+v; want blocked by PodDisruptionBudget", res)
		}
		pod := &corev1.Pod{}
		if err := c.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "frontend-0"}, pod); err != nil || pod.DeletionTimestamp != nil {
			t.Fatalf("pod frontend-0 was evicted (%v)", err)
		}
		expectEvents(t, rec, "Warning PlanBlocked PodDisruptionBudget: eviction of pod "+ns+"/frontend-0 refused: ")
	})

	t.Run("a scale before a blocked eviction stays performed", func(t *testing.T) {
		ns := newNamespace(t, c)
		createDeployment(t, c, ns, "frontend", 3)
		createPods(t, c, ns, "frontend", 3)
		createBlockingPDB(t, c, ns, "frontend", 3)
		intent := createIntent(t, c, ns)
		ex, rec := newExecutor(c)

		res, err := ex.Apply(context.Background(), intent, []actuator.Operation{scaleTo(4), evict("frontend-0")}, "")
		if err != nil {
			t.Fatal(err)
		}
		if !res.Blocked || res.Guard != ReasonPodDisruptionBudget || len(res.Performed) != 1 || res.Performed[0].Op.Kind != actuator.Scale {
			t.Fatalf("result %+v; want the scale performed and the eviction blocked", res)
		}
		expectEvents(t, rec, "Normal Scaled ", "Warning PlanBlocked PodDisruptionBudget: ")
	})

	t.Run("SetCPU changes one container's request by server-side apply as wido", func(t *testing.T) {
		ns := newNamespace(t, c)
		createDeployment(t, c, ns, "frontend", 2)
		intent := createIntent(t, c, ns, withCPUBounds("app", "100m", "1"))
		ex, rec := newExecutor(c)

		expectApplied(t, ex, intent, "cpu throttled", setCPU("app", 300, 0))

		d := getDeployment(t, c, ns, "frontend")
		expectCPU(t, d, "app", "300m", "500m")
		expectCPU(t, d, "sidecar", "50m", "")
		if !managedBy(d, FieldManager, metav1.ManagedFieldsOperationApply) {
			t.Fatalf("managedFields %+v have no Apply entry of manager %q", d.ManagedFields, FieldManager)
		}
		expectEvents(t, rec, fmt.Sprintf("Normal CPUResized cpu of container app of Deployment %s/frontend: request 200m limit 500m → request 300m limit 500m (plan: cpu throttled)", ns))

		// A later apply by wido keeps the fields wido set before: the
		// request stays 300m while the annotation is added.
		clk := ex.Clock.(*clocktesting.FakePassiveClock)
		clk.SetTime(t0.Add(time.Hour))
		expectApplied(t, ex, intent, "", annotate("wido.dev/plan", "p1"))
		d = getDeployment(t, c, ns, "frontend")
		expectCPU(t, d, "app", "300m", "500m")
		if got := d.Spec.Template.Annotations["wido.dev/plan"]; got != "p1" {
			t.Fatalf("pod template annotation wido.dev/plan = %q; want p1", got)
		}
		expectEvents(t, rec, fmt.Sprintf(`Normal AnnotationSet pod template annotation wido.dev/plan of Deployment %s/frontend: unset → "p1"`, ns))

		// Raising request and limit together.
		clk.SetTime(t0.Add(2 * time.Hour))
		expectApplied(t, ex, intent, "", setCPU("app", 700, 900))
		expectCPU(t, getDeployment(t, c, ns, "frontend"), "app", "700m", "900m")
	})

	t.Run("SetAnnotation sets a ReplicaSet's pod template annotation", func(t *testing.T) {
		ns := newNamespace(t, c)
		rs := &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "worker"},
			Spec: appsv1.ReplicaSetSpec{
				Replicas: ptr.To[int32](2),
				Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "worker"}},
				Template: podTemplate("worker"),
			},
		}
		expectCreated(t, c, rs)
		intent := createIntent(t, c, ns, func(in *widov1.Intent) { in.Spec.TargetRef = widov1.TargetRef{Kind: widov1.ReplicaSet, Name: "worker"} })
		ex, rec := newExecutor(c)

		expectApplied(t, ex, intent, "", annotate("wido.dev/plan", "p1"), annotate("wido.dev/plan", "p2"))

		if err := c.Get(context.Background(), client.ObjectKeyFromObject(rs), rs); err != nil {
			t.Fatal(err)
		}
		if got := rs.Spec.Template.Annotations["wido.dev/plan"]; got != "p2" {
			t.Fatalf("annotation wido.dev/plan = %q; want p2", got)
		}
		expectEvents(t, rec,
			fmt.Sprintf(`Normal AnnotationSet pod template annotation wido.dev/plan of ReplicaSet %s/worker: unset → "p1"`, ns),
			fmt.Sprintf(`Normal AnnotationSet pod template annotation wido.dev/plan of ReplicaSet %s/worker: "p1" → "p2"`, ns))
	})

	t.Run("a done context performs nothing", func(t *testing.T) {
		ns := newNamespace(t, c)
		createDeployment(t, c, ns, "frontend", 2)
		intent := createIntent(t, c, ns)
		ex, _ := newExecutor(c)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()

		_, err := ex.Apply(ctx, intent, []actuator.Operation{scaleTo(4)}, "")
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v; want context.Canceled", err)
		}
		if got := getDeployment(t, c, ns, "frontend").Spec.Replicas; *got != 2 {
			t.Fatalf("spec.replicas = %d; want 2", *got)
		}
	})
}

// newExecutor returns an Executor on c with a fake clock at t0 and a fake
// event recorder.
func newExecutor(c client.Client) (*Executor, *events.FakeRecorder) {
	rec := events.NewFakeRecorder(100)
	return &Executor{Client: c, Clock: clocktesting.NewFakePassiveClock(t0), Recorder: rec}, rec
}

// conflictingClient is a client to env whose /scale updates fail with a
// Conflict the first n times; updates counts every /scale update.
func conflictingClient(t *testing.T, env *testenv.Env, updates *atomic.Int32, n int32) client.Client {
	t.Helper()
	base, err := client.NewWithWatch(env.Config, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	return interceptor.NewClient(base, interceptor.Funcs{
		SubResourceUpdate: func(ctx context.Context, c client.Client, sub string, obj client.Object, opts ...client.SubResourceUpdateOption) error {
			if sub == "scale" && updates.Add(1) <= n {
				return apierrors.NewConflict(schema.GroupResource{Group: "apps", Resource: "deployments"}, obj.GetName(), errors.New("injected conflict"))
			}
			return c.SubResource(sub).Update(ctx, obj, opts...)
		},
	})
}

// expectApplied applies ops and fails unless all were performed.
func expectApplied(t *testing.T, ex *Executor, intent *widov1.Intent, reason string, ops ...actuator.Operation) Result {
	t.Helper()
	res, err := ex.Apply(context.Background(), intent, ops, reason)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if res.Blocked || len(res.Performed) != len(ops) {
		t.Fatalf("Apply: %+v; want all %d operations performed", res, len(ops))
	}
	return res
}

// expectEvents fails unless the recorder holds exactly len(want) events,
// the i-th starting with want[i].
func expectEvents(t *testing.T, rec *events.FakeRecorder, want ...string) {
	t.Helper()
	var got []string
	for done := false; !done; {
		select {
		case e := <-rec.Events:
			got = append(got, e)
		default:
			done = true
		}
	}
	if len(got) != len(want) {
		t.Fatalf("events %q; want %d events starting with %q", got, len(want), want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("event %d is %q; want it to start with %q", i, got[i], want[i])
		}
	}
}

func expectCreated(t *testing.T, c client.Client, obj client.Object) {
	t.Helper()
	if err := c.Create(context.Background(), obj); err != nil {
		t.Fatalf("create %T %s: %v", obj, obj.GetName(), err)
	}
}

func newNamespace(t *testing.T, c client.Client) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "actuation-"}}
	expectCreated(t, c, ns)
	return ns.Name
}

// podTemplate has containers app (cpu 200m/500m) and sidecar (cpu 50m),
// labelled app=name.
func podTemplate(name string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{
			{Name: "app", Image: "example.com/app:1", Resources: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("200m")},
				Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")},
			}},
			{Name: "sidecar", Image: "example.com/proxy:1", Resources: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("50m")},
			}},
		}},
	}
}

func createDeployment(t *testing.T, c client.Client, ns, name string, replicas int32) {
	t.Helper()
	expectCreated(t, c, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: podTemplate(name),
		},
	})
}

func getDeployment(t *testing.T, c client.Client, ns, name string) *appsv1.Deployment {
	t.Helper()
	d := &appsv1.Deployment{}
	if err := c.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, d); err != nil {
		t.Fatal(err)
	}
	return d
}

// createPods creates n Running and Ready pods name-0 … labelled app=name,
// as the Deployment's ReplicaSet would (envtest runs no controllers).
func createPods(t *testing.T, c client.Client, ns, name string, n int) {
	t.Helper()
	for i := range n {
		tmpl := podTemplate(name)
		pod := &corev1.Pod{ObjectMeta: tmpl.ObjectMeta, Spec: tmpl.Spec}
		pod.Namespace, pod.Name = ns, fmt.Sprintf("%s-%d", name, i)
		expectCreated(t, c, pod)
		pod.Status = corev1.PodStatus{
			Phase:      corev1.PodRunning,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.Now()}},
		}
		if err := c.Status().Update(context.Background(), pod); err != nil {
			t.Fatal(err)
		}
	}
}

// createBlockingPDB creates a PodDisruptionBudget with minAvailable = pods
// over app=name, and writes the status the disruption controller would:
// no disruption allowed.
func createBlockingPDB(t *testing.T, c client.Client, ns, name string, pods int32) {
	t.Helper()
	pdb := &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: policyv1.PodDisruptionBudgetSpec{
			MinAvailable: ptr.To(intstr.FromInt32(pods)),
			Selector:     &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
		},
	}
	expectCreated(t, c, pdb)
	pdb.Status = policyv1.PodDisruptionBudgetStatus{
		ObservedGeneration: pdb.Generation,
		DisruptionsAllowed: 0,
		CurrentHealthy:     pods,
		DesiredHealthy:     pods,
		ExpectedPods:       pods,
	}
	if err := c.Status().Update(context.Background(), pdb); err != nil {
		t.Fatal(err)
	}
}

// createIntent creates an Intent on Deployment frontend in ns.
func createIntent(t *testing.T, c client.Client, ns string, mods ...func(*widov1.Intent)) *widov1.Intent {
	t.Helper()
	in := genIntent(mods...)
	in.Namespace = ns
	expectCreated(t, c, in)
	return in
}

func expectCPU(t *testing.T, d *appsv1.Deployment, container, request, limit string) {
	t.Helper()
	for _, ct := range d.Spec.Template.Spec.Containers {
		if ct.Name != container {
			continue
		}
		req, lim := ct.Resources.Requests[corev1.ResourceCPU], ct.Resources.Limits[corev1.ResourceCPU]
		gotReq, gotLim := req.String(), lim.String()
		if limit == "" && lim.IsZero() {
			gotLim = ""
		}
		if gotReq != request || gotLim != limit {
			t.Fatalf("container %s cpu request %s limit %q; want %s, %q", container, gotReq, gotLim, request, limit)
		}
		return
	}
	t.Fatalf("no container %s", container)
}

func managedBy(obj metav1.Object, manager string, op metav1.ManagedFieldsOperationType) bool {
	for _, mf := range obj.GetManagedFields() {
		if mf.Manager == manager && mf.Operation == op {
			return true
		}
	}
	return false
}

// installScaledObjectCRD installs a minimal keda.sh ScaledObject CRD and
// waits until it is served.
func installScaledObjectCRD(t *testing.T, c client.Client) {
	t.Helper()
	crd := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apiextensions.k8s.io/v1",
		"kind":       "CustomResourceDefinition",
		"metadata":   map[string]any{"name": "scaledobjects.keda.sh"},
		"spec": map[string]any{
			"group": "keda.sh",
			"names": map[string]any{"kind": "ScaledObject", "listKind": "ScaledObjectList", "plural": "scaledobjects", "singular": "scaledobject"},
			"scope": "Namespaced",
			"versions": []any{map[string]any{
				"name": "v1alpha1", "served": true, "storage": true,
				"schema": map[string]any{"openAPIV3Schema": map[string]any{
					"type": "object", "x-kubernetes-preserve-unknown-fields": true,
				}},
			}},
		},
	}}
	expectCreated(t, c, crd)
	deadline := time.Now().Add(30 * time.Second)
	for {
		list := &unstructured.UnstructuredList{}
		list.SetGroupVersionKind(schema.GroupVersionKind{Group: "keda.sh", Version: "v1alpha1", Kind: "ScaledObjectList"})
		err := c.List(context.Background(), list)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("ScaledObject CRD not served: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
