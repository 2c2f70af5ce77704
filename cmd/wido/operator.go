package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/yaml"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/cmd/wido/internal/builtin"
	"github.com/wido-dev/wido/cmd/wido/internal/scenario"
	"github.com/wido-dev/wido/operator/actuation"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/controllers/intent"
	"github.com/wido-dev/wido/operator/controllers/kpiprofile"
	"github.com/wido-dev/wido/operator/telemetry"
	"github.com/wido-dev/wido/planner"
)

// operatorOptions are `wido operator`'s flags.
type operatorOptions struct {
	prometheusURL    string
	queryTimeout     time.Duration
	maxAge           time.Duration
	workers          int
	interval         time.Duration
	maxStates        int
	planTimeout      time.Duration
	modelsFile       string
	metricsAddr      string
	probeAddr        string
	leaderElect      bool
	leaderElectionNS string
	actuators        actuatorOptions
	gracefulShutdown time.Duration
}

func runOperator(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("wido operator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := operatorOptions{}
	fs.StringVar(&o.prometheusURL, "prometheus-url", "", "default Prometheus base URL for KPIProfiles without an endpoint (required)")
	fs.DurationVar(&o.queryTimeout, "query-timeout", 5*time.Second, "timeout of one Prometheus query; past it the objective is unknown")
	fs.DurationVar(&o.maxAge, "max-metric-age", 2*time.Minute, "a measurement older than this is stale (unknown)")
	fs.IntVar(&o.workers, "workers", 4, "Intents reconciled in parallel")
	fs.DurationVar(&o.interval, "interval", intent.DefaultInterval, "how often each Intent is planned when nothing changes")
	fs.IntVar(&o.maxStates, "max-states", 2000, "planner state budget per plan")
	fs.DurationVar(&o.planTimeout, "plan-timeout", time.Second, "planner time budget per plan")
	fs.StringVar(&o.modelsFile, "models", "", "YAML file of actuator models: actuator -> objective -> parameter -> numbers (the scenario format's models section)")
	fs.StringVar(&o.metricsAddr, "metrics-bind-address", ":8080", "address of the Prometheus metrics endpoint (0 disables it)")
	fs.StringVar(&o.probeAddr, "health-probe-bind-address", ":8081", "address of /healthz and /readyz")
	fs.BoolVar(&o.leaderElect, "leader-elect", true, "elect a leader through a Lease, so that only one replica acts")
	fs.StringVar(&o.leaderElectionNS, "leader-election-namespace", "", "namespace of the leader Lease (default: the pod's own)")
	fs.DurationVar(&o.gracefulShutdown, "graceful-shutdown-timeout", 30*time.Second, "how long in-flight reconciles (and actions) may finish on shutdown")
	fs.BoolVar(&o.actuators.native, "native", false, "run the shipped actuators in-process instead of as Wasm modules")
	fs.StringVar(&o.actuators.pluginsDir, "plugins-dir", defaultPluginsDir(), "directory of the shipped actuator modules (<name>.wasm)")
	fs.Func("actuator", "add the actuator module `PATH.wasm` (repeatable)", func(path string) error {
		o.actuators.modules = append(o.actuators.modules, path)
		return nil
	})
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: wido operator --prometheus-url URL [flags]\n\nRuns the operator: watches Intents and KPIProfiles, measures objectives in\nPrometheus, plans with the actuators and acts through the Kubernetes API.\nThe cluster comes from $KUBECONFIG, ~/.kube/config or the pod's service account.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || o.prometheusURL == "" {
		fs.Usage()
		return 2
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		fmt.Fprintf(stderr, "wido operator: cluster config: %v\n", err)
		return 1
	}
	if err := operate(ctx, cfg, o, stderr); err != nil {
		fmt.Fprintf(stderr, "wido operator: %v\n", err)
		return 1
	}
	return 0
}

// operate runs the operator against the cluster of cfg until ctx is done.
func operate(ctx context.Context, cfg *rest.Config, o operatorOptions, stderr io.Writer) error {
	ctrl.SetLogger(zap.New(zap.WriteTo(stderr)))
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	models, err := readModels(o.modelsFile)
	if err != nil {
		return err
	}
	scheme := k8sruntime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return err
	}
	if err := widov1.AddToScheme(scheme); err != nil {
		return err
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                  scheme,
		Metrics:                 metricsserver.Options{BindAddress: o.metricsAddr},
		HealthProbeBindAddress:  o.probeAddr,
		LeaderElection:          o.leaderElect,
		LeaderElectionID:        "wido.dev",
		LeaderElectionNamespace: o.leaderElectionNS,
		GracefulShutdownTimeout: &o.gracefulShutdown,
	})
	if err != nil {
		return fmt.Errorf("manager: %w", err)
	}
	acts, err := operatorActuators(ctx, o.actuators, logger)
	if err != nil {
		return err
	}
	defer acts.Close(context.WithoutCancel(ctx))
	prom := telemetry.NewPrometheus(o.prometheusURL, o.queryTimeout, o.maxAge)
	recorder := mgr.GetEventRecorder("wido")
	if err := (&kpiprofile.Reconciler{Client: mgr.GetClient(), Prometheus: prom}).SetupWithManager(mgr); err != nil {
		return err
	}
	metrics, err := intent.NewMetrics(ctrlmetrics.Registry)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	ir := &intent.Reconciler{
		Metrics:   metrics,
		Client:    mgr.GetClient(),
		Measurer:  prom,
		Actuators: acts.list,
		Config:    planner.NewConfig().WithMaxStates(o.maxStates).WithTimeout(o.planTimeout),
		Models:    models,
		Executor:  &actuation.Executor{Client: mgr.GetClient(), Recorder: recorder},
		Recorder:  recorder,
		Interval:  o.interval,
		Workers:   o.workers,
	}
	if err := ir.SetupWithManager(mgr); err != nil {
		return err
	}
	if err := mgr.AddHealthzCheck("ping", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("ping", healthz.Ping); err != nil {
		return err
	}
	return mgr.Start(ctx)
}

// operatorActuators loads every shipped actuator (as a module, or native)
// plus the user's modules.
func operatorActuators(ctx context.Context, opts actuatorOptions, logger *slog.Logger) (*actuatorSet, error) {
	sc := &scenario.Scenario{}
	for _, name := range builtin.Names() {
		sc.Actuators = append(sc.Actuators, scenario.Actuator{Name: name})
	}
	set, err := buildActuators(ctx, sc, opts)
	if err != nil {
		return nil, err
	}
	for _, a := range set.list {
		logger.Info("actuator loaded", "name", a.Name(), "group", a.Group())
	}
	return set, nil
}

// readModels reads a models file: actuator -> objective -> parameter ->
// numbers, lists or matrices, as a scenario's models section.
func readModels(path string) (map[string]actuator.Models, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]map[string]map[string]scenario.Param
	if err := yaml.UnmarshalStrict(data, &raw); err != nil {
		return nil, fmt.Errorf("models %s: %w", path, err)
	}
	if len(raw) == 0 {
		return nil, errors.New("models " + path + ": no models")
	}
	out := map[string]actuator.Models{}
	for name, byObjective := range raw {
		out[name] = actuator.Models{}
		for objective, params := range byObjective {
			m := actuator.Model{}
			for k, v := range params {
				m[k] = []float64(v)
			}
			out[name][objective] = m
		}
	}
	return out, nil
}
