package actuation

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/wido-dev/wido/abi/actuator"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
)

// t0 is the fixed "now" of the guard tests.
var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// genIntent builds an Intent on Deployment default/frontend in mode
// Enforce, with no bounds set, changed by mods.
func genIntent(mods ...func(*widov1.Intent)) *widov1.Intent {
	in := &widov1.Intent{
		ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "frontend-latency"},
		Spec: widov1.IntentSpec{
			TargetRef:  widov1.TargetRef{Kind: widov1.Deployment, Name: "frontend"},
			Objectives: []widov1.Objective{{Name: "p99", Value: 0.2, MeasuredBy: "p99latency"}},
		},
	}
	for _, m := range mods {
		m(in)
	}
	return in
}

func withMode(m widov1.Mode) func(*widov1.Intent) {
	return func(in *widov1.Intent) { in.Spec.Mode = m }
}

func withActive(a bool) func(*widov1.Intent) {
	return func(in *widov1.Intent) { in.Spec.Active = &a }
}

func withReplicaBounds(minR, maxR int32) func(*widov1.Intent) {
	return func(in *widov1.Intent) {
		if minR >= 0 {
			in.Spec.Bounds.MinReplicas = &minR
		}
		if maxR >= 0 {
			in.Spec.Bounds.MaxReplicas = &maxR
		}
	}
}

func withCPUBounds(container, minQ, maxQ string) func(*widov1.Intent) {
	return func(in *widov1.Intent) {
		b := widov1.ContainerCPUBounds{Container: container}
		if minQ != "" {
			q := resource.MustParse(minQ)
			b.Min = &q
		}
		if maxQ != "" {
			q := resource.MustParse(maxQ)
			b.Max = &q
		}
		in.Spec.Bounds.CPU = append(in.Spec.Bounds.CPU, b)
	}
}

func withCooldown(d time.Duration) func(*widov1.Intent) {
	return func(in *widov1.Intent) { in.Spec.Cooldown = &metav1.Duration{Duration: d} }
}

func withTargetKind(k widov1.TargetKind) func(*widov1.Intent) {
	return func(in *widov1.Intent) { in.Spec.TargetRef.Kind = k }
}

// genTarget builds the state of an existing Deployment default/frontend
// with 3 replicas, 3 running pods frontend-0..2, and container app at
// request 200m, limit 500m, changed by mods.
func genTarget(mods ...func(*TargetState)) TargetState {
	t := TargetState{
		Kind: widov1.Deployment, Namespace: "default", Name: "frontend", Exists: true,
		Replicas: 3,
		Pods: []Pod{
			{Name: "frontend-0", Phase: corev1.PodRunning},
			{Name: "frontend-1", Phase: corev1.PodRunning},
			{Name: "frontend-2", Phase: corev1.PodRunning},
		},
		Containers: map[string]ContainerCPU{"app": {Request: 200, Limit: 500}, "sidecar": {Request: 50}},
	}
	for _, m := range mods {
		m(&t)
	}
	return t
}

func scaleTo(n int64) actuator.Operation {
	return actuator.Operation{Kind: actuator.Scale, Replicas: n}
}
func evict(pod string) actuator.Operation {
	return actuator.Operation{Kind: actuator.EvictPod, Pod: pod}
}
func setCPU(container string, req, lim int64) actuator.Operation {
	return actuator.Operation{Kind: actuator.SetCPU, Container: container, CPURequest: req, CPULimit: lim}
}
func annotate(k, v string) actuator.Operation {
	return actuator.Operation{Kind: actuator.SetAnnotation, Key: k, Value: v}
}

