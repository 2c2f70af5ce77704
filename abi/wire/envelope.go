package wire

// Envelope is what every export of the Wasm ABI returns (abi/ABI.md):
//
//	message Envelope { oneof outcome { bytes result = 1; Error error = 2; } }
//	message Error { ErrorCode code = 1; string message = 2; }

var (
	envelopeFields = []string{1: "result", 2: "error"}
	errorFields    = []string{1: "code", 2: "message"}
)

// AppendResultEnvelope appends an Envelope whose result is result, the
// encoded response message. An empty result is still written: the envelope
// then says "an empty response", not "nothing".
func AppendResultEnvelope(dst, result []byte) []byte {
	dst = appendTag(dst, 1, bytesType)
	dst = appendVarint(dst, uint64(len(result)))
	return append(dst, result...)
}

// AppendErrorEnvelope appends an Envelope carrying the guest's error. The
// message should be UTF-8: DecodeEnvelope (like protobuf-go) refuses an
// envelope whose message is not.
func AppendErrorEnvelope(dst []byte, code ErrorCode, message string) []byte {
	dst, start := beginMessage(dst, 2)
	dst = appendInt64(dst, 1, int64(code))
	dst = appendString(dst, 2, message)
	return endMessage(dst, start)
}

// DecodeEnvelope decodes an Envelope. It returns the result bytes, or the
// error the guest reported as a *GuestError. As in protobuf-go, when both
// fields appear the last one wins, and an error that appears twice in a row
// is merged.
//
// # Notes
//
//   - result is a view of b, not a copy: it shares b's memory (its capacity
//     ends where it does, so appending to it never writes into b). Copy it
//     before b is reused, e.g. before the next call into the guest.
//   - An empty result is a non-nil, empty slice.
//
// # Errors
//
//   - A *GuestError when the envelope carries an error: the guest answered.
//     Codes this package does not name are kept as they are.
//   - A *DecodeError (IsMalformed reports true) when b is not a well-formed
//     envelope: bad framing, an error message that is not UTF-8, or neither
//     result nor error set.
func DecodeEnvelope(b []byte) (result []byte, err error) {
	var (
		outcome uint64 // the field number of the case that is set, or 0
		ge      GuestError
	)
	derr := decodeFields(b, envelopeFields, func(f field) *DecodeError {
		switch {
		case f.is(1, bytesType):
			outcome, result = 1, f.b[:len(f.b):len(f.b)]
		case f.is(2, bytesType):
			if outcome != 2 {
				ge = GuestError{}
			}
			outcome = 2
			return decodeFields(f.b, errorFields, func(f field) *DecodeError {
				var err *DecodeError
				switch {
				case f.is(1, varintType):
					ge.Code = ErrorCode(int32(f.u))
				case f.is(2, bytesType):
					ge.Message, err = f.str()
				}
				return err
			})
		}
		return nil
	})
	switch {
	case derr != nil:
		return nil, derr.in("Envelope")
	case outcome == 1:
		return result, nil
	case outcome == 2:
		return nil, &GuestError{Code: ge.Code, Message: ge.Message} // ge itself stays on the stack
	}
	return nil, malformed("neither result nor error set").in("Envelope")
}
