package planner

import (
	"context"

	"github.com/wido-dev/wido/abi/actuator"
)

// Actuator is what the planner asks for next states and what the operator
// asks to perform a plan. Implementations: Native (in-process logic), Wasm
// modules (wasmhost) and remote gRPC plugins (operator).
//
// # Errors
//
// Every method may fail (a trapped module, a dead plugin, ctx done). The
// planner treats a NextState error, a panic or a malformed response as the
// actuator failing for that plan: it drops the actuator's output and says
// so in the plan's Explanation. Calls are idempotent: NextState and Effect
// have no side effects; Perform returns operations and applies nothing
// (remote gRPC plugins act themselves, as in IDO).
//
// # Notes
//
//   - Methods must be safe to call from several goroutines: one actuator
//     serves the plans of many intents.
//   - Requests are read-only for the actuator; responses belong to the
//     caller.
type Actuator interface {
	// Name is the actuator's unique name, also the name of its actions.
	Name() string
	// Group is the actuator's family; actuators of one group share models.
	Group() string
	NextState(ctx context.Context, req *NextStateRequest) (*NextStateResponse, error)
	Perform(ctx context.Context, req *PerformRequest) (*PerformResponse, error)
	Effect(ctx context.Context, req *EffectRequest) (*EffectResponse, error)
}

// Native adapts in-process actuator logic to Actuator. A call returns ctx's
// error without calling the logic once ctx is done.
func Native(logic actuator.Interface) Actuator {
	return &native{logic: logic, info: logic.Info()}
}

type native struct {
	logic actuator.Interface
	info  actuator.Info
}

var _ Actuator = (*native)(nil)

func (n *native) Name() string  { return n.info.Name }
func (n *native) Group() string { return n.info.Group }

func (n *native) NextState(ctx context.Context, req *NextStateRequest) (*NextStateResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return n.logic.NextState(req)
}

func (n *native) Perform(ctx context.Context, req *PerformRequest) (*PerformResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return n.logic.Perform(req)
}

func (n *native) Effect(ctx context.Context, req *EffectRequest) (*EffectResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return n.logic.Effect(req)
}
