package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wido-dev/wido/cmd/wido/internal/builtin"
	"github.com/wido-dev/wido/cmd/wido/internal/scenario"
	"github.com/wido-dev/wido/planner"
	"github.com/wido-dev/wido/wasmhost"
)

// pluginsDirEnv overrides where the shipped actuators' modules are found.
const pluginsDirEnv = "WIDO_PLUGINS_DIR"

// actuatorOptions says how `wido plan` gets its actuators.
type actuatorOptions struct {
	// native runs the shipped actuators in-process instead of as modules.
	native bool
	// pluginsDir holds the shipped modules, <name>.wasm in lower case.
	pluginsDir string
	// modules are users' actuator modules, added to the scenario's.
	modules []string
}

// defaultPluginsDir is $WIDO_PLUGINS_DIR, or plugins/ next to the wido
// binary (make build puts bin/wido and bin/plugins/ side by side).
func defaultPluginsDir() string {
	if dir := os.Getenv(pluginsDirEnv); dir != "" {
		return dir
	}
	exe, err := os.Executable()
	if err != nil {
		return "plugins"
	}
	return filepath.Join(filepath.Dir(exe), "plugins")
}

// newWasmHost starts the host `wido` runs modules in: one instance per
// module (a plan calls one actuator at a time) and a compilation cache in
// the user's cache directory, so a module compiles once per machine.
func newWasmHost(ctx context.Context) (wasmhost.Host, error) {
	cfg := wasmhost.NewConfig().WithInstances(1)
	if dir, err := os.UserCacheDir(); err == nil {
		cfg = cfg.WithCacheDir(filepath.Join(dir, "wido", "wazero"))
	}
	return wasmhost.New(ctx, cfg)
}

// actuatorSet is the actuators of one plan and what must be closed after.
type actuatorSet struct {
	list []planner.Actuator
	host wasmhost.Host
}

func (s *actuatorSet) Close(ctx context.Context) {
	if s.host != nil {
		_ = s.host.Close(ctx)
	}
}

// buildActuators builds the scenario's actuators (all shipped ones with
// their defaults when it lists none) plus the user's modules. A scenario
// may configure a user's module by its name.
func buildActuators(ctx context.Context, sc *scenario.Scenario, opts actuatorOptions) (*actuatorSet, error) {
	set := &actuatorSet{}
	ok := false
	defer func() {
		if !ok {
			set.Close(ctx)
		}
	}()
	if !opts.native || len(opts.modules) > 0 {
		h, err := newWasmHost(ctx)
		if err != nil {
			return nil, err
		}
		set.host = h
	}
	specs := sc.Actuators
	if len(specs) == 0 {
		for _, name := range builtin.Names() {
			specs = append(specs, scenario.Actuator{Name: name})
		}
	}
	configs := map[string][]byte{}
	for _, spec := range specs {
		configs[spec.Name] = spec.Config
	}
	used := map[string]bool{}
	// Users' modules first: a module may bear a name the scenario configures.
	for _, path := range opts.modules {
		m, err := loadModule(ctx, set.host, path, nil)
		if err != nil {
			return nil, err
		}
		name := m.Name()
		if used[name] {
			return nil, fmt.Errorf("--actuator %s: actuator %q is given twice", path, name)
		}
		if config, ok := configs[name]; ok && len(config) > 0 {
			_ = m.Close(ctx)
			if m, err = loadModule(ctx, set.host, path, config); err != nil {
				return nil, err
			}
		}
		set.list = append(set.list, m)
		used[name] = true
	}
	for _, spec := range specs {
		if used[spec.Name] {
			continue
		}
		a, err := shippedActuator(ctx, set.host, spec, opts)
		if err != nil {
			return nil, err
		}
		set.list = append(set.list, a)
		used[spec.Name] = true
	}
	for _, name := range sc.ModelNames() {
		if !used[name] {
			return nil, fmt.Errorf("models are given for actuator %q, which the scenario does not use", name)
		}
	}
	ok = true
	return set, nil
}

// shippedActuator builds a shipped actuator in-process or from its module.
func shippedActuator(ctx context.Context, h wasmhost.Host, spec scenario.Actuator, opts actuatorOptions) (planner.Actuator, error) {
	if opts.native {
		return builtin.New(spec.Name, spec.Config)
	}
	if !builtin.Shipped(spec.Name) {
		return nil, fmt.Errorf("unknown actuator %q (shipped: %s; add others with --actuator PATH.wasm)", spec.Name, strings.Join(builtin.Names(), ", "))
	}
	path := filepath.Join(opts.pluginsDir, strings.ToLower(spec.Name)+".wasm")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("actuator %s: module %s not found (build the shipped modules with `make plugins`, point --plugins-dir or $%s at them, or use --native)", spec.Name, path, pluginsDirEnv)
	}
	m, err := loadModule(ctx, h, path, spec.Config)
	if err != nil {
		return nil, err
	}
	if m.Name() != spec.Name {
		return nil, fmt.Errorf("module %s describes actuator %q, not %q", path, m.Name(), spec.Name)
	}
	return m, nil
}

// loadModule loads a module file with a scenario's JSON configuration.
func loadModule(ctx context.Context, h wasmhost.Host, path string, config []byte) (wasmhost.Module, error) {
	wasm, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	settings, err := builtin.ConfigMap(config)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return h.Load(ctx, filepath.Base(path), wasm, settings)
}
