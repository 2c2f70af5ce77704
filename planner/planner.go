package planner

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Problem is one planning question: get from Current to a state that meets
// Goal.
type Problem struct {
	// Current is the measured state. Its objectives hold current values; an
	// objective it does not list is unknown.
	Current State
	// Goal holds the intent's targets in Goal.Intent.Objectives, and the
	// priority and tolerances that apply.
	Goal State
	// Profiles maps every objective's key to its profile.
	Profiles map[string]Profile
	// Models maps an actuator name to its learned models. An actuator is
	// given the models of its own name merged over those of the other
	// actuators of its group (IDO keeps models per group).
	Models map[string]Models
}

// Plan is the result of CreatePlan.
type Plan struct {
	// Actions to perform, in order. Empty when nothing should be done.
	Actions []Action
	// Explanation says how the plan was found.
	Explanation Explanation
}

// StopReason says why the search ended.
type StopReason string

const (
	// GoalReached: the plan leads to a state that meets the goal.
	GoalReached StopReason = "GoalReached"
	// AlreadySatisfied: the current state meets the goal and no change was
	// worth its cost (IDO's shortcut), or none leads to a better state.
	AlreadySatisfied StopReason = "AlreadySatisfied"
	// Unreachable: every state the actuators lead to was explored and none
	// meets the goal.
	Unreachable StopReason = "Unreachable"
	// StateBudgetExhausted: MaxStates states were created before a path to
	// the goal was found.
	StateBudgetExhausted StopReason = "StateBudgetExhausted"
	// TimeBudgetExhausted: the wall-clock budget ran out before a path to
	// the goal was found.
	TimeBudgetExhausted StopReason = "TimeBudgetExhausted"
)

// Explanation is what a plan carries to say why it is what it is.
type Explanation struct {
	// Stopped is why the search ended. With Opportunistic it says why the
	// goal itself was not reached.
	Stopped StopReason
	// Opportunistic is true when the plan leads to the state closest to an
	// unreachable goal.
	Opportunistic bool
	// StatesExplored counts the states whose successors were asked for.
	StatesExplored int
	// StatesCreated counts the distinct states the search created, the
	// current state included.
	StatesCreated int
	// CandidatesConsidered counts the candidates taken from actuators.
	CandidatesConsidered int
	// Candidates lists the first candidates considered, in the order they
	// were proposed (see Config.WithExplainedCandidates).
	Candidates []Candidate
	// Path is the chosen path, one step per action of the plan.
	Path []Step
	// Cost is the sum of the utilities along the chosen path.
	Cost float64
	// ActuatorErrors lists actuators whose output was dropped for this plan.
	ActuatorErrors []ActuatorError
	// Elapsed is the wall-clock time the plan took.
	Elapsed time.Duration
}

// Candidate is one state an actuator proposed.
type Candidate struct {
	// From and To are state numbers: 0 is the current state, others are
	// numbered in the order the search created them.
	From, To  int
	Actuator  string
	Action    Action
	Utility   float64
	MeetsGoal bool
}

// Step is one step of the chosen path.
type Step struct {
	Actuator string
	Action   Action
	Utility  float64
	// State is the number of the state the step leads to.
	State int
	// Objectives are that state's (predicted) objectives. Shared with the
	// search; do not modify.
	Objectives map[string]float64
}

// ActuatorError says why an actuator's output was dropped.
type ActuatorError struct {
	Actuator string
	Error    string
}

// Planner creates plans.
//
// This is an interface for decoupling, not third-party implementations.
type Planner interface {
	// CreatePlan searches for the cheapest plan from p.Current to a state
	// that meets p.Goal. The result is deterministic: the same problem gives
	// the same plan whatever the order the actuators were registered in, as
	// long as the actuators are deterministic and the budgets do not run
	// out.
	//
	// CreatePlan is safe to call from several goroutines.
	//
	// # Errors
	//
	// An invalid problem (wrapping ErrInvalidProblem), or ctx's error when
	// ctx is done before the plan is. Actuator failures are not errors:
	// they are reported in the Explanation.
	CreatePlan(ctx context.Context, p *Problem) (*Plan, error)
}

// NewPlanner returns an A* planner over the given actuators.
//
// # Errors
//
// A budget out of range (see Config), an actuator without a name, or two
// actuators with the same name.
func NewPlanner(cfg Config, actuators ...Actuator) (Planner, error) {
	c, ok := cfg.(*config)
	if !ok || c == nil {
		return nil, fmt.Errorf("planner: config must come from NewConfig")
	}
	switch {
	case c.maxStates < 1:
		return nil, fmt.Errorf("planner: max states must be at least 1, got %d", c.maxStates)
	case c.maxCandidates < 1:
		return nil, fmt.Errorf("planner: max candidates must be at least 1, got %d", c.maxCandidates)
	case c.timeout <= 0:
		return nil, fmt.Errorf("planner: timeout must be positive, got %v", c.timeout)
	case c.opportunistic < 0:
		return nil, fmt.Errorf("planner: opportunistic candidates must not be negative, got %d", c.opportunistic)
	case c.explainedCandidates < 0:
		return nil, fmt.Errorf("planner: explained candidates must not be negative, got %d", c.explainedCandidates)
	}
	sorted := make([]Actuator, len(actuators))
	copy(sorted, actuators)
	for _, a := range sorted {
		if a == nil || a.Name() == "" {
			return nil, fmt.Errorf("planner: actuator without a name")
		}
	}
	// A fixed order makes plans independent of registration order.
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Name() != sorted[j].Name() {
			return sorted[i].Name() < sorted[j].Name()
		}
		return sorted[i].Group() < sorted[j].Group()
	})
	for i := 1; i < len(sorted); i++ {
		if sorted[i].Name() == sorted[i-1].Name() {
			return nil, fmt.Errorf("planner: two actuators are named %q", sorted[i].Name())
		}
	}
	return &aStar{cfg: *c, actuators: sorted}, nil
}

type aStar struct {
	cfg       config
	actuators []Actuator
}

var _ Planner = (*aStar)(nil)

func (p *aStar) CreatePlan(ctx context.Context, prob *Problem) (*Plan, error) {
	if prob == nil {
		return nil, invalid("no problem given")
	}
	if err := prob.Validate(); err != nil {
		return nil, err
	}
	began := time.Now()
	callCtx, cancel := context.WithDeadline(ctx, began.Add(p.cfg.timeout))
	defer cancel()
	s := newSearch(callCtx, p, prob)
	plan := s.run()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("planner: %w", err)
	}
	plan.Explanation.Elapsed = time.Since(began)
	return plan, nil
}
