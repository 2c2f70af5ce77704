// Command wasm is the scalecpu actuator as a Wasm module of wido's ABI:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -ldflags='-s -w' -o scalecpu.wasm ./plugins/scalecpu/wasm
//
// (make plugins builds it into bin/plugins/). The logic is package scalecpu's,
// the same code wido runs in-process with --native.
package main

import (
	"github.com/wido-dev/wido/abi/guest"
	"github.com/wido-dev/wido/plugins/scalecpu"
)

func init() { guest.Register(scalecpu.Build) }

// main is never called: a reactor module runs only its init functions.
func main() {}
