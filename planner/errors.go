package planner

import (
	"errors"
	"fmt"
)

// ErrInvalidProblem is wrapped by every error CreatePlan returns for input it
// refuses: retrying the same input cannot succeed.
var ErrInvalidProblem = errors.New("planner: invalid problem")

// IsInvalidProblem reports whether err is, or wraps, ErrInvalidProblem.
func IsInvalidProblem(err error) bool { return errors.Is(err, ErrInvalidProblem) }

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidProblem}, args...)...)
}
