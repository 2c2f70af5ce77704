package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wido-dev/wido/operator/promtest"
)

// metrics is what the test's scrape target serves.
const metrics = `# TYPE kpi_latency_ms gauge
kpi_latency_ms{namespace="shop",deployment="frontend"} 42.5
kpi_latency_ms{namespace="shop",deployment="backend"} 7
# TYPE kpi_nan gauge
kpi_nan{namespace="shop",deployment="frontend"} NaN
`

// TestMeasureAgainstPrometheus runs queries against a real Prometheus that
// scrapes metrics the test serves.
func TestMeasureAgainstPrometheus(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprint(w, metrics)
	}))
	defer target.Close()
	u, _ := url.Parse(target.URL)
	prom := promtest.Start(t, u.Host)
	prom.WaitForSeries(t, "kpi_latency_ms")

	p := NewPrometheus(prom.URL, 2*time.Second, time.Minute)
	tests := []struct {
		name   string
		query  string
		want   float64
		reason Reason // "" when a value is expected
		msg    string
	}{
		{name: "one series", query: `kpi_latency_ms{namespace="shop",deployment="frontend"}`, want: 42.5},
		{name: "an aggregate", query: `sum(kpi_latency_ms{namespace="shop"})`, want: 49.5},
		{name: "a scalar", query: `scalar(kpi_latency_ms{deployment="backend"})`, want: 7},
		{name: "no series", query: `kpi_latency_ms{deployment="nowhere"}`, reason: NoData},
		{name: "NaN", query: `kpi_nan`, reason: NotANumber, msg: "NaN"},
		{name: "division by zero", query: `sum(kpi_latency_ms) / 0`, reason: NotANumber, msg: "+Inf"},
		{name: "several series", query: `kpi_latency_ms`, reason: Ambiguous, msg: "2 series"},
		{name: "a range vector", query: `kpi_latency_ms[1m]`, reason: Ambiguous, msg: "matrix"},
		{name: "invalid PromQL", query: `sum(kpi_latency_ms`, reason: InvalidQuery, msg: "parse error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := p.Measure(context.Background(), "", tc.query)
			if tc.reason == "" {
				if err != nil || m.Value != tc.want {
					t.Fatalf("Measure = %+v, %v; want %v", m, err, tc.want)
				}
				if age := time.Since(m.Time); age < 0 || age > 10*time.Second {
					t.Errorf("measurement time %v is %v from now", m.Time, age)
				}
				return
			}
			var ue *UnknownError
			if !errors.As(err, &ue) || ue.Reason != tc.reason || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("Measure error = %v, want %s containing %q", err, tc.reason, tc.msg)
			}
		})
	}

	t.Run("a KPIProfile's own endpoint", func(t *testing.T) {
		other := NewPrometheus("", time.Second, time.Minute)
		if m, err := other.Measure(context.Background(), prom.URL, `sum(kpi_latency_ms)`); err != nil || m.Value != 49.5 {
			t.Errorf("Measure = %+v, %v", m, err)
		}
		if _, err := other.Measure(context.Background(), "", `up`); ReasonOf(err) != QueryFailed || !strings.Contains(err.Error(), "no Prometheus endpoint") {
			t.Errorf("Measure without endpoint = %v", err)
		}
	})
}

// TestMeasureFaults: Prometheus down or too slow gives an unknown value,
// never a number.
func TestMeasureFaults(t *testing.T) {
	stop := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer slow.Close()
	defer close(stop)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close() // nothing listens there any more

	tests := []struct {
		name     string
		endpoint string
		reason   Reason
	}{
		{"Prometheus down", down.URL, QueryFailed},
		{"Prometheus slower than the timeout", slow.URL, QueryTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPrometheus(tc.endpoint, 200*time.Millisecond, time.Minute)
			start := time.Now()
			_, err := p.Measure(context.Background(), "", "up")
			if ReasonOf(err) != tc.reason {
				t.Fatalf("Measure error = %v, want reason %s", err, tc.reason)
			}
			if elapsed := time.Since(start); elapsed > 3*time.Second {
				t.Errorf("Measure took %v", elapsed)
			}
		})
	}

	t.Run("the caller's cancellation is not an unknown value", func(t *testing.T) {
		p := NewPrometheus(slow.URL, time.Minute, time.Minute)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if _, err := p.Measure(ctx, "", "up"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Measure error = %v, want ctx's error", err)
		}
	})

	t.Run("a stale value", func(t *testing.T) {
		// A Prometheus that answers with an hour-old sample (a lagging
		// federation or remote-read source).
		old := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[%d,"1"]}]}}`, time.Now().Add(-time.Hour).Unix())
		}))
		defer old.Close()
		p := NewPrometheus(old.URL, time.Second, 2*time.Minute)
		if _, err := p.Measure(context.Background(), "", "up"); ReasonOf(err) != Stale || !strings.Contains(err.Error(), "old (at most 2m0s)") {
			t.Errorf("Measure error = %v, want Stale", err)
		}
	})
}
