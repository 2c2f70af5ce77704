package actuator

// DeepCopy returns a copy of s that shares no map with it. Nil maps stay nil.
func (s *State) DeepCopy() State {
	return State{
		Intent:      s.Intent.DeepCopy(),
		Pods:        copyMap(s.Pods),
		Resources:   copyMap(s.Resources),
		Annotations: copyMap(s.Annotations),
		Data:        copyData(s.Data),
	}
}

// DeepCopy returns a copy of in that shares no map with it.
func (in *Intent) DeepCopy() Intent {
	out := *in
	out.Objectives = copyMap(in.Objectives)
	out.Tolerances = copyMap(in.Tolerances)
	return out
}

// DeepCopy returns a copy of a that shares no map with it.
func (a *Action) DeepCopy() Action {
	return Action{Name: a.Name, Properties: Properties{Int: copyMap(a.Properties.Int), Str: copyMap(a.Properties.Str)}}
}

func copyMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func copyData(m map[string]map[string]float64) map[string]map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]map[string]float64, len(m))
	for k, v := range m {
		out[k] = copyMap(v)
	}
	return out
}
