package planner

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// Node numbers of the search graph. The goal and the already-satisfied
// shortcut's intermediate node are virtual: they are not states the
// actuators proposed and are not deduplicated.
const (
	startID = 0
	goalID  = 1
	noNode  = -1
)

// plannerEdge marks an edge the planner added itself (done, shortcut,
// opportunistic) rather than an actuator.
const plannerEdge = -1

type node struct {
	state    State
	hash     uint64
	num      int32 // state number in explanations
	next     int32 // next node with the same hash, or noNode
	h        float64
	better   bool
	virtual  bool
	expanded bool
	edges    []edge

	// per A* run
	g          float64
	reached    bool
	parent     int32
	parentEdge int32
	hops       int32
}

type edge struct {
	to       int32
	actuator int32
	utility  float64
	action   Action
}

// search is the state of one CreatePlan call. It is not goroutine-safe.
type search struct {
	ctx      context.Context
	cfg      *config
	acts     []Actuator
	models   []Models
	disabled []bool
	goal     *State
	profiles map[string]Profile

	nodes     []node
	index     map[uint64]int32
	states    int // real states created
	budgetHit bool
	timeHit   bool
	expl      Explanation
	open      openSet
	seq       uint64
}

func newSearch(ctx context.Context, p *aStar, prob *Problem) *search {
	s := &search{
		ctx:      ctx,
		cfg:      &p.cfg,
		acts:     p.actuators,
		models:   groupModels(p.actuators, prob.Models),
		disabled: make([]bool, len(p.actuators)),
		goal:     &prob.Goal,
		profiles: prob.Profiles,
		nodes:    make([]node, 0, 64),
		index:    make(map[uint64]int32, 64),
	}
	s.intern(&prob.Current)
	s.nodes = append(s.nodes, node{state: prob.Goal, next: noNode, virtual: true})
	return s
}

// groupModels gives each actuator the models of its group, its own winning.
func groupModels(acts []Actuator, all map[string]Models) []Models {
	out := make([]Models, len(acts))
	for i, a := range acts {
		merged := Models{}
		for j, b := range acts {
			if j != i && b.Group() == a.Group() {
				for k, m := range all[b.Name()] {
					merged[k] = m
				}
			}
		}
		for k, m := range all[a.Name()] {
			merged[k] = m
		}
		out[i] = merged
	}
	return out
}

func (s *search) run() *Plan {
	start := &s.nodes[startID]
	if start.better {
		hops, nearest := s.nearestBetter()
		if nearest == noNode {
			return s.finish(false, AlreadySatisfied)
		}
		s.addShortcut(hops, nearest)
	}
	if s.astar(true) {
		return s.finish(true, GoalReached)
	}
	reason := Unreachable
	switch {
	case s.timeHit:
		reason = TimeBudgetExhausted
	case s.budgetHit:
		reason = StateBudgetExhausted
	}
	if s.cfg.opportunistic > 0 && s.addOpportunistic() && s.astar(false) {
		s.expl.Opportunistic = true
		return s.finish(true, reason)
	}
	return s.finish(false, reason)
}

// intern returns the node of state st, creating it when it is new. It
// returns noNode when st is new but the state budget is spent.
func (s *search) intern(st *State) (int32, bool) {
	h := hashState(st)
	head, ok := s.index[h]
	if ok {
		for i := head; i != noNode; i = s.nodes[i].next {
			if sameState(&s.nodes[i].state, st) {
				return i, false
			}
		}
	} else {
		head = noNode
	}
	if s.states >= s.cfg.maxStates {
		s.budgetHit = true
		return noNode, false
	}
	id := int32(len(s.nodes))
	n := node{
		state: *st, hash: h, num: int32(s.states), next: head, hops: -1,
		h: st.Distance(s.goal, s.profiles), better: st.IsBetter(s.goal, s.profiles),
	}
	if n.better && id != startID {
		// IDO's done edge: a state that meets the goal reaches it for free.
		n.edges = []edge{{to: goalID, actuator: plannerEdge, action: Action{Name: DoneActionName}}}
	}
	s.nodes = append(s.nodes, n)
	s.index[h] = id
	s.states++
	return id, true
}

// canExpand reports whether the budgets allow another expansion.
func (s *search) canExpand() bool {
	if s.timeHit {
		return false
	}
	if s.ctx.Err() != nil {
		s.timeHit = true
		return false
	}
	if s.states >= s.cfg.maxStates {
		s.budgetHit = true
		return false
	}
	return true
}

