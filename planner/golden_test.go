package planner_test

import (
	"context"
	"testing"

	"github.com/wido-dev/wido/planner"
	"github.com/wido-dev/wido/plugins/rmpod"
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
