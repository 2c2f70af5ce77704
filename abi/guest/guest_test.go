package guest

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/abi/wire"
)

func echoFactory(config map[string]string) (actuator.Interface, error) {
	if v, ok := config["bad"]; ok {
		return nil, errors.New("bad value " + v)
	}
	return Funcs{
		Name:    "echo",
		Version: config["version"],
		NextStateFunc: func(r *actuator.NextStateRequest) (*actuator.NextStateResponse, error) {
			switch r.State.Intent.Key {
			case "panic":
				panic(errors.New("kaboom"))
			case "fail":
				return nil, errors.New("cannot")
			case "nil":
				return nil, nil
			}
			return &actuator.NextStateResponse{States: []actuator.State{r.State}, Utilities: []float64{1}, Actions: []actuator.Action{{Name: "echo"}}}, nil
		},
	}, nil
}

func nextState(key string) []byte {
	return wire.AppendNextStateRequest(nil, &actuator.NextStateRequest{State: actuator.State{Intent: actuator.Intent{Key: key}}})
}

// TestDispatcher specifies what each call answers, as the envelope a host
// decodes.
func TestDispatcher(t *testing.T) {
	tests := []struct {
		name     string
		factory  Factory
		kind     CallKind
		req      []byte
		wantCode wire.ErrorCode // 0: a result
		wantMsg  string
		check    func(t *testing.T, result []byte)
	}{
		{name: "describe configures and names the actuator", factory: echoFactory, kind: Describe,
			req: wire.AppendDescribeRequest(nil, map[string]string{"version": "3"}),
			check: func(t *testing.T, b []byte) {
				info, err := wire.DecodeInfo(b)
				if err != nil || info != (actuator.Info{Name: "echo", Group: "echo", Version: "3"}) {
					t.Errorf("info = %+v, %v", info, err)
				}
			}},
		{name: "describe with a refused configuration", factory: echoFactory, kind: Describe,
			req: wire.AppendDescribeRequest(nil, map[string]string{"bad": "x"}), wantCode: wire.CodeInvalidArgument, wantMsg: "configuration: bad value x"},
		{name: "describe of garbage", factory: echoFactory, kind: Describe, req: []byte{0xff}, wantCode: wire.CodeInvalidArgument, wantMsg: "describe: wire:"},
		{name: "no actuator registered", kind: NextState, req: nextState("x"), wantCode: wire.CodeUnimplemented, wantMsg: "no actuator registered"},
		{name: "next_state without describe uses the defaults", factory: echoFactory, kind: NextState, req: nextState("x"),
			check: func(t *testing.T, b []byte) {
				resp, err := wire.DecodeNextStateResponse(b)
				if err != nil || len(resp.States) != 1 || resp.States[0].Intent.Key != "x" {
					t.Errorf("response = %+v, %v", resp, err)
				}
			}},
		{name: "a panic becomes INTERNAL", factory: echoFactory, kind: NextState, req: nextState("panic"), wantCode: wire.CodeInternal, wantMsg: "next_state: panic: kaboom"},
		{name: "an error becomes INTERNAL", factory: echoFactory, kind: NextState, req: nextState("fail"), wantCode: wire.CodeInternal, wantMsg: "next_state: cannot"},
		{name: "a nil response is an empty one", factory: echoFactory, kind: NextState, req: nextState("nil"),
			check: func(t *testing.T, b []byte) {
				if len(b) != 0 {
					t.Errorf("result = %x, want empty", b)
				}
			}},
		{name: "an undecodable request is INVALID_ARGUMENT", factory: echoFactory, kind: NextState, req: []byte{0x0a, 0x05}, wantCode: wire.CodeInvalidArgument, wantMsg: "next_state: wire:"},
		{name: "perform of a Funcs without PerformFunc is empty", factory: echoFactory, kind: Perform, req: nil,
			check: func(t *testing.T, b []byte) {
				if resp, err := wire.DecodePerformResponse(b); err != nil || len(resp.Operations) != 0 {
					t.Errorf("response = %+v, %v", resp, err)
				}
			}},
		{name: "effect of a Funcs without EffectFunc is empty", factory: echoFactory, kind: Effect, req: nil,
			check: func(t *testing.T, b []byte) {
				if resp, err := wire.DecodeEffectResponse(b); err != nil || len(resp.Models) != 0 {
					t.Errorf("response = %+v, %v", resp, err)
				}
			}},
		{name: "an unknown call", factory: echoFactory, kind: CallKind(9), wantCode: wire.CodeUnimplemented, wantMsg: "not a call of this ABI"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &dispatcher{factory: tc.factory}
			result, err := wire.DecodeEnvelope(d.call(tc.kind, tc.req))
			if tc.wantCode != 0 {
				var ge *wire.GuestError
				if !errors.As(err, &ge) || ge.Code != tc.wantCode || !strings.Contains(ge.Message, tc.wantMsg) {
					t.Fatalf("envelope error = %v, want code %v with %q", err, tc.wantCode, tc.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("envelope: %v", err)
			}
			tc.check(t, result)
		})
	}
}

func TestDispatcherReusesItsBuffers(t *testing.T) {
	d := &dispatcher{factory: echoFactory}
	req := nextState("x")
	first := d.call(NextState, req)
	second := d.call(NextState, req)
	if &first[0] != &second[0] || !reflect.DeepEqual(first, second) {
		t.Error("the envelope buffer is not reused across calls")
	}
	if allocs := testing.AllocsPerRun(100, func() { d.buffer(64) }); allocs != 0 {
		t.Errorf("buffer allocates %v times per call once grown", allocs)
	}
	if b := d.buffer(1 << 20); len(b) < 1<<20 {
		t.Errorf("buffer(1 MiB) = %d bytes", len(b))
	}
}

func TestYieldDue(t *testing.T) {
	tests := []struct {
		name  string
		calls []struct {
			kind CallKind
			n    int
		}
		want []bool
	}{
		{name: "describe always yields", calls: []struct {
			kind CallKind
			n    int
		}{{Describe, 10}, {Describe, 10}}, want: []bool{true, true}},
		{name: "a large payload yields at once", calls: []struct {
			kind CallKind
			n    int
		}{{NextState, 100}, {NextState, 64 << 10}, {NextState, 100}}, want: []bool{false, true, false}},
		{name: "payloads add up", calls: []struct {
			kind CallKind
			n    int
		}{{NextState, 40 << 10}, {Perform, 30 << 10}}, want: []bool{false, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &dispatcher{}
			for i, c := range tc.calls {
				if got := d.yieldDue(c.kind, c.n); got != tc.want[i] {
					t.Errorf("call %d: yieldDue = %v, want %v", i, got, tc.want[i])
				}
			}
		})
	}
	d := &dispatcher{}
	for i := 1; i <= 48; i++ {
		if got := d.yieldDue(NextState, 0); got != (i%16 == 0) {
			t.Fatalf("small call %d: yieldDue = %v", i, got)
		}
	}
}