// TestDefaultChain is the specification of the guard chain: every guard,
// passing and blocking, evaluated through the chain the Executor runs.
func TestDefaultChain(t *testing.T) {
	tests := map[string]struct {
		intent     *widov1.Intent
		target     TargetState
		ops        []actuator.Operation
		lastAction time.Time
		ownedBy    string
		// wantReason is "" when the plan passes.
		wantReason string
		// wantMessage is a substring of the message.
		wantMessage string
	}{
		"a scale within bounds on an existing target in Enforce passes": {
			intent: genIntent(withReplicaBounds(1, 10)), target: genTarget(), ops: []actuator.Operation{scaleTo(6)},
		},
		"every kind of operation, well formed and within bounds, passes": {
			intent: genIntent(withCPUBounds("app", "100m", "1")), target: genTarget(),
			ops: []actuator.Operation{scaleTo(4), evict("frontend-0"), setCPU("app", 300, 800), annotate("wido.dev/restartedAt", "now")},
		},

		// TargetExists
		"no intent is a missing target": {
			intent: nil, target: genTarget(), ops: []actuator.Operation{scaleTo(2)},
			wantReason: ReasonTargetMissing, wantMessage: "no intent",
		},
		"a target that does not exist is missing": {
			intent: genIntent(), target: genTarget(func(t *TargetState) { t.Exists = false }), ops: []actuator.Operation{scaleTo(2)},
			wantReason: ReasonTargetMissing, wantMessage: "Deployment default/frontend does not exist",
		},
		"a DaemonSet target is an unsupported kind": {
			intent: genIntent(withTargetKind("DaemonSet")), target: genTarget(func(t *TargetState) { t.Kind = "DaemonSet"; t.Exists = false }),
			ops:        []actuator.Operation{scaleTo(2)},
			wantReason: ReasonTargetMissing, wantMessage: `kind "DaemonSet" of frontend is not supported`,
		},
		"a state read of another workload is not the intent's target": {
			intent: genIntent(), target: genTarget(func(t *TargetState) { t.Name = "backend" }), ops: []actuator.Operation{scaleTo(2)},
			wantReason: ReasonTargetMissing, wantMessage: "state read is for Deployment default/backend, the intent targets Deployment default/frontend",
		},
		"targetRef.namespace overrides the intent's namespace": {
			intent: genIntent(func(in *widov1.Intent) { in.Spec.TargetRef.Namespace = "shop" }),
			target: genTarget(func(t *TargetState) { t.Namespace = "shop" }), ops: []actuator.Operation{scaleTo(2)},
		},

		// ValidOperations
		"an unknown operation kind is invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{{Kind: "Reboot"}},
			wantReason: ReasonInvalidOperation, wantMessage: `operation 1 (Reboot): unknown operation kind "Reboot"`,
		},
		"negative replicas are invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(-1)},
			wantReason: ReasonInvalidOperation, wantMessage: "negative replicas -1",
		},
		"replicas beyond int32 are invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(1 << 40)},
			wantReason: ReasonInvalidOperation, wantMessage: "exceed the API's limit",
		},
		"an eviction without a pod name is invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(3), evict("")},
			wantReason: ReasonInvalidOperation, wantMessage: "operation 2 (EvictPod): empty pod name",
		},
		"evicting one pod twice is invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{evict("frontend-0"), evict("frontend-0")},
			wantReason: ReasonInvalidOperation, wantMessage: "pod frontend-0 is evicted twice",
		},
		"a SetCPU without a container is invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{setCPU("", 100, 0)},
			wantReason: ReasonInvalidOperation, wantMessage: "empty container name",
		},
		"a negative cpu is invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{setCPU("app", -100, 0)},
			wantReason: ReasonInvalidOperation, wantMessage: "negative cpu",
		},
		"a SetCPU that sets nothing is invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{setCPU("app", 0, 0)},
			wantReason: ReasonInvalidOperation, wantMessage: "sets neither cpu request nor limit",
		},
		"a SetCPU of a container the template lacks is invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{setCPU("db", 100, 0)},
			wantReason: ReasonInvalidOperation, wantMessage: "container db is not in the pod template of Deployment default/frontend",
		},
		"a cpu request above the container's current limit is invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{setCPU("app", 600, 0)},
			wantReason: ReasonInvalidOperation, wantMessage: "cpu request 600m of container app would exceed its limit 500m",
		},
		"a cpu request above its limit is fine when the limit is raised with it": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{setCPU("app", 600, 1000)},
		},
		"an empty annotation key is invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{annotate("", "x")},
			wantReason: ReasonInvalidOperation, wantMessage: "empty annotation key",
		},
		"a malformed annotation key is invalid": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{annotate("not a key!", "x")},
			wantReason: ReasonInvalidOperation, wantMessage: `annotation key "not a key!" is invalid`,
		},

		// ModeAllows
		"mode Recommend forbids acting": {
			intent: genIntent(withMode(widov1.Recommend)), target: genTarget(), ops: []actuator.Operation{scaleTo(4)},
			wantReason: ReasonModeForbids, wantMessage: "mode Recommend: the plan is reported, not performed",
		},
		"IDO's active: false forbids acting": {
			intent: genIntent(withActive(false)), target: genTarget(), ops: []actuator.Operation{scaleTo(4)},
			wantReason: ReasonModeForbids, wantMessage: "active: false (mode Recommend)",
		},
		"mode Observe forbids acting": {
			intent: genIntent(withMode(widov1.Observe)), target: genTarget(), ops: []actuator.Operation{scaleTo(4)},
			wantReason: ReasonModeForbids, wantMessage: "mode Observe: wido only measures",
		},
		"an empty mode is Enforce": {
			intent: genIntent(withMode("")), target: genTarget(), ops: []actuator.Operation{scaleTo(4)},
		},
		"mode is checked before bounds": {
			intent: genIntent(withMode(widov1.Recommend), withReplicaBounds(1, 2)), target: genTarget(), ops: []actuator.Operation{scaleTo(4)},
			wantReason: ReasonModeForbids,
		},

		// NotOwnedByAutoscaler
		"a target scaled by an HPA is owned by an autoscaler": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(4)}, ownedBy: "HorizontalPodAutoscaler default/frontend",
			wantReason: ReasonOwnedByAutoscaler, wantMessage: "Deployment default/frontend is scaled by HorizontalPodAutoscaler default/frontend",
		},
		"an autoscaler blocks CPU changes too": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{setCPU("app", 300, 0)}, ownedBy: "ScaledObject default/frontend",
			wantReason: ReasonOwnedByAutoscaler, wantMessage: "ScaledObject default/frontend",
		},

		// CooldownElapsed
		"an action 30s ago is within the default cooldown of 1m": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(4)}, lastAction: t0.Add(-30 * time.Second),
			wantReason: ReasonCooldown, wantMessage: "last action 30s ago, cooldown 1m0s: next action in 30s",
		},
		"an action exactly one cooldown ago passes": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(4)}, lastAction: t0.Add(-time.Minute),
		},
		"spec.cooldown replaces the default": {
			intent: genIntent(withCooldown(5 * time.Minute)), target: genTarget(), ops: []actuator.Operation{scaleTo(4)}, lastAction: t0.Add(-2 * time.Minute),
			wantReason: ReasonCooldown, wantMessage: "cooldown 5m0s",
		},
		"a cooldown of 0 never blocks": {
			intent: genIntent(withCooldown(0)), target: genTarget(), ops: []actuator.Operation{scaleTo(4)}, lastAction: t0,
		},
		"a last action in the future (clock skew) blocks": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(4)}, lastAction: t0.Add(time.Minute),
			wantReason: ReasonCooldown,
		},
		"no known last action never blocks": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(4)},
		},

		// WithinBounds: replicas
		"a scale above maxReplicas is out of bounds": {
			intent: genIntent(withReplicaBounds(-1, 10)), target: genTarget(), ops: []actuator.Operation{scaleTo(12)},
			wantReason: ReasonOutOfBounds, wantMessage: "operation 1 (Scale): scale to 12 replicas exceeds maxReplicas 10",
		},
		"a scale to maxReplicas is within bounds": {
			intent: genIntent(withReplicaBounds(-1, 10)), target: genTarget(), ops: []actuator.Operation{scaleTo(10)},
		},
		"a scale to 0 is below the default minReplicas 1": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(0)},
			wantReason: ReasonOutOfBounds, wantMessage: "scale to 0 replicas is below minReplicas 1",
		},
		"a scale to 0 is allowed with minReplicas 0": {
			intent: genIntent(withReplicaBounds(0, -1)), target: genTarget(), ops: []actuator.Operation{scaleTo(0)},
		},
		"without maxReplicas there is no upper bound": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(1000)},
		},

		// WithinBounds: evictions
		"evicting a pod that is not the target's is out of bounds": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{evict("backend-0")},
			wantReason: ReasonOutOfBounds, wantMessage: "pod backend-0 is not a pod of Deployment default/frontend",
		},
		"evicting down to minReplicas running pods is within bounds": {
			intent: genIntent(withReplicaBounds(2, -1)), target: genTarget(), ops: []actuator.Operation{evict("frontend-0")},
		},
		"evicting below minReplicas running pods is out of bounds": {
			intent: genIntent(withReplicaBounds(2, -1)), target: genTarget(), ops: []actuator.Operation{evict("frontend-0"), evict("frontend-1")},
			wantReason: ReasonOutOfBounds, wantMessage: "operation 2 (EvictPod): evicting pod frontend-1 would leave 1 running pods, below minReplicas 2",
		},
		"pods that are not running do not count as running": {
			intent: genIntent(withReplicaBounds(2, -1)),
			target: genTarget(func(t *TargetState) {
				t.Pods[1].Phase = corev1.PodPending
				t.Pods[2].Terminating = true
			}),
			ops:        []actuator.Operation{evict("frontend-0")},
			wantReason: ReasonOutOfBounds, wantMessage: "would leave 0 running pods, below minReplicas 2",
		},
		"evicting a pod that is not running is always within bounds": {
			intent: genIntent(withReplicaBounds(3, -1)),
			target: genTarget(func(t *TargetState) { t.Pods[2].Phase = corev1.PodFailed }),
			ops:    []actuator.Operation{evict("frontend-2")},
		},
		"an eviction after a scale-in counts against the new replicas": {
			intent: genIntent(), target: genTarget(), ops: []actuator.Operation{scaleTo(1), evict("frontend-0")},
			wantReason: ReasonOutOfBounds, wantMessage: "would leave 0 running pods, below minReplicas 1",
		},

		// WithinBounds: cpu
		"a cpu request below the container's min is out of bounds": {
			intent: genIntent(withCPUBounds("app", "100m", "1")), target: genTarget(), ops: []actuator.Operation{setCPU("app", 50, 0)},
			wantReason: ReasonOutOfBounds, wantMessage: "cpu request 50m of container app is below min 100m",
		},
		"a cpu request above the container's max is out of bounds": {
			intent: genIntent(withCPUBounds("app", "100m", "400m")), target: genTarget(), ops: []actuator.Operation{setCPU("app", 450, 0)},
			wantReason: ReasonOutOfBounds, wantMessage: "cpu request 450m of container app exceeds max 400m",
		},
		"a cpu limit above the container's max is out of bounds": {
			intent: genIntent(withCPUBounds("app", "", "1")), target: genTarget(), ops: []actuator.Operation{setCPU("app", 0, 1500)},
			wantReason: ReasonOutOfBounds, wantMessage: "cpu limit 1500m of container app exceeds max 1000m",
		},
		"bounds of another container do not apply": {
			intent: genIntent(withCPUBounds("app", "100m", "400m")), target: genTarget(), ops: []actuator.Operation{setCPU("sidecar", 2000, 0)},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			in := Input{Intent: tc.intent, Target: tc.target, Ops: tc.ops, Now: t0, LastAction: tc.lastAction, OwnedBy: tc.ownedBy}
			reason, msg, blocked := DefaultChain().Evaluate(in)
			if tc.wantReason == "" {
				if blocked {
					t.Fatalf("blocked by %s: %s; want pass", reason, msg)
				}
				return
			}
			if !blocked || reason != tc.wantReason {
				t.Fatalf("got blocked=%v reason %q (%s); want reason %q", blocked, reason, msg, tc.wantReason)
			}
			if !strings.Contains(msg, tc.wantMessage) {
				t.Errorf("message %q does not contain %q", msg, tc.wantMessage)
			}
		})
	}
}

