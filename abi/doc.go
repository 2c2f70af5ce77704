// Package abi holds the contract between wido and its actuators.
//
// It owns the types both sides speak (package abi/actuator), the protobuf
// schema shared by the Wasm boundary and the gRPC wire (abi/proto, generated
// into abi/pluginpb for the host and gRPC plugins), the Wasm ABI
// specification (ABI.md), the small wire codec Wasm guests and the host use
// instead of the protobuf runtime (abi/wire), and the Go guest SDK
// (abi/guest). It imports nothing of wido but itself. Code linked into Wasm
// guests (abi/actuator, abi/wire, abi/guest) must not pull in fmt,
// encoding/json, reflect or the protobuf runtime; abi/imports_test.go
// enforces it.
package abi
