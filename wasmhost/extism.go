package wasmhost

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"

	extism "github.com/extism/go-sdk"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
)

// The exports of an Extism actuator module (abi/ABI.md, "Extism modules").
// Each takes the request message as Extism input and outputs the response
// message.
const (
	extismDescribe  = "describe"
	extismNextState = "next_state"
	extismPerform   = "perform"
	extismEffect    = "effect"
)

// extismExports maps a call to its export.
var extismExports = [numCalls]string{extismDescribe, extismNextState, extismPerform, extismEffect}

// extismEngine runs a module built with an Extism PDK through the Extism Go
// SDK: one compiled plugin, which has a wazero runtime of its own (with the
// host's memory cap, close-on-context-done and compilation cache), and a pool
// of plugin instances, each serving one call at a time.
//
// The plugin gets WASI without files, arguments or environment, and the
// extism:host/env functions the SDK defines, restricted: no allowed hosts
// (http_request traps), no Extism config (config_get finds nothing) and no
// variables (var_set traps). It gets no other host function.
type extismEngine struct {
	h        *host
	name     string
	compiled *extism.CompiledPlugin
	describe []byte // the encoded DescribeRequest every instance receives
	config   bool   // the module was loaded with a non-empty configuration
	info     actuator.Info
	pool     *pool[extismInstance]
}

var _ engine = (*extismEngine)(nil)

// extismInstance is one instance of an Extism plugin; it serves one call at
// a time.
type extismInstance struct {
	plugin *extism.Plugin
	out    *tailWriter
	// closed is set when wazero closes one of the instance's modules: the
	// guest called proc_exit (the SDK reports an exit with code 0 as a
	// success) or a deadline passed.
	closed atomic.Bool
}

// newExtismEngine compiles an Extism module once and pre-warms its
// instances, describing each if the module exports describe. Without
// describe the actuator is named after the module (name without ".wasm"),
// is its own group, and accepts no configuration.
func (h *host) newExtismEngine(ctx context.Context, name string, wasm []byte, config map[string]string) (engine, actuator.Info, error) {
	rc := h.runtimeConfig()
	if h.cache != nil {
		rc = rc.WithCompilationCache(h.cache)
	}
	manifest := extism.Manifest{
		Wasm: []extism.Wasm{extism.WasmData{Data: wasm, Name: "main"}},
		// The memory cap is already in rc; MaxVarBytes 0 disables Extism's
		// variables, MaxHttpResponseBytes 0 its HTTP responses (and no host
		// is allowed anyway).
		Memory: &extism.ManifestMemory{MaxPages: h.cfg.memoryPages()},
	}
	compiled, err := extism.NewCompiledPlugin(ctx, manifest, extism.PluginConfig{RuntimeConfig: rc, EnableWasi: true}, nil)
	if err != nil {
		if ctx.Err() != nil {
			return nil, actuator.Info{}, ctx.Err()
		}
		return nil, actuator.Info{}, &ModuleError{Module: name, Reason: "does not compile in the Extism runtime", Err: err}
	}
	e := &extismEngine{
		h:        h,
		name:     name,
		compiled: compiled,
		describe: wire.AppendDescribeRequest(nil, config),
		config:   len(config) > 0,
	}
	e.pool = newPool(h.cfg.instances, e.instantiate, e.discard)
	if err := e.pool.fill(ctx); err != nil {
		_ = compiled.Close(ctx)
		return nil, actuator.Info{}, err
	}
	return e, e.info, nil
}

func (e *extismEngine) kind() Kind { return KindExtism }

