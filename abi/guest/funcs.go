package guest

import "github.com/wido-dev/wido/abi/actuator"

// Funcs is an actuator made of functions, for authors who do not want a
// type. NextStateFunc is required; a nil PerformFunc performs nothing and a
// nil EffectFunc learns nothing (both return empty responses). Group
// defaults to Name.
type Funcs struct {
	Name, Group, Version string
	NextStateFunc        func(*actuator.NextStateRequest) (*actuator.NextStateResponse, error)
	PerformFunc          func(*actuator.PerformRequest) (*actuator.PerformResponse, error)
	EffectFunc           func(*actuator.EffectRequest) (*actuator.EffectResponse, error)
}

var _ actuator.Interface = Funcs{}

// Info implements actuator.Interface.
func (f Funcs) Info() actuator.Info {
	group := f.Group
	if group == "" {
		group = f.Name
	}
	return actuator.Info{Name: f.Name, Group: group, Version: f.Version}
}

// NextState implements actuator.Interface.
func (f Funcs) NextState(req *actuator.NextStateRequest) (*actuator.NextStateResponse, error) {
	if f.NextStateFunc == nil {
		return &actuator.NextStateResponse{}, nil
	}
	return f.NextStateFunc(req)
}

// Perform implements actuator.Interface.
func (f Funcs) Perform(req *actuator.PerformRequest) (*actuator.PerformResponse, error) {
	if f.PerformFunc == nil {
		return &actuator.PerformResponse{}, nil
	}
	return f.PerformFunc(req)
}

// Effect implements actuator.Interface.
func (f Funcs) Effect(req *actuator.EffectRequest) (*actuator.EffectResponse, error) {
	if f.EffectFunc == nil {
		return &actuator.EffectResponse{}, nil
	}
	return f.EffectFunc(req)
}
