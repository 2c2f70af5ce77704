package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/promtest"
	"github.com/wido-dev/wido/operator/testenv"
)

// TestOperator runs `wido operator` (manager, leader election, both
// controllers, the shipped actuators as Wasm modules) against a real
// kube-apiserver and Prometheus: an Intent whose latency is above target
// gets its Deployment scaled out, /healthz and /readyz answer, and the
// operator shuts down cleanly.
func TestOperator(t *testing.T) {
	env := testenv.Start(t)
	metrics := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "app_p99_seconds{deployment=\"web\"} 0.04\napp_rps{deployment=\"web\"} 4800\n")
	}))
	defer metrics.Close()
	u, _ := url.Parse(metrics.URL)
	prom := promtest.Start(t, u.Host)
	prom.WaitForSeries(t, "app_p99_seconds")
	modelsFile := "../../deploy/samples/models.yaml" // the golden case's scale-out model

	ctx := context.Background()
	c := env.Client
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{Replicas: ptr.To[int32](2),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "app"}}}}},
	}))
	for _, n := range []string{"web-a", "web-b"} {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: n, Namespace: "default", Labels: map[string]string{"app": "web"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "app"}}}}
		must(c.Create(ctx, p))
		p.Status = corev1.PodStatus{Phase: corev1.PodRunning, StartTime: &metav1.Time{Time: time.Now().Add(-time.Hour)}}
		must(c.Status().Update(ctx, p))
	}
	for _, p := range []*widov1.KPIProfile{
		{ObjectMeta: metav1.ObjectMeta{Name: "p99latency", Namespace: "default"}, Spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: `app_p99_seconds{deployment="{{.Name}}"}`}},
		{ObjectMeta: metav1.ObjectMeta{Name: "throughput", Namespace: "default"}, Spec: widov1.KPIProfileSpec{Type: widov1.Throughput, Query: `app_rps{deployment="{{.Name}}"}`}},
	} {
		must(c.Create(ctx, p))
	}
	must(c.Create(ctx, &widov1.Intent{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: widov1.IntentSpec{TargetRef: widov1.TargetRef{Kind: widov1.Deployment, Name: "web"},
			Objectives: []widov1.Objective{{Name: "p99", Value: 0.03, MeasuredBy: "p99latency"}, {Name: "rps", Value: 0, MeasuredBy: "throughput"}}},
	}))

	probe, metricsAddr := freeAddr(t), freeAddr(t)
	opts := operatorOptions{
		prometheusURL: prom.URL, queryTimeout: 2 * time.Second, maxAge: time.Minute,
		workers: 2, interval: time.Minute, maxStates: 2000, planTimeout: time.Second,
		modelsFile: modelsFile, metricsAddr: metricsAddr, probeAddr: probe,
		leaderElect: true, leaderElectionNS: "default", gracefulShutdown: 5 * time.Second,
		actuators: actuatorOptions{pluginsDir: defaultPluginsDir()},
	}
	runCtx, stop := context.WithCancel(ctx)
	var logs syncBuffer
	errc := make(chan error, 1)
	go func() { errc <- operate(runCtx, env.Config, opts, &logs) }()
	defer func() {
		stop()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("operate returned %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("the operator did not stop within 20 s")
		}
	}()

	deadline := time.Now().Add(60 * time.Second)
	for {
		var d appsv1.Deployment
		must(c.Get(ctx, types.NamespacedName{Namespace: "default", Name: "web"}, &d))
		if *d.Spec.Replicas == 4 {
			break
		}
		if time.Now().After(deadline) {
			var in widov1.Intent
			_ = c.Get(ctx, types.NamespacedName{Namespace: "default", Name: "web"}, &in)
			t.Fatalf("replicas still %d after 60 s; intent status %+v\nlogs:\n%s", *d.Spec.Replicas, in.Status, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	var in widov1.Intent
	must(c.Get(ctx, types.NamespacedName{Namespace: "default", Name: "web"}, &in))
	if cond := meta.FindStatusCondition(in.Status.Conditions, "Ready"); cond == nil || cond.Status != metav1.ConditionTrue {
		t.Errorf("Ready = %+v", cond)
	}
	if in.Status.LastAction != "scaleOut{factor: 2}" {
		t.Errorf("lastAction = %q", in.Status.LastAction)
	}
	var kpi widov1.KPIProfile
	must(c.Get(ctx, types.NamespacedName{Namespace: "default", Name: "p99latency"}, &kpi))
	if cond := meta.FindStatusCondition(kpi.Status.Conditions, "Resolved"); cond == nil || cond.Status != metav1.ConditionTrue {
		t.Errorf("KPIProfile Resolved = %+v", cond)
	}
	var evs corev1.EventList
	must(c.List(ctx, &evs))
	found := false
	for _, e := range evs.Items {
		found = found || (e.Reason == "Scaled" && e.InvolvedObject.Name == "web" && e.InvolvedObject.Kind == "Intent")
	}
	if !found {
		t.Errorf("no Scaled Event on the Intent among %d events", len(evs.Items))
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + probe + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %v %v", path, resp, err)
		} else {
			resp.Body.Close()
		}
	}
	// Settled: with a 1 min interval, the next seconds bring no reconcile;
	// the controller's own status writes must not feed a loop (one per
	// second, as status times change each second).
	time.Sleep(6 * time.Second)
	resp, err := http.Get("http://" + metricsAddr + "/metrics")
	must(err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if n := reconciles(string(body), "intent"); n == 0 || n > 4 {
		t.Errorf("%v intent reconciles; want the first few only, not a loop on status writes", n)
	}
	for _, name := range []string{"wido_plan_duration_seconds", `wido_actions_total{actuator="scaleOut",result="performed"} 1`, "wido_objective_value", "controller_runtime_reconcile_total"} {
		if !strings.Contains(string(body), name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	if !strings.Contains(logs.String(), "actuator loaded") {
		t.Errorf("logs do not show the actuators loading:\n%s", logs.String())
	}
}

// reconciles sums controller_runtime_reconcile_total for a controller.
func reconciles(metrics, controller string) float64 {
	sum := 0.0
	for _, line := range strings.Split(metrics, "\n") {
		if strings.HasPrefix(line, "controller_runtime_reconcile_total{") && strings.Contains(line, `controller="`+controller+`"`) {
			var v float64
			if _, err := fmt.Sscan(line[strings.LastIndex(line, " ")+1:], &v); err == nil {
				sum += v
			}
		}
	}
	return sum
}

func TestOperatorUsage(t *testing.T) {
	code, _, stderr := runWido(t, "", "operator")
	if code != 2 || !strings.Contains(stderr, "Usage: wido operator --prometheus-url URL") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
