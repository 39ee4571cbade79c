// Package devalue implements devalue, the serialization format of SvelteKit
// form actions: JSON's values plus undefined, NaN, ±Infinity, -0, Dates,
// BigInts, RegExps, Maps, Sets, typed arrays, URLs, repeated references and
// cycles, flattened into one JSON array. Marshal's output is byte for byte
// what npm devalue's stringify writes for the same value (versions 5.9.4
// and 6.0.3), and Unmarshal reads everything stringify writes.
//
// # The format
//
// A devalue text is a JSON array of slots. Slot 0 is the value; inside a
// slot, objects and arrays hold the indices of the slots of their members,
// not the members themselves, so a value referenced twice is written once,
// and a cycle is an index pointing back. Values JSON has no room for are
// tagged arrays, ["Date","2026-01-02T03:04:05.000Z"] or ["BigInt","12"],
// and a few have negative indices of their own (-1 is undefined, -3 NaN).
// [Marshal] writes {"when": new Date(0), "n": 1} as
//
//	[{"when":1,"n":2},["Date","1970-01-01T00:00:00.000Z"],1]
//
// # Go and JavaScript values
//
// Go values map to JavaScript values as follows:
//
//	nil, nil pointer, slice or map   null
//	bool, string                      boolean, string
//	ints, uints, floats               number (see Encoder.BigInts for ints beyond ±(2^53−1))
//	math.NaN(), ±Inf, -0              NaN, ±Infinity, -0
//	Undefined                         undefined
//	time.Time, *Date                  Date
//	big.Int, *big.Int                 BigInt
//	[]byte                            Uint8Array
//	*url.URL, *URL                    URL
//	url.Values, *URLSearchParams      URLSearchParams
//	*RegExp, *Map, *Set               RegExp, Map, Set
//	slices and arrays, *Array         arrays (*Array keeps holes and sparse arrays)
//	map[string]T, *Object             objects
//	structs                           objects, honouring json tags
//	*ArrayBuffer, *TypedArray, *Boxed ArrayBuffer, typed arrays and DataView, boxed primitives
//	*Tagged, Marshaler, reducers      custom types, ["Name", value]
//
// [Unmarshal] reads a text back into typed Go values the way encoding/json
// does, by json tags, with time.Time, *big.Int, []byte, *url.URL and
// url.Values for the types above. Unmarshal into *any builds the lossless
// model instead: every value in the list above by its devalue type
// ([*Object], [*Array], [*Map], [*Set], [*Date], …), with shared references
// and cycles as in the text, so that Marshal writes the input back byte for
// byte. It is the model to use for a text whose shape is not known in
// advance, or to inspect what a JavaScript program sent.
//
// # Custom types
//
// A type that is none of the above is written by a reducer and read by a
// reviver, as in npm devalue: an [Encoder] with [Encoder.Reducers] writes
// it as ["Name", value], and a [Decoder] with [Decoder.Revivers] turns that
// back into the Go value. A type can also implement [Marshaler] and
// [Unmarshaler] itself. A tag that has no reviver decodes to a [*Tagged].
//
// # Sharing and identity
//
// As in JavaScript, a value that is met twice is written once and
// referenced after, so sharing survives the trip and cycles work. Marshal
// decides that two Go values are the same JavaScript value by identity:
// pointers by their address and type, maps by their pointer and type, and
// slices by their backing array, counted from their first element,
// together with their length and their type. A slice of a different length
// over the same array is another JavaScript array, and empty slices have
// no identity (every empty slice may have the same address). Structs and
// Go arrays are values, not references: they are written each time they
// are met, and so is a [Marshaler], whose MarshalDevalue runs each time
// (what it returns may have an identity of its own).
//
// # Limits
//
// Unmarshal treats its input as hostile. It never allocates for a length
// the text only claims (a sparse array of 2^32−1 elements costs what its
// present elements cost), rejects the malformed texts npm devalue rejects,
// and never panics. Two differences are deliberate: a tag with no reviver
// becomes a [*Tagged] where npm throws, and a RegExp's source is kept as
// it is, not compiled (its flags are checked). Unmarshal is stricter than
// npm in a few places: a reference that is negative or fractional (npm
// reads undefined), a BigInt in hex or with spaces, and a Date in one of
// V8's legacy forms (it reads the Date Time String Format, toISOString's
// form and the shorter ones) are errors or, for the Date, invalid. A URL
// must have a scheme, as new URL() asks, but is not parsed further. Nesting is bounded in both directions: by
// [Decoder.MaxDepth] when reading and [Encoder.MaxDepth] when writing, both
// [DefaultMaxDepth] unless set, so neither deep input nor a value that never
// ends can exhaust the stack, and [Decoder.MaxBigIntDigits] bounds BigInts.
// Failures are [*Error] values carrying the JavaScript-style path to the
// value that failed, such as .user.tags[3]; errors.As finds a
// [*SyntaxError] for malformed text and an [*UnmarshalTypeError] for a
// value the Go type cannot hold, and errors.Is finds [ErrLimit].
package devalue
