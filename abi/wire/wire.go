package wire

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// The wire types of the protobuf encoding.
const (
	varintType     = 0
	fixed64Type    = 1
	bytesType      = 2
	startGroupType = 3
	endGroupType   = 4
	fixed32Type    = 5
)

const (
	// maxFieldNumber is the largest valid field number (protowire's
	// MaxValidNumber). Inside an unknown group protobuf-go accepts any
	// number up to math.MaxInt32, and so do we.
	maxFieldNumber = 1<<29 - 1
	// maxGroupDepth is how deep unknown groups may nest: protowire's
	// DefaultRecursionLimit, which ConsumeFieldValue applies to every
	// unknown group it skips.
	maxGroupDepth = 10000
)

// Varint decoding failures, as negative lengths.
const (
	errTruncated = -1
	errOverflow  = -2
)

// consumeVarint decodes a varint of at most 10 bytes from the front of b and
// returns it with its length, or a negative length (errTruncated,
// errOverflow). Like protowire.ConsumeVarint it accepts non-minimal
// encodings and refuses a 10th byte above 1.
func consumeVarint(b []byte) (uint64, int) {
	var v uint64
	for i := range 10 {
		if i == len(b) {
			return 0, errTruncated
		}
		y := uint64(b[i])
		if i == 9 {
			if y > 1 {
				return 0, errOverflow
			}
			return v | y<<63, 10
		}
		v |= (y & 0x7f) << (7 * i)
		if y < 0x80 {
			return v, i + 1
		}
	}
	panic("unreachable")
}

// appendVarint appends v as a varint, in its shortest form.
func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// appendFixed64 appends v little-endian.
func appendFixed64(b []byte, v uint64) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24), byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56))
}

// fixed64 reads a little-endian uint64 from the first 8 bytes of b.
func fixed64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// fixed32 reads a little-endian uint32 from the first 4 bytes of b.
func fixed32(b []byte) uint64 {
	_ = b[3]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24
}

// varintError explains a failed consumeVarint of what (e.g. "tag").
func varintError(what string, n int) *DecodeError {
	if n == errOverflow {
		return malformed(what + " overflows 64 bits")
	}
	return malformed("truncated " + what)
}

// field is one field read from a message: its number, wire type and value.
type field struct {
	num uint64
	typ uint64
	u   uint64 // the value of a varint, fixed64 or fixed32 field
	b   []byte // the value of a bytes field, a view of the input
}

// read reads the field at the front of b and returns its encoded length.
// Groups are skipped whole (nothing in this schema is a group). On failure
// f.num is set if the tag could be read, so the caller can name the field.
func (f *field) read(b []byte) (int, *DecodeError) {
	tag, n := consumeVarint(b)
	if n < 0 {
		return 0, varintError("tag", n)
	}
	if num := tag >> 3; num < 1 || num > maxFieldNumber {
		return 0, malformed("invalid field number " + strconv.FormatUint(num, 10))
	}
	f.num, f.typ = tag>>3, tag&7
	b = b[n:]
	switch f.typ {
	case varintType:
		v, m := consumeVarint(b)
		if m < 0 {
			return 0, varintError("varint", m)
		}
		f.u = v
		return n + m, nil
	case fixed64Type:
		if len(b) < 8 {
			return 0, malformed("truncated fixed64")
		}
		f.u = fixed64(b)
		return n + 8, nil
	case fixed32Type:
		if len(b) < 4 {
			return 0, malformed("truncated fixed32")
		}
		f.u = fixed32(b)
		return n + 4, nil
	case bytesType:
		v, m, err := consumeBytes(b)
		if err != nil {
			return 0, err
		}
		f.b = v
		return n + m, nil
	case startGroupType:
		m, err := skipGroup(b, f.num, maxGroupDepth)
		if err != nil {
			return 0, err
		}
		return n + m, nil
	case endGroupType:
		return 0, malformed("end group without a start group")
	}
	return 0, malformed("invalid wire type " + strconv.FormatUint(f.typ, 10))
}

// consumeBytes reads a length-delimited value from the front of b and
// returns it (a view of b) and its encoded length. The length is checked
// against the input before anything else happens.
func consumeBytes(b []byte) ([]byte, int, *DecodeError) {
	l, n := consumeVarint(b)
	if n < 0 {
		return nil, 0, varintError("length", n)
	}
	if rest := uint64(len(b) - n); l > rest {
		return nil, 0, malformed("length " + strconv.FormatUint(l, 10) + " exceeds the " + strconv.FormatUint(rest, 10) + " remaining bytes")
	}
	return b[n : n+int(l)], n + int(l), nil
}

