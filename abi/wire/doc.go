// Package wire encodes and decodes the payloads of the Wasm ABI (the messages
// of abi/proto/plugins.proto) in protobuf wire format, directly from and to
// the Go types of abi/actuator, without the protobuf-go runtime.
//
// It owns the byte-level encoding of every message a Wasm call carries
// (DescribeRequest, ActuatorInfo, the requests and responses of NextState,
// Perform and Effect) and of the Envelope every export returns. It does not
// own the schema (abi/proto), the host side's generated code (abi/pluginpb)
// or the calling convention (abi/ABI.md, abi/guest, wasmhost).
//
// Both guest and host use it: a Wasm guest cannot afford protobuf-go (with
// fmt and reflect it would not fit a ConfigMap), and the host uses the same
// code so that both sides agree byte for byte.
//
// # Notes
//
//   - The semantics are those of protobuf-go followed by the conversions of
//     abi/pluginpb (FromXxx is what the encoders write, ToXxx what the
//     decoders return): bytes that proto.Unmarshal plus a ToXxx conversion
//     accept decode here to a value that compares equal with
//     reflect.DeepEqual, and bytes that they refuse are refused here. The
//     tests and fuzz tests of this package check exactly that.
//   - Decoding is proto3's: unknown fields (of any wire type, groups
//     included) and known fields of the wrong wire type are skipped; the
//     last value of a scalar field wins; an embedded message that appears
//     twice is merged; a map entry missing its key or value has the zero
//     value there, and a later entry replaces an earlier one with the same
//     key; repeated doubles are accepted packed and unpacked; strings must be
//     valid UTF-8; enum values this schema does not define are refused where
//     pluginpb refuses them (profile types, operation kinds).
//   - An absent map or slice decodes as nil, as pluginpb's ToXxx produce
//     it. Two cases decode as empty, non-nil maps, again as in pluginpb: a
//     Model that is present on the wire without parameters, and a map field
//     that appears with the wrong wire type (protobuf-go makes the map before
//     it skips the field).
//   - Encoders write fields in field-number order, map entries sorted by
//     key, and omit fields at their zero value, so the output equals
//     protobuf-go's deterministic marshal of the FromXxx message byte for
//     byte. They do not check strings: a string that is not valid UTF-8 is
//     written as is, and every decoder (this one and protobuf-go's) refuses
//     the result.
//   - Decoded values never share memory with the input, except the result
//     bytes DecodeEnvelope returns.
//   - Limits: decoding allocates in proportion to the input, never more; a
//     length prefix is checked against the remaining input before anything
//     is allocated for it. Messages of this schema nest a bounded number of
//     levels (it has no recursive message); unknown groups may nest up to
//     10000 levels, protobuf-go's limit.
//   - The package imports only abi/actuator and small standard packages
//     (no fmt, reflect, encoding/json or protobuf runtime); abi's import
//     test enforces it.
//   - All functions are goroutine-safe and never modify their arguments.
package wire
