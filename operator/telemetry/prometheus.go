package telemetry

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// Reason says why a measurement is unknown.
type Reason string

// The reasons a measurement is unknown.
const (
	// QueryFailed: Prometheus could not be reached or failed to answer.
	QueryFailed Reason = "QueryFailed"
	// InvalidQuery: Prometheus refused the query as bad data, e.g. a PromQL
	// syntax error.
	InvalidQuery Reason = "InvalidQuery"
	// QueryTimeout: no answer within the timeout.
	QueryTimeout Reason = "QueryTimeout"
	// NoData: the query matched no series.
	NoData Reason = "NoData"
	// NotANumber: the value is NaN or infinite (e.g. a rate over no
	// requests).
	NotANumber Reason = "NotANumber"
	// Ambiguous: the query returned several series; a KPI must be one.
	Ambiguous Reason = "Ambiguous"
	// Stale: the newest sample is older than the allowed age.
	Stale Reason = "Stale"
)

// UnknownError is a measurement that has no value, and why.
type UnknownError struct {
	Query  string
	Reason Reason
	Err    error
}

func (e *UnknownError) Error() string {
	s := "telemetry: " + string(e.Reason) + " for query " + e.Query
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *UnknownError) Unwrap() error { return e.Err }

// ReasonOf returns the reason of an *UnknownError in err's chain, or
// QueryFailed for any other error.
func ReasonOf(err error) Reason {
	var ue *UnknownError
	if errors.As(err, &ue) {
		return ue.Reason
	}
	return QueryFailed
}

// Measurement is one value of a KPI.
type Measurement struct {
	Value float64
	// Time the value is for (Prometheus's evaluation time, or the sample's
	// timestamp when the query returns one).
	Time time.Time
}

// Prometheus measures KPIs through Prometheus's HTTP API. It is
// goroutine-safe; one client per endpoint is kept.
type Prometheus struct {
	defaultURL string
	timeout    time.Duration
	maxAge     time.Duration
	now        func() time.Time

	mu      sync.Mutex
	clients map[string]promv1.API
}

// NewPrometheus returns a client whose queries go to defaultURL unless a
// KPIProfile names its own endpoint. Each query has timeout (default 5 s);
// a value older than maxAge (default 2 min) is stale.
func NewPrometheus(defaultURL string, timeout, maxAge time.Duration) *Prometheus {
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	if maxAge <= 0 {
		maxAge = 2 * time.Minute
	}
	return &Prometheus{defaultURL: defaultURL, timeout: timeout, maxAge: maxAge, now: time.Now, clients: map[string]promv1.API{}}
}

func (p *Prometheus) api(endpoint string) (promv1.API, error) {
	if endpoint == "" {
		endpoint = p.defaultURL
	}
	if endpoint == "" {
		return nil, errors.New("no Prometheus endpoint: set the operator's default or the KPIProfile's endpoint")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[endpoint]; ok {
		return c, nil
	}
	c, err := api.NewClient(api.Config{Address: endpoint})
	if err != nil {
		return nil, err
	}
	p.clients[endpoint] = promv1.NewAPI(c)
	return p.clients[endpoint], nil
}

// Measure runs an instant query and returns its one value.
//
// # Errors
//
// An *UnknownError: QueryFailed (unreachable, HTTP error), InvalidQuery
// (PromQL error), QueryTimeout, NoData, Ambiguous (several series), NotANumber or Stale.
// ctx's own cancellation is returned as is.
func (p *Prometheus) Measure(ctx context.Context, endpoint, query string) (Measurement, error) {
	unknown := func(r Reason, err error) (Measurement, error) {
		return Measurement{}, &UnknownError{Query: query, Reason: r, Err: err}
	}
	c, err := p.api(endpoint)
	if err != nil {
		return unknown(QueryFailed, err)
	}
	qctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	now := p.now()
	val, _, _, err := c.Query(qctx, query, now)
	if err != nil {
		if ctx.Err() != nil {
			return Measurement{}, ctx.Err()
		}
		if errors.Is(qctx.Err(), context.DeadlineExceeded) {
			return unknown(QueryTimeout, fmt.Errorf("no answer within %s", p.timeout))
		}
		var perr *promv1.Error
		if errors.As(err, &perr) && perr.Type == promv1.ErrBadData {
			return unknown(InvalidQuery, err)
		}
		return unknown(QueryFailed, err)
	}
	var m Measurement
	switch v := val.(type) {
	case model.Vector:
		switch len(v) {
		case 0:
			return unknown(NoData, nil)
		case 1:
			m = Measurement{Value: float64(v[0].Value), Time: v[0].Timestamp.Time()}
		default:
			return unknown(Ambiguous, fmt.Errorf("%d series; aggregate them (sum, avg, max …) into one", len(v)))
		}
	case *model.Scalar:
		m = Measurement{Value: float64(v.Value), Time: v.Timestamp.Time()}
	default:
		return unknown(Ambiguous, fmt.Errorf("a %s result; a KPI query must return one instant value", val.Type()))
	}
	if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
		return unknown(NotANumber, fmt.Errorf("value %v", m.Value))
	}
	if age := now.Sub(m.Time); age > p.maxAge {
		return unknown(Stale, fmt.Errorf("newest value is %s old (at most %s)", age.Round(time.Second), p.maxAge))
	}
	return m, nil
}
