package devalue

import (
	"math"
	"unsafe"
)

// The lossless model holds its numbers and strings in interfaces. Go puts
// a float64 or a string in an interface by copying it to a new allocation
// of its own, which for the thousands of values of a text is much of the
// cost of decoding into any, and of the garbage after. Instead, the model
// boxes them in place: the interface points at the value in a slab of many
// (as the runtime's would point at its own copy), and the slab's cells are
// never written again, as an interface's value never changes.

// eface is the layout of an interface with no methods: its type, and a
// pointer to its value.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

var (
	float64Type = typeOf(0.0)
	stringType  = typeOf("")
)

func typeOf(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// boxed returns an interface of type typ holding *p, without copying it.
// *p must never change.
func boxed(typ, p unsafe.Pointer) (v any) {
	*(*eface)(unsafe.Pointer(&v)) = eface{typ, p}
	return v
}

// smallNumbers are the numbers 0 to 1023, the commonest, boxed once for
// every text.
var smallNumbers = func() (n [1024]float64) {
	for i := range n {
		n[i] = float64(i)
	}
	return n
}()

// number boxes a number.
func (s *decodeState) number(f float64) any {
	if !math.Signbit(f) && f < float64(len(smallNumbers)) && f == math.Trunc(f) { // not -0, not NaN
		return boxed(float64Type, unsafe.Pointer(&smallNumbers[int(f)]))
	}
	p := &s.floats.take(1)[0]
	*p = f
	return boxed(float64Type, unsafe.Pointer(p))
}

// string boxes a string.
func (s *decodeState) string(str string) any {
	p := &s.strs.take(1)[0]
	*p = str
	return boxed(stringType, unsafe.Pointer(p))
}
