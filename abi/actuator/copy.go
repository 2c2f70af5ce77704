package actuator

import "maps"

// DeepCopy returns a copy of s that shares no map with it. Nil maps stay nil.
func (s *State) DeepCopy() State {
	return State{
		Intent:      s.Intent.DeepCopy(),
		Pods:        maps.Clone(s.Pods),
		Resources:   maps.Clone(s.Resources),
		Annotations: maps.Clone(s.Annotations),
		Data:        copyData(s.Data),
	}
}

// DeepCopy returns a copy of in that shares no map with it.
func (in *Intent) DeepCopy() Intent {
	out := *in
	out.Objectives = maps.Clone(in.Objectives)
	out.Tolerances = maps.Clone(in.Tolerances)
	return out
}

// DeepCopy returns a copy of a that shares no map with it.
func (a *Action) DeepCopy() Action {
	return Action{Name: a.Name, Properties: Properties{Int: maps.Clone(a.Properties.Int), Str: maps.Clone(a.Properties.Str)}}
}

func copyData(m map[string]map[string]float64) map[string]map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]map[string]float64, len(m))
	for k, v := range m {
		out[k] = maps.Clone(v)
	}
	return out
}
