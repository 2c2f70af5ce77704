//go:build wasip1

package guest

import "unsafe"

//go:wasmimport wido_host_v1 log
func hostLog(level, ptr, size uint32)

func writeLog(level Level, msg string) {
	if len(msg) == 0 {
		return
	}
	hostLog(uint32(level), uint32(uintptr(unsafe.Pointer(unsafe.StringData(msg)))), uint32(len(msg)))
}
