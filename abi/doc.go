// Package abi holds the contract between wido and its actuators.
//
// It owns the types both sides speak (package abi/actuator) and, as the
// project grows, the protobuf schema shared by the Wasm boundary and the
// gRPC wire, the Wasm ABI specification, and the SDKs actuator authors
// build against. It imports nothing of wido but itself, so that a guest
// module built from it stays small: code under abi/ must not pull in fmt,
// encoding/json or reflect-heavy packages.
package abi