// TestChainStopsAtFirstBlock checks that Evaluate returns the first
// blocking guard's verdict and does not call later guards.
func TestChainStopsAtFirstBlock(t *testing.T) {
	var called []string
	g := func(name string, block bool) Guard {
		return func(Input) (string, string, bool) {
			called = append(called, name)
			return name, "message of " + name, block
		}
	}
	reason, msg, blocked := Chain{g("a", false), g("b", true), g("c", true)}.Evaluate(Input{})
	if !blocked || reason != "b" || msg != "message of b" {
		t.Fatalf("got %q %q %v; want b", reason, msg, blocked)
	}
	if strings.Join(called, ",") != "a,b" {
		t.Fatalf("called %v; want a,b", called)
	}
	if _, _, blocked := (Chain{}).Evaluate(Input{}); blocked {
		t.Fatal("an empty chain blocked")
	}
}

// TestGuardsWithoutIntent checks that every guard copes with a nil Intent
// on its own (a custom chain may omit TargetExists).
func TestGuardsWithoutIntent(t *testing.T) {
	in := Input{Target: genTarget(), Ops: []actuator.Operation{scaleTo(1), evict("frontend-0"), setCPU("app", 100, 0)}, Now: t0, LastAction: t0}
	for _, g := range DefaultChain() {
		g(in) // must not panic
	}
}

// FuzzDefaultChain tests for panics on arbitrary operations and bounds.
func FuzzDefaultChain(f *testing.F) {
	f.Add("Scale", int64(3), "frontend-0", "app", int64(100), int64(200), "k", int32(1), int32(5), int64(30))
	f.Add("EvictPod", int64(-1), "", "", int64(-5), int64(0), "", int32(0), int32(0), int64(-10))
	f.Fuzz(func(t *testing.T, kind string, replicas int64, pod, container string, req, lim int64, key string, minR, maxR int32, agoSeconds int64) {
		intent := genIntent(withReplicaBounds(minR, maxR), withCPUBounds("app", "100m", "2"))
		op := actuator.Operation{Kind: actuator.OperationKind(kind), Replicas: replicas, Pod: pod, Container: container, CPURequest: req, CPULimit: lim, Key: key}
		in := Input{Intent: intent, Target: genTarget(), Ops: []actuator.Operation{op, op}, Now: t0, LastAction: t0.Add(-time.Duration(agoSeconds) * time.Second)}
		reason, msg, blocked := DefaultChain().Evaluate(in)
		if blocked && (reason == "" || msg == "") {
			t.Fatalf("blocked without reason or message: %q %q", reason, msg)
		}
	})
}
