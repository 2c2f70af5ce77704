package intent

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/wido-dev/wido/abi/actuator"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/telemetry"
)

// Measurer runs a KPI query; *telemetry.Prometheus is one.
type Measurer interface {
	Measure(ctx context.Context, endpoint, query string) (telemetry.Measurement, error)
}

var _ Measurer = (*telemetry.Prometheus)(nil)

// Measured is one objective's measurement: a value, or why there is none.
type Measured struct {
	Name  string
	Value float64
	Known bool
	Time  time.Time
	// Reason and Message say why the value is unknown.
	Reason, Message string
}

// Workload is what the reconciler read of the Intent's target.
type Workload struct {
	Kind, Namespace, Name string
	Pods                  []corev1.Pod
	// Containers of the pod template, for their CPU requests and limits.
	Containers []corev1.Container
}

// measure measures every objective of the Intent. A missing KPIProfile, a
// failed query or an unusable answer makes that objective unknown, with
// the reason; it never becomes a number.
func measure(ctx context.Context, m Measurer, in *widov1.Intent, profiles map[string]*widov1.KPIProfile, w Workload, now time.Time) []Measured {
	out := make([]Measured, 0, len(in.Spec.Objectives))
	for _, o := range in.Spec.Objectives {
		r := Measured{Name: o.Name}
		p, ok := profiles[o.MeasuredBy]
		switch {
		case !ok:
			r.Reason, r.Message = "ProfileMissing", fmt.Sprintf("KPIProfile %q not found in namespace %s", o.MeasuredBy, in.Namespace)
		case p.Spec.Type == widov1.Availability && p.Spec.Query == "":
			r.Value, r.Known, r.Time = telemetry.Availability(w.Pods, now), true, now
		default:
			q, err := telemetry.RenderQuery(p.Spec.Query, telemetry.Target{Namespace: w.Namespace, Name: w.Name, Kind: w.Kind})
			if err != nil {
				r.Reason, r.Message = "InvalidTemplate", err.Error()
				break
			}
			v, err := m.Measure(ctx, p.Spec.Endpoint, q)
			if err != nil {
				r.Reason, r.Message = string(telemetry.ReasonOf(err)), fmt.Sprintf("KPIProfile %s: %v", p.Name, err)
				break
			}
			r.Value, r.Known, r.Time = v.Value, true, v.Time
		}
		out = append(out, r)
	}
	return out
}

// profileOf turns a KPIProfile into the planner's profile. Minimize
// defaults to true for latency and power.
func profileOf(p *widov1.KPIProfile) actuator.Profile {
	var t actuator.ProfileType
	switch p.Spec.Type {
	case widov1.Latency:
		t = actuator.Latency
	case widov1.Throughput:
		t = actuator.Throughput
	case widov1.Availability:
		t = actuator.Availability
	case widov1.Power:
		t = actuator.Power
	}
	minimize := t == actuator.Latency || t == actuator.Power
	if p.Spec.Minimize != nil {
		minimize = *p.Spec.Minimize
	}
	return actuator.Profile{Type: t, Minimize: minimize}
}

// problem assembles the planner's current state, goal and profiles. Keys
// are objective names; an unknown objective is absent from the current
// state, never zero.
func problem(in *widov1.Intent, profiles map[string]*widov1.KPIProfile, w Workload, ms []Measured, now time.Time) (current, goal actuator.State, profs map[string]actuator.Profile) {
	key := in.Namespace + "/" + in.Name
	target := w.Namespace + "/" + w.Name
	current.Intent = actuator.Intent{Key: key, Priority: in.Spec.Priority, TargetKey: target, TargetKind: w.Kind, Objectives: map[string]float64{}}
	goal.Intent = actuator.Intent{Key: key, Priority: in.Spec.Priority, TargetKey: target, TargetKind: w.Kind,
		Objectives: map[string]float64{}, Tolerances: map[string]float64{}}
	profs = map[string]actuator.Profile{}
	for _, o := range in.Spec.Objectives {
		goal.Intent.Objectives[o.Name] = o.Value
		if o.Tolerance > 0 {
			goal.Intent.Tolerances[o.Name] = o.Tolerance
		}
		if p, ok := profiles[o.MeasuredBy]; ok {
			profs[o.Name] = profileOf(p)
		}
	}
	for _, m := range ms {
		if m.Known {
			current.Intent.Objectives[m.Name] = m.Value
		}
	}
	current.Pods = map[string]actuator.PodState{}
	for i := range w.Pods {
		p := &w.Pods[i]
		if p.DeletionTimestamp != nil {
			continue
		}
		current.Pods[p.Name] = actuator.PodState{
			Availability: telemetry.PodAvailability(p, now),
			NodeName:     p.Spec.NodeName,
			State:        string(p.Status.Phase),
			QoSClass:     string(p.Status.QOSClass),
		}
	}
	current.Resources = map[string]int64{}
	for _, c := range w.Containers {
		for name, list := range map[string]corev1.ResourceList{"requests": c.Resources.Requests, "limits": c.Resources.Limits} {
			if q, ok := list[corev1.ResourceCPU]; ok {
				current.Resources[c.Name+"_cpu_"+name] = q.MilliValue()
			}
			if q, ok := list[corev1.ResourceMemory]; ok {
				current.Resources[c.Name+"_memory_"+name] = q.MilliValue()
			}
		}
	}
	current.Annotations = map[string]string{}
	return current, goal, profs
}
