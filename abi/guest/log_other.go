//go:build !wasip1

package guest

// writeLog outside a Wasm guest hands the message to logSink, so tests can
// see it.
func writeLog(level Level, msg string) {
	if logSink != nil {
		logSink(level, msg)
	}
}

var logSink func(Level, string)
