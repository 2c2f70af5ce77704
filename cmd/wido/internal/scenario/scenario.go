// Package scenario reads the scenario files of `wido plan`: an intent, its
// profiles, the current state, models, actuators and planner budgets, in
// YAML or JSON. It decodes strictly (unknown fields and duplicate keys are
// errors) and turns a scenario into a planner.Problem.
package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/wido-dev/wido/planner"
)

// MaxSize is the largest scenario file Decode accepts.
const MaxSize = 8 << 20

// Scenario is one offline planning question.
type Scenario struct {
	Intent    Intent                                 `json:"intent"`
	Profiles  map[string]Profile                     `json:"profiles"`
	Current   Current                                `json:"current"`
	Models    map[string]map[string]map[string]Param `json:"models,omitempty"`
	Actuators []Actuator                             `json:"actuators,omitempty"`
	Planner   Planner                                `json:"planner,omitempty"`
}

// Intent is the intent being planned for.
type Intent struct {
	Key        string             `json:"key"`
	Priority   float64            `json:"priority"`
	TargetKey  string             `json:"targetKey"`
	TargetKind string             `json:"targetKind"`
	Objectives map[string]float64 `json:"objectives"`
	Tolerances map[string]float64 `json:"tolerances,omitempty"`
}

// Profile is a KPI profile.
type Profile struct {
	Type     string `json:"type"`
	Minimize bool   `json:"minimize,omitempty"`
}

// Current is the current state. An objective whose value is null is unknown.
type Current struct {
	Objectives  map[string]*float64           `json:"objectives"`
	Pods        map[string]Pod                `json:"pods,omitempty"`
	Resources   map[string]int64              `json:"resources,omitempty"`
	Annotations map[string]string             `json:"annotations,omitempty"`
	Data        map[string]map[string]float64 `json:"data,omitempty"`
}

// Pod is one pod of the current state.
type Pod struct {
	Availability float64 `json:"availability"`
	NodeName     string  `json:"nodeName,omitempty"`
	State        string  `json:"state,omitempty"`
	QoSClass     string  `json:"qosClass,omitempty"`
}

// Actuator selects an actuator and configures it.
type Actuator struct {
	Name   string          `json:"name"`
	Config json.RawMessage `json:"config,omitempty"`
}

// Planner holds the planner's budgets; zero values take the defaults.
type Planner struct {
	MaxStates               int      `json:"maxStates,omitempty"`
	MaxCandidates           int      `json:"maxCandidates,omitempty"`
	Timeout                 Duration `json:"timeout,omitempty"`
	OpportunisticCandidates int      `json:"opportunisticCandidates,omitempty"`
}

// Duration is a time.Duration written as "500ms" or "2s".
type Duration struct{ time.Duration }

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"500ms\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// Param is one model parameter: a number, a list of numbers, or a list of
// equally long lists (a matrix, stored row major).
type Param []float64

// UnmarshalJSON implements json.Unmarshaler.
func (p *Param) UnmarshalJSON(b []byte) error {
	var scalar float64
	if err := json.Unmarshal(b, &scalar); err == nil {
		*p = Param{scalar}
		return nil
	}
	var vector []float64
	if err := json.Unmarshal(b, &vector); err == nil {
		*p = vector
		return nil
	}
	var matrix [][]float64
	if err := json.Unmarshal(b, &matrix); err != nil {
		return errors.New("model parameter must be a number, a list of numbers or a list of lists of numbers")
	}
	for _, row := range matrix {
		if len(row) != len(matrix[0]) {
			return errors.New("model parameter rows must have the same length")
		}
		*p = append(*p, row...)
	}
	return nil
}

