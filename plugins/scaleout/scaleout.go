// Package scaleout is the scaleOut actuator: horizontal scale-out guided by
// IDO's scaling model. Its action is scaleOut{factor: N}, N pods more.
//
// Where it differs from IDO's scaleOut, and why:
//   - It adds pods up to MaxPods exactly; IDO's loop can reach MaxPods+1.
//   - It stops at the model's replica range and keeps the candidates found
//     below it; IDO discards every candidate once the range is passed.
//   - An objective meets its goal with the intent's tolerance applied.
//   - It has no proactive mode (IDO's exploratory scale-out when no model
//     fits); without a model it proposes nothing.
package scaleout

import (
	"errors"
	"strconv"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/plugins/internal/scaling"
	"github.com/wido-dev/wido/plugins/internal/settings"
)

// Name is the actuator's name and the name of its action.
const Name = scaling.ScaleOutName

// Version of this actuator's logic.
const Version = "0.1.0"

// FactorProperty is the integer property of a scaleOut action: pods to add.
const FactorProperty = "factor"

// DefaultMaxPods is MaxPods when not configured (IDO's default).
const DefaultMaxPods = 128

// LimitMaxPods is the largest MaxPods accepted. A NextState call costs
// O(MaxPods²) (each candidate is a state with its pods), so the bound keeps a
// call well inside the planner's time budget.
const LimitMaxPods = 1000

// Config configures the actuator. Build reads it from text values under
// the key given with each field.
type Config struct {
	// MaxPods (key max_pods) is the most pods a plan may scale to. Default
	// 128.
	MaxPods int
}

// DefaultConfig returns the configuration used when none is given.
func DefaultConfig() Config {
	return Config{MaxPods: DefaultMaxPods}
}

// Build returns the actuator configured by config (keys as documented on
// Config, values as text; absent keys keep their defaults). It is the
// actuator's guest.Factory.
//
// # Errors
//
// An unknown key, a value that does not parse, or a value New refuses.
func Build(config map[string]string) (actuator.Interface, error) {
	cfg := DefaultConfig()
	if err := settings.Apply(config, settings.Int("max_pods", &cfg.MaxPods)); err != nil {
		return nil, errors.New(Name + ": " + err.Error())
	}
	a, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Actuator is the scaleOut logic. It is immutable and goroutine-safe.
type Actuator struct {
	cfg Config
}

var _ actuator.Interface = (*Actuator)(nil)

// New returns the actuator.
//
// # Errors
//
// MaxPods outside 1..LimitMaxPods.
func New(cfg Config) (*Actuator, error) {
	if cfg.MaxPods < 1 || cfg.MaxPods > LimitMaxPods {
		return nil, errors.New("scaleOut: max_pods must be between 1 and " + strconv.Itoa(LimitMaxPods) + ", got " + strconv.Itoa(cfg.MaxPods))
	}
	return &Actuator{cfg: cfg}, nil
}

// Info implements actuator.Interface.
func (a *Actuator) Info() actuator.Info {
	return actuator.Info{Name: Name, Group: scaling.GroupName, Version: Version}
}

// NextState proposes the states with one, two, … more pods, each with its
// latency predicted by the objective's scaling model and its availability
// recomputed (a new pod carries the mean availability of the others). A
// state is a candidate when at least one of its objectives meets the goal;
// its utility is 0.9 + (n/MaxPods)·(1/priority) for n pods. It stops at the
// first state that meets the whole goal, at MaxPods and at the smallest
// replica range of the models.
//
// It proposes nothing when the state already meets the goal, when the intent
// has no throughput objective or its value is unknown, or when a latency
// objective has no usable model.
func (a *Actuator) NextState(req *actuator.NextStateRequest) (*actuator.NextStateResponse, error) {
	state, goal, profiles := &req.State, &req.Goal, req.Profiles
	resp := &actuator.NextStateResponse{}
	if state.IsBetter(goal, profiles) {
		return resp, nil
	}
	in, ok := scaling.ReadInputs(req)
	if !ok {
		return resp, nil
	}
	limit := a.cfg.MaxPods
	for _, m := range in.Models {
		limit = min(limit, m.MaxReplicas())
	}

	current := len(state.Pods)
	last := state
	for n := current + 1; n <= limit; n++ {
		next := last.DeepCopy()
		if next.Pods == nil {
			next.Pods = map[string]actuator.PodState{}
		}
		mean := scaling.MeanAvailability(last.Pods)
		next.Pods[scaling.DummyName(next.Pods, n)] = actuator.PodState{Availability: mean}
		if next.Intent.Objectives == nil {
			next.Intent.Objectives = map[string]float64{}
		}
		found := false
		for i, k := range in.Latencies {
			next.Intent.Objectives[k] = in.Models[i].PredictLatency(in.Throughput, len(next.Pods))
			found = found || meets(&next, goal, profiles, k)
		}
		for _, k := range in.Availabilities {
			next.Intent.Objectives[k] = scaling.Availability(next.Pods)
			found = found || meets(&next, goal, profiles, k)
		}
		if found {
			resp.States = append(resp.States, next)
			resp.Utilities = append(resp.Utilities, 0.9+float64(n)/float64(a.cfg.MaxPods)*(1/goal.Intent.Priority))
			resp.Actions = append(resp.Actions, actuator.Action{
				Name:       Name,
				Properties: actuator.Properties{Int: map[string]int64{FactorProperty: int64(n - current)}},
			})
		}
		if next.IsBetter(goal, profiles) {
			break
		}
		last = &next
	}
	return resp, nil
}

func meets(s, goal *actuator.State, profiles map[string]actuator.Profile, k string) bool {
	target, ok := goal.Intent.Objectives[k]
	if !ok {
		return false
	}
	return actuator.Meets(profiles[k], s.Intent.Objectives[k], target, goal.Intent.Tolerances[k])
}

// Perform turns the plan's horizontal scaling into one Scale operation: the
// current pod count plus every scaleOut factor, minus one for every rmPod
// (as IDO's scaleOut does, so that an evicted pod is not replaced). A plan
// without either action needs no operation.
//
// # Errors
//
// A scaleOut action without a positive factor, or a plan that would leave
// fewer than one replica.
func (a *Actuator) Perform(req *actuator.PerformRequest) (*actuator.PerformResponse, error) {
	delta, touched := int64(0), false
	for _, action := range req.Plan {
		switch action.Name {
		case Name:
			factor, ok := action.Properties.Int[FactorProperty]
			if !ok || factor < 1 {
				return nil, errors.New("scaleOut: action needs a positive integer property factor")
			}
			delta += factor
			touched = true
		case scaling.RmPodName:
			delta--
			touched = true
		}
	}
	if !touched {
		return &actuator.PerformResponse{}, nil
	}
	replicas := int64(len(req.State.Pods)) + delta
	if replicas < 1 {
		return nil, errors.New("scaleOut: plan would leave " + strconv.FormatInt(replicas, 10) + " replicas")
	}
	return &actuator.PerformResponse{Operations: []actuator.Operation{{Kind: actuator.Scale, Replicas: replicas}}}, nil
}

// Effect returns no new model: fitting the scaling model from observations
// arrives with wido's learning loop, until then models come from outside
// (IDO's analytics or a scenario file).
func (a *Actuator) Effect(*actuator.EffectRequest) (*actuator.EffectResponse, error) {
	return &actuator.EffectResponse{}, nil
}
