package wasmhost

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
)

// abiEngine runs a module of wido's ABI: a compiled module and a pool of
// instances, each serving one call at a time (see pool).
type abiEngine struct {
	h        *host
	name     string
	compiled wazero.CompiledModule
	describe []byte // the encoded DescribeRequest every instance receives
	info     actuator.Info
	pool     *pool[instance]
}

var _ engine = (*abiEngine)(nil)

// newABIEngine pre-warms every instance of the pool, describing each; the
// first describe's answer is the module's info.
func (h *host) newABIEngine(ctx context.Context, name string, compiled wazero.CompiledModule, config map[string]string) (engine, actuator.Info, error) {
	e := &abiEngine{
		h:        h,
		name:     name,
		compiled: compiled,
		describe: wire.AppendDescribeRequest(nil, config),
	}
	e.pool = newPool(h.cfg.instances, e.instantiate, e.discard)
	if err := e.pool.fill(ctx); err != nil {
		_ = compiled.Close(ctx)
		return nil, actuator.Info{}, err
	}
	return e, e.info, nil
}

func (e *abiEngine) kind() Kind { return KindWido }

// instantiate creates an instance, runs _initialize and describe under the
// describe deadline, and checks the answer matches the module's info.
func (e *abiEngine) instantiate(ctx context.Context) (*instance, error) {
	refuse := func(reason string, err error) error {
		return &ModuleError{Module: e.name, Reason: reason, Err: err}
	}
	d := e.h.cfg.deadlines[Describe]
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	out := &tailWriter{}
	cfg := wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions(exportInitialize).
		WithStdout(out).
		WithStderr(out)
	mod, err := e.h.rt.InstantiateModule(withGuestMemory(ctx), e.compiled, cfg)
	if err != nil {
		if errors.Is(err, ErrClosed) {
			return nil, err
		}
		return nil, refuse("instantiation or "+exportInitialize+" failed"+deadlineNote(ctx, d)+outputNote(out), err)
	}
	inst := &instance{mod: mod, mem: mod.Memory(), out: out}
	if inst.mem == nil {
		_ = mod.Close(ctx)
		return nil, refuse("has no memory", nil)
	}
	inst.buffer = mod.ExportedFunction(exportBuffer)
	for c := range numCalls {
		inst.fns[c] = mod.ExportedFunction(callExports[c])
	}
	e.h.names.Store(mod, e.name)
	// A failed describe discards the instance whatever the failure.
	resp, _, err := inst.call(ctx, e.h.cfg, Describe, e.describe)
	if err != nil {
		e.discard(inst)
		return nil, refuse("describe failed"+outputNote(out), err)
	}
	info, err := wire.DecodeInfo(resp)
	if err != nil {
		e.discard(inst)
		return nil, refuse("describe returned a malformed ActuatorInfo", err)
	}
	if e.info == (actuator.Info{}) {
		e.info = info
	} else if info != e.info {
		e.discard(inst)
		return nil, refuse(fmt.Sprintf("instances describe themselves differently (%+v, then %+v)", e.info, info), nil)
	}
	return inst, nil
}

func (e *abiEngine) discard(inst *instance) {
	e.h.names.Delete(inst.mod)
	_ = inst.mod.Close(context.Background())
}

func (e *abiEngine) call(ctx context.Context, c Call, req []byte) ([]byte, bool, error) {
	return serve(ctx, e.pool, e.h, e.name, c, req)
}

func (inst *instance) output() string { return inst.out.String() }

// close closes every instance and the compiled module. No call is in
// flight.
func (e *abiEngine) close(ctx context.Context) error {
	e.pool.close()
	return e.compiled.Close(ctx)
}

// instance is one instantiation of a module; it serves one call at a time.
type instance struct {
	mod    api.Module
	mem    api.Memory
	buffer api.Function
	fns    [numCalls]api.Function
	out    *tailWriter

	// The guest's request buffer, from the last wido_v1_buffer call.
	bufPtr, bufLen uint32
	stack          [2]uint64
}

// call runs one export under its deadline. discard reports that the
// instance must not be used again.
func (inst *instance) call(ctx context.Context, cfg Config, c Call, req []byte) (resp []byte, discard bool, err error) {
	d := cfg.deadlines[c]
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	size := uint32(len(req))
	if inst.bufPtr == 0 || size > inst.bufLen {
		inst.stack[0] = uint64(size)
		if err := inst.buffer.CallWithStack(ctx, inst.stack[:]); err != nil {
			return nil, true, trapError(ctx, d, exportBuffer, err)
		}
		ptr := uint32(inst.stack[0])
		if ptr == 0 {
			return nil, true, fmt.Errorf("%s(%d) returned 0: the guest has no buffer for the request", exportBuffer, size)
		}
		inst.bufPtr, inst.bufLen = ptr, size
	}
	if !inst.mem.Write(inst.bufPtr, req) {
		return nil, true, fmt.Errorf("%s returned a buffer at %d outside the guest's memory (%d bytes)", exportBuffer, inst.bufPtr, inst.mem.Size())
	}
	inst.stack[0], inst.stack[1] = uint64(inst.bufPtr), uint64(size)
	if err := inst.fns[c].CallWithStack(ctx, inst.stack[:]); err != nil {
		return nil, true, trapError(ctx, d, callExports[c], err)
	}
	ptr, n := uint32(inst.stack[0]>>32), uint32(inst.stack[0])
	if int(n) > cfg.maxMessageSize {
		return nil, true, fmt.Errorf("response of %d bytes exceeds the cap of %d", n, cfg.maxMessageSize)
	}
	env, ok := inst.mem.Read(ptr, n)
	if !ok {
		return nil, true, fmt.Errorf("response at [%d, %d+%d) lies outside the guest's memory (%d bytes)", ptr, ptr, n, inst.mem.Size())
	}
	result, err := wire.DecodeEnvelope(env)
	if err != nil {
		var ge *wire.GuestError
		if errors.As(err, &ge) {
			return nil, false, err
		}
		return nil, true, fmt.Errorf("malformed envelope: %w", err)
	}
	return append([]byte(nil), result...), false, nil
}

// trapError explains why a call into the guest failed.
func trapError(ctx context.Context, d time.Duration, export string, err error) error {
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		switch exit.ExitCode() {
		case sys.ExitCodeDeadlineExceeded:
			return fmt.Errorf("%s did not return within its deadline of %s: instance closed", export, d)
		case sys.ExitCodeContextCanceled:
			return fmt.Errorf("%s: %w", export, context.Canceled)
		}
		return fmt.Errorf("%s: the guest exited with code %d", export, exit.ExitCode())
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", export, ctx.Err())
	}
	return fmt.Errorf("%s trapped: %w", export, err)
}

func deadlineNote(ctx context.Context, d time.Duration) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return " (deadline " + d.String() + " exceeded)"
	}
	return ""
}

func outputNote(out *tailWriter) string {
	if s := out.String(); s != "" {
		return " (guest output: " + s + ")"
	}
	return ""
}

// tailWriter keeps the last bytes an instance wrote to stdout and stderr.
type tailWriter struct {
	mu  sync.Mutex
	buf []byte
}

const tailSize = 2 << 10

func (w *tailWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if len(w.buf) > tailSize {
		w.buf = append(w.buf[:0], w.buf[len(w.buf)-tailSize:]...)
	}
	return len(p), nil
}

func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}
