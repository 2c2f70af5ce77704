package planner_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wido-dev/wido/planner"
)

// graph is a hand-made state graph: node ids with a p99 value each, edges
// with a cost. Node 0 is the start. The goal is p99 <= 10.
type graph struct {
	values map[int]float64
	pods   map[int]int // pod count per node; 2 when absent
	edges  map[int][]graphEdge
}

type graphEdge struct {
	to   int
	cost float64
}

func (g graph) state(id int) planner.State {
	pods := map[string]planner.PodState{}
	n, ok := g.pods[id]
	if !ok {
		n = 2
	}
	for i := 0; i < n; i++ {
		pods[string(rune('a'+i))] = planner.PodState{Availability: 1, State: "Running"}
	}
	return planner.State{
		Intent: planner.Intent{Priority: 1, Objectives: map[string]float64{"p99": g.values[id]}},
		Pods:   pods,
		Data:   map[string]map[string]float64{"node": {"id": float64(id)}},
	}
}

func (g graph) problem() *planner.Problem {
	return &planner.Problem{
		Current:  g.state(0),
		Goal:     planner.State{Intent: planner.Intent{Priority: 1, Objectives: map[string]float64{"p99": 10}}},
		Profiles: map[string]planner.Profile{"p99": {Type: "latency", Minimize: true}},
	}
}

// graphActuator walks a graph's edges. Its actions are name{to: ID}.
type graphActuator struct {
	name  string
	g     graph
	delay time.Duration
	calls int
}

func (a *graphActuator) Name() string  { return a.name }
func (a *graphActuator) Group() string { return "test" }

