package planner_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/wido-dev/wido/planner"
	"github.com/wido-dev/wido/plugins/rmpod"
	"github.com/wido-dev/wido/plugins/scalecpu"
	"github.com/wido-dev/wido/plugins/scaleout"
)

// goldenProblem is IDO's own planner test case.
func goldenProblem() *planner.Problem {
	return &planner.Problem{
		Current: planner.State{
			Intent: planner.Intent{
				Key: "default/my-intent", Priority: 1, TargetKey: "default/my-deployment", TargetKind: "Deployment",
				Objectives: map[string]float64{"p99": 0.04, "rps": 4800, "availability": 0.998},
			},
			Pods: map[string]planner.PodState{
				"pod_0": {Availability: 0.9, State: "Running"},
				"pod_1": {Availability: 0.98, State: "Running"},
			},
		},
		Goal: planner.State{
			Intent: planner.Intent{
				Key: "default/my-intent", Priority: 1, TargetKey: "default/my-deployment", TargetKind: "Deployment",
				Objectives: map[string]float64{"p99": 0.03, "rps": 0, "availability": 0.999},
			},
		},
		Profiles: map[string]planner.Profile{
			"p99":          {Type: "latency", Minimize: true},
			"rps":          {Type: "throughput"},
			"availability": {Type: "availability"},
		},
		Models: map[string]planner.Models{
			"scaleOut": {"p99": {
				"popt":            {0.306355135, 0.193240314, 53.0816499, 0.0147372746},
				"throughputScale": {0.002143905536223758, 0.9993568283391329},
				"throughputRange": {0.3, 6064},
				"replicaRange":    {1, 12},
			}},
		},
	}
}

func goldenActuators(t testing.TB) []planner.Actuator {
	t.Helper()
	so, err := scaleout.New(scaleout.Config{MaxPods: 128})
	if err != nil {
		t.Fatal(err)
	}
	rm, err := rmpod.New(rmpod.Config{MinPods: 1})
	if err != nil {
		t.Fatal(err)
	}
	return []planner.Actuator{planner.Native(so), planner.Native(rm)}
}

func TestGoldenCase(t *testing.T) {
	for _, maxStates := range []int{50, 100, 500, 2000, 5000} {
		p, err := planner.NewPlanner(planner.NewConfig().WithMaxStates(maxStates).WithMaxCandidates(10), goldenActuators(t)...)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := p.CreatePlan(context.Background(), goldenProblem())
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Actions) != 1 || plan.Actions[0].Name != "scaleOut" || plan.Actions[0].Properties.Int["factor"] != 2 {
			t.Fatalf("maxStates %d: plan = %+v, want [scaleOut{factor: 2}]; explanation %+v", maxStates, plan.Actions, plan.Explanation)
		}
		if plan.Explanation.Stopped != planner.GoalReached {
			t.Fatalf("stopped = %s", plan.Explanation.Stopped)
		}
		t.Logf("maxStates %d: explored %d, created %d", maxStates, plan.Explanation.StatesExplored, plan.Explanation.StatesCreated)
	}
}

func TestTooManyReplicasRemovesAPod(t *testing.T) {
	// Five pods at 4800 rps: p99 is well under the goal. Four pods still
	// meet it (26 ms), three would not (31 ms): remove exactly one pod.
	prob := goldenProblem()
	prob.Current.Intent.Objectives = map[string]float64{"p99": 0.02, "rps": 4800, "availability": 0.99999}
	prob.Current.Pods = map[string]planner.PodState{}
	for _, name := range []string{"pod_0", "pod_1", "pod_2", "pod_3", "pod_4"} {
		prob.Current.Pods[name] = planner.PodState{Availability: 0.99, State: "Running"}
	}
	got := plan(t, planner.NewConfig(), prob, goldenActuators(t)...)
	if len(got.Actions) != 1 || got.Actions[0].Name != "rmPod" || got.Actions[0].Properties.Str["name"] != "pod_0" {
		t.Fatalf("plan = %+v, want [rmPod{name: pod_0}]", got.Actions)
	}
	if got.Explanation.Stopped != planner.GoalReached {
		t.Fatalf("stopped = %s", got.Explanation.Stopped)
	}
}

func TestJustEnoughReplicasIsAlreadySatisfied(t *testing.T) {
	// Four pods meet the goal and three would not: nothing to do.
	prob := goldenProblem()
	prob.Current.Intent.Objectives = map[string]float64{"p99": 0.026, "rps": 4800, "availability": 0.99999}
	prob.Current.Pods = map[string]planner.PodState{}
	for _, name := range []string{"pod_0", "pod_1", "pod_2", "pod_3"} {
		prob.Current.Pods[name] = planner.PodState{Availability: 0.99, State: "Running"}
	}
	got := plan(t, planner.NewConfig(), prob, goldenActuators(t)...)
	if len(got.Actions) != 0 || got.Explanation.Stopped != planner.AlreadySatisfied {
		t.Fatalf("plan = %+v (%s), want nothing, AlreadySatisfied", got.Actions, got.Explanation.Stopped)
	}
}

func TestScaleCPUExampleThroughThePlanner(t *testing.T) {
	cpu, err := scalecpu.New(scalecpu.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	prob := &planner.Problem{
		Current: planner.State{
			Intent:    planner.Intent{Priority: 1, Objectives: map[string]float64{"p99": 250}},
			Pods:      map[string]planner.PodState{"web-a": {Availability: 1, State: "Running"}},
			Resources: map[string]int64{"app_cpu_requests": 500, "app_cpu_limits": 500},
		},
		Goal:     planner.State{Intent: planner.Intent{Priority: 1, Objectives: map[string]float64{"p99": 120}}},
		Profiles: map[string]planner.Profile{"p99": {Type: "latency", Minimize: true}},
		Models:   map[string]planner.Models{"scaleCPU": {"p99": {"popt": {400, 2, 30}}}},
	}
	got := plan(t, planner.NewConfig(), prob, planner.Native(cpu))
	if len(got.Actions) != 1 || got.Actions[0].Name != "scaleCPU" || got.Actions[0].Properties.Int["value"] != 800 {
		t.Fatalf("plan = %+v, want [scaleCPU{value: 800}]", got.Actions)
	}
}

func TestCreatePlanFromManyGoroutines(t *testing.T) {
	p, err := planner.NewPlanner(planner.NewConfig(), goldenActuators(t)...)
	if err != nil {
		t.Fatal(err)
	}
	prob := goldenProblem()
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			for j := 0; j < 50; j++ {
				plan, err := p.CreatePlan(context.Background(), prob)
				if err == nil && (len(plan.Actions) != 1 || plan.Actions[0].Properties.Int["factor"] != 2) {
					err = fmt.Errorf("plan %+v", plan.Actions)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
