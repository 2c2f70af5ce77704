// Package telemetry measures an Intent's objectives: it renders a
// KPIProfile's query for the Intent's target, runs it against Prometheus's
// HTTP API and turns the answer into a value — or into an *Unknown* error
// saying why there is none — and computes availability from pod restarts.
//
// A measurement is never a guess: a failed, timed-out, empty, NaN,
// infinite, ambiguous (several series) or stale answer is an error, so the
// operator holds the Intent instead of acting on it (IDO turns a failed
// query into −1, which reads as "latency goal met").
//
// It does not decide what to do with a missing value; the reconciler does.
package telemetry