func (a *graphActuator) NextState(ctx context.Context, req *planner.NextStateRequest) (*planner.NextStateResponse, error) {
	a.calls++
	if a.delay > 0 {
		select {
		case <-time.After(a.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	from := int(req.State.Data["node"]["id"])
	resp := &planner.NextStateResponse{}
	for _, e := range a.g.edges[from] {
		resp.States = append(resp.States, a.g.state(e.to))
		resp.Utilities = append(resp.Utilities, e.cost)
		resp.Actions = append(resp.Actions, planner.Action{Name: a.name, Properties: planner.Properties{Int: map[string]int64{"to": int64(e.to)}}})
	}
	return resp, nil
}

func (a *graphActuator) Perform(context.Context, *planner.PerformRequest) (*planner.PerformResponse, error) {
	return &planner.PerformResponse{}, nil
}

func (a *graphActuator) Effect(context.Context, *planner.EffectRequest) (*planner.EffectResponse, error) {
	return &planner.EffectResponse{}, nil
}

// chain is 0 → 1 → … → n with p99 falling from 100 by 1 per step.
func chain(n int) graph {
	g := graph{values: map[int]float64{}, edges: map[int][]graphEdge{}}
	for i := 0; i <= n; i++ {
		g.values[i] = 100 - float64(i)
		g.edges[i] = []graphEdge{{to: i + 1, cost: 1}}
	}
	return g
}

func plan(t *testing.T, cfg planner.Config, prob *planner.Problem, acts ...planner.Actuator) *planner.Plan {
	t.Helper()
	p, err := planner.NewPlanner(cfg, acts...)
	if err != nil {
		t.Fatalf("NewPlanner: %v", err)
	}
	result, err := p.CreatePlan(context.Background(), prob)
	if err != nil {
		t.Fatalf("CreatePlan: %v", err)
	}
	return result
}

// steps renders a plan as "name>to" strings.
func steps(p *planner.Plan) []string {
	out := []string{}
	for _, a := range p.Actions {
		out = append(out, a.Name+">"+itoa(a.Properties.Int["to"]))
	}
	return out
}

func itoa(i int64) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

func TestAStar(t *testing.T) {
	tests := []struct {
		name          string
		g             graph
		cfg           planner.Config
		expected      []string
		stopped       planner.StopReason
		opportunistic bool
	}{
		{
			name: "takes the cheaper two-step path over the dear direct one",
			g: graph{
				values: map[int]float64{0: 20, 1: 9, 2: 11, 3: 9},
				edges:  map[int][]graphEdge{0: {{1, 5}, {2, 1}}, 2: {{3, 1}}},
			},
			expected: []string{"a>2", "a>3"},
			stopped:  planner.GoalReached,
		},
		{
			name: "takes the direct path when it is cheaper",
			g: graph{
				values: map[int]float64{0: 20, 1: 9, 2: 11, 3: 9},
				edges:  map[int][]graphEdge{0: {{1, 1.5}, {2, 1}}, 2: {{3, 1}}},
			},
			expected: []string{"a>1"},
			stopped:  planner.GoalReached,
		},
		{
			name: "unreachable goal gives no plan",
			g: graph{
				values: map[int]float64{0: 30, 1: 20, 2: 15},
				edges:  map[int][]graphEdge{0: {{1, 1}}, 1: {{2, 1}}},
			},
			expected: []string{},
			stopped:  planner.Unreachable,
		},
		{
			name: "opportunistic planning leads to the state closest to the goal",
			g: graph{
				values: map[int]float64{0: 30, 1: 20, 2: 15, 3: 25},
				edges:  map[int][]graphEdge{0: {{1, 1}, {3, 0.1}}, 1: {{2, 1}}},
			},
			cfg:           planner.NewConfig().WithOpportunisticCandidates(1),
			expected:      []string{"a>1", "a>2"},
			stopped:       planner.Unreachable,
			opportunistic: true,
		},
		{
			name: "already satisfied: a change cheaper than the shortcut is worth it",
			g: graph{
				values: map[int]float64{0: 5, 1: 4},
				edges:  map[int][]graphEdge{0: {{1, 0.5}}},
			},
			expected: []string{"a>1"},
			stopped:  planner.GoalReached,
		},
		{
			name: "already satisfied: a change dearer than the shortcut is not",
			g: graph{
				values: map[int]float64{0: 5, 1: 4},
				edges:  map[int][]graphEdge{0: {{1, 1.005}}},
			},
			expected: []string{},
			stopped:  planner.AlreadySatisfied,
		},
		{
			name: "already satisfied: the shortcut costs 1 % more when the change removes pods",
			g: graph{
				values: map[int]float64{0: 5, 1: 4},
				pods:   map[int]int{1: 1},
				edges:  map[int][]graphEdge{0: {{1, 1.005}}},
			},
			expected: []string{"a>1"},
			stopped:  planner.GoalReached,
		},
		{
			name: "already satisfied: the shortcut costs as many actions as the nearest better state",
			g: graph{
				values: map[int]float64{0: 5, 1: 10.5, 2: 4},
				edges:  map[int][]graphEdge{0: {{1, 0.85}}, 1: {{2, 0.85}}},
			},
			expected: []string{"a>1", "a>2"},
			stopped:  planner.GoalReached,
		},
		{
			name: "already satisfied: two actions dearer than a two-action shortcut are not worth it",
			g: graph{
				values: map[int]float64{0: 5, 1: 10.5, 2: 4},
				edges:  map[int][]graphEdge{0: {{1, 1.05}}, 1: {{2, 1.05}}},
			},
			expected: []string{},
			stopped:  planner.AlreadySatisfied,
		},
		{
			name:     "already satisfied and nothing to do",
			g:        graph{values: map[int]float64{0: 5}},
			expected: []string{},
			stopped:  planner.AlreadySatisfied,
		},
		{
			name:     "state budget exhausted before the goal",
			g:        chain(200),
			cfg:      planner.NewConfig().WithMaxStates(20),
			expected: []string{},
			stopped:  planner.StateBudgetExhausted,
		},
		{
			name: "max candidates keeps an actuator's first candidates",
			g: graph{
				values: map[int]float64{0: 20, 1: 15, 2: 9},
				edges:  map[int][]graphEdge{0: {{1, 1}, {2, 1}}},
			},
			cfg:      planner.NewConfig().WithMaxCandidates(1),
			expected: []string{},
			stopped:  planner.Unreachable,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			if cfg == nil {
				cfg = planner.NewConfig()
			}
			got := plan(t, cfg, tc.g.problem(), &graphActuator{name: "a", g: tc.g})
			if !reflect.DeepEqual(steps(got), tc.expected) {
				t.Errorf("plan = %v, want %v", steps(got), tc.expected)
			}
			if got.Explanation.Stopped != tc.stopped {
				t.Errorf("stopped = %s, want %s", got.Explanation.Stopped, tc.stopped)
			}
			if got.Explanation.Opportunistic != tc.opportunistic {
				t.Errorf("opportunistic = %v, want %v", got.Explanation.Opportunistic, tc.opportunistic)
			}
			if len(got.Explanation.Path) != len(got.Actions) {
				t.Errorf("explanation path has %d steps for %d actions", len(got.Explanation.Path), len(got.Actions))
			}
		})
	}
}

func TestStateBudgetCountsStates(t *testing.T) {
	got := plan(t, planner.NewConfig().WithMaxStates(20), chain(200).problem(), &graphActuator{name: "a", g: chain(200)})
	if got.Explanation.StatesCreated != 20 {
		t.Fatalf("created %d states with a budget of 20", got.Explanation.StatesCreated)
	}
}

func TestTimeBudgetStopsTheSearch(t *testing.T) {
	slow := &graphActuator{name: "a", g: chain(1000), delay: 2 * time.Millisecond}
	began := time.Now()
	got := plan(t, planner.NewConfig().WithTimeout(30*time.Millisecond), slow.g.problem(), slow)
	if got.Explanation.Stopped != planner.TimeBudgetExhausted {
		t.Fatalf("stopped = %s, want %s", got.Explanation.Stopped, planner.TimeBudgetExhausted)
	}
	if len(got.Explanation.ActuatorErrors) != 0 {
		t.Fatalf("a deadline is not the actuator's fault: %+v", got.Explanation.ActuatorErrors)
	}
	if elapsed := time.Since(began); elapsed > 2*time.Second {
		t.Fatalf("planning took %v with a 30ms budget", elapsed)
	}
}

func TestDeterministicWhateverTheRegistrationOrder(t *testing.T) {
	// Three actuators offer equally cheap ways to equally good states.
	g := graph{values: map[int]float64{0: 20, 1: 9, 2: 9, 3: 9, 4: 11}, edges: map[int][]graphEdge{0: {{1, 1}, {4, 0.5}}, 4: {{2, 0.5}}}}
	h := graph{values: g.values, edges: map[int][]graphEdge{0: {{2, 1}, {3, 1}}}}
	k := graph{values: g.values, edges: map[int][]graphEdge{0: {{3, 1}}}}
	orders := [][]string{{"x", "y", "z"}, {"z", "y", "x"}, {"y", "z", "x"}, {"x", "z", "y"}}
	var first *planner.Plan
	for _, order := range orders {
		byName := map[string]planner.Actuator{
			"x": &graphActuator{name: "x", g: g}, "y": &graphActuator{name: "y", g: h}, "z": &graphActuator{name: "z", g: k},
		}
		var acts []planner.Actuator
		for _, n := range order {
			acts = append(acts, byName[n])
		}
		got := plan(t, planner.NewConfig(), g.problem(), acts...)
		got.Explanation.Elapsed = 0
		if first == nil {
			first = got
			continue
		}
		if !reflect.DeepEqual(got, first) {
			t.Fatalf("order %v: plan %v differs from %v", order, steps(got), steps(first))
		}
	}
}

// faulty is an actuator that misbehaves in one way.
type faulty struct {
	name string
	next func() (*planner.NextStateResponse, error)
}

func (f *faulty) Name() string  { return f.name }
func (f *faulty) Group() string { return "faulty" }
func (f *faulty) NextState(context.Context, *planner.NextStateRequest) (*planner.NextStateResponse, error) {
	return f.next()
}
func (f *faulty) Perform(context.Context, *planner.PerformRequest) (*planner.PerformResponse, error) {
	return nil, errors.New("no")
}
func (f *faulty) Effect(context.Context, *planner.EffectRequest) (*planner.EffectResponse, error) {
	return nil, errors.New("no")
}

func TestMisbehavingActuatorIsDroppedAndExplained(t *testing.T) {
	good := graph{values: map[int]float64{0: 20, 1: 9}, edges: map[int][]graphEdge{0: {{1, 1}}}}
	tempting := []planner.State{good.state(1)}
	tests := []struct {
		name    string
		next    func() (*planner.NextStateResponse, error)
		message string
	}{
		{"mismatched slice lengths", func() (*planner.NextStateResponse, error) {
			return &planner.NextStateResponse{States: tempting, Utilities: []float64{0, 0}, Actions: []planner.Action{{Name: "bad"}}}, nil
		}, "1 states, 2 utilities and 1 actions"},
		{"panic", func() (*planner.NextStateResponse, error) { panic("boom") }, "panic in NextState: boom"},
		{"error", func() (*planner.NextStateResponse, error) { return nil, errors.New("model store down") }, "model store down"},
		{"nil response", func() (*planner.NextStateResponse, error) { return nil, nil }, "no response"},
		{"negative utility", func() (*planner.NextStateResponse, error) {
			return &planner.NextStateResponse{States: tempting, Utilities: []float64{-1}, Actions: []planner.Action{{Name: "bad"}}}, nil
		}, "utility -1"},
		{"action without a name", func() (*planner.NextStateResponse, error) {
			return &planner.NextStateResponse{States: tempting, Utilities: []float64{0}, Actions: []planner.Action{{}}}, nil
		}, "without a name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := plan(t, planner.NewConfig(), good.problem(), &faulty{name: "bad", next: tc.next}, &graphActuator{name: "good", g: good})
			if !reflect.DeepEqual(steps(got), []string{"good>1"}) {
				t.Fatalf("plan = %v, want the good actuator's [good>1]", steps(got))
			}
			errs := got.Explanation.ActuatorErrors
			if len(errs) != 1 || errs[0].Actuator != "bad" || !strings.Contains(errs[0].Error, tc.message) {
				t.Fatalf("actuator errors = %+v, want one for bad containing %q", errs, tc.message)
			}
		})
	}
}

func TestFailingActuatorsEarlierEdgesAreDropped(t *testing.T) {
	// "bad" proposes a cheap path to a state that meets the goal at the
	// first expansion, then fails at the second: its output is dropped for
	// the whole plan, so the plan uses the good actuator.
	good := graph{values: map[int]float64{0: 20, 1: 11, 2: 9}, edges: map[int][]graphEdge{0: {{1, 0.1}}, 1: {{2, 5}}}}
	calls := 0
	bad := &faulty{name: "bad", next: func() (*planner.NextStateResponse, error) {
		calls++
		if calls == 1 {
			return &planner.NextStateResponse{States: []planner.State{good.state(3)}, Utilities: []float64{1}, Actions: []planner.Action{{Name: "bad"}}}, nil
		}
		return nil, errors.New("crashed")
	}}
	good.values[3] = 12
	got := plan(t, planner.NewConfig(), good.problem(), bad, &graphActuator{name: "good", g: good})
	for _, a := range got.Actions {
		if a.Name == "bad" {
			t.Fatalf("plan %v uses the failed actuator", steps(got))
		}
	}
	if len(got.Explanation.ActuatorErrors) != 1 {
		t.Fatalf("actuator errors = %+v", got.Explanation.ActuatorErrors)
	}
}

func TestCanceledContextIsAnError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p, err := planner.NewPlanner(planner.NewConfig(), &graphActuator{name: "a", g: chain(10)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreatePlan(ctx, chain(10).problem()); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestNewPlannerRefusesBadConfig(t *testing.T) {
	a := &graphActuator{name: "a"}
	tests := []struct {
		name string
		cfg  planner.Config
		acts []planner.Actuator
		want string
	}{
		{"zero max states", planner.NewConfig().WithMaxStates(0), []planner.Actuator{a}, "max states"},
		{"zero max candidates", planner.NewConfig().WithMaxCandidates(0), []planner.Actuator{a}, "max candidates"},
		{"zero timeout", planner.NewConfig().WithTimeout(0), []planner.Actuator{a}, "timeout"},
		{"negative opportunistic", planner.NewConfig().WithOpportunisticCandidates(-1), []planner.Actuator{a}, "opportunistic"},
		{"two actuators with one name", planner.NewConfig(), []planner.Actuator{a, &graphActuator{name: "a"}}, `two actuators are named "a"`},
		{"nameless actuator", planner.NewConfig(), []planner.Actuator{&graphActuator{}}, "without a name"},
		{"nil config", nil, []planner.Actuator{a}, "NewConfig"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := planner.NewPlanner(tc.cfg, tc.acts...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestConfigIsImmutable(t *testing.T) {
	base := planner.NewConfig()
	_ = base.WithMaxStates(1)
	got := plan(t, base, chain(5).problem(), &graphActuator{name: "a", g: chain(100)})
	if got.Explanation.Stopped == planner.StateBudgetExhausted {
		t.Fatal("WithMaxStates changed the Config it was called on")
	}
}
