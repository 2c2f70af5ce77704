package wire

import (
	"errors"
	"strconv"
)

// DecodeError reports input that is not a valid encoding of the message
// being decoded: bad framing (a truncated varint, a length past the end of
// the input, an unexpected end-group), a string that is not UTF-8, or an
// enum value the conversion refuses (a profile type or operation kind this
// schema does not define).
type DecodeError struct {
	// Path says where the problem is: the message and the fields leading to
	// the bad one, e.g. "NextStateRequest.state.current_pods". Fields are
	// named as in plugins.proto; unknown fields by number; the elements of
	// repeated fields by index ("states[2]"); the parts of a map entry
	// "key" and "value", and a map value checked as a whole by its key
	// (`profiles["p99"]`).
	Path string
	// Reason says what is wrong, e.g. "truncated length".
	Reason string
}

var _ error = (*DecodeError)(nil)

// Error returns "wire: <path>: <reason>".
func (e *DecodeError) Error() string {
	return "wire: " + e.Path + ": " + e.Reason
}

// in prefixes the path with the name of the field (or message) that
// contains the problem, and returns e.
func (e *DecodeError) in(name string) *DecodeError {
	switch {
	case e.Path == "":
		e.Path = name
	case e.Path[0] == '[':
		e.Path = name + e.Path
	default:
		e.Path = name + "." + e.Path
	}
	return e
}

// at prefixes the path with the index of a repeated field's element.
func (e *DecodeError) at(i int) *DecodeError {
	return e.in("[" + strconv.Itoa(i) + "]")
}

// IsMalformed reports whether err is (or wraps) a *DecodeError: bytes that
// do not decode. For DecodeEnvelope it tells a broken envelope (false for a
// *GuestError, which is a well-formed envelope carrying the guest's error).
func IsMalformed(err error) bool {
	var de *DecodeError
	return errors.As(err, &de)
}

func malformed(reason string) *DecodeError {
	return &DecodeError{Reason: reason}
}

// ErrorCode classifies a guest's error: the ErrorCode enum of plugins.proto.
// Values this package does not name are kept as they are (proto3 enums are
// open).
type ErrorCode int32

// The error codes of plugins.proto.
const (
	// CodeUnspecified is ERROR_UNSPECIFIED, a guest that gave no code.
	CodeUnspecified ErrorCode = 0
	// CodeInvalidArgument is INVALID_ARGUMENT: the request could not be
	// decoded or is not acceptable.
	CodeInvalidArgument ErrorCode = 1
	// CodeInternal is INTERNAL: the guest failed, e.g. a recovered panic.
	CodeInternal ErrorCode = 2
	// CodeUnimplemented is UNIMPLEMENTED: the guest does not implement the
	// call.
	CodeUnimplemented ErrorCode = 3
)

// String returns the code in lower case words ("invalid argument"), or
// "ErrorCode(<n>)" for a value plugins.proto does not define.
func (c ErrorCode) String() string {
	switch c {
	case CodeUnspecified:
		return "unspecified"
	case CodeInvalidArgument:
		return "invalid argument"
	case CodeInternal:
		return "internal"
	case CodeUnimplemented:
		return "unimplemented"
	}
	return "ErrorCode(" + strconv.Itoa(int(c)) + ")"
}

// GuestError is the error a guest reported in its envelope: the call reached
// the guest and the guest answered, with an error.
type GuestError struct {
	Code    ErrorCode
	Message string
}

var _ error = (*GuestError)(nil)

// Error returns "<code>: <message>", e.g. "internal: next_state: panic: …",
// or only the code when the message is empty.
func (e *GuestError) Error() string {
	if e.Message == "" {
		return e.Code.String()
	}
	return e.Code.String() + ": " + e.Message
}
