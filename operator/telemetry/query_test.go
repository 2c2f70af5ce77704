package telemetry

import (
	"strings"
	"testing"
)

func TestRenderQuery(t *testing.T) {
	target := Target{Namespace: "shop", Name: "frontend", Kind: "Deployment"}
	tests := []struct {
		name, query, want, wantErr string
	}{
		{name: "Go template", query: `rate(x{namespace="{{.Namespace}}", {{.KindLabel}}="{{.Name}}"}[1m])`,
			want: `rate(x{namespace="shop", deployment="frontend"}[1m])`},
		{name: "kind", query: `x{kind="{{.Kind}}"}`, want: `x{kind="Deployment"}`},
		{name: "IDO's two placeholders", query: `x{namespace="%s", deployment="%s"}`, want: `x{namespace="shop", deployment="frontend"}`},
		{name: "IDO's four placeholders", query: `histogram_quantile(0.99,sum(irate(response_latency_ms_bucket{namespace="%s",%s="%s",direction="inbound"}[30s]))by(le,%s))`,
			want: `histogram_quantile(0.99,sum(irate(response_latency_ms_bucket{namespace="shop",deployment="frontend",direction="inbound"}[30s]))by(le,deployment))`},
		{name: "no placeholders", query: `up`, want: `up`},
		{name: "empty", query: " ", wantErr: "empty query"},
		{name: "unknown template field", query: `x{ns="{{.Nmespace}}"}`, wantErr: "Nmespace"},
		{name: "broken template", query: `x{ns="{{.Namespace"}`, wantErr: "query template"},
		{name: "three placeholders", query: `%s %s %s`, wantErr: "3 %s placeholders"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RenderQuery(tc.query, target)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("RenderQuery error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("RenderQuery = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
