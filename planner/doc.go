// Package planner finds the cheapest sequence of actions that takes an
// intent's workload from its current state to one that meets its goal.
//
// It owns the search: an A* over the states that actuators propose, with
// lazy expansion, hashed deduplication, a state budget, a wall-clock budget,
// IDO's zero-cost "done" edges and already-satisfied shortcut, optional
// opportunistic planning, and an Explanation with every plan. It also owns
// the Actuator interface the search calls, and Native, which adapts
// in-process actuator logic to it.
//
// It does not own the state model (the types here are aliases of
// abi/actuator, the contract shared with actuators), telemetry, or
// performing a plan: the operator gathers the state and applies what
// actuators' Perform return. planner never imports Kubernetes, wazero or
// gRPC.
package planner
