//go:build wasip1

package guest

import (
	"runtime"
	"unsafe"
)

// The ABI's exports (abi/ABI.md). Each returns the envelope as
// pointer<<32 | length; the envelope lives in the dispatcher's reused
// buffer until the next call.

//go:wasmexport wido_abi_v1
func abiMarker() {}

//go:wasmexport wido_v1_buffer
func exportBuffer(size uint32) uint32 {
	b := current.buffer(int(size))
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}

//go:wasmexport wido_v1_describe
func exportDescribe(ptr, size uint32) uint64 { return serve(Describe, ptr, size) }

//go:wasmexport wido_v1_next_state
func exportNextState(ptr, size uint32) uint64 { return serve(NextState, ptr, size) }

//go:wasmexport wido_v1_perform
func exportPerform(ptr, size uint32) uint64 { return serve(Perform, ptr, size) }

//go:wasmexport wido_v1_effect
func exportEffect(ptr, size uint32) uint64 { return serve(Effect, ptr, size) }

func serve(kind CallKind, ptr, size uint32) uint64 {
	var req []byte
	if size > 0 {
		req = unsafe.Slice((*byte)(unsafe.Pointer(uintptr(ptr))), size)
	}
	env := current.call(kind, req)
	if current.yieldDue(kind, len(req)+len(env)) {
		// Let the runtime run the goroutines a call cannot: the garbage
		// collector's background workers (see yieldDue).
		runtime.Gosched()
	}
	return uint64(uintptr(unsafe.Pointer(unsafe.SliceData(env))))<<32 | uint64(len(env))
}
