package planner_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/wido-dev/wido/planner"
)

func TestCreatePlanRefusesBadProblems(t *testing.T) {
	tests := []struct {
		name   string
		modify func(p *planner.Problem)
		want   string
	}{
		{"profile of unknown type", func(p *planner.Problem) { p.Profiles["p99"] = planner.Profile{Type: "speed"} }, `profile "p99" has unknown type "speed"`},
		{"goal objective without profile", func(p *planner.Problem) { delete(p.Profiles, "availability") }, `goal objective "availability" has no profile`},
		{"current objective without profile", func(p *planner.Problem) { p.Current.Intent.Objectives["p50"] = 1 }, `current objective "p50" has no profile`},
		{"current objective the goal lacks", func(p *planner.Problem) {
			p.Profiles["p50"] = planner.Profile{Type: "latency", Minimize: true}
			p.Current.Intent.Objectives["p50"] = 1
		}, `current objective "p50" is not an objective of the goal`},
		{"goal without objectives", func(p *planner.Problem) { p.Goal.Intent.Objectives = nil }, "goal has no objectives"},
		{"NaN current value", func(p *planner.Problem) { p.Current.Intent.Objectives["p99"] = math.NaN() }, `current objective "p99" is NaN`},
		{"infinite current value", func(p *planner.Problem) { p.Current.Intent.Objectives["rps"] = math.Inf(1) }, `current objective "rps" is +Inf`},
		{"NaN target", func(p *planner.Problem) { p.Goal.Intent.Objectives["p99"] = math.NaN() }, `goal objective "p99" is NaN`},
		{"negative priority", func(p *planner.Problem) { p.Goal.Intent.Priority = -1 }, "priority is -1"},
		{"zero priority", func(p *planner.Problem) { p.Goal.Intent.Priority = 0 }, "priority is 0"},
		{"NaN priority", func(p *planner.Problem) { p.Goal.Intent.Priority = math.NaN() }, "priority is NaN"},
		{"negative tolerance", func(p *planner.Problem) { p.Goal.Intent.Tolerances = map[string]float64{"p99": -0.1} }, `tolerance of "p99" is -0.1`},
		{"tolerance for no objective", func(p *planner.Problem) { p.Goal.Intent.Tolerances = map[string]float64{"p50": 0.1} }, `tolerance "p50" names no objective`},
		{"pod availability above 1", func(p *planner.Problem) { p.Current.Pods["pod_0"] = planner.PodState{Availability: 1.5} }, `pod "pod_0" has availability 1.5`},
		{"negative resource", func(p *planner.Problem) { p.Current.Resources = map[string]int64{"app_cpu_requests": -5} }, `resource "app_cpu_requests" is -5`},
		{"infinite model parameter", func(p *planner.Problem) { p.Models["scaleOut"]["p99"]["popt"][0] = math.Inf(-1) }, "parameters must be finite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prob := goldenProblem()
			tc.modify(prob)
			p, err := planner.NewPlanner(planner.NewConfig(), goldenActuators(t)...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.CreatePlan(context.Background(), prob)
			if err == nil || !planner.IsInvalidProblem(err) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want an invalid-problem error containing %q", err, tc.want)
			}
		})
	}
}

func TestUnknownObjectiveIsNeverMetAndNeverGuessed(t *testing.T) {
	// p99 has no metric. The current state is not "better", so the planner
	// must not take the already-satisfied shortcut on a guess, and rmPod
	// must not remove a pod.
	prob := goldenProblem()
	prob.Current.Intent.Objectives["availability"] = 0.9999
	delete(prob.Current.Intent.Objectives, "p99")
	got := plan(t, planner.NewConfig(), prob, goldenActuators(t)...)
	for _, c := range got.Explanation.Candidates {
		if c.From == 0 && c.Actuator == "rmPod" {
			t.Fatalf("rmPod proposed %v while p99 is unknown", c.Action)
		}
	}
	if got.Explanation.Stopped == planner.AlreadySatisfied {
		t.Fatal("a state with an unknown objective was taken as satisfied")
	}
}
