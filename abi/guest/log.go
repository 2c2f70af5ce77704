package guest

// Level is the severity of a log message.
type Level uint32

// Log levels, as the host's log import numbers them.
const (
	LevelDebug Level = iota
	LevelInfo
	LevelWarn
	LevelError
)

// Log writes msg to wido's log, attributed to this module. The host cuts
// messages longer than 4 KiB. Logging is for operators reading wido's
// logs; an actuator reports failures by returning an error.
func Log(level Level, msg string) {
	writeLog(level, msg)
}
