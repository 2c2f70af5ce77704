package actuator

import "math"

// Known reports whether v is a usable objective value: not NaN and not ±Inf.
func Known(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}

// Meets reports whether value meets target for an objective measured by p,
// with a relative tolerance (0.1 = 10 %). A minimized objective meets the
// target when value <= target + |target|·tolerance, a maximized one when
// value >= target − |target|·tolerance. An unknown value or target never
// meets; a negative or unknown tolerance counts as 0.
func Meets(p Profile, value, target, tolerance float64) bool {
	if !Known(value) || !Known(target) {
		return false
	}
	if !Known(tolerance) || tolerance < 0 {
		tolerance = 0
	}
	slack := math.Abs(target) * tolerance
	if p.Minimize {
		return value <= target+slack
	}
	return value >= target-slack
}

// IsBetter reports whether s meets every objective of goal: each goal
// objective has a profile and a known value in s that Meets the goal's
// target with the goal's tolerance. A goal without objectives is never met.
//
// This is IDO's State.IsBetter with two fixes: the intent's tolerance is
// applied, and an unknown objective (absent or NaN) is never better; IDO
// reads an absent value as 0, which meets any latency target.
func (s *State) IsBetter(goal *State, profiles map[string]Profile) bool {
	if len(goal.Intent.Objectives) == 0 {
		return false
	}
	for k, target := range goal.Intent.Objectives {
		p, ok := profiles[k]
		if !ok {
			return false
		}
		v, ok := s.Intent.Objectives[k]
		if !ok || !Meets(p, v, target, goal.Intent.Tolerances[k]) {
			return false
		}
	}
	return true
}

// Distance is IDO's heuristic: the Euclidean distance between the objectives
// of s and goal, or −1/distance when s IsBetter than goal (so that, among
// states that meet the goal, the one closest to it is preferred). Objectives
// unknown on either side are left out of the sum. The sum runs in key order,
// so the result does not depend on map iteration order.
func (s *State) Distance(goal *State, profiles map[string]Profile) float64 {
	var buf [16]string
	keys := SortedKeys(buf[:0], goal.Intent.Objectives)
	sum := 0.0
	for _, k := range keys {
		v, ok := s.Intent.Objectives[k]
		t := goal.Intent.Objectives[k]
		if !ok || !Known(v) || !Known(t) {
			continue
		}
		sum += (v - t) * (v - t)
	}
	if sum != 0 && s.IsBetter(goal, profiles) {
		return -1 / math.Sqrt(sum)
	}
	return math.Sqrt(sum)
}

// SortedKeys appends the keys of m to dst in ascending order and returns the
// extended slice. With a dst of enough capacity it does not allocate, which
// keeps it off the heap in the planner's hot path.
func SortedKeys[V any](dst []string, m map[string]V) []string {
	for k := range m {
		dst = append(dst, k)
	}
	// Insertion sort: the maps sorted here are small, and sort.Strings
	// would make dst escape to the heap.
	for i := 1; i < len(dst); i++ {
		for j := i; j > 0 && dst[j] < dst[j-1]; j-- {
			dst[j], dst[j-1] = dst[j-1], dst[j]
		}
	}
	return dst
}
