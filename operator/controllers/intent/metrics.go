package intent

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the controller's Prometheus metrics. Create them with
// NewMetrics and register them once (the operator registers them with
// controller-runtime's registry, next to its own).
type Metrics struct {
	PlanDuration    prometheus.Histogram
	Plans           *prometheus.CounterVec // by stop reason
	Actions         *prometheus.CounterVec // by actuator and result
	GuardBlocks     *prometheus.CounterVec // by guard
	ActuatorErrors  *prometheus.CounterVec // by actuator
	Objective       *prometheus.GaugeVec   // by namespace, intent, objective
	ObjectiveMet    *prometheus.GaugeVec   // 1 met, 0 not met or unknown
	UnknownMeasures *prometheus.CounterVec // by reason
}

// NewMetrics creates the metrics and registers them with reg.
//
// # Errors
//
// A metric already registered with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		PlanDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "wido_plan_duration_seconds",
			Help: "Time to plan one Intent.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}),
		Plans: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wido_plans_total",
			Help: "Plans made, by why the search stopped."}, []string{"stopped"}),
		Actions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wido_actions_total",
			Help: "Planned actions, by actuator and result (performed, blocked, failed, recommended)."}, []string{"actuator", "result"}),
		GuardBlocks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wido_guard_blocks_total",
			Help: "Plans stopped by a guard, by guard."}, []string{"guard"}),
		ActuatorErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wido_actuator_errors_total",
			Help: "Actuator calls that failed while planning, by actuator."}, []string{"actuator"}),
		Objective: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "wido_objective_value",
			Help: "Last measured value of an Intent's objective (absent when unknown)."}, []string{"namespace", "intent", "objective"}),
		ObjectiveMet: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "wido_objective_met",
			Help: "1 when an Intent's objective is met, else 0 (also when unknown)."}, []string{"namespace", "intent", "objective"}),
		UnknownMeasures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wido_unknown_measurements_total",
			Help: "Objectives that could not be measured, by reason."}, []string{"reason"}),
	}
	for _, c := range []prometheus.Collector{m.PlanDuration, m.Plans, m.Actions, m.GuardBlocks, m.ActuatorErrors, m.Objective, m.ObjectiveMet, m.UnknownMeasures} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