// expand asks every actuator for the successors of node u.
func (s *search) expand(u int32) {
	s.nodes[u].expanded = true
	s.expl.StatesExplored++
	req := &NextStateRequest{State: s.nodes[u].state, Goal: *s.goal, Profiles: s.profiles}
	for i, a := range s.acts {
		if s.disabled[i] {
			continue
		}
		req.Models = s.models[i]
		resp, err := s.call(a, req)
		if err != nil {
			if s.ctx.Err() != nil {
				s.timeHit = true
				return
			}
			s.disable(i, err)
			continue
		}
		k := min(len(resp.States), s.cfg.maxCandidates)
		for j := 0; j < k; j++ {
			v, _ := s.intern(&resp.States[j])
			if v == noNode {
				continue
			}
			e := edge{to: v, actuator: int32(i), utility: resp.Utilities[j], action: resp.Actions[j]}
			s.nodes[u].edges = append(s.nodes[u].edges, e)
			s.expl.CandidatesConsidered++
			if len(s.expl.Candidates) < s.cfg.explainedCandidates {
				s.expl.Candidates = append(s.expl.Candidates, Candidate{
					From: s.number(u), To: s.number(v), Actuator: a.Name(), Action: e.action,
					Utility: e.utility, MeetsGoal: s.nodes[v].better,
				})
			}
		}
	}
}

// call asks one actuator for next states and checks its answer. A panic is
// an error like any other.
func (s *search) call(a Actuator, req *NextStateRequest) (resp *NextStateResponse, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, fmt.Errorf("panic in NextState: %v", r)
		}
	}()
	resp, err = a.NextState(s.ctx, req)
	if err != nil {
		return nil, fmt.Errorf("NextState: %w", err)
	}
	if resp == nil {
		return nil, fmt.Errorf("NextState returned no response")
	}
	if len(resp.States) != len(resp.Utilities) || len(resp.States) != len(resp.Actions) {
		return nil, fmt.Errorf("NextState returned %d states, %d utilities and %d actions; they must match",
			len(resp.States), len(resp.Utilities), len(resp.Actions))
	}
	for i, u := range resp.Utilities {
		if !(u >= 0) || math.IsInf(u, 0) {
			return nil, fmt.Errorf("NextState returned utility %v for candidate %d; utilities must be finite and >= 0", u, i)
		}
		if resp.Actions[i].Name == "" {
			return nil, fmt.Errorf("NextState returned an action without a name for candidate %d", i)
		}
	}
	return resp, nil
}

// disable drops actuator i's output for the rest of this plan.
func (s *search) disable(i int, err error) {
	s.disabled[i] = true
	s.expl.ActuatorErrors = append(s.expl.ActuatorErrors, ActuatorError{Actuator: s.acts[i].Name(), Error: err.Error()})
}

// usable reports whether the search may follow e.
func (s *search) usable(e *edge) bool {
	return e.actuator == plannerEdge || !s.disabled[e.actuator]
}

// nearestBetter finds, breadth first, the state closest in actions to the
// current one that meets the goal, as IDO's unit-cost search for its
// shortcut does. It returns the number of actions and the node, or noNode.
func (s *search) nearestBetter() (int32, int32) {
	s.nodes[startID].hops = 0
	queue := []int32{startID}
	for qi := 0; qi < len(queue); qi++ {
		u := queue[qi]
		if !s.nodes[u].expanded {
			if !s.canExpand() {
				return 0, noNode
			}
			s.expand(u)
		}
		for _, e := range s.nodes[u].edges {
			if e.actuator == plannerEdge || s.disabled[e.actuator] {
				continue
			}
			v := &s.nodes[e.to]
			if v.hops >= 0 {
				continue
			}
			v.hops = s.nodes[u].hops + 1
			if v.better {
				return v.hops, e.to
			}
			queue = append(queue, e.to)
		}
	}
	return 0, noNode
}

// addShortcut adds IDO's already-satisfied shortcut: from the current state
// to the goal at the cost of the number of actions to the nearest better
// state, 1 % more when that state has fewer pods or less resources. A plan
// whose cost is below that is worth performing; otherwise the shortcut wins
// and the plan is empty.
func (s *search) addShortcut(hops, nearest int32) {
	cost := float64(hops)
	start, near := &s.nodes[startID].state, &s.nodes[nearest].state
	if len(start.Pods) > len(near.Pods) || lessResources(near, start) {
		cost *= 1.01
	}
	mid := int32(len(s.nodes))
	s.nodes = append(s.nodes, node{
		state: s.nodes[startID].state, next: noNode, h: s.nodes[startID].h, virtual: true, expanded: true,
		edges: []edge{{to: goalID, actuator: plannerEdge, action: Action{Name: DoneActionName}}},
	})
	s.nodes[startID].edges = append(s.nodes[startID].edges,
		edge{to: mid, actuator: plannerEdge, utility: cost, action: Action{Name: DoneActionName}})
}

