package wasmhost

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/planner"
)

// Call names a call of the ABI.
type Call int

// The calls of the ABI, in the order of their deadlines.
const (
	Describe Call = iota
	NextState
	Perform
	Effect
	numCalls
)

// String returns the call's name as in the ABI's exports.
func (c Call) String() string {
	switch c {
	case Describe:
		return "describe"
	case NextState:
		return "next_state"
	case Perform:
		return "perform"
	case Effect:
		return "effect"
	}
	return "call(" + fmt.Sprint(int(c)) + ")"
}

// Kind is the kind of a module: which ABI it speaks.
type Kind int

const (
	// KindWido is a module of wido's own ABI (abi/ABI.md): the fast path.
	KindWido Kind = iota + 1
	// KindExtism is a module built with an Extism PDK.
	KindExtism
)

// String names the kind as `wido plugin validate` prints it.
func (k Kind) String() string {
	switch k {
	case KindWido:
		return "wido ABI v1"
	case KindExtism:
		return "Extism"
	}
	return "unknown"
}

// Host compiles, validates and runs actuator modules.
//
// This is an interface for decoupling, not third-party implementations.
type Host interface {
	// Load compiles wasm, validates it, describes it with config (the
	// actuator's configuration, values as text), pre-warms its instances and
	// returns it. name identifies the module in errors and logs (usually its
	// file or ConfigMap name). Load is goroutine-safe.
	//
	// # Errors
	//
	// A *ModuleError naming why the module is refused (not Wasm, a missing
	// or wrong export, an import from a module the ABI does not allow, a
	// describe that fails or does not return in time, …); ctx's error; or
	// ErrClosed.
	Load(ctx context.Context, name string, wasm []byte, config map[string]string) (Module, error)
	// Close closes every module and the runtime. Calls in flight fail.
	Close(ctx context.Context) error
}

// Module is a loaded actuator module. It is a planner.Actuator; all methods
// are goroutine-safe.
//
// This is an interface for decoupling, not third-party implementations.
type Module interface {
	planner.Actuator
	// Info is what the module's describe returned.
	Info() actuator.Info
	// Kind says which ABI the module speaks.
	Kind() Kind
	// Swap loads a new version of the module's code (and configuration) and
	// makes it current atomically: calls that start afterwards use it, calls
	// in flight finish on the old version, which is closed when the last of
	// them returns.
	//
	// # Errors
	//
	// As Load; or a new version whose describe names another actuator. The
	// current version stays in place on any error.
	Swap(ctx context.Context, wasm []byte, config map[string]string) error
	// Stats returns the module's counters.
	Stats() Stats
	// Close unloads the module once calls in flight have finished. Later
	// calls fail with ErrClosed. Closing twice is a no-op.
	Close(ctx context.Context) error
}

// Stats counts a module's calls, across its versions.
type Stats struct {
	// Calls made and, of those, Failed (any error, guest-reported included).
	Calls, Failed uint64
	// Discarded instances (trap, deadline, exit, malformed answer).
	Discarded uint64
	// Swaps performed.
	Swaps uint64
}

// New starts a Host: one wazero runtime with the compilation cache, the
// memory cap and close-on-context-done, WASI preview 1 without files,
// network or environment, and wido's host module (logging).
//
// # Errors
//
// An invalid Config (memory limit, instances, message size or a deadline
// out of range), or a cache directory that cannot be created.
func New(ctx context.Context, cfg Config) (Host, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	h := &host{cfg: cfg, modules: map[*module]struct{}{}}
	rc := h.runtimeConfig()
	if cfg.cacheDir != "" {
		if err := os.MkdirAll(cfg.cacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("wasmhost: cache dir: %w", err)
		}
		cache, err := wazero.NewCompilationCacheWithDir(cfg.cacheDir)
		if err != nil {
			return nil, fmt.Errorf("wasmhost: cache dir: %w", err)
		}
		h.cache = cache
	} else {
		// In memory: a module compiles once per host even when the Extism
		// runtime, which is separate, compiles it again.
		h.cache = wazero.NewCompilationCache()
	}
	rc = rc.WithCompilationCache(h.cache)
	h.rt = wazero.NewRuntimeWithConfig(ctx, rc)
	if err := h.instantiateHostModules(ctx); err != nil {
		_ = h.rt.Close(ctx)
		return nil, err
	}
	return h, nil
}

func (c Config) validate() error {
	switch {
	case c.memoryLimit < 1<<16 || c.memoryLimit > MaxMemoryLimit:
		return fmt.Errorf("wasmhost: memory limit %d bytes: must be between 64 KiB and 4 GiB", c.memoryLimit)
	case c.instances < 1 || c.instances > 1024:
		return fmt.Errorf("wasmhost: instances %d: must be between 1 and 1024", c.instances)
	case c.maxMessageSize < 1<<10 || c.maxMessageSize > 1<<30:
		return fmt.Errorf("wasmhost: max message size %d: must be between 1 KiB and 1 GiB", c.maxMessageSize)
	}
	for call, d := range c.deadlines {
		if d <= 0 {
			return fmt.Errorf("wasmhost: deadline of %s: must be positive", Call(call))
		}
	}
	return nil
}

// memoryPages is the memory cap in 64 KiB pages.
func (c Config) memoryPages() uint32 { return uint32(c.memoryLimit >> 16) }

func (h *host) runtimeConfig() wazero.RuntimeConfig {
	return wazero.NewRuntimeConfig().
		WithCloseOnContextDone(true).
		WithMemoryLimitPages(h.cfg.memoryPages())
}

