package planner_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wido-dev/wido/planner"
)

// BenchmarkGoldenCase plans IDO's planner test case with the shipped
// actuators in-process. IDO's planner takes 1.3–2 s at maxStates 2000 and
// 11–13 s at 5000 on a 2-core machine.
func BenchmarkGoldenCase(b *testing.B) {
	for _, maxStates := range []int{2000, 5000} {
		b.Run(fmt.Sprintf("native/maxStates=%d", maxStates), func(b *testing.B) {
			p, err := planner.NewPlanner(planner.NewConfig().WithMaxStates(maxStates).WithMaxCandidates(10), goldenActuators(b)...)
			if err != nil {
				b.Fatal(err)
			}
			prob := goldenProblem()
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				plan, err := p.CreatePlan(ctx, prob)
				if err != nil || len(plan.Actions) != 1 {
					b.Fatalf("plan %v, err %v", plan, err)
				}
			}
		})
	}
}

// counter is a synthetic actuator that never reaches the goal: from state k
// it proposes states 2k+1 and 2k+2, with p99 drifting but always above the
// target, so the search runs until the state budget is spent.
type counter struct{}

func (counter) Name() string  { return "counter" }
func (counter) Group() string { return "bench" }

func (counter) NextState(_ context.Context, req *planner.NextStateRequest) (*planner.NextStateResponse, error) {
	k := req.State.Data["n"]["k"]
	resp := &planner.NextStateResponse{
		States:    make([]planner.State, 2),
		Utilities: []float64{1, 1.5},
		Actions:   []planner.Action{{Name: "counter"}, {Name: "counter"}},
	}
	for i := range resp.States {
		next := 2*k + float64(i+1)
		resp.States[i] = planner.State{
			Intent: planner.Intent{Objectives: map[string]float64{"p99": 20 + float64(int(next)%7)}},
			Data:   map[string]map[string]float64{"n": {"k": next}},
		}
	}
	return resp, nil
}

func (counter) Perform(context.Context, *planner.PerformRequest) (*planner.PerformResponse, error) {
	return &planner.PerformResponse{}, nil
}

func (counter) Effect(context.Context, *planner.EffectRequest) (*planner.EffectResponse, error) {
	return &planner.EffectResponse{}, nil
}

// BenchmarkStatesExplored reports the planner's cost per state created when
// the goal is never reached: it should stay about flat as the budget grows.
func BenchmarkStatesExplored(b *testing.B) {
	for _, maxStates := range []int{500, 2000, 20000} {
		b.Run(fmt.Sprintf("states=%d", maxStates), func(b *testing.B) {
			p, err := planner.NewPlanner(planner.NewConfig().WithMaxStates(maxStates).WithTimeout(time.Minute), counter{})
			if err != nil {
				b.Fatal(err)
			}
			prob := &planner.Problem{
				Current:  planner.State{Intent: planner.Intent{Objectives: map[string]float64{"p99": 30}}, Data: map[string]map[string]float64{"n": {"k": 0}}},
				Goal:     planner.State{Intent: planner.Intent{Priority: 1, Objectives: map[string]float64{"p99": 10}}},
				Profiles: map[string]planner.Profile{"p99": {Type: "latency", Minimize: true}},
			}
			ctx := context.Background()
			states := 0
			b.ReportAllocs()
			for b.Loop() {
				plan, err := p.CreatePlan(ctx, prob)
				if err != nil || plan.Explanation.Stopped != planner.StateBudgetExhausted {
					b.Fatalf("err %v, stopped %s", err, plan.Explanation.Stopped)
				}
				states = plan.Explanation.StatesCreated
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(states), "ns/state")
		})
	}
}
