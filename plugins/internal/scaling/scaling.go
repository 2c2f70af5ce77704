// Package scaling holds what the shipped scaling actuators share: IDO's
// horizontal scaling model, pod-set availability, and small helpers over the
// state model.
package scaling

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/wido-dev/wido/abi/actuator"
)

// Names of the horizontal scaling actuators and their actions (IDO's).
const (
	ScaleOutName = "scaleOut"
	RmPodName    = "rmPod"
)

// GroupName is the group of the horizontal scaling actuators (IDO's name).
const GroupName = "scaling"

// DummyPodPrefix starts the names of the pods a scale-out adds to a planned
// state. Such pods are not Running, so rmPod never proposes to remove them.
const DummyPodPrefix = "dummy@"

// OutModel is IDO's horizontal scaling model for one latency objective:
//
//	latency(n) = p0·e^(p1·x) / (p2·e^(p3·x·n)),  x = throughput·s0 + s1
//
// for n pods. Its parameters are stored in an actuator.Model as "popt" (4
// values), "throughputScale" (2), "throughputRange" (2) and "replicaRange"
// (2), the fields of IDO's ScaleOutEffect, so models trained for IDO carry
// over.
type OutModel struct {
	Popt            [4]float64
	ThroughputScale [2]float64
	// ThroughputRange is the throughput seen in training. Like IDO, the
	// prediction does not use it; it is kept so a model round-trips.
	ThroughputRange [2]float64
	// ReplicaRange is the pod count seen in training; scale-out never plans
	// beyond ReplicaRange[1].
	ReplicaRange [2]float64
}

// ParseOutModel reads an OutModel from m.
//
// # Errors
//
// A missing or wrongly sized vector, a non-finite value, or p2 = 0.
func ParseOutModel(m actuator.Model) (OutModel, error) {
	var out OutModel
	if err := vector(m, "popt", out.Popt[:]); err != nil {
		return out, err
	}
	if err := vector(m, "throughputScale", out.ThroughputScale[:]); err != nil {
		return out, err
	}
	if err := vector(m, "throughputRange", out.ThroughputRange[:]); err != nil {
		return out, err
	}
	if err := vector(m, "replicaRange", out.ReplicaRange[:]); err != nil {
		return out, err
	}
	if out.Popt[2] == 0 {
		return out, errors.New("scaling model: popt[2] must not be 0")
	}
	return out, nil
}

func vector(m actuator.Model, name string, dst []float64) error {
	v, ok := m[name]
	if !ok {
		return errors.New("scaling model: missing " + name)
	}
	if len(v) != len(dst) {
		return errors.New("scaling model: " + name + " needs " + strconv.Itoa(len(dst)) + " values, has " + strconv.Itoa(len(v)))
	}
	for _, x := range v {
		if !actuator.Known(x) {
			return errors.New("scaling model: " + name + " has a value that is not finite")
		}
	}
	copy(dst, v)
	return nil
}

// PredictLatency predicts the latency with pods pods at the given (unscaled)
// throughput. Like IDO it predicts 0 when the scaled throughput is 0 or there
// are no pods.
func (m OutModel) PredictLatency(throughput float64, pods int) float64 {
	x := throughput*m.ThroughputScale[0] + m.ThroughputScale[1]
	if pods == 0 || x == 0 {
		return 0
	}
	return m.Popt[0] * math.Exp(m.Popt[1]*x) / (m.Popt[2] * math.Exp(m.Popt[3]*x*float64(pods)))
}

// MaxReplicas is the largest pod count the model was trained for.
func (m OutModel) MaxReplicas() int {
	return int(m.ReplicaRange[1])
}

// Availability of a set of pods: 1 − Π(1 − a_i), the probability that at
// least one pod is available. The product runs in pod-name order so that the
// same set always gives the same bits. An empty set has availability 0.
func Availability(pods map[string]actuator.PodState) float64 {
	if len(pods) == 0 {
		return 0
	}
	unavailable := 1.0
	for _, name := range sortedNames(pods) {
		unavailable *= 1 - pods[name].Availability
	}
	return 1 - unavailable
}

// MeanAvailability is the mean availability of the pods, 0 for none.
func MeanAvailability(pods map[string]actuator.PodState) float64 {
	if len(pods) == 0 {
		return 0
	}
	sum := 0.0
	for _, name := range sortedNames(pods) {
		sum += pods[name].Availability
	}
	return sum / float64(len(pods))
}

// ObjectivesOf returns the keys of the intent's objectives whose profile has
// type t, in key order.
func ObjectivesOf(intent *actuator.Intent, profiles map[string]actuator.Profile, t actuator.ProfileType) []string {
	var out []string
	for k := range intent.Objectives {
		if p, ok := profiles[k]; ok && p.Type == t {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Inputs is what the horizontal scaling model needs from a state: the
// throughput, and the latency and availability objectives it predicts, each
// latency objective with its model (at the same index).
type Inputs struct {
	Throughput     float64
	Latencies      []string
	Models         []OutModel
	Availabilities []string
}

// ReadInputs reads the Inputs from a request. It reports false when the
// intent has no throughput objective, the throughput is unknown, or a latency
// objective has no usable model: then nothing can be predicted.
func ReadInputs(req *actuator.NextStateRequest) (Inputs, bool) {
	intent := &req.State.Intent
	throughputs := ObjectivesOf(intent, req.Profiles, actuator.Throughput)
	if len(throughputs) == 0 {
		return Inputs{}, false
	}
	in := Inputs{
		Throughput:     intent.Objectives[throughputs[0]],
		Latencies:      ObjectivesOf(intent, req.Profiles, actuator.Latency),
		Availabilities: ObjectivesOf(intent, req.Profiles, actuator.Availability),
	}
	if !actuator.Known(in.Throughput) {
		return Inputs{}, false
	}
	in.Models = make([]OutModel, len(in.Latencies))
	for i, k := range in.Latencies {
		m, err := ParseOutModel(req.Models[k])
		if err != nil {
			return Inputs{}, false
		}
		in.Models[i] = m
	}
	return in, true
}

// IsDummy reports whether a pod was added by a planned scale-out.
func IsDummy(name string) bool {
	return strings.HasPrefix(name, DummyPodPrefix)
}

// DummyName returns a name for the n-th pod of a planned state that is not in
// pods yet. Naming by pod count makes the states reached by different paths
// equal, so the planner can deduplicate them.
func DummyName(pods map[string]actuator.PodState, n int) string {
	for {
		name := DummyPodPrefix + strconv.Itoa(n)
		if _, taken := pods[name]; !taken {
			return name
		}
		n++
	}
}

func sortedNames(pods map[string]actuator.PodState) []string {
	names := make([]string, 0, len(pods))
	for name := range pods {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
