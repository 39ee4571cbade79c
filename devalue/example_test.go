package devalue_test

import (
	"bytes"
	"fmt"
	"math/big"
	"time"

	"github.com/formaction/formaction/devalue"
)

type Address struct {
	City string `json:"city"`
}

type Order struct {
	Placed   time.Time `json:"placed"`
	Total    *big.Int  `json:"total"`
	Billing  *Address  `json:"billing"`
	Shipping *Address  `json:"shipping"`
	Note     string    `json:"note,omitempty"`
}

// Marshal writes a Date for a time.Time and a BigInt for a *big.Int. The
// address both fields point to is written once, so the JavaScript side
// gets one object in both places, as it would from npm devalue.
func ExampleMarshal() {
	home := &Address{City: "Lyon"}
	total, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	order := Order{
		Placed:   time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC),
		Total:    total,
		Billing:  home,
		Shipping: home,
	}
	text, err := devalue.Marshal(order)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(text))

	// Output:
	// [{"placed":1,"total":2,"billing":3,"shipping":3},["Date","2026-11-27T09:30:00.000Z"],["BigInt","123456789012345678901234567890"],{"city":4},"Lyon"]
}

// Unmarshal reads devalue text into typed Go values, by json tags as
// encoding/json does. A value the text shares arrives as one pointer.
func ExampleUnmarshal() {
	text := `[{"placed":1,"total":2,"billing":3,"shipping":3},["Date","2026-11-27T09:30:00.000Z"],["BigInt","42"],{"city":4},"Lyon"]`

	var order Order
	if err := devalue.Unmarshal([]byte(text), &order); err != nil {
		panic(err)
	}
	fmt.Println(order.Placed.Format(time.RFC3339))
	fmt.Println(order.Total)
	fmt.Println(order.Billing.City, order.Billing == order.Shipping)

	// A value of the wrong type is an error with the path to it.
	err := devalue.Unmarshal([]byte(`[{"total":1},"forty-two"]`), &order)
	fmt.Println(err)

	// Output:
	// 2026-11-27T09:30:00Z
	// 42
	// Lyon true
	// devalue: cannot unmarshal a string into a Go big.Int (at .total)
}

// Unmarshal into *any builds the lossless model: JavaScript's values by
// their devalue types, which Marshal writes back exactly as they came,
// whatever JavaScript program wrote them.
func ExampleUnmarshal_any() {
	// What npm devalue's stringify writes for
	// {tags: new Set(["a"]), seen: new Map([[1n, undefined]]), n: -0}.
	text := []byte(`[{"tags":1,"seen":3,"n":-6},["Set",2],"a",["Map",4,-1],["BigInt","1"]]`)

	var v any
	if err := devalue.Unmarshal(text, &v); err != nil {
		panic(err)
	}
	obj := v.(*devalue.Object)
	for _, key := range obj.Keys() {
		value, _ := obj.Get(key)
		fmt.Printf("%s: %T\n", key, value)
	}
	seen, _ := obj.Get("seen")
	for _, e := range seen.(*devalue.Map).Entries {
		fmt.Printf("entry: %v → %v\n", e.Key, e.Value == devalue.Undefined)
	}

	again, err := devalue.Marshal(v)
	if err != nil {
		panic(err)
	}
	fmt.Println(bytes.Equal(again, text))

	// Output:
	// tags: *devalue.Set
	// seen: *devalue.Map
	// n: float64
	// entry: 1 → true
	// true
}

// Point is a type devalue does not know: a reducer writes it, a reviver
// reads it back.
type Point struct{ X, Y float64 }

type Shape struct {
	Name   string  `json:"name"`
	Corner Point   `json:"corner"`
	Path   []Point `json:"path"`
}

// Reducers write custom types as ["Name", value], as the reducers of npm
// devalue's stringify do; the browser revives them with a reviver of the
// same name (formaction.revivers on the client).
func ExampleEncoder() {
	enc := &devalue.Encoder{Reducers: []devalue.Reducer{{
		Name: "Point",
		Reduce: func(v any) (any, bool) {
			p, ok := v.(Point)
			return []float64{p.X, p.Y}, ok
		},
	}}}
	text, err := enc.Marshal(Shape{Name: "tri", Corner: Point{0, 0}, Path: []Point{{1, 2}, {3, 4}}})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(text))

	// Output:
	// [{"name":1,"corner":2,"path":5},"tri",["Point",3],[4,4],0,[6,10],["Point",7],[8,9],1,2,["Point",11],[12,13],3,4]
}

// Revivers turn ["Name", value] back into the Go type; each receives the
// value in the lossless model of Unmarshal into *any.
func ExampleDecoder() {
	dec := &devalue.Decoder{Revivers: map[string]devalue.Reviver{
		"Point": func(v any) (any, error) {
			a, ok := v.(*devalue.Array)
			if !ok || a.Len() != 2 {
				return nil, fmt.Errorf("a Point is [x, y], not %T", v)
			}
			x, _ := a.At(0)
			y, _ := a.At(1)
			return Point{X: x.(float64), Y: y.(float64)}, nil
		},
	}}
	text := `[{"name":1,"corner":2,"path":5},"tri",["Point",3],[4,4],0,[6,10],["Point",7],[8,9],1,2,["Point",11],[12,13],3,4]`

	var shape Shape
	if err := dec.Unmarshal([]byte(text), &shape); err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", shape)

	// Output:
	// {Name:tri Corner:{X:0 Y:0} Path:[{X:1 Y:2} {X:3 Y:4}]}
}
