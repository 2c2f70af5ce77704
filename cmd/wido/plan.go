package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/cmd/wido/internal/scenario"
	"github.com/wido-dev/wido/planner"
)

func runPlan(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wido plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("f", "", "scenario file, YAML or JSON (- for standard input)")
	output := fs.String("o", "text", "output format: text or json")
	opts := actuatorOptions{}
	fs.BoolVar(&opts.native, "native", false, "run the shipped actuators in-process instead of as Wasm modules")
	fs.StringVar(&opts.pluginsDir, "plugins-dir", defaultPluginsDir(), "directory of the shipped actuator modules (<name>.wasm); default $"+pluginsDirEnv+" or plugins/ next to the wido binary")
	fs.Func("actuator", "add the actuator module `PATH.wasm` (repeatable); the scenario may configure it by its name", func(path string) error {
		opts.modules = append(opts.modules, path)
		return nil
	})
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: wido plan -f SCENARIO [-o text|json] [--native] [--actuator PATH.wasm]...\n\nPlans offline: reads a scenario (intent, profiles, current state, models,\nactuators, planner budgets) and prints the plan wido would perform and why.\nThe shipped actuators run as Wasm modules, as in the operator, unless\n--native is given.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *file == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *output != "text" && *output != "json" {
		fmt.Fprintf(stderr, "wido plan: unknown output format %q (want text or json)\n", *output)
		return 2
	}
	data, err := readInput(*file, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "wido plan: %v\n", err)
		return 2
	}
	plan, problem, err := planScenario(ctx, data, opts)
	if err != nil {
		fmt.Fprintf(stderr, "wido plan: %s: %v\n", *file, err)
		if errors.Is(err, context.Canceled) {
			return 1
		}
		return 2
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(toJSON(plan)); err != nil {
			fmt.Fprintf(stderr, "wido plan: %v\n", err)
			return 1
		}
		return 0
	}
	printText(stdout, problem, plan)
	return 0
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, scenario.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return data, nil
}

// planScenario decodes a scenario, builds its actuators and plans.
func planScenario(ctx context.Context, data []byte, opts actuatorOptions) (*planner.Plan, *planner.Problem, error) {
	sc, err := scenario.Decode(data)
	if err != nil {
		return nil, nil, err
	}
	return planDecoded(ctx, sc, opts)
}

// planDecoded builds a decoded scenario's actuators and plans. It returns the
// problem it planned for, which the text output shows next to the plan.
func planDecoded(ctx context.Context, sc *scenario.Scenario, opts actuatorOptions) (*planner.Plan, *planner.Problem, error) {
	acts, err := buildActuators(ctx, sc, opts)
	if err != nil {
		return nil, nil, err
	}
	defer acts.Close(context.WithoutCancel(ctx))
	p, err := planner.NewPlanner(sc.Config(), acts.list...)
	if err != nil {
		return nil, nil, err
	}
	problem := sc.Problem()
	plan, err := p.CreatePlan(ctx, problem)
	if err != nil {
		return nil, nil, err
	}
	return plan, problem, nil
}

type jsonPlan struct {
	Plan    []jsonAction `json:"plan"`
	Explain jsonExplain  `json:"explain"`
}

type jsonAction struct {
	Name       string         `json:"name"`
	Properties map[string]any `json:"properties"`
}

type jsonExplain struct {
	Stopped              string                  `json:"stopped"`
	Opportunistic        bool                    `json:"opportunistic"`
	StatesExplored       int                     `json:"statesExplored"`
	StatesCreated        int                     `json:"statesCreated"`
	CandidatesConsidered int                     `json:"candidatesConsidered"`
	Cost                 float64                 `json:"cost"`
	ElapsedSeconds       float64                 `json:"elapsedSeconds"`
	Path                 []jsonStep              `json:"path"`
	Candidates           []jsonCandidate         `json:"candidates"`
	ActuatorErrors       []planner.ActuatorError `json:"actuatorErrors"`
}

type jsonStep struct {
	Actuator   string             `json:"actuator"`
	Action     jsonAction         `json:"action"`
	Utility    float64            `json:"utility"`
	State      int                `json:"state"`
	Objectives map[string]float64 `json:"objectives"`
}

type jsonCandidate struct {
	From      int        `json:"from"`
	To        int        `json:"to"`
	Actuator  string     `json:"actuator"`
	Action    jsonAction `json:"action"`
	Utility   float64    `json:"utility"`
	MeetsGoal bool       `json:"meetsGoal"`
}

func actionJSON(a actuator.Action) jsonAction {
	props := map[string]any{}
	for k, v := range a.Properties.Str {
		props[k] = v
	}
	for k, v := range a.Properties.Int {
		props[k] = v
	}
	return jsonAction{Name: a.Name, Properties: props}
}

