package planner

import "math"

// The planner deduplicates states by a 64-bit hash with an equality check on
// collision. The hash of a map is the sum of the hashes of its entries, so it
// needs no sorting and no allocation and does not depend on iteration order.
// Intent metadata (key, priority, target, tolerances) is not part of a
// state's identity: actuators do not change it.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashString(h uint64, s string) uint64 {
	if h == 0 {
		h = fnvOffset
	}
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// mix is splitmix64's finalizer: it spreads every input bit over the output,
// so summing entry hashes does not cancel.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func floatBits(f float64) uint64 {
	if f == 0 {
		return 0 // +0 and −0 are the same value
	}
	return math.Float64bits(f)
}

func hashFloats(seed uint64, m map[string]float64) uint64 {
	sum := mix(seed + uint64(len(m)))
	for k, v := range m {
		sum += mix(hashString(seed, k) ^ mix(floatBits(v)))
	}
	return sum
}

func hashState(s *State) uint64 {
	h := hashFloats(1, s.Intent.Objectives)
	h ^= mix(h + uint64(len(s.Pods)))
	for name, p := range s.Pods {
		e := hashString(2, name)
		e = mix(e ^ floatBits(p.Availability))
		e = hashString(e, p.NodeName)
		e = hashString(e^0xff, p.State)
		e = hashString(e^0xfe, p.QoSClass)
		h += mix(e)
	}
	for k, v := range s.Resources {
		h += mix(hashString(3, k) ^ mix(uint64(v)))
	}
	for k, v := range s.Annotations {
		h += mix(hashString(4, k) ^ mix(hashString(5, v)))
	}
	for k, v := range s.Data {
		h += mix(hashString(6, k) ^ hashFloats(7, v))
	}
	return h
}

// sameState reports whether a and b are the same state for deduplication:
// equal objectives (bit for bit, NaN equal to NaN), pods, resources,
// annotations and data.
func sameState(a, b *State) bool {
	return sameFloats(a.Intent.Objectives, b.Intent.Objectives) &&
		sameMap(a.Pods, b.Pods) &&
		sameMap(a.Resources, b.Resources) &&
		sameMap(a.Annotations, b.Annotations) &&
		sameData(a.Data, b.Data)
}

func sameFloats(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || floatBits(v) != floatBits(w) {
			return false
		}
	}
	return true
}

func sameMap[V comparable](a, b map[string]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || v != w {
			return false
		}
	}
	return true
}

func sameData(a, b map[string]map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !sameFloats(v, w) {
			return false
		}
	}
	return true
}