// skipGroup skips the rest of group num, whose start tag has been read, and
// returns the length of what it skipped, the end tag included. It follows
// protowire.ConsumeFieldValue: field numbers up to math.MaxInt32 inside a
// group, the end tag must carry the group's number, and nesting deeper than
// depth is refused.
func skipGroup(b []byte, num uint64, depth int) (int, *DecodeError) {
	if depth < 0 {
		return 0, malformed("groups nested deeper than " + strconv.Itoa(maxGroupDepth))
	}
	total := 0
	for {
		tag, n := consumeVarint(b)
		if n < 0 {
			return 0, varintError("tag", n)
		}
		num2, typ2 := tag>>3, tag&7
		if num2 < 1 || num2 > math.MaxInt32 {
			return 0, malformed("invalid field number " + strconv.FormatUint(num2, 10))
		}
		b, total = b[n:], total+n
		if typ2 == endGroupType {
			if num2 != num {
				return 0, malformed("end group " + strconv.FormatUint(num2, 10) + " closes group " + strconv.FormatUint(num, 10))
			}
			return total, nil
		}
		switch typ2 {
		case varintType:
			_, n = consumeVarint(b)
			if n < 0 {
				return 0, varintError("varint", n)
			}
		case fixed64Type:
			if n = 8; len(b) < n {
				return 0, malformed("truncated fixed64")
			}
		case fixed32Type:
			if n = 4; len(b) < n {
				return 0, malformed("truncated fixed32")
			}
		case bytesType:
			var err *DecodeError
			if _, n, err = consumeBytes(b); err != nil {
				return 0, err
			}
		case startGroupType:
			var err *DecodeError
			if n, err = skipGroup(b, num2, depth-1); err != nil {
				return 0, err
			}
		default:
			return 0, malformed("invalid wire type " + strconv.FormatUint(typ2, 10))
		}
		b, total = b[n:], total+n
	}
}

// decodeFields calls fn for every field of the message in b, in order.
// names are the message's field names by number, used to say where an error
// is. fn matches fields by number and wire type and ignores the rest:
// unknown fields and known ones of the wrong wire type are skipped, as
// protobuf-go does.
func decodeFields(b []byte, names []string, fn func(f field) *DecodeError) *DecodeError {
	for len(b) > 0 {
		var f field
		n, err := f.read(b)
		if err == nil {
			err = fn(f)
		}
		if err != nil {
			if f.num != 0 {
				err = err.in(fieldName(names, f.num))
			}
			return err
		}
		b = b[n:]
	}
	return nil
}

func fieldName(names []string, num uint64) string {
	if num < uint64(len(names)) && names[num] != "" {
		return names[num]
	}
	return strconv.FormatUint(num, 10)
}

// is reports whether f is field num of wire type typ.
func (f *field) is(num, typ uint64) bool {
	return f.num == num && f.typ == typ
}

// str returns a bytes field's value as a string, which must be UTF-8.
func (f *field) str() (string, *DecodeError) {
	if !utf8.Valid(f.b) {
		return "", malformed("invalid UTF-8")
	}
	return string(f.b), nil
}

// double returns a fixed64 field's value as a float64.
func (f *field) double() float64 {
	return math.Float64frombits(f.u)
}

// doubles appends the values of a repeated double field, packed (bytes) or
// not (fixed64), to s. Other wire types leave s as it is.
func (f *field) doubles(s []float64) ([]float64, *DecodeError) {
	switch f.typ {
	case fixed64Type:
		return append(s, f.double()), nil
	case bytesType:
		if len(f.b)%8 != 0 {
			return s, malformed("packed doubles of " + strconv.Itoa(len(f.b)) + " bytes, not a multiple of 8")
		}
		for b := f.b; len(b) > 0; b = b[8:] {
			s = append(s, math.Float64frombits(fixed64(b)))
		}
	}
	return s, nil
}

var entryFields = []string{1: "key", 2: "value"}

