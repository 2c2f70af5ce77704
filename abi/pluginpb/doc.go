// Package pluginpb is the Go code generated from abi/proto/plugins.proto:
// the messages of the Wasm ABI's payloads and the gRPC services of remote
// plugins, wire-compatible with IDO's plugins v1alpha1 API.
//
// It is for the host and for remote gRPC plugins. Wasm guests do not link
// it: the protobuf-go runtime alone would outgrow a ConfigMap; the guest SDK
// encodes the same wire format with its own small codec.
//
// Regenerate with `make generate`.
package pluginpb
