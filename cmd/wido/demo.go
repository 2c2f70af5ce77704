package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// runDemoApp serves the metrics of a simulated service for `make run`: its
// p99 latency follows IDO's scale-out model for the Deployment's ready
// replicas at a fixed request rate, so scaling it out brings latency down
// as the model predicts.
func runDemoApp(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("wido demo-app", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:9400", "address of /metrics")
	namespace := fs.String("namespace", "default", "namespace of the Deployment")
	name := fs.String("deployment", "frontend", "the Deployment whose ready replicas drive latency")
	rps := fs.Float64("rps", 4800, "simulated requests per second")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		fmt.Fprintf(stderr, "wido demo-app: %v\n", err)
		return 1
	}
	c, err := client.New(cfg, client.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "wido demo-app: %v\n", err)
		return 1
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		var d appsv1.Deployment
		if err := c.Get(r.Context(), types.NamespacedName{Namespace: *namespace, Name: *name}, &d); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		n := float64(d.Status.ReadyReplicas)
		if n < 1 {
			return // no ready pod serves: no latency sample
		}
		fmt.Fprintf(w, "# TYPE app_p99_seconds gauge\napp_p99_seconds{namespace=%q,deployment=%q} %g\n", *namespace, *name, demoLatency(*rps, n))
		fmt.Fprintf(w, "# TYPE app_rps gauge\napp_rps{namespace=%q,deployment=%q} %g\n", *namespace, *name, *rps)
	})
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		fmt.Fprintf(stderr, "wido demo-app: %v\n", err)
		return 1
	}
	return 0
}

// demoLatency is IDO's scale-out model with the golden case's parameters
// (deploy/samples/models.yaml): p0·e^(p1·x) / (p2·e^(p3·x·n)), x = rps·s0 + s1.
func demoLatency(rps, replicas float64) float64 {
	p := [4]float64{0.306355135, 0.193240314, 53.0816499, 0.0147372746}
	x := rps*0.002143905536223758 + 0.9993568283391329
	return p[0] * math.Exp(p[1]*x) / (p[2] * math.Exp(p[3]*x*replicas))
}
