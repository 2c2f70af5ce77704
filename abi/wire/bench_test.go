package wire_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/wido-dev/wido/abi/pluginpb"
	"github.com/wido-dev/wido/abi/wire"
)

// BenchmarkNextStateRequest encodes and decodes the golden request with this
// package, and the same through pluginpb and protobuf-go for comparison.
func BenchmarkNextStateRequest(b *testing.B) {
	req := goldenNextStateRequest()
	size := len(wire.AppendNextStateRequest(nil, req))
	b.Run("wire", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size))
		var buf []byte
		for b.Loop() {
			buf = wire.AppendNextStateRequest(buf[:0], req)
			if _, err := wire.DecodeNextStateRequest(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pluginpb", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size))
		for b.Loop() {
			buf, err := proto.Marshal(pluginpb.FromNextStateRequest(req))
			if err != nil {
				b.Fatal(err)
			}
			var m pluginpb.NextStateRequest
			if err := proto.Unmarshal(buf, &m); err != nil {
				b.Fatal(err)
			}
			if _, err := pluginpb.ToNextStateRequest(&m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
