package wasmhost

import (
	"errors"
	"strings"
)

// ModuleError says why a module was refused at load time. Reason names the
// problem in words an actuator author can act on.
type ModuleError struct {
	// Module is the name the module was loaded under (often its file name).
	Module string
	Reason string
	Err    error // the underlying error, if any
}

func (e *ModuleError) Error() string {
	var b strings.Builder
	b.WriteString("wasmhost: module ")
	if e.Module != "" {
		b.WriteString(e.Module + " ")
	}
	b.WriteString("refused: " + e.Reason)
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *ModuleError) Unwrap() error { return e.Err }

// IsModuleError reports whether err says a module was refused.
func IsModuleError(err error) bool {
	var me *ModuleError
	return errors.As(err, &me)
}

// CallError is a failed call into a module.
type CallError struct {
	Module string
	Call   Call
	// Discarded is true when the instance was discarded: a trap, a deadline,
	// an exit or a malformed answer. A guest-reported error (Err is a
	// *wire.GuestError) keeps the instance.
	Discarded bool
	// Output holds the end of what the instance wrote to stdout/stderr, if
	// anything; it often carries a Go guest's panic message.
	Output string
	Err    error
}

func (e *CallError) Error() string {
	s := "wasmhost: " + e.Module + " " + e.Call.String() + ": " + e.Err.Error()
	if e.Output != "" {
		s += " (guest output: " + e.Output + ")"
	}
	return s
}

func (e *CallError) Unwrap() error { return e.Err }

// ErrClosed is returned by calls on a closed Module or Host.
var ErrClosed = errors.New("wasmhost: closed")
