// Package abi holds the contract between wido and its actuators.
//
// It owns the types both sides speak (package abi/actuator), the protobuf
// schema shared by the Wasm boundary and the gRPC wire (abi/proto, generated
// into abi/pluginpb) and, as the project grows, the Wasm ABI specification
// and the SDKs actuator authors build against. It imports nothing of wido
// but itself. Code linked into Wasm guests (abi/actuator, the guest SDK)
// must not pull in fmt, encoding/json or reflect-heavy packages; the
// generated protobuf code is for the host and gRPC plugins only.
package abi
