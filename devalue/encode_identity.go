package devalue

import (
	"hash/maphash"
	"math"
	"reflect"
	"unsafe"
)

// identity is what makes two Go values the same JavaScript object: the
// same pointer (address and type), the same map (its address and type), or
// the same slice: the same backing array, from the same element on, of the
// same length and type. A slice of another length is another array, as
// s[:2] is not s; an empty slice has no identity, since every empty slice
// may have the same address. The type is part of it so that a reducer or
// a conversion can turn a value into another of the same address without
// finding the slot of the first.
//
// ptr is a pointer, not an address: it keeps the value alive while Marshal
// runs. What a Marshaler or a reducer returns is often made for the call
// and dropped once written; as a bare address, the collector could free it
// and the next such value take its place and its slot.
type identity struct {
	ptr unsafe.Pointer
	typ reflect.Type
	n   int
}

// The hashes of the tables' keys. Addresses and numbers are spread by
// Fibonacci hashing: their low bits alone (aligned addresses, whole
// numbers) are poorly spread, and the table takes the top bits.
func (id identity) hash() uint64 { return (uint64(uintptr(id.ptr)) + uint64(id.n)) * fibonacci }

func numberHash(f float64) uint64 { return math.Float64bits(f) * fibonacci }

func stringHash(s string) uint64 { return maphash.String(stringSeed, s) }

const fibonacci = 0x9e3779b97f4a7c15

var stringSeed = maphash.MakeSeed()

// table maps the identities, strings and numbers that Marshal meets to
// their slots. Marshal looks up every one, and most are new, so it is an
// open-addressing table that finds a key or adds it in one probe, where a
// Go map needs two; it clears in proportion to its use.
type table[K comparable] struct {
	entries []tableEntry[K] // a power of two of them, or none
	used    int
	shift   uint // 64 − log2(len(entries))
}

type tableEntry[K comparable] struct {
	key  K
	hash uint64
	slot int // plus one; 0 is an empty entry
}

// get returns the slot of k, whose hash is h, if it has one.
func (t *table[K]) get(k K, h uint64) (int, bool) {
	if t.used == 0 {
		return 0, false
	}
	mask := len(t.entries) - 1
	for i := int(h >> t.shift); ; i = (i + 1) & mask {
		e := &t.entries[i]
		if e.slot == 0 {
			return 0, false
		}
		if e.hash == h && e.key == k {
			return e.slot - 1, true
		}
	}
}

// claim returns the slot of k, whose hash is h, and true when it has one;
// otherwise it gives k the slot next and returns that and false.
func (t *table[K]) claim(k K, h uint64, next int) (int, bool) {
	if 2*(t.used+1) > len(t.entries) {
		t.grow()
	}
	mask := len(t.entries) - 1
	for i := int(h >> t.shift); ; i = (i + 1) & mask {
		e := &t.entries[i]
		if e.slot == 0 {
			*e = tableEntry[K]{k, h, next + 1}
			t.used++
			return next, false
		}
		if e.hash == h && e.key == k {
			return e.slot - 1, true
		}
	}
}

func (t *table[K]) grow() {
	old := t.entries
	size := max(64, 2*len(old))
	t.entries = make([]tableEntry[K], size)
	t.shift = 64
	for n := size; n > 1; n >>= 1 {
		t.shift--
	}
	t.used = 0
	for _, e := range old {
		if e.slot != 0 {
			t.claim(e.key, e.hash, e.slot-1)
		}
	}
}

func (t *table[K]) reset() {
	if t.used > 0 {
		clear(t.entries)
		t.used = 0
	}
}
