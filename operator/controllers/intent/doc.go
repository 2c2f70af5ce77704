// Package intent is the Intent controller: for every Intent it reads the
// target workload and its pods, measures each objective through its
// KPIProfile (Prometheus, or pod restarts for availability), plans with the
// actuators, and — in Enforce mode, through operator/actuation's guards —
// performs the plan; status and Events say what it saw and did and why.
// An objective it cannot measure is unknown, never a number.
package intent
