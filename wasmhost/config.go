package wasmhost

import (
	"log/slog"
	"time"
)

// Config configures a Host. It is immutable: each WithXxx returns a new
// Config. Values are validated by New.
type Config struct {
	cacheDir        string
	memoryLimit     uint64
	deadlines       [numCalls]time.Duration
	instances       int
	maxMessageSize  int
	logger          *slog.Logger
	validateTimeout time.Duration
}

// Defaults, as abi/ABI.md states them.
const (
	DefaultMemoryLimit     = 128 << 20
	DefaultInstances       = 4
	DefaultMaxMessageSize  = 16 << 20
	DefaultDescribeTimeout = time.Second
	DefaultCallTimeout     = time.Second
	DefaultEffectTimeout   = 10 * time.Second
	// MaxMemoryLimit is the largest memory a 32-bit guest can address.
	MaxMemoryLimit = 4 << 30
)

// NewConfig returns the default configuration: an in-memory compilation
// cache,
// 128 MiB of memory per instance, 4 instances per module, 16 MiB messages,
// deadlines of 1 s for describe, next_state and perform and 10 s for effect,
// and logs discarded.
func NewConfig() Config {
	return Config{
		memoryLimit:     DefaultMemoryLimit,
		deadlines:       [numCalls]time.Duration{DefaultDescribeTimeout, DefaultCallTimeout, DefaultCallTimeout, DefaultEffectTimeout},
		instances:       DefaultInstances,
		maxMessageSize:  DefaultMaxMessageSize,
		validateTimeout: DefaultDescribeTimeout,
	}
}

// WithCacheDir keeps compiled machine code in dir (created if missing), so a
// module compiles once per host machine and wazero version. Empty: the cache
// lives in memory, for the Host's lifetime.
func (c Config) WithCacheDir(dir string) Config { c.cacheDir = dir; return c }

// WithMemoryLimit caps each instance's linear memory, in bytes (rounded down
// to 64 KiB pages, at least one page, at most 4 GiB).
func (c Config) WithMemoryLimit(bytes uint64) Config { c.memoryLimit = bytes; return c }

// WithDeadline sets the deadline of one kind of call. The instance running
// a call past its deadline is closed and discarded.
func (c Config) WithDeadline(call Call, d time.Duration) Config {
	if call >= 0 && call < numCalls {
		c.deadlines[call] = d
	} else {
		c.deadlines = [numCalls]time.Duration{} // refused by New
	}
	return c
}

// WithInstances sets how many instances a module keeps; all are created
// (pre-warmed) when the module is loaded. A call waits for a free instance.
func (c Config) WithInstances(n int) Config { c.instances = n; return c }

// WithMaxMessageSize caps requests and responses, in bytes.
func (c Config) WithMaxMessageSize(n int) Config { c.maxMessageSize = n; return c }

// WithLogger receives guests' log messages (the wido_host_v1.log import)
// and the host's own warnings. Nil discards them.
func (c Config) WithLogger(l *slog.Logger) Config { c.logger = l; return c }
