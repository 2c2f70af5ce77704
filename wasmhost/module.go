package wasmhost

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
	"github.com/wido-dev/wido/planner"
)

// engine runs one version of a module's code: a compiled module and its
// instance pool.
type engine interface {
	kind() Kind
	// call sends req (an encoded request message) and returns the encoded
	// response, a copy owned by the caller. It reports whether the instance
	// was discarded.
	call(ctx context.Context, c Call, req []byte) (resp []byte, discarded bool, err error)
	// close releases the engine; no call is in flight.
	close(ctx context.Context) error
}

// version is an engine with a reference count: the module's own reference
// while it is current, plus one per call in flight.
type version struct {
	host *host
	eng  engine
	info actuator.Info
	refs atomic.Int64
}

func newVersion(h *host, eng engine, info actuator.Info) *version {
	v := &version{host: h, eng: eng, info: info}
	v.refs.Store(1)
	return v
}

func (v *version) release() {
	if v.refs.Add(-1) == 0 {
		v.host.closeEngine(context.Background(), v.eng)
	}
}

// module is the Module handle. cur changes on Swap; the handle stays.
type module struct {
	host *host
	name string

	mu  sync.RWMutex
	cur *version // nil once closed

	calls, failed, discarded, swaps atomic.Uint64
}

var _ Module = (*module)(nil)

func (m *module) acquire() (*version, error) {
	m.mu.RLock()
	v := m.cur
	if v != nil {
		v.refs.Add(1)
	}
	m.mu.RUnlock()
	if v == nil {
		return nil, ErrClosed
	}
	return v, nil
}

func (m *module) current() *version {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.cur
}

func (m *module) Info() actuator.Info {
	if v := m.current(); v != nil {
		return v.info
	}
	return actuator.Info{}
}

func (m *module) Name() string  { return m.Info().Name }
func (m *module) Group() string { return m.Info().Group }

func (m *module) Kind() Kind {
	if v := m.current(); v != nil {
		return v.eng.kind()
	}
	return 0
}

func (m *module) Stats() Stats {
	return Stats{Calls: m.calls.Load(), Failed: m.failed.Load(), Discarded: m.discarded.Load(), Swaps: m.swaps.Load()}
}

// invoke runs one call on the current version.
func (m *module) invoke(ctx context.Context, c Call, req []byte) ([]byte, error) {
	v, err := m.acquire()
	if err != nil {
		return nil, err
	}
	defer v.release()
	m.calls.Add(1)
	if len(req) > m.host.cfg.maxMessageSize {
		m.failed.Add(1)
		return nil, &CallError{Module: m.name, Call: c, Err: fmt.Errorf("request of %d bytes exceeds the cap of %d", len(req), m.host.cfg.maxMessageSize)}
	}
	resp, discarded, err := v.eng.call(ctx, c, req)
	if discarded {
		m.discarded.Add(1)
	}
	if err != nil {
		m.failed.Add(1)
		return nil, err
	}
	return resp, nil
}

func (m *module) NextState(ctx context.Context, req *planner.NextStateRequest) (*planner.NextStateResponse, error) {
	resp, err := m.invoke(ctx, NextState, wire.AppendNextStateRequest(nil, req))
	if err != nil {
		return nil, err
	}
	out, err := wire.DecodeNextStateResponse(resp)
	if err != nil {
		return nil, m.badResponse(NextState, err)
	}
	return out, nil
}

func (m *module) Perform(ctx context.Context, req *planner.PerformRequest) (*planner.PerformResponse, error) {
	resp, err := m.invoke(ctx, Perform, wire.AppendPerformRequest(nil, req))
	if err != nil {
		return nil, err
	}
	out, err := wire.DecodePerformResponse(resp)
	if err != nil {
		return nil, m.badResponse(Perform, err)
	}
	return out, nil
}

func (m *module) Effect(ctx context.Context, req *planner.EffectRequest) (*planner.EffectResponse, error) {
	resp, err := m.invoke(ctx, Effect, wire.AppendEffectRequest(nil, req))
	if err != nil {
		return nil, err
	}
	out, err := wire.DecodeEffectResponse(resp)
	if err != nil {
		return nil, m.badResponse(Effect, err)
	}
	return out, nil
}

// badResponse reports a response message that does not decode. The
// envelope was well-formed, so the instance is kept.
func (m *module) badResponse(c Call, err error) error {
	m.failed.Add(1)
	return &CallError{Module: m.name, Call: c, Err: fmt.Errorf("malformed response: %w", err)}
}

func (m *module) Swap(ctx context.Context, wasm []byte, config map[string]string) error {
	old := m.current()
	if old == nil {
		return ErrClosed
	}
	eng, info, err := m.host.newEngine(ctx, m.name, wasm, config)
	if err != nil {
		return err
	}
	if info.Name != old.info.Name {
		m.host.closeEngine(ctx, eng)
		return &ModuleError{Module: m.name, Reason: fmt.Sprintf("new version describes actuator %q, the loaded one is %q", info.Name, old.info.Name)}
	}
	next := newVersion(m.host, eng, info)
	m.mu.Lock()
	old = m.cur
	if old == nil {
		m.mu.Unlock()
		m.host.closeEngine(ctx, eng)
		return ErrClosed
	}
	m.cur = next
	m.mu.Unlock()
	m.swaps.Add(1)
	old.release()
	return nil
}

func (m *module) Close(context.Context) error {
	m.mu.Lock()
	v := m.cur
	m.cur = nil
	m.mu.Unlock()
	if v != nil {
		m.host.forget(m)
		v.release()
	}
	return nil
}