// lessResources is IDO's State.LessResources: every resource of a is in b and
// not larger, and a has at least one.
func lessResources(a, b *State) bool {
	if len(a.Resources) == 0 {
		return false
	}
	for k, v := range a.Resources {
		w, ok := b.Resources[k]
		if !ok || v > w {
			return false
		}
	}
	return true
}

// addOpportunistic joins the states closest to the goal to it. It reports
// whether there was any state to join.
func (s *search) addOpportunistic() bool {
	var ids []int32
	for i := range s.nodes {
		if i != startID && !s.nodes[i].virtual {
			ids = append(ids, int32(i))
		}
	}
	if len(ids) == 0 {
		return false
	}
	sort.SliceStable(ids, func(a, b int) bool { return s.nodes[ids[a]].h < s.nodes[ids[b]].h })
	for _, id := range ids[:min(len(ids), s.cfg.opportunistic)] {
		s.nodes[id].edges = append(s.nodes[id].edges, edge{to: goalID, actuator: plannerEdge, action: Action{Name: OpportunisticActionName}})
	}
	return true
}

// astar runs A* from the current state to the goal with the utilities as
// edge costs and Distance as heuristic, expanding states lazily when expand
// is true. Like IDO's it keeps no closed set: a state reached more cheaply
// later is queued again.
func (s *search) astar(expand bool) bool {
	for i := range s.nodes {
		s.nodes[i].reached = false
	}
	s.open = s.open[:0]
	s.nodes[startID].reached, s.nodes[startID].g = true, 0
	s.push(startID, 0, s.nodes[startID].h)
	for len(s.open) > 0 {
		it := s.pop()
		if it.id == goalID {
			return true
		}
		if it.g > s.nodes[it.id].g {
			continue // stale entry
		}
		if expand && !s.nodes[it.id].expanded && s.canExpand() {
			s.expand(it.id)
		}
		for ei := range s.nodes[it.id].edges {
			e := &s.nodes[it.id].edges[ei]
			if !s.usable(e) {
				continue
			}
			g := it.g + e.utility
			v := &s.nodes[e.to]
			if !v.reached || g < v.g {
				v.reached, v.g, v.parent, v.parentEdge = true, g, it.id, int32(ei)
				s.push(e.to, g, g+v.h)
			}
		}
	}
	return false
}

// finish builds the plan from the parent links of the last A* run.
func (s *search) finish(reached bool, reason StopReason) *Plan {
	plan := &Plan{}
	s.expl.Stopped = reason
	s.expl.StatesCreated = s.states
	if reached {
		var path []Step
		throughShortcut := false
		for v := int32(goalID); v != startID; v = s.nodes[v].parent {
			u := s.nodes[v].parent
			e := &s.nodes[u].edges[s.nodes[v].parentEdge]
			if e.actuator == plannerEdge {
				if s.nodes[v].virtual && v != goalID {
					throughShortcut = true
				}
				continue
			}
			path = append(path, Step{
				Actuator: s.acts[e.actuator].Name(), Action: e.action, Utility: e.utility,
				State: s.number(v), Objectives: s.nodes[v].state.Intent.Objectives,
			})
		}
		for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
			path[i], path[j] = path[j], path[i]
		}
		for _, st := range path {
			plan.Actions = append(plan.Actions, st.Action)
		}
		s.expl.Path = path
		s.expl.Cost = s.nodes[goalID].g
		if throughShortcut {
			s.expl.Stopped = AlreadySatisfied
		}
	}
	plan.Explanation = s.expl
	return plan
}

// number is the state number of node id shown in explanations: 0 is the
// current state, the others count up in creation order.
func (s *search) number(id int32) int {
	return int(s.nodes[id].num)
}

// openSet is a binary min-heap on (f, seq): equal priorities pop in the
// order they were pushed, which keeps plans deterministic.
type openSet []openItem

type openItem struct {
	f   float64
	seq uint64
	g   float64
	id  int32
}

func (s *search) push(id int32, g, f float64) {
	s.seq++
	s.open = append(s.open, openItem{f: f, seq: s.seq, g: g, id: id})
	h := s.open
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (s *search) pop() openItem {
	h := s.open
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		c := l
		if r := l + 1; r < len(h) && h.less(r, l) {
			c = r
		}
		if !h.less(c, i) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	s.open = h
	return top
}

func (h openSet) less(i, j int) bool {
	if h[i].f != h[j].f {
		return h[i].f < h[j].f
	}
	return h[i].seq < h[j].seq
}
