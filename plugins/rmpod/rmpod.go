// Package rmpod is the rmPod actuator: removes one Running pod of the target.
// Its action is rmPod{name: POD}.
//
// Where it differs from IDO's rmPod: pods are visited in name order (IDO
// iterates a map, so its candidate order changes from run to run), and
// MinPods must be at least 1.
package rmpod

import (
	"errors"
	"strconv"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/plugins/internal/scaling"
	"github.com/wido-dev/wido/plugins/internal/settings"
)

// Name is the actuator's name and the name of its action.
const Name = scaling.RmPodName

// Version of this actuator's logic.
const Version = "0.1.0"

// NameProperty is the string property of an rmPod action: the pod to remove.
const NameProperty = "name"

// DefaultMinPods is MinPods when not configured (IDO's default).
const DefaultMinPods = 1

// Config configures the actuator. Build reads it from text values under
// the key given with each field.
type Config struct {
	// MinPods (key min_pods) is the fewest pods a removal may leave. Default 1.
	MinPods int
}

// DefaultConfig returns the configuration used when none is given.
func DefaultConfig() Config {
	return Config{MinPods: DefaultMinPods}
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
	if err := settings.Apply(config, settings.Int("min_pods", &cfg.MinPods)); err != nil {
		return nil, errors.New(Name + ": " + err.Error())
	}
	a, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Actuator is the rmPod logic. It is immutable and goroutine-safe.
type Actuator struct {
	cfg Config
}

var _ actuator.Interface = (*Actuator)(nil)

// New returns the actuator.
//
// # Errors
//
// MinPods below 1.
func New(cfg Config) (*Actuator, error) {
	if cfg.MinPods < 1 {
		return nil, errors.New("rmPod: min_pods must be at least 1, got " + strconv.Itoa(cfg.MinPods))
	}
	return &Actuator{cfg: cfg}, nil
}

// Info implements actuator.Interface.
func (a *Actuator) Info() actuator.Info {
	return actuator.Info{Name: Name, Group: scaling.GroupName, Version: Version}
}

// NextState proposes, for each Running pod, the state without it: latency
// objectives re-predicted with their scaling model for one pod less,
// availability objectives recomputed. A candidate must keep at least MinPods
// pods. Its utility is the new availability times the intent's priority (1
// times the priority without an availability objective).
//
// It proposes nothing when an objective of the goal is unknown in the state,
// when the intent has no throughput objective, or when a latency objective
// has no usable model: removing capacity on a guess is what wido never does.
func (a *Actuator) NextState(req *actuator.NextStateRequest) (*actuator.NextStateResponse, error) {
	state, goal := &req.State, &req.Goal
	resp := &actuator.NextStateResponse{}
	if len(state.Pods)-1 < a.cfg.MinPods {
		return resp, nil
	}
	for k := range goal.Intent.Objectives {
		if v, ok := state.Intent.Objectives[k]; !ok || !actuator.Known(v) {
			return resp, nil
		}
	}
	in, ok := scaling.ReadInputs(req)
	if !ok {
		return resp, nil
	}

	var buf [64]string
	for _, name := range actuator.SortedKeys(buf[:0], state.Pods) {
		if state.Pods[name].State != "Running" || scaling.IsDummy(name) {
			continue
		}
		next := state.DeepCopy()
		delete(next.Pods, name)
		utility := 1.0
		for i, k := range in.Latencies {
			next.Intent.Objectives[k] = in.Models[i].PredictLatency(in.Throughput, len(next.Pods))
		}
		for _, k := range in.Availabilities {
			next.Intent.Objectives[k] = scaling.Availability(next.Pods)
			utility = next.Intent.Objectives[k]
		}
		resp.States = append(resp.States, next)
		resp.Utilities = append(resp.Utilities, utility*goal.Intent.Priority)
		resp.Actions = append(resp.Actions, actuator.Action{
			Name:       Name,
			Properties: actuator.Properties{Str: map[string]string{NameProperty: name}},
		})
	}
	return resp, nil
}

// Perform evicts every pod that the plan's rmPod actions name. (The replica
// count is lowered by scaleOut's Perform, as in IDO.)
//
// # Errors
//
// An rmPod action without a pod name.
func (a *Actuator) Perform(req *actuator.PerformRequest) (*actuator.PerformResponse, error) {
	resp := &actuator.PerformResponse{}
	for _, action := range req.Plan {
		if action.Name != Name {
			continue
		}
		pod := action.Properties.Str[NameProperty]
		if pod == "" {
			return nil, errors.New("rmPod: action needs a string property name")
		}
		resp.Operations = append(resp.Operations, actuator.Operation{Kind: actuator.EvictPod, Pod: pod})
	}
	return resp, nil
}

// Effect has nothing to learn: rmPod uses scaleOut's model.
func (a *Actuator) Effect(*actuator.EffectRequest) (*actuator.EffectResponse, error) {
	return &actuator.EffectResponse{}, nil
}
