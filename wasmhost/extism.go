package wasmhost

import (
	"context"
	"errors"

	"github.com/wido-dev/wido/abi/actuator"
)

// newExtismEngine runs a module built with an Extism PDK.
func (h *host) newExtismEngine(ctx context.Context, name string, wasm []byte, config map[string]string) (engine, actuator.Info, error) {
	return nil, actuator.Info{}, &ModuleError{Module: name, Reason: "is an Extism module; Extism support is not built yet", Err: errors.ErrUnsupported}
}