// instantiate creates an instance under the describe deadline, checks its
// exports and describes it (or names it after the module), and checks the
// answer matches the module's info.
func (e *extismEngine) instantiate(ctx context.Context) (*extismInstance, error) {
	refuse := func(reason string, err error) error {
		return &ModuleError{Module: e.name, Reason: reason, Err: err}
	}
	d := e.h.cfg.deadlines[Describe]
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	inst := &extismInstance{out: &tailWriter{}}
	// The SDK instantiates every module of the instance (its kernel and the
	// guest) with ictx: their memories are mapped like the wido ABI's (see
	// withGuestMemory), and the close notifier is how an exit with code 0 is
	// told from a successful call.
	ictx := withGuestMemory(experimental.WithCloseNotifier(ctx, experimental.CloseNotifyFunc(func(context.Context, uint32) {
		inst.closed.Store(true)
	})))
	cfg := wazero.NewModuleConfig().WithStdout(inst.out).WithStderr(inst.out)
	p, err := e.compiled.Instance(ictx, extism.PluginInstanceConfig{ModuleConfig: cfg})
	if err != nil {
		return nil, refuse("instantiation failed"+deadlineNote(ctx, d)+outputNote(inst.out), err)
	}
	inst.plugin = p
	p.SetLogger(e.log)
	e.h.names.Store(p, e.name)

	exports := p.Module().ExportedFunctions()
	var missing []string
	for _, name := range extismExports[NextState:] {
		if _, ok := exports[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		e.discard(inst)
		return nil, refuse("is an Extism module without the export(s) "+strings.Join(missing, ", ")+
			" (an Extism actuator exports "+extismNextState+", "+extismPerform+" and "+extismEffect+")", nil)
	}
	var info actuator.Info
	if _, ok := exports[extismDescribe]; ok {
		// A failed describe discards the instance whatever the failure.
		resp, _, err := inst.call(ctx, e.h.cfg, Describe, e.describe)
		if err != nil {
			e.discard(inst)
			return nil, refuse("describe failed"+outputNote(inst.out), err)
		}
		if info, err = wire.DecodeInfo(resp); err != nil {
			e.discard(inst)
			return nil, refuse("describe returned a malformed ActuatorInfo", err)
		}
	} else {
		if e.config {
			e.discard(inst)
			return nil, refuse("cannot receive configuration: the Extism module does not export "+extismDescribe, nil)
		}
		n := strings.TrimSuffix(e.name, ".wasm")
		info = actuator.Info{Name: n, Group: n}
	}
	if e.info == (actuator.Info{}) {
		e.info = info
	} else if info != e.info {
		e.discard(inst)
		return nil, refuse(fmt.Sprintf("instances describe themselves differently (%+v, then %+v)", e.info, info), nil)
	}
	return inst, nil
}

// log receives what the guest logs through Extism. The SDK filters it with
// its process-wide level (extism.SetLogLevel), off unless someone sets it.
func (e *extismEngine) log(level extism.LogLevel, msg string) {
	lvl := slog.LevelDebug
	switch level {
	case extism.LogLevelInfo:
		lvl = slog.LevelInfo
	case extism.LogLevelWarn:
		lvl = slog.LevelWarn
	case extism.LogLevelError:
		lvl = slog.LevelError
	}
	e.h.cfg.logger.Log(context.Background(), lvl, "guest log", "module", e.name, "message", msg)
}

func (e *extismEngine) discard(inst *extismInstance) {
	e.h.names.Delete(inst.plugin)
	_ = inst.plugin.Close(context.Background())
}

func (e *extismEngine) call(ctx context.Context, c Call, req []byte) ([]byte, bool, error) {
	return serve(ctx, e.pool, e.h, e.name, c, req)
}

func (inst *extismInstance) output() string { return inst.out.String() }

// close closes every instance and the compiled plugin (and its runtime). No
// call is in flight.
func (e *extismEngine) close(ctx context.Context) error {
	e.pool.close()
	return e.compiled.Close(ctx)
}

// call runs one export under its deadline. discard reports that the
// instance must not be used again. An error the guest reports (Extism's
// error_set, or a non-zero return code) is a *wire.GuestError with code
// INTERNAL and keeps the instance.
func (inst *extismInstance) call(ctx context.Context, cfg Config, c Call, req []byte) (resp []byte, discard bool, err error) {
	d := cfg.deadlines[c]
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	export := extismExports[c]
	rc, out, err := inst.plugin.CallWithContext(ctx, export, req)
	if inst.closed.Load() || (err != nil && ctx.Err() != nil) {
		if err == nil {
			err = errors.New("the guest exited with code 0 during the call: instance closed")
			return nil, true, fmt.Errorf("%s: %w", export, err)
		}
		return nil, true, trapError(ctx, d, export, err)
	}
	if err != nil {
		// The SDK returns the guest's error message as a plain error; any
		// other error is a trap (or a failure of the SDK's kernel).
		if msg := inst.plugin.GetError(); msg != "" && msg == err.Error() {
			return nil, false, &wire.GuestError{Code: wire.CodeInternal, Message: msg}
		}
		return nil, true, trapError(ctx, d, export, err)
	}
	if rc != 0 {
		return nil, false, &wire.GuestError{Code: wire.CodeInternal, Message: fmt.Sprintf("%s returned %d without an error message", export, int32(rc))}
	}
	if len(out) > cfg.maxMessageSize {
		return nil, true, fmt.Errorf("response of %d bytes exceeds the cap of %d", len(out), cfg.maxMessageSize)
	}
	return out, false, nil
}
