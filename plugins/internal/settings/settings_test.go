package settings

import (
	"strings"
	"testing"
)

type config struct {
	n    int
	big  int64
	f    float64
	name string
}

func (c *config) fields() []Field {
	return []Field{Int("n", &c.n), Int64("big", &c.big), Float("f", &c.f), String("name", &c.name)}
}

func TestApply(t *testing.T) {
	tests := []struct {
		name    string
		config  map[string]string
		want    config
		wantErr string
	}{
		{name: "nil keeps the defaults", want: config{n: 1, big: 2, f: 3, name: "x"}},
		{name: "every kind", config: map[string]string{"n": " 7", "big": "9000000000", "f": "0.5", "name": "app"},
			want: config{n: 7, big: 9000000000, f: 0.5, name: "app"}},
		{name: "unknown key names it and the known ones", config: map[string]string{"nn": "1"},
			wantErr: `unknown configuration key "nn" (known: big, f, n, name)`},
		{name: "not an integer", config: map[string]string{"n": "1.5"}, wantErr: `n: not an integer: "1.5"`},
		{name: "not finite", config: map[string]string{"f": "NaN"}, wantErr: `f: not a finite number: "NaN"`},
		{name: "infinite", config: map[string]string{"f": "1e999"}, wantErr: `f: not a finite number`},
		{name: "first bad key in sorted order", config: map[string]string{"n": "x", "big": "y"}, wantErr: `big: not an integer`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := config{n: 1, big: 2, f: 3, name: "x"}
			err := Apply(tc.config, got.fields()...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Apply() error = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply(): %v", err)
			}
			if got != tc.want {
				t.Errorf("Apply() = %+v, want %+v", got, tc.want)
			}
		})
	}
}
