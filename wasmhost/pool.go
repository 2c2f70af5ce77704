package wasmhost

import (
	"context"
	"fmt"
)

// pool keeps the instances of one engine (one version of a module's code)
// and lends each to one call at a time: the host never re-enters a guest.
//
// slots is the only synchronisation. It holds one entry per instance the
// pool may have: a ready instance, or nil for one to create on demand (after
// a discard). get takes an entry and put gives it back, so an instance
// belongs to at most one goroutine at a time and a call waits, bounded by its
// context, while every instance is busy. Every slot is back in the channel
// when no call is in flight, which is when close may be called.
type pool[T any] struct {
	slots chan *T
	// create makes a ready instance (instantiated and described).
	create func(context.Context) (*T, error)
	// destroy closes an instance.
	destroy func(*T)
}

func newPool[T any](n int, create func(context.Context) (*T, error), destroy func(*T)) *pool[T] {
	return &pool[T]{slots: make(chan *T, n), create: create, destroy: destroy}
}

// fill pre-warms every slot, so that a broken module fails at load time
// rather than on its first call. On error it closes the instances it made
// and returns create's error.
func (p *pool[T]) fill(ctx context.Context) error {
	for range cap(p.slots) {
		inst, err := p.create(ctx)
		if err != nil {
			for len(p.slots) < cap(p.slots) {
				p.slots <- nil
			}
			p.close()
			return err
		}
		p.slots <- inst
	}
	return nil
}

// get takes a free instance, creating it if its slot is empty. It waits
// for a slot until ctx is done.
//
// # Errors
//
// "waiting for a free instance" wrapping ctx's error, or create's error (the
// slot stays empty for the next call to try again).
func (p *pool[T]) get(ctx context.Context) (*T, error) {
	var inst *T
	select {
	case inst = <-p.slots:
	default:
		select {
		case inst = <-p.slots:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for a free instance: %w", ctx.Err())
		}
	}
	if inst == nil {
		var err error
		if inst, err = p.create(ctx); err != nil {
			p.slots <- nil
			return nil, err
		}
	}
	return inst, nil
}

// put gives back an instance taken with get; with discard it closes the
// instance and leaves its slot empty.
func (p *pool[T]) put(inst *T, discard bool) {
	if discard {
		p.destroy(inst)
		p.slots <- nil
		return
	}
	p.slots <- inst
}

// close closes every instance. No call may be in flight.
func (p *pool[T]) close() {
	for range cap(p.slots) {
		if inst := <-p.slots; inst != nil {
			p.destroy(inst)
		}
	}
}

// guestInstance is what a pool lends: one instance of a module's code.
type guestInstance[T any] interface {
	*T
	// call runs one export; discard says the instance must not be reused.
	call(ctx context.Context, cfg Config, c Call, req []byte) (resp []byte, discard bool, err error)
	// output is the end of what the instance wrote to stdout and stderr.
	output() string
}

// serve runs one call on an instance of the pool: it takes a free
// instance, calls it, gives it back (discarding it when the call says so,
// with a warning), and wraps a failure in a *CallError.
func serve[T any, I guestInstance[T]](ctx context.Context, p *pool[T], h *host, module string, c Call, req []byte) ([]byte, bool, error) {
	t, err := p.get(ctx)
	if err != nil {
		return nil, false, &CallError{Module: module, Call: c, Err: err}
	}
	inst := I(t)
	resp, discard, err := inst.call(ctx, h.cfg, c, req)
	p.put(t, discard)
	if discard {
		h.cfg.logger.Warn("instance discarded", "module", module, "call", c.String(), "error", err)
	}
	if err != nil {
		return nil, discard, &CallError{Module: module, Call: c, Discarded: discard, Output: inst.output(), Err: err}
	}
	return resp, false, nil
}
