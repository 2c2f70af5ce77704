package planner

import (
	"math"

	"github.com/wido-dev/wido/abi/actuator"
)

// Validate checks a Problem before planning. It reports the first problem
// found, naming the field and the key.
//
// # Errors
//
// Each wraps ErrInvalidProblem: a profile of unknown type; a goal without
// objectives; an objective (goal or current) without a profile; a goal
// objective that the current state lists with a key the goal lacks; a
// non-finite or negative tolerance; a tolerance for no objective; a priority
// outside (0, 1]; a NaN or infinite value anywhere (an unknown current value
// is expressed by leaving it out); a pod availability outside [0, 1]; a
// negative resource; a non-finite model parameter.
func (p *Problem) Validate() error {
	for key, prof := range p.Profiles {
		if key == "" {
			return invalid("profile with an empty key")
		}
		if !prof.Type.Valid() {
			return invalid("profile %q has unknown type %q (want latency, throughput, availability or power)", key, prof.Type)
		}
	}
	goal := &p.Goal.Intent
	if len(goal.Objectives) == 0 {
		return invalid("goal has no objectives")
	}
	if err := checkPriority(goal.Priority); err != nil {
		return err
	}
	for key, target := range goal.Objectives {
		if _, ok := p.Profiles[key]; !ok {
			return invalid("goal objective %q has no profile", key)
		}
		if !actuator.Known(target) {
			return invalid("goal objective %q is %v; targets must be finite", key, target)
		}
	}
	for key, tol := range goal.Tolerances {
		if _, ok := goal.Objectives[key]; !ok {
			return invalid("tolerance %q names no objective of the goal", key)
		}
		if !actuator.Known(tol) || tol < 0 {
			return invalid("tolerance of %q is %v; it must be a finite number >= 0", key, tol)
		}
	}
	for key, v := range p.Current.Intent.Objectives {
		if _, ok := p.Profiles[key]; !ok {
			return invalid("current objective %q has no profile", key)
		}
		if _, ok := goal.Objectives[key]; !ok {
			return invalid("current objective %q is not an objective of the goal", key)
		}
		if !actuator.Known(v) {
			return invalid("current objective %q is %v; leave an unknown value out instead", key, v)
		}
	}
	for name, pod := range p.Current.Pods {
		if name == "" {
			return invalid("pod with an empty name")
		}
		if !(pod.Availability >= 0 && pod.Availability <= 1) {
			return invalid("pod %q has availability %v; it must be in [0, 1]", name, pod.Availability)
		}
	}
	for key, v := range p.Current.Resources {
		if v < 0 {
			return invalid("resource %q is %d; it must not be negative", key, v)
		}
	}
	for section, values := range p.Current.Data {
		for key, v := range values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return invalid("data %q/%q is %v; it must be finite", section, key, v)
			}
		}
	}
	for name, models := range p.Models {
		for objective, model := range models {
			for param, values := range model {
				for _, v := range values {
					if !actuator.Known(v) {
						return invalid("model %s/%s parameter %q has %v; parameters must be finite", name, objective, param, v)
					}
				}
			}
		}
	}
	return nil
}

func checkPriority(priority float64) error {
	if !(priority > 0 && priority <= 1) {
		return invalid("priority is %v; it must be in (0, 1]", priority)
	}
	return nil
}
