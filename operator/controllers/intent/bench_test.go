package intent

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/wido-dev/wido/operator/actuation"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/promtest"
	"github.com/wido-dev/wido/operator/telemetry"
	"github.com/wido-dev/wido/operator/testenv"
	"github.com/wido-dev/wido/planner"
	"github.com/wido-dev/wido/plugins/rmpod"
	"github.com/wido-dev/wido/plugins/scaleout"
)

// BenchmarkPlanningRound reconciles 500 Intents on 500 Deployments (two
// pods each) against a real kube-apiserver and Prometheus, reading through
// a manager's cache with 4 workers as the operator runs them, and reports
// one full round's time, the p99 reconcile latency and the Go heap in use
// (cache included).
func BenchmarkPlanningRound(b *testing.B) {
	const n = 500
	env := testenv.Start(b)
	ctx := context.Background()
	var body strings.Builder
	for i := range n {
		fmt.Fprintf(&body, "app_p99_seconds{deployment=\"w%d\"} 0.025\napp_rps{deployment=\"w%d\"} 1000\n", i, i)
	}
	metrics := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body.String())) }))
	defer metrics.Close()
	u, _ := url.Parse(metrics.URL)
	prom := promtest.Start(b, u.Host)
	prom.WaitForSeries(b, "app_p99_seconds")

	c := env.Client
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	for _, p := range []*widov1.KPIProfile{
		{ObjectMeta: metav1.ObjectMeta{Name: "p99latency", Namespace: "default"}, Spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: `app_p99_seconds{deployment="{{.Name}}"}`}},
		{ObjectMeta: metav1.ObjectMeta{Name: "throughput", Namespace: "default"}, Spec: widov1.KPIProfileSpec{Type: widov1.Throughput, Query: `app_rps{deployment="{{.Name}}"}`}},
		{ObjectMeta: metav1.ObjectMeta{Name: "availability", Namespace: "default"}, Spec: widov1.KPIProfileSpec{Type: widov1.Availability}},
	} {
		must(c.Create(ctx, p))
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			name := fmt.Sprintf("w%d", i)
			if err := createWorkload(ctx, c, "default", name, name+"-a", name+"-b"); err != nil {
				b.Error(err)
				return
			}
			err := c.Create(ctx, &widov1.Intent{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
				Spec: widov1.IntentSpec{TargetRef: widov1.TargetRef{Kind: widov1.Deployment, Name: name},
					Objectives: []widov1.Objective{
						{Name: "p99", Value: 0.03, MeasuredBy: "p99latency"},
						{Name: "rps", Value: 0, MeasuredBy: "throughput"},
						{Name: "availability", Value: 0.99, MeasuredBy: "availability"},
					}}})
			if err != nil {
				b.Error(err)
			}
		}()
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}

	// The operator reads through a manager's cache, as in production.
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{Scheme: env.Scheme, Metrics: metricsserver.Options{BindAddress: "0"}})
	must(err)
	must(IndexTargets(ctx, mgr.GetFieldIndexer()))
	mgrCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = mgr.Start(mgrCtx) }()
	// Wait for the cache to start; the first List of a kind starts its
	// informer and waits for it to sync.
	if !mgr.GetCache().WaitForCacheSync(ctx) {
		b.Fatal("cache did not start")
	}
	var warm widov1.IntentList
	for _, l := range []client.ObjectList{&warm, &corev1.PodList{}, &appsv1.DeploymentList{}, &widov1.KPIProfileList{}} {
		must(mgr.GetClient().List(ctx, l))
	}
	if len(warm.Items) != n {
		b.Fatalf("cache holds %d Intents, want %d", len(warm.Items), n)
	}
	out, err := scaleout.Build(nil)
	must(err)
	rm, err := rmpod.Build(nil)
	must(err)
	r := &Reconciler{
		Client:        mgr.GetClient(),
		TargetIndexed: true,
		Measurer:      telemetry.NewPrometheus(prom.URL, 5*time.Second, time.Minute),
		Actuators:     []planner.Actuator{planner.Native(out), planner.Native(rm)},
		Models:        goldenModels(),
		Executor:      &actuation.Executor{Client: c},
	}
	const workers = 4
	var latencies []time.Duration
	var rounds []time.Duration
	var mu sync.Mutex
	for b.Loop() {
		queue := make(chan int, n)
		for i := range n {
			queue <- i
		}
		close(queue)
		start := time.Now()
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range queue {
					t0 := time.Now()
					_, err := r.Reconcile(ctx, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "default", Name: fmt.Sprintf("w%d", i)}})
					if err != nil {
						b.Error(err)
					}
					mu.Lock()
					latencies = append(latencies, time.Since(t0))
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		rounds = append(rounds, time.Since(start))
	}
	// The first round also acts (the model says one pod serves the load, so
	// rmPod evicts one pod per Deployment); later rounds, in the cooldown,
	// are the steady state of periodic planning.
	first := rounds[0]
	slices.Sort(latencies)
	slices.Sort(rounds)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var pods corev1.PodList
	must(c.List(ctx, &pods))
	b.ReportMetric(float64(len(pods.Items)), "pods-after") // 1,000 before
	b.ReportMetric(first.Seconds(), "s/first-round")
	b.ReportMetric(rounds[len(rounds)/2].Seconds(), "s/round-median")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "ms-p99-reconcile")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "ms-p50-reconcile")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MiB-heap")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "MiB-sys")
}
