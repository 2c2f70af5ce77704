package planner

import "github.com/wido-dev/wido/abi/actuator"

// The state model is the contract shared with actuators; see abi/actuator.
type (
	State             = actuator.State
	Intent            = actuator.Intent
	Profile           = actuator.Profile
	ProfileType       = actuator.ProfileType
	PodState          = actuator.PodState
	Action            = actuator.Action
	Properties        = actuator.Properties
	Operation         = actuator.Operation
	Model             = actuator.Model
	Models            = actuator.Models
	Observation       = actuator.Observation
	NextStateRequest  = actuator.NextStateRequest
	NextStateResponse = actuator.NextStateResponse
	PerformRequest    = actuator.PerformRequest
	PerformResponse   = actuator.PerformResponse
	EffectRequest     = actuator.EffectRequest
	EffectResponse    = actuator.EffectResponse
)

// Action names the planner uses for its own edges. They never appear in a
// returned plan.
const (
	// DoneActionName labels the zero-cost edge from a state that meets the
	// goal to the goal, and the already-satisfied shortcut (IDO's "done").
	DoneActionName = "done"
	// OpportunisticActionName labels the zero-cost edge opportunistic
	// planning adds from a state close to the goal to the goal.
	OpportunisticActionName = "opportunistic"
)
