package devalue

import "reflect"

// identity is what makes two Go values the same JavaScript object: the
// same pointer (address and type), the same map (its address and type), or
// the same slice: the same backing array, from the same element on, of the
// same length and type. A slice of another length is another array, as
// s[:2] is not s; an empty slice has no identity, since every empty slice
// may have the same address. The type is part of it so that a reducer or
// a conversion can turn a value into another of the same address without
// finding the slot of the first.
type identity struct {
	ptr uintptr
	typ reflect.Type
	n   int
}

// idTable maps identities to their slots. Marshal looks up every pointer,
// map and slice it meets, so this is an open-addressing table hashed on
// the address and length alone, cheaper than a Go map that hashes the
// type too, and cleared in proportion to its use.
type idTable struct {
	entries []idEntry // a power of two of them, or none
	used    int
	shift   uint // 64 − log2(len(entries))
}

type idEntry struct {
	identity
	slot int // plus one; 0 is an empty entry
}

// get returns the slot of id, if it has one.
func (t *idTable) get(id identity) (int, bool) {
	if t.used == 0 {
		return 0, false
	}
	mask := len(t.entries) - 1
	for i := t.home(id); ; i = (i + 1) & mask {
		e := &t.entries[i]
		if e.slot == 0 {
			return 0, false
		}
		if e.ptr == id.ptr && e.n == id.n && e.typ == id.typ {
			return e.slot - 1, true
		}
	}
}

// claim returns the slot of id and true when it has one; otherwise it
// gives id the slot next and returns that and false.
func (t *idTable) claim(id identity, next int) (int, bool) {
	if 2*(t.used+1) > len(t.entries) {
		t.grow()
	}
	mask := len(t.entries) - 1
	for i := t.home(id); ; i = (i + 1) & mask {
		e := &t.entries[i]
		if e.slot == 0 {
			e.identity, e.slot = id, next+1
			t.used++
			return next, false
		}
		if e.ptr == id.ptr && e.n == id.n && e.typ == id.typ {
			return e.slot - 1, true
		}
	}
}

// put gives id the slot i; id has none yet.
func (t *idTable) put(id identity, i int) { t.claim(id, i) }

// home is where id's probe starts: Fibonacci hashing of the address,
// whose low bits alone (aligned, from one allocator) are poorly spread.
func (t *idTable) home(id identity) int {
	return int((uint64(id.ptr) + uint64(id.n)) * 0x9e3779b97f4a7c15 >> t.shift)
}

func (t *idTable) grow() {
	old := t.entries
	size := max(64, 2*len(old))
	t.entries = make([]idEntry, size)
	t.shift = 64
	for n := size; n > 1; n >>= 1 {
		t.shift--
	}
	t.used = 0
	for _, e := range old {
		if e.slot != 0 {
			t.claim(e.identity, e.slot-1)
		}
	}
}

func (t *idTable) reset() {
	if t.used > 0 {
		clear(t.entries)
		t.used = 0
	}
}
