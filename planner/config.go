package planner

import "time"

// Defaults of Config. MaxStates, MaxCandidates and no opportunistic planning
// are IDO's defaults.
const (
	DefaultMaxStates     = 2000
	DefaultMaxCandidates = 10
	DefaultTimeout       = time.Second
	// DefaultExplainedCandidates is how many candidates an Explanation
	// lists; the rest are only counted.
	DefaultExplainedCandidates = 64
)

// Config configures a Planner. It is immutable: each WithXxx returns a new
// Config. Values are validated by NewPlanner, not by the setters.
//
// This is an interface for decoupling, not third-party implementations.
type Config interface {
	// WithMaxStates bounds the states the search creates, the start
	// included (IDO's maxStates). Must be at least 1. Default 2000.
	WithMaxStates(n int) Config
	// WithMaxCandidates bounds the candidates taken from each actuator per
	// expansion; the actuator's first ones are kept (IDO's
	// maxCandidates). Must be at least 1. Default 10.
	WithMaxCandidates(n int) Config
	// WithTimeout is the wall-clock budget of one plan. When it runs out
	// the search stops expanding and plans over the states found so far.
	// Must be positive. Default 1 s.
	WithTimeout(d time.Duration) Config
	// WithOpportunisticCandidates enables opportunistic planning: when the
	// goal is unreachable, the n states closest to it (by Distance) are
	// joined to the goal and the plan leads to the best of them. 0, the
	// default, disables it (as in IDO).
	WithOpportunisticCandidates(n int) Config
	// WithExplainedCandidates is how many candidates an Explanation lists.
	// Default 64; 0 lists none.
	WithExplainedCandidates(n int) Config
}

// NewConfig returns the default Config.
func NewConfig() Config {
	return &config{
		maxStates:           DefaultMaxStates,
		maxCandidates:       DefaultMaxCandidates,
		timeout:             DefaultTimeout,
		explainedCandidates: DefaultExplainedCandidates,
	}
}

type config struct {
	maxStates           int
	maxCandidates       int
	timeout             time.Duration
	opportunistic       int
	explainedCandidates int
}

func (c *config) clone() *config { cp := *c; return &cp }

func (c *config) WithMaxStates(n int) Config {
	cp := c.clone()
	cp.maxStates = n
	return cp
}

func (c *config) WithMaxCandidates(n int) Config {
	cp := c.clone()
	cp.maxCandidates = n
	return cp
}

func (c *config) WithTimeout(d time.Duration) Config {
	cp := c.clone()
	cp.timeout = d
	return cp
}

func (c *config) WithOpportunisticCandidates(n int) Config {
	cp := c.clone()
	cp.opportunistic = n
	return cp
}

func (c *config) WithExplainedCandidates(n int) Config {
	cp := c.clone()
	cp.explainedCandidates = n
	return cp
}