type host struct {
	cfg   Config
	rt    wazero.Runtime
	cache wazero.CompilationCache
	// wasi lists the functions of WASI preview 1 a guest may import.
	wasi map[string]api.FunctionDefinition
	// names maps a live guest instance to its module's name, for logs.
	names sync.Map

	mu      sync.Mutex
	closed  bool
	modules map[*module]struct{}
	// live counts engines not yet closed; Close waits for them, because an
	// instance's memory must not be unmapped while a call runs in it.
	live sync.WaitGroup
}

// The modules a guest may import from (abi/ABI.md, "Imports").
const (
	wasiModule   = wasi_snapshot_preview1.ModuleName
	hostModule   = "wido_host_v1"
	hostLog      = "log"
	extismModule = "extism:host/env"
	maxLogLength = 4 << 10
)

func (h *host) instantiateHostModules(ctx context.Context) error {
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, h.rt); err != nil {
		return fmt.Errorf("wasmhost: WASI: %w", err)
	}
	h.wasi = h.rt.Module(wasiModule).ExportedFunctionDefinitions()
	_, err := h.rt.NewHostModuleBuilder(hostModule).
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(h.log), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32, api.ValueTypeI32}, nil).
		WithParameterNames("level", "ptr", "len").
		Export(hostLog).
		Instantiate(ctx)
	if err != nil {
		return fmt.Errorf("wasmhost: host module: %w", err)
	}
	return nil
}

// log implements wido_host_v1.log.
func (h *host) log(ctx context.Context, mod api.Module, stack []uint64) {
	level, ptr, size := uint32(stack[0]), uint32(stack[1]), uint32(stack[2])
	size = min(size, maxLogLength)
	msg, ok := mod.Memory().Read(ptr, size)
	if !ok {
		msg = []byte("(log message outside the guest's memory)")
	}
	name, _ := h.names.Load(mod)
	lvl := slog.LevelDebug
	switch level {
	case 1:
		lvl = slog.LevelInfo
	case 2:
		lvl = slog.LevelWarn
	case 3:
		lvl = slog.LevelError
	}
	h.cfg.logger.Log(ctx, lvl, "guest log", "module", name, "message", string(msg))
}

func (h *host) Load(ctx context.Context, name string, wasm []byte, config map[string]string) (Module, error) {
	eng, info, err := h.newEngine(ctx, name, wasm, config)
	if err != nil {
		return nil, err
	}
	m := &module{host: h, name: name}
	m.cur = newVersion(h, eng, info)
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		h.closeEngine(ctx, eng)
		return nil, ErrClosed
	}
	h.modules[m] = struct{}{}
	h.mu.Unlock()
	return m, nil
}

// newEngine compiles and validates wasm and returns the engine that runs it,
// with the actuator's info from describe.
//
// A returned engine counts as live until closeEngine.
func (h *host) newEngine(ctx context.Context, name string, wasm []byte, config map[string]string) (_ engine, _ actuator.Info, err error) {
	if err := h.begin(); err != nil {
		return nil, actuator.Info{}, err
	}
	defer func() {
		if err != nil {
			h.live.Done()
		}
	}()
	refuse := func(reason string, err error) (engine, actuator.Info, error) {
		return nil, actuator.Info{}, &ModuleError{Module: name, Reason: reason, Err: err}
	}
	if err := checkHeader(wasm); err != nil {
		return refuse(err.Error(), nil)
	}
	start := time.Now()
	compiled, err := h.rt.CompileModule(ctx, wasm)
	if err != nil {
		if ctx.Err() != nil {
			return nil, actuator.Info{}, ctx.Err()
		}
		return refuse("does not compile", err)
	}
	h.cfg.logger.Debug("module compiled", "module", name, "elapsed", time.Since(start))
	kind, err := h.classify(compiled)
	if err != nil {
		_ = compiled.Close(ctx)
		return refuse(err.Error(), nil)
	}
	var eng engine
	var info actuator.Info
	switch kind {
	case KindWido:
		eng, info, err = h.newABIEngine(ctx, name, compiled, config)
	case KindExtism:
		_ = compiled.Close(ctx)
		eng, info, err = h.newExtismEngine(ctx, name, wasm, config)
	}
	if err != nil {
		var me *ModuleError
		if errors.As(err, &me) || errors.Is(err, ErrClosed) || ctx.Err() != nil {
			return nil, actuator.Info{}, err
		}
		return refuse("describe failed", err)
	}
	if info.Name == "" {
		_ = eng.close(ctx)
		return refuse("describe returned no actuator name", nil)
	}
	if info.Group == "" {
		info.Group = info.Name
	}
	return eng, info, nil
}

// begin counts a new engine as live, unless the host is closed.
func (h *host) begin() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrClosed
	}
	h.live.Add(1)
	return nil
}

// closeEngine closes an engine no call runs in.
func (h *host) closeEngine(ctx context.Context, eng engine) {
	_ = eng.close(ctx)
	h.live.Done()
}

func (h *host) forget(m *module) {
	h.mu.Lock()
	delete(h.modules, m)
	h.mu.Unlock()
}

func (h *host) Close(ctx context.Context) error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	mods := make([]*module, 0, len(h.modules))
	for m := range h.modules {
		mods = append(mods, m)
	}
	h.mu.Unlock()
	for _, m := range mods {
		_ = m.Close(ctx)
	}
	// Calls in flight finish (each within its deadline) before the runtime
	// closes their instances.
	done := make(chan struct{})
	go func() {
		h.live.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("wasmhost: close: calls still in flight, runtime left open: %w", ctx.Err())
	}
	err := h.rt.Close(ctx)
	if h.cache != nil {
		err = errors.Join(err, h.cache.Close(ctx))
	}
	return err
}