func toJSON(plan *planner.Plan) jsonPlan {
	e := plan.Explanation
	out := jsonPlan{
		Plan: []jsonAction{},
		Explain: jsonExplain{
			Stopped: string(e.Stopped), Opportunistic: e.Opportunistic,
			StatesExplored: e.StatesExplored, StatesCreated: e.StatesCreated, CandidatesConsidered: e.CandidatesConsidered,
			Cost: e.Cost, ElapsedSeconds: e.Elapsed.Seconds(),
			Path: []jsonStep{}, Candidates: []jsonCandidate{}, ActuatorErrors: []planner.ActuatorError{},
		},
	}
	for _, a := range plan.Actions {
		out.Plan = append(out.Plan, actionJSON(a))
	}
	for _, s := range e.Path {
		out.Explain.Path = append(out.Explain.Path, jsonStep{Actuator: s.Actuator, Action: actionJSON(s.Action), Utility: s.Utility, State: s.State, Objectives: s.Objectives})
	}
	for _, c := range e.Candidates {
		out.Explain.Candidates = append(out.Explain.Candidates, jsonCandidate{From: c.From, To: c.To, Actuator: c.Actuator, Action: actionJSON(c.Action), Utility: c.Utility, MeetsGoal: c.MeetsGoal})
	}
	out.Explain.ActuatorErrors = append(out.Explain.ActuatorErrors, e.ActuatorErrors...)
	return out
}

// formatAction writes an action as IDO prints it: scaleOut{factor: 2}.
func formatAction(a actuator.Action) string {
	var parts []string
	for _, k := range sortedKeys(a.Properties.Int) {
		parts = append(parts, k+": "+strconv.FormatInt(a.Properties.Int[k], 10))
	}
	for _, k := range sortedKeys(a.Properties.Str) {
		parts = append(parts, k+": "+a.Properties.Str[k])
	}
	return a.Name + "{" + strings.Join(parts, ", ") + "}"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func stopText(r planner.StopReason) string {
	switch r {
	case planner.GoalReached:
		return "the plan reaches a state that meets every objective"
	case planner.AlreadySatisfied:
		return "the current state already meets every objective and no change is worth its cost"
	case planner.Unreachable:
		return "no state the actuators can reach meets every objective"
	case planner.StateBudgetExhausted:
		return "the state budget (maxStates) ran out before a plan was found"
	case planner.TimeBudgetExhausted:
		return "the time budget (timeout) ran out before a plan was found"
	}
	return "the search stopped"
}

func printText(w io.Writer, problem *planner.Problem, plan *planner.Plan) {
	e := plan.Explanation
	goal := problem.Goal.Intent
	fmt.Fprintf(w, "Intent %s on %s %s\n\n", orDash(goal.Key), orDash(goal.TargetKind), orDash(goal.TargetKey))
	if len(plan.Actions) == 0 {
		fmt.Fprintln(w, "Plan: nothing to do.")
	} else {
		fmt.Fprintf(w, "Plan: %d action(s)", len(plan.Actions))
		if e.Opportunistic {
			fmt.Fprint(w, " (opportunistic: the goal is out of reach; this gets closest)")
		}
		fmt.Fprintln(w)
		for i, s := range e.Path {
			fmt.Fprintf(w, "  %d. %s  (utility %.4g)\n     then: %s\n", i+1, formatAction(s.Action), s.Utility, objectivesText(s.Objectives, problem))
		}
	}
	fmt.Fprintf(w, "\nNow:  %s\n", objectivesText(problem.Current.Intent.Objectives, problem))
	fmt.Fprintf(w, "\nWhy: %s (%s).\n", stopText(e.Stopped), e.Stopped)
	fmt.Fprintf(w, "Search: %d states explored, %d created, %d candidates considered, cost %.4g, %v.\n",
		e.StatesExplored, e.StatesCreated, e.CandidatesConsidered, e.Cost, e.Elapsed.Round(1000))
	for _, ae := range e.ActuatorErrors {
		fmt.Fprintf(w, "Dropped actuator %s: %s\n", ae.Actuator, ae.Error)
	}
	if len(e.Candidates) > 0 {
		fmt.Fprintf(w, "\nCandidates (first %d of %d):\n", len(e.Candidates), e.CandidatesConsidered)
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  FROM\tTO\tACTION\tUTILITY\tMEETS GOAL")
		for _, c := range e.Candidates {
			fmt.Fprintf(tw, "  %d\t%d\t%s\t%.4g\t%v\n", c.From, c.To, formatAction(c.Action), c.Utility, c.MeetsGoal)
		}
		tw.Flush()
	}
}

// objectivesText renders objectives against their targets, e.g.
// "p99 0.02627 (≤ 0.03 ok)".
func objectivesText(values map[string]float64, problem *planner.Problem) string {
	goal := problem.Goal.Intent
	var parts []string
	for _, k := range sortedKeys(goal.Objectives) {
		target := goal.Objectives[k]
		p := problem.Profiles[k]
		cmp := "≥"
		if p.Minimize {
			cmp = "≤"
		}
		v, ok := values[k]
		if !ok {
			parts = append(parts, fmt.Sprintf("%s unknown (%s %.6g)", k, cmp, target))
			continue
		}
		verdict := "miss"
		if actuator.Meets(p, v, target, goal.Tolerances[k]) {
			verdict = "ok"
		}
		parts = append(parts, fmt.Sprintf("%s %.6g (%s %.6g %s)", k, v, cmp, target, verdict))
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
