// Package scalecpu is the scaleCPU actuator: vertical scaling of a
// container's CPU, guided by IDO's CPU model. Its action is
// scaleCPU{value: MILLICORES}.
//
// The model for a latency objective is a list of rows (p0, p1, p2), stored
// row major as "popt" in an actuator.Model:
//
//	latency(cpu) = p0·e^(−p1·cpu/1000) + p2
//
// so the CPU that reaches a latency L is cpu = −(1/p1)·ln((L − p2)/p0)·1000.
//
// Where it differs from IDO's scaleCPU, and why:
//   - The new value is capped at CPUMax (IDO uses cpu_max only in the
//     utility and can propose more).
//   - A model row is used only when the safeguarded target L is above p2;
//     IDO checks the goal itself and takes the logarithm of a negative number
//     when goal·safeguard < p2 < goal.
//   - Each latency objective's predicted value is its own model's prediction
//     at the new CPU; IDO writes one objective's target into every latency
//     objective.
//   - Without a boost factor (no limit set) pods are Burstable, not
//     BestEffort: they have a CPU request.
//   - Containers are named; with several containers and no Container
//     configured, the one with the highest numeric name is used when all names
//     are numbers (IDO's "last container"), otherwise NextState fails and says
//     which containers there are.
//   - No proactive mode.
package scalecpu

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/plugins/internal/scaling"
	"github.com/wido-dev/wido/plugins/internal/settings"
)

// Name is the actuator's name and the name of its action.
const Name = "scaleCPU"

// GroupName is the group of vertical scaling actuators (IDO's name).
const GroupName = "vertical_scaling"

// Version of this actuator's logic.
const Version = "0.1.0"

// ValueProperty is the integer property of a scaleCPU action: millicores.
const ValueProperty = "value"

// Defaults (IDO's).
const (
	DefaultCPUMax          = 4000
	DefaultCPURounding     = 100
	DefaultSafeguardFactor = 0.95
	DefaultBoostFactor     = 1.0
)

// Config configures the actuator. Build reads it from text values under
// the key given with each field.
type Config struct {
	// CPUMax (key cpu_max) is the most millicores it proposes. Default 4000.
	CPUMax int64
	// CPURounding (key cpu_rounding) rounds proposals up to a multiple of it, always adding
	// one step (⌊cpu/r⌋·r + r, IDO's rounding). Default 100.
	CPURounding int64
	// SafeguardFactor (key cpu_safeguard_factor) scales the latency target before solving for CPU.
	// Default 0.95.
	SafeguardFactor float64
	// BoostFactor (key boost_factor) sets the limit to request·BoostFactor when ≥ 1 (1 gives
	// Guaranteed pods); below 1 no limit is set. Default 1.
	BoostFactor float64
	// Container (key container) whose CPU is scaled. Empty: the only container in the
	// state's resources (see the package doc for several).
	Container string
}

