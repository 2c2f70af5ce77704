//go:build linux

package wasmhost

import (
	"context"
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
)

// withGuestMemory makes instances created with ctx map their linear memory
// outside the Go heap: the whole cap is reserved at once (MAP_NORESERVE, so
// only touched pages cost), a memory.grow never copies, and guest memory
// neither counts toward the Go heap nor is scanned by the collector.
// wazero's default appends to a Go slice, copying the whole memory on every
// growth: a Go guest growing to 64 MiB copies about half a gigabyte.
//
// The mapping is released when the instance closes; the host closes an
// instance only when no call is running in it (see host.Close).
func withGuestMemory(ctx context.Context) context.Context {
	return experimental.WithMemoryAllocator(ctx, experimental.MemoryAllocatorFunc(newMappedMemory))
}

type mappedMemory struct {
	max uint64
	buf []byte
}

func newMappedMemory(_, max uint64) experimental.LinearMemory {
	return &mappedMemory{max: max}
}

// Reallocate implements experimental.LinearMemory. It returns nil (the
// guest's memory.grow fails) when size passes the reservation or the
// reservation cannot be made.
func (m *mappedMemory) Reallocate(size uint64) []byte {
	if m.buf == nil {
		if m.max == 0 || m.max > MaxMemoryLimit {
			return nil
		}
		b, err := syscall.Mmap(-1, 0, int(m.max), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
		if err != nil {
			return nil
		}
		m.buf = b
	}
	if size > uint64(len(m.buf)) {
		return nil
	}
	return m.buf[:size]
}

// Free implements experimental.LinearMemory.
func (m *mappedMemory) Free() {
	if m.buf != nil {
		_ = syscall.Munmap(m.buf)
		m.buf = nil
	}
}