// decodeEntry decodes the map entry f (an occurrence of a map field) into
// m. Keys are strings. v is the value of an entry without one; value merges
// the entry's field 2 into v and returns the result, ignoring wire types
// that are not the value's.
//
// Like protobuf-go, it makes m non-nil for any occurrence of the map field,
// even one of the wrong wire type that is then skipped: pluginpb's
// conversions keep such an empty map, so an empty map is not always nil.
func decodeEntry[M ~map[string]V, V any](m *M, f field, v V, value func(f field, v V) (V, *DecodeError)) *DecodeError {
	if *m == nil {
		*m = make(M)
	}
	if f.typ != bytesType {
		return nil
	}
	var key string
	err := decodeFields(f.b, entryFields, func(f field) *DecodeError {
		switch {
		case f.is(1, bytesType):
			k, err := f.str()
			if err != nil {
				return err
			}
			key = k
		case f.num == 2:
			var err *DecodeError
			v, err = value(f, v)
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	(*m)[key] = v
	return nil
}

// Map values of scalar types.

func doubleValue(f field, v float64) (float64, *DecodeError) {
	if f.typ == fixed64Type {
		v = f.double()
	}
	return v, nil
}

func int64Value(f field, v int64) (int64, *DecodeError) {
	if f.typ == varintType {
		v = int64(f.u)
	}
	return v, nil
}

func stringValue(f field, v string) (string, *DecodeError) {
	if f.typ != bytesType {
		return v, nil
	}
	return f.str()
}

// Encoding.
//
// The field writers below are marked //go:noinline: inlined at their many
// call sites they made a Wasm guest about 10 KiB (gzipped) larger, for no
// measurable speed (BenchmarkNextStateRequest).

func appendTag(b []byte, num, typ uint64) []byte {
	return appendVarint(b, num<<3|typ)
}

// appendString writes a string field unless it is empty.
//
//go:noinline
func appendString(b []byte, num uint64, s string) []byte {
	if s == "" {
		return b
	}
	return appendStringValue(b, num, s)
}

// appendStringValue writes a string field, even an empty one.
//
//go:noinline
func appendStringValue(b []byte, num uint64, s string) []byte {
	b = appendTag(b, num, bytesType)
	b = appendVarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendDouble writes a double field unless it is +0 (protobuf-go writes
// -0, NaNs and everything else).
//
//go:noinline
func appendDouble(b []byte, num uint64, v float64) []byte {
	if math.Float64bits(v) == 0 {
		return b
	}
	return appendDoubleValue(b, num, v)
}

//go:noinline
func appendDoubleValue(b []byte, num uint64, v float64) []byte {
	b = appendTag(b, num, fixed64Type)
	return appendFixed64(b, math.Float64bits(v))
}

// appendInt64 writes an int64 (or enum, sign-extended) field unless it is 0.
//
//go:noinline
func appendInt64(b []byte, num uint64, v int64) []byte {
	if v == 0 {
		return b
	}
	return appendInt64Value(b, num, v)
}

//go:noinline
func appendInt64Value(b []byte, num uint64, v int64) []byte {
	b = appendTag(b, num, varintType)
	return appendVarint(b, uint64(v))
}

// appendBool writes a bool field unless it is false.
//
//go:noinline
func appendBool(b []byte, num uint64, v bool) []byte {
	if !v {
		return b
	}
	return append(appendTag(b, num, varintType), 1)
}

// appendDoubles writes a repeated double field, packed, unless it is empty.
func appendDoubles(b []byte, num uint64, s []float64) []byte {
	if len(s) == 0 {
		return b
	}
	b = appendTag(b, num, bytesType)
	b = appendVarint(b, uint64(8*len(s)))
	for _, v := range s {
		b = appendFixed64(b, math.Float64bits(v))
	}
	return b
}

// beginMessage writes the tag of the embedded message field num and a
// one-byte placeholder for its length, and returns where the message body
// starts. endMessage writes the length once the body is written.
//
//go:noinline
func beginMessage(b []byte, num uint64) ([]byte, int) {
	b = appendTag(b, num, bytesType)
	b = append(b, 0)
	return b, len(b)
}

// endMessage writes the length of the body that starts at start in the
// placeholder beginMessage left, moving the body if the length needs more
// than one byte.
//
//go:noinline
func endMessage(b []byte, start int) []byte {
	n := len(b) - start
	if n < 0x80 {
		b[start-1] = byte(n)
		return b
	}
	extra := sizeVarint(uint64(n)) - 1
	b = append(b, make([]byte, extra)...)
	copy(b[start+extra:], b[start:start+n])
	appendVarint(b[:start-1], uint64(n)) // in place: b has the room
	return b
}

func sizeVarint(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

// appendMap writes a map field: one entry per key, in key order, each with
// both key and value (protobuf-go writes zero values in map entries too).
// value writes the entry's field 2.
func appendMap[V any](b []byte, num uint64, m map[string]V, value func(b []byte, v V) []byte) []byte {
	if len(m) == 0 {
		return b
	}
	var buf [16]string
	for _, k := range sortedKeys(buf[:0], m) {
		var start int
		b, start = beginMessage(b, num)
		b = appendStringValue(b, 1, k)
		b = value(b, m[k])
		b = endMessage(b, start)
	}
	return b
}

func doubleEntry(b []byte, v float64) []byte { return appendDoubleValue(b, 2, v) }
func int64Entry(b []byte, v int64) []byte    { return appendInt64Value(b, 2, v) }
func stringEntry(b []byte, v string) []byte  { return appendStringValue(b, 2, v) }