// Decode reads a scenario from YAML or JSON.
//
// # Errors
//
// Input over MaxSize, input that is neither YAML nor JSON, a field of the
// wrong type, an unknown field, a duplicate key, and every check of
// Validate.
func Decode(data []byte) (*Scenario, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("scenario: %d bytes is more than the %d allowed", len(data), MaxSize)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("scenario: empty input")
	}
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		if strings.Contains(err.Error(), "unsupported value") {
			return nil, fmt.Errorf("scenario: NaN and infinite numbers are not allowed; write null for an unknown objective: %w", err)
		}
		return nil, fmt.Errorf("scenario: not valid YAML or JSON: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	var s Scenario
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Validate checks what the planner does not: names and kinds of the file's
// own sections. The planner checks the problem itself (see
// planner.Problem.Validate).
func (s *Scenario) Validate() error {
	if len(s.Intent.Objectives) == 0 {
		return errors.New("scenario: intent.objectives is empty; an intent needs at least one objective")
	}
	if len(s.Profiles) == 0 {
		return errors.New("scenario: profiles is empty")
	}
	for key, p := range s.Profiles {
		if !planner.ProfileType(strings.ToLower(p.Type)).Valid() {
			return fmt.Errorf("scenario: profile %q has unknown type %q (want latency, throughput, availability or power)", key, p.Type)
		}
	}
	seen := map[string]bool{}
	for i, a := range s.Actuators {
		if a.Name == "" {
			return fmt.Errorf("scenario: actuators[%d] has no name", i)
		}
		if seen[a.Name] {
			return fmt.Errorf("scenario: actuator %q is listed twice", a.Name)
		}
		seen[a.Name] = true
	}
	if s.Planner.MaxStates < 0 || s.Planner.MaxCandidates < 0 || s.Planner.OpportunisticCandidates < 0 || s.Planner.Timeout.Duration < 0 {
		return errors.New("scenario: planner budgets must not be negative")
	}
	return nil
}

// Problem turns the scenario into the planner's input. The current state
// carries the intent's key, priority and target; null objectives are left
// out (unknown).
func (s *Scenario) Problem() *planner.Problem {
	intent := planner.Intent{
		Key: s.Intent.Key, Priority: s.Intent.Priority, TargetKey: s.Intent.TargetKey, TargetKind: s.Intent.TargetKind,
	}
	goal := intent
	goal.Objectives = s.Intent.Objectives
	goal.Tolerances = s.Intent.Tolerances
	current := intent
	current.Objectives = map[string]float64{}
	for k, v := range s.Current.Objectives {
		if v != nil {
			current.Objectives[k] = *v
		}
	}
	pods := make(map[string]planner.PodState, len(s.Current.Pods))
	for name, p := range s.Current.Pods {
		pods[name] = planner.PodState{Availability: p.Availability, NodeName: p.NodeName, State: p.State, QoSClass: p.QoSClass}
	}
	profiles := make(map[string]planner.Profile, len(s.Profiles))
	for k, p := range s.Profiles {
		profiles[k] = planner.Profile{Type: planner.ProfileType(strings.ToLower(p.Type)), Minimize: p.Minimize}
	}
	models := map[string]planner.Models{}
	for name, byObjective := range s.Models {
		models[name] = planner.Models{}
		for objective, params := range byObjective {
			m := planner.Model{}
			for k, v := range params {
				m[k] = []float64(v)
			}
			models[name][objective] = m
		}
	}
	return &planner.Problem{
		Current:  planner.State{Intent: current, Pods: pods, Resources: s.Current.Resources, Annotations: s.Current.Annotations, Data: s.Current.Data},
		Goal:     planner.State{Intent: goal},
		Profiles: profiles,
		Models:   models,
	}
}

// Config returns the planner configuration: the defaults overridden by the
// scenario's non-zero budgets.
func (s *Scenario) Config() planner.Config {
	cfg := planner.NewConfig()
	if s.Planner.MaxStates > 0 {
		cfg = cfg.WithMaxStates(s.Planner.MaxStates)
	}
	if s.Planner.MaxCandidates > 0 {
		cfg = cfg.WithMaxCandidates(s.Planner.MaxCandidates)
	}
	if s.Planner.Timeout.Duration > 0 {
		cfg = cfg.WithTimeout(s.Planner.Timeout.Duration)
	}
	return cfg.WithOpportunisticCandidates(s.Planner.OpportunisticCandidates)
}

// ModelNames returns the actuator names the models are given for, sorted.
func (s *Scenario) ModelNames() []string {
	names := make([]string, 0, len(s.Models))
	for n := range s.Models {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