// DefaultConfig returns the configuration used when none is given.
func DefaultConfig() Config {
	return Config{
		CPUMax:          DefaultCPUMax,
		CPURounding:     DefaultCPURounding,
		SafeguardFactor: DefaultSafeguardFactor,
		BoostFactor:     DefaultBoostFactor,
	}
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
	err := settings.Apply(config,
		settings.Int64("cpu_max", &cfg.CPUMax),
		settings.Int64("cpu_rounding", &cfg.CPURounding),
		settings.Float("cpu_safeguard_factor", &cfg.SafeguardFactor),
		settings.Float("boost_factor", &cfg.BoostFactor),
		settings.String("container", &cfg.Container))
	if err != nil {
		return nil, errors.New(Name + ": " + err.Error())
	}
	a, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Actuator is the scaleCPU logic. It is immutable and goroutine-safe.
type Actuator struct {
	cfg Config
}

var _ actuator.Interface = (*Actuator)(nil)

// New returns the actuator.
//
// # Errors
//
// A CPUMax or CPURounding below 1, a SafeguardFactor outside (0, 1], a
// BoostFactor that is negative or not finite, a Container with "_".
func New(cfg Config) (*Actuator, error) {
	switch {
	case cfg.CPUMax < 1:
		return nil, errors.New("scaleCPU: cpu_max must be at least 1 millicore")
	case cfg.CPURounding < 1:
		return nil, errors.New("scaleCPU: cpu_rounding must be at least 1 millicore")
	case !(cfg.SafeguardFactor > 0 && cfg.SafeguardFactor <= 1):
		return nil, errors.New("scaleCPU: cpu_safeguard_factor must be in (0, 1]")
	case !actuator.Known(cfg.BoostFactor) || cfg.BoostFactor < 0:
		return nil, errors.New("scaleCPU: boost_factor must be a finite number >= 0")
	case strings.Contains(cfg.Container, "_"):
		return nil, errors.New("scaleCPU: container name must not contain '_'")
	}
	return &Actuator{cfg: cfg}, nil
}

// Info implements actuator.Interface.
func (a *Actuator) Info() actuator.Info {
	return actuator.Info{Name: Name, Group: GroupName, Version: Version}
}

// NextState proposes, for each latency objective, the CPU value that its
// model predicts reaches goal·SafeguardFactor, rounded up and capped at
// CPUMax, when that differs from the current value (the limit, or the
// request when it is larger). The utility is value/CPUMax, times 1/priority
// when it raises the CPU. It runs once per plan: a state it produced carries
// Data["scaleCPU"] and is not expanded again by it.
//
// It proposes nothing for a state without pods or when a latency objective
// has no usable model.
//
// # Errors
//
// Several containers in the state's resources and none configured.
func (a *Actuator) NextState(req *actuator.NextStateRequest) (*actuator.NextStateResponse, error) {
	state, goal, profiles := &req.State, &req.Goal, req.Profiles
	resp := &actuator.NextStateResponse{}
	if _, done := state.Data[Name]; done || len(state.Pods) == 0 {
		return resp, nil
	}
	container, err := a.container(state.Resources)
	if err != nil {
		return nil, err
	}
	current := currentCPU(state.Resources, container)
	latencies := scaling.ObjectivesOf(&state.Intent, profiles, actuator.Latency)
	models := make([][][3]float64, len(latencies))
	for i, k := range latencies {
		rows, err := parseRows(req.Models[k])
		if err != nil {
			return resp, nil
		}
		models[i] = rows
	}

	for i, k := range latencies {
		target := goal.Intent.Objectives[k]
		if !actuator.Known(target) {
			continue
		}
		value := a.solve(models[i], target*a.cfg.SafeguardFactor)
		if value <= 0 || value == current {
			continue
		}
		next := state.DeepCopy()
		for j, other := range latencies {
			if latency, ok := predict(models[j], value); ok {
				next.Intent.Objectives[other] = latency
			}
		}
		for name, pod := range next.Pods {
			pod.QoSClass = "Burstable"
			if a.cfg.BoostFactor == 1 {
				pod.QoSClass = "Guaranteed"
			}
			next.Pods[name] = pod
		}
		if next.Resources == nil {
			next.Resources = map[string]int64{}
		}
		next.Resources[container+"_cpu_requests"] = value
		if a.cfg.BoostFactor >= 1 {
			next.Resources[container+"_cpu_limits"] = int64(float64(value) * a.cfg.BoostFactor)
		}
		if next.Data == nil {
			next.Data = map[string]map[string]float64{}
		}
		next.Data[Name] = map[string]float64{Name: 1}
		utility := float64(value) / float64(a.cfg.CPUMax)
		if value > current {
			utility *= 1 / goal.Intent.Priority
		}
		resp.States = append(resp.States, next)
		resp.Utilities = append(resp.Utilities, utility)
		resp.Actions = append(resp.Actions, actuator.Action{
			Name:       Name,
			Properties: actuator.Properties{Int: map[string]int64{ValueProperty: value}},
		})
	}
	return resp, nil
}

// solve returns the rounded, capped CPU of the first model row that can reach
// latency, or 0 when none can.
func (a *Actuator) solve(rows [][3]float64, latency float64) int64 {
	for _, p := range rows {
		if latency <= p[2] || p[0] <= 0 || p[1] == 0 {
			continue
		}
		cpu := -(1 / p[1]) * math.Log((latency-p[2])/p[0]) * 1000
		if !(cpu > 0) || cpu > float64(math.MaxInt32) {
			continue
		}
		value := int64(cpu)
		value = (value/a.cfg.CPURounding)*a.cfg.CPURounding + a.cfg.CPURounding
		return min(value, a.cfg.CPUMax)
	}
	return 0
}

// predict returns the latency at cpu millicores by the first usable row.
func predict(rows [][3]float64, cpu int64) (float64, bool) {
	for _, p := range rows {
		if p[0] > 0 && p[1] != 0 {
			return p[0]*math.Exp(-p[1]*float64(cpu)/1000) + p[2], true
		}
	}
	return 0, false
}

// parseRows reads the model's "popt" as rows of three.
func parseRows(m actuator.Model) ([][3]float64, error) {
	flat, ok := m["popt"]
	if !ok || len(flat) == 0 || len(flat)%3 != 0 {
		return nil, errors.New("scaleCPU model: popt needs rows of 3 values")
	}
	rows := make([][3]float64, len(flat)/3)
	for i, v := range flat {
		if !actuator.Known(v) {
			return nil, errors.New("scaleCPU model: popt has a value that is not finite")
		}
		rows[i/3][i%3] = v
	}
	return rows, nil
}

// container picks the container whose CPU is scaled.
func (a *Actuator) container(resources map[string]int64) (string, error) {
	if a.cfg.Container != "" {
		return a.cfg.Container, nil
	}
	seen := map[string]bool{}
	for key := range resources {
		if c, res, _, ok := splitKey(key); ok && res == "cpu" {
			seen[c] = true
		}
	}
	names := make([]string, 0, len(seen))
	for c := range seen {
		names = append(names, c)
	}
	switch len(names) {
	case 0:
		// No CPU set yet: IDO's container index 0.
		return "0", nil
	case 1:
		return names[0], nil
	}
	best, bestIndex := "", -1
	for _, c := range names {
		i, err := strconv.Atoi(c)
		if err != nil {
			sort.Strings(names)
			return "", errors.New("scaleCPU: the target has several containers (" + strings.Join(names, ", ") + "); set the container to scale in the actuator's config")
		}
		if i > bestIndex {
			best, bestIndex = c, i
		}
	}
	return best, nil
}

// currentCPU is the container's CPU limit, or its request when larger.
func currentCPU(resources map[string]int64, container string) int64 {
	request := resources[container+"_cpu_requests"]
	limit := resources[container+"_cpu_limits"]
	return max(request, limit)
}

func splitKey(key string) (container, resource, kind string, ok bool) {
	parts := strings.Split(key, "_")
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// Perform turns the plan's first scaleCPU action into a SetCPU operation
// (IDO applies only the first one too). The container is the configured one,
// or the one NextState would pick from the state's resources.
//
// # Errors
//
// A scaleCPU action without a positive value, or no container to pick.
func (a *Actuator) Perform(req *actuator.PerformRequest) (*actuator.PerformResponse, error) {
	for _, action := range req.Plan {
		if action.Name != Name {
			continue
		}
		value, ok := action.Properties.Int[ValueProperty]
		if !ok || value < 1 {
			return nil, errors.New("scaleCPU: action needs a positive integer property value")
		}
		container, err := a.container(req.State.Resources)
		if err != nil {
			return nil, err
		}
		op := actuator.Operation{Kind: actuator.SetCPU, Container: container, CPURequest: value}
		if a.cfg.BoostFactor >= 1 {
			op.CPULimit = int64(float64(value) * a.cfg.BoostFactor)
		}
		return &actuator.PerformResponse{Operations: []actuator.Operation{op}}, nil
	}
	return &actuator.PerformResponse{}, nil
}

// Effect returns no new model: fitting the CPU model from observations
// arrives with wido's learning loop.
func (a *Actuator) Effect(*actuator.EffectRequest) (*actuator.EffectResponse, error) {
	return &actuator.EffectResponse{}, nil
}
