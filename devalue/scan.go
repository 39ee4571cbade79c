package devalue

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A devalue text is a JSON array of slots, each a primitive, an array of
// indices and inline strings, or an object of indices. It is parsed in one
// pass into a tape: a token for the root, then a token for each slot, each
// container slot followed by its children. Containers nested deeper than
// that are not devalue; they are checked and kept as one opaque token,
// which no reader accepts, so the tape stays flat and readers index it
// directly.

// token is one JSON value on the tape.
type token struct {
	// v is a number's float64 bits (or see raw), or a string's offset in
	// the text just after its opening quote.
	v uint64
	// n is a string's length in the text, or a container's count of
	// direct children (an object's keys and values, alternating) when they
	// are on the tape. An object in a slot whose values are all integers
	// (references) is marked raw and has one child per entry instead: its
	// key, with the value in the top 32 bits of v.
	n    uint32
	kind jsonKind
	// raw marks a string whose text has escapes or non-ASCII bytes, which
	// must be decoded rather than copied; or a number that is an integer
	// of up to 15 digits, held in v as an int64.
	raw bool
}

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonFalse
	jsonTrue
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// text is a string token's text, between its quotes.
func (t token) text(data []byte) []byte {
	off := uint64(uint32(t.v)) // in an object's entry, the value is above
	return data[off : off+uint64(t.n)]
}

func (t token) number() float64 {
	if t.raw {
		return float64(int64(t.v))
	}
	return math.Float64frombits(t.v)
}

// maxJSONDepth bounds the nesting the parser accepts: devalue's slots sit
// two levels down, so anything much deeper is not devalue, and the bound
// keeps hostile input from recursing deeply.
const maxJSONDepth = 8

// tapeDepth is the deepest level whose values get tokens: the slots'
// children.
const tapeDepth = 2

type tapeParser struct {
	data  []byte
	pos   int
	tape  []token
	slots []int32 // the tape index of each of the root array's elements
	// refs counts, up to 2, the numbers inside slots that could be
	// references to each slot.
	refs []uint8
	// keyRuns remembers the keys of recent slot objects as written, by
	// a hash of their first key (see keyRunFor): the records of a list
	// repeat them, and each is then matched in place rather than scanned.
	keyRuns  [8]keyRun
	versions uint64 // the keyRuns' versions so far
}

// keyRun is the keys of a slot object, each as written with its quotes
// and colon ("name":) in two zero-padded words, for those of up to 16
// bytes.
type keyRun struct {
	n int // how many keys are remembered
	// version changes whenever the keys do, unique in a text; its low
	// three bits are the run's index in keyRuns (see container).
	version uint64
	text    [16][2]uint64
	size    [16]uint8
}

// keyRunFor picks the run for an object whose first key starts at pos,
// by a hash of the four bytes after its quote (the key's first bytes),
// whose top three bits pick one of the eight.
func (p *tapeParser) keyRunFor(pos int) *keyRun {
	return &p.keyRuns[binary.LittleEndian.Uint32(p.data[pos+1:])*0x9E3779B1>>29]
}

// newVersion marks a change to a run's keys.
func (p *tapeParser) newVersion(r *keyRun) {
	p.versions++
	r.version = p.versions<<3 | r.version&7
}

// matches reports whether entry e's key, as remembered, is written at
// data[pos:], which holds at least 16 bytes.
func (r *keyRun) matches(e int, data []byte, pos int) bool {
	m0, m1 := keyMasks(int(r.size[e]))
	return binary.LittleEndian.Uint64(data[pos:])&m0 == r.text[e][0] &&
		binary.LittleEndian.Uint64(data[pos+8:])&m1 == r.text[e][1]
}

// remember adds the key written at data[pos:pos+size] as the run's next.
func (r *keyRun) remember(data []byte, pos, size int) {
	m0, m1 := keyMasks(size)
	r.text[r.n] = [2]uint64{binary.LittleEndian.Uint64(data[pos:]) & m0, binary.LittleEndian.Uint64(data[pos+8:]) & m1}
	r.size[r.n] = uint8(size)
	r.n++
}

// keyMasks selects the first size bytes of two little-endian words.
func keyMasks(size int) (uint64, uint64) {
	if size <= 8 {
		return uint64(1)<<(8*size) - 1, 0
	}
	return ^uint64(0), uint64(1)<<(8*(size-8)) - 1
}

// parse reads a whole JSON document onto the tape.
func (p *tapeParser) parse() error {
	if len(p.data) > math.MaxInt32 {
		return limited("the input is larger than 2 GiB")
	}
	for i := range p.keyRuns {
		p.keyRuns[i].version = uint64(i)
	}
	if err := p.value(0); err != nil {
		return err
	}
	p.space()
	if p.pos != len(p.data) {
		return p.fail("unexpected data after the JSON value")
	}
	return nil
}

func (p *tapeParser) fail(msg string) error {
	msg = "invalid JSON at byte " + strconv.Itoa(p.pos) + ": " + msg
	return &Error{Msg: msg, Err: &SyntaxError{Msg: msg, Offset: int64(p.pos), Slot: -1}}
}

func (p *tapeParser) space() {
	for p.pos < len(p.data) && p.data[p.pos] <= ' ' {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *tapeParser) value(depth int) error {
	p.space()
	if p.pos >= len(p.data) {
		return p.fail("unexpected end of input")
	}
	keep := depth <= tapeDepth
	switch c := p.data[p.pos]; {
	case c == '"':
		return p.string(keep)
	case c == '[' || c == '{':
		return p.container(depth)
	case c == '-' || c-'0' <= 9:
		return p.number(keep)
	case c == 't':
		return p.literal("true", jsonTrue, keep)
	case c == 'f':
		return p.literal("false", jsonFalse, keep)
	case c == 'n':
		return p.literal("null", jsonNull, keep)
	}
	return p.fail("unexpected character")
}

func (p *tapeParser) literal(word string, kind jsonKind, keep bool) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.fail("invalid literal")
	}
	p.pos += len(word)
	if keep {
		p.tape = append(p.tape, token{kind: kind})
	}
	return nil
}

func (p *tapeParser) container(depth int) error {
	if depth >= maxJSONDepth {
		return p.fail("nested too deeply")
	}
	object := p.data[p.pos] == '{'
	closer := byte(']')
	kind := jsonArray
	if object {
		closer, kind = '}', jsonObject
	}
	at := len(p.tape)
	if depth <= tapeDepth {
		p.tape = append(p.tape, token{kind: kind})
	}
	// Below tapeDepth values are checked but get no tokens: a container
	// there is one opaque token with no children.
	kidDepth, keep := depth+1, depth+1 <= tapeDepth
	p.pos++
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == closer {
		p.pos++
		return nil
	}
	// This loop reads every slot and every slot's children: it keeps the
	// position and the tape in locals, and reads the common children,
	// indices and plain strings, itself.
	// Anything else it hands over to p's methods, syncing the locals.
	data, pos, tape := p.data, p.pos, p.tape
	n := 0
	compact := object && depth == 1
	// An object's keys are hashed to a byte as they are read, cheaply:
	// only an object in which two hashes meet can repeat a key (see
	// dedupe).
	var hashes [4]uint64 // a set of the hashes of its plain keys so far
	mayRepeat := false
	var run *keyRun // this slot object's keys as last seen, if any
	hits := 0       // how many of its keys matched run's
	for {
		for pos < len(data) && data[pos] <= ' ' && isSpace[data[pos]] {
			pos++
		}
		if pos >= len(data) {
			p.pos = pos
			return p.fail("unterminated container")
		}
		if object {
			if data[pos] != '"' {
				p.pos = pos
				return p.fail("expected a string key")
			}
			e := n / 2 // the entry
			if compact && e == 0 && pos+16 < len(data) {
				run = p.keyRunFor(pos)
			}
			if run != nil && e < run.n && pos+16 < len(data) {
				if run.matches(e, data, pos) {
					size := int(run.size[e])
					tape = append(tape, token{kind: jsonString, v: uint64(pos + 1), n: uint32(size - 3)})
					mayRepeat = addKeyHash(&hashes, uint8(size-2)*29+data[pos+1]) || mayRepeat
					pos += size // before the value: the key's closing quote and colon were matched
					n++
					hits++
					goto value
				}
				run.n = e // another key: the run is remembered anew from here
				p.newVersion(run)
			}
			// Most keys and many strings end within eight bytes: that
			// case is plainRun's first step, written here to save a call.
			end := pos + 1
			if stop := stops8(data, end); stop != 0 {
				end += bits.TrailingZeros64(stop) >> 3
			} else {
				end = plainRun(data, end)
			}
			if end < len(data) && data[end] == '"' {
				if keep {
					tape = append(tape, token{kind: jsonString, v: uint64(pos + 1), n: uint32(end - pos - 1)})
				}
				mayRepeat = addKeyHash(&hashes, uint8(end-pos)*29+data[pos+1]) || mayRepeat // its length and first byte
				if size := end + 2 - pos; run != nil && e == run.n && e < len(run.size) && size <= 16 &&
					pos+16 < len(data) && data[end+1] == ':' {
					run.remember(data, pos, size)
					p.newVersion(run)
				}
				pos = end + 1
			} else {
				mayRepeat = true // escapes: equal keys may be written differently
				p.pos, p.tape = pos, tape
				err := p.string(keep)
				pos, tape = p.pos, p.tape
				if err != nil {
					return err
				}
			}
			for pos < len(data) && data[pos] <= ' ' && isSpace[data[pos]] {
				pos++
			}
			if pos >= len(data) || data[pos] != ':' {
				p.pos = pos
				return p.fail("expected :")
			}
			pos++
			for pos < len(data) && data[pos] <= ' ' && isSpace[data[pos]] {
				pos++
			}
			if pos >= len(data) {
				p.pos = pos
				return p.fail("unterminated container")
			}
			n++
		} else if depth == 0 {
			p.slots = append(p.slots, int32(len(tape)))
		}
	value:
		packed := false
		switch c := data[pos]; {
		case c-'0' <= 9:
			// A small integer: the commonest child, an index.
			start, v := pos, uint64(0)
			for end := min(len(data), pos+15); pos < end && data[pos]-'0' <= 9; {
				v = v*10 + uint64(data[pos]-'0')
				pos++
			}
			if (data[start] != '0' || pos-start == 1) && (pos == len(data) || !isNumberByte[data[pos]]) {
				if compact && v <= math.MaxInt32 {
					tape[len(tape)-1].v |= v << 32 // into its key's token: see below
					packed = true
				} else if keep {
					tape = append(tape, token{kind: jsonNumber, v: v, raw: true})
				}
				if depth == 1 && v < uint64(len(p.refs)) && p.refs[v] < 2 {
					p.refs[v]++ // the common case of countRef
				} else if depth == 1 {
					p.countRef(float64(v))
				}
				break
			}
			pos = start
			p.pos, p.tape = pos, tape
			err := p.number(keep)
			pos, tape = p.pos, p.tape
			if err != nil {
				return err
			}
			if depth == 1 {
				p.countRef(tape[len(tape)-1].number())
			}
		case c == '"':
			// Most keys and many strings end within eight bytes: that
			// case is plainRun's first step, written here to save a call.
			end := pos + 1
			if stop := stops8(data, end); stop != 0 {
				end += bits.TrailingZeros64(stop) >> 3
			} else {
				end = plainRun(data, end)
			}
			if end < len(data) && data[end] == '"' {
				if keep {
					tape = append(tape, token{kind: jsonString, v: uint64(pos + 1), n: uint32(end - pos - 1)})
				}
				pos = end + 1
			} else {
				p.pos, p.tape = pos, tape
				err := p.string(keep)
				pos, tape = p.pos, p.tape
				if err != nil {
					return err
				}
			}
		default:
			p.pos, p.tape = pos, tape
			err := p.value(kidDepth)
			pos, tape = p.pos, p.tape
			if err != nil {
				return err
			}
			if depth == 1 && tape[len(tape)-1].kind == jsonNumber {
				p.countRef(tape[len(tape)-1].number())
			}
		}
		n++
		if compact && !packed {
			// An object in a slot: its values are references, which fit in
			// their keys' tokens (the commonest, small ones are packed as
			// they are read). If one does not, back to pairs.
			last := len(tape) - 1
			if ref, ok := entryValue(tape[last]); ok {
				tape[last-1].v |= uint64(uint32(ref)) << 32
				tape = tape[:last]
			} else {
				tape = unpack(tape, at+1, last-1)
				compact = false
			}
		}
		for pos < len(data) && data[pos] <= ' ' && isSpace[data[pos]] {
			pos++
		}
		if pos >= len(data) {
			p.pos = pos
			return p.fail("unterminated container")
		}
		if c := data[pos]; c == ',' {
			pos++
			continue
		} else if c == closer {
			pos++
			break
		}
		p.pos = pos
		return p.fail("expected , or " + string(closer))
	}
	p.pos, p.tape = pos, tape
	if compact {
		p.tape[at].n, p.tape[at].raw = uint32(n/2), true
		if run != nil && hits == n/2 && hits == run.n && !mayRepeat {
			// Its keys are exactly the run's: the decoder gives it the
			// shape of the last object so marked (see object).
			p.tape[at].v = run.version
		}
	}
	if depth < tapeDepth && !compact {
		p.tape[at].n = uint32(n)
	}
	if depth < tapeDepth && object && mayRepeat {
		p.dedupe(at)
	}
	return nil
}

// addKeyHash adds a key's hash to an object's set of them, reporting
// whether it was there already.
func addKeyHash(hashes *[4]uint64, h uint8) bool {
	seen := hashes[h/64]&(1<<(h%64)) != 0
	hashes[h/64] |= 1 << (h % 64)
	return seen
}

// countRef counts a number inside a slot, which may be a reference. No
// slot's index reaches the text's length.
func (p *tapeParser) countRef(f float64) {
	if f < 0 || f >= float64(len(p.data)) || f != math.Trunc(f) {
		return
	}
	i := int(f)
	if i >= len(p.refs) {
		// Most references point forward, past the counts so far: grow
		// them by half at least, or every such reference would come here.
		n := min(max(i+1, len(p.refs)+len(p.refs)/2, 1024), len(p.data))
		p.refs = append(p.refs, make([]uint8, n-len(p.refs))...)
	}
	if p.refs[i] < 2 {
		p.refs[i]++
	}
}

// isSpace marks JSON's whitespace. The scanner tests c <= ' ' first, one
// comparison for the bytes that are not, which is all of them in the text
// devalue writes.
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// dedupe makes an object on the tape hold each key once: JSON.parse keeps
// the last value of a repeated key, in the place of the first. It is
// called only for an object that may repeat a key (see container).
func (p *tapeParser) dedupe(at int) {
	step := 2
	if p.tape[at].raw {
		step = 1 // entries
	}
	kids := p.tape[at+1:]
	if len(kids) != int(p.tape[at].n) {
		return // the root object: its children have children; never devalue
	}
	if !p.repeats(kids, step) {
		return
	}
	// Rebuild the object, each key in its first place with its last value.
	first := make(map[string]int, len(kids)/step) // key → its place in out
	out := kids[:0]
	for i := 0; i < len(kids); i += step {
		k := unquote(p.data, kids[i])
		j, ok := first[k]
		if !ok {
			first[k] = len(out)
			out = append(out, kids[i:i+step]...)
		} else if step == 1 {
			out[j].v = out[j].v&math.MaxUint32 | kids[i].v&^math.MaxUint32
		} else {
			out[j+1] = kids[i+1]
		}
	}
	p.tape = p.tape[:at+1+len(out)]
	p.tape[at].n = uint32(len(out))
}

// repeats reports whether an object has a key twice. Keys are hashed to
// a byte: only keys whose hashes meet are compared.
func (p *tapeParser) repeats(kids []token, step int) bool {
	const small = 32
	if len(kids) > small*step {
		seen := make(map[string]bool, len(kids)/step)
		for i := 0; i < len(kids); i += step {
			k := unquote(p.data, kids[i])
			if seen[k] {
				return true
			}
			seen[k] = true
		}
		return false
	}
	var hashes [small]uint8
	var seen [4]uint64 // a set of hashes
	for i, n := 0, 0; i < len(kids); i, n = i+step, n+1 {
		text := kids[i].text(p.data)
		if kids[i].raw { // escapes, or invalid UTF-8: keys equal once decoded
			text = []byte(unquote(p.data, kids[i]))
		}
		h := keyHash(text)
		hashes[n] = h
		if seen[h/64]&(1<<(h%64)) != 0 {
			for j := 0; j < n; j++ {
				if hashes[j] == h && p.sameKey(kids[i], kids[j*step]) {
					return true
				}
			}
		}
		seen[h/64] |= 1 << (h % 64)
	}
	return false
}

// keyHash is a byte-sized hash of a key's length and some of its bytes.
func keyHash(text []byte) uint8 {
	x := uint32(len(text))
	if len(text) > 0 {
		x |= uint32(text[0])<<8 | uint32(text[len(text)-1])<<16 | uint32(text[len(text)/2])<<24
	}
	return uint8(x * 0x9E3779B1 >> 24)
}

func (p *tapeParser) sameKey(a, b token) bool {
	if !a.raw && !b.raw {
		return string(a.text(p.data)) == string(b.text(p.data))
	}
	return unquote(p.data, a) == unquote(p.data, b)
}

// entryValue is what an object's entry holds: a reference, as an int32.
func entryValue(t token) (int32, bool) {
	if t.kind != jsonNumber {
		return 0, false
	}
	if t.raw {
		n := int64(t.v)
		return int32(n), n == int64(int32(n))
	}
	f := t.number()
	n := int32(f)
	return n, float64(n) == f && !(f == 0 && math.Signbit(f))
}

// unpack turns an object's entries at tape[from:to] back into key and
// value pairs, keeping the pair being read after them.
func unpack(tape []token, from, to int) []token {
	k, pair := to-from, len(tape)-to
	tape = append(tape, make([]token, k)...)
	copy(tape[to+k:], tape[to:to+pair])
	for e := k - 1; e >= 0; e-- { // backwards: each entry moves right
		tape[from+2*e], tape[from+2*e+1] = entry(tape[from+e:], 0, 1)
	}
	return tape
}

// entry returns the key and the value of the object entry that starts at
// kids[n], taking step tokens.
func entry(kids []token, n, step int) (key, value token) {
	if step == 2 {
		return kids[n], kids[n+1]
	}
	k := kids[n]
	return token{kind: jsonString, v: k.v & math.MaxUint32, n: k.n, raw: k.raw},
		token{kind: jsonNumber, v: uint64(int64(int32(k.v >> 32))), raw: true}
}

// number reads a JSON number. Integers of up to 15 digits, which are most
// numbers in devalue (indices), are read directly.
func (p *tapeParser) number(keep bool) error {
	data, pos := p.data, p.pos
	neg := data[pos] == '-'
	if neg {
		pos++
	}
	digits := pos
	var n int64
	for pos < len(data) && pos-digits < 15 && data[pos]-'0' <= 9 {
		n = n*10 + int64(data[pos]-'0')
		pos++
	}
	if pos > digits && (data[digits] != '0' || pos-digits == 1) && !(neg && n == 0) &&
		(pos == len(data) || !isNumberByte[data[pos]]) {
		p.pos = pos
		if neg {
			n = -n
		}
		if keep {
			p.tape = append(p.tape, token{kind: jsonNumber, v: uint64(n), raw: true})
		}
		return nil
	}
	f, err := p.float()
	if keep {
		p.tape = append(p.tape, token{kind: jsonNumber, v: math.Float64bits(f)})
	}
	return err
}

// float reads any other number: checks the grammar, then lets strconv
// round it.
func (p *tapeParser) float() (float64, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	intStart := p.pos
	if p.digits() == 0 {
		return 0, p.fail("invalid number")
	}
	if p.data[intStart] == '0' && p.pos-intStart > 1 {
		return 0, p.fail("leading zero in number")
	}
	intEnd, fraction := p.pos, 0
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if fraction = p.digits(); fraction == 0 {
			return 0, p.fail("invalid number")
		}
	}
	exponent := p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E')
	if !exponent && intEnd-intStart+fraction <= 15 {
		return decimal(p.data[intStart:p.pos], fraction, intStart > start), nil
	}
	if exponent {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if p.digits() == 0 {
			return 0, p.fail("invalid number")
		}
	}
	f, err := strconv.ParseFloat(string(p.data[start:p.pos]), 64)
	if err != nil && f == 0 { // overflow gives ±Inf, as JSON.parse does
		return 0, p.fail("invalid number")
	}
	return f, nil
}

// decimal is the value of a number of at most 15 digits and no exponent,
// such as 1.25, text being its digits and its point, fraction the digits
// after the point. Its digits and a power of ten up to 10^15 are both
// exact as float64s, so one division, which IEEE 754 rounds correctly,
// gives what strconv.ParseFloat would.
func decimal(text []byte, fraction int, neg bool) float64 {
	var m uint64
	for _, c := range text {
		if c != '.' {
			m = m*10 + uint64(c-'0')
		}
	}
	f := float64(m) / pow10[fraction]
	if neg {
		return -f
	}
	return f
}

var pow10 = [16]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// isNumberByte marks the bytes that may continue a number after its
// integer digits.
var isNumberByte = [256]bool{'.': true, 'e': true, 'E': true,
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true}

func (p *tapeParser) digits() int {
	start := p.pos
	for p.pos < len(p.data) && p.data[p.pos]-'0' <= 9 {
		p.pos++
	}
	return p.pos - start
}

// plainByte marks the bytes a string can hold as they are: printable
// ASCII other than the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainRun returns where the run of plain bytes starting at pos ends,
// looking at eight bytes at a time.
func plainRun(data []byte, pos int) int {
	for ; pos+8 <= len(data); pos += 8 {
		if stop := stops(binary.LittleEndian.Uint64(data[pos:])); stop != 0 {
			return pos + bits.TrailingZeros64(stop)/8
		}
	}
	for pos < len(data) && plainByte[data[pos]] {
		pos++
	}
	return pos
}

// stops sets a byte's high bit where it is a quote, a backslash, a
// control character or not ASCII, in eight bytes of text. Borrows can set
// bits above such a byte, never below: the lowest bit is exact.
func stops(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := x^(ones*'"'), x^(ones*'\\')
	return (((quote - ones) &^ quote) | ((backslash - ones) &^ backslash) | ((x - ones*0x20) &^ x) | x) & highs
}

// stops8 is stops of the eight bytes at pos, or 0 if there are fewer.
func stops8(data []byte, pos int) uint64 {
	if pos+8 > len(data) {
		return 0
	}
	return stops(binary.LittleEndian.Uint64(data[pos:]))
}

// string checks a string and moves past it.
func (p *tapeParser) string(keep bool) error {
	start := p.pos + 1
	p.pos = plainRun(p.data, start)
	raw := false
	if p.pos >= len(p.data) || p.data[p.pos] != '"' {
		raw = true
		if err := p.rawString(); err != nil {
			return err
		}
	}
	if keep {
		p.tape = append(p.tape, token{kind: jsonString, v: uint64(start), n: uint32(p.pos - start), raw: raw})
	}
	p.pos++ // the closing quote
	return nil
}

// rawString checks the rest of a string that has escapes or non-ASCII
// bytes, stopping at its closing quote.
func (p *tapeParser) rawString() error {
	for {
		p.pos = plainRun(p.data, p.pos)
		if p.pos >= len(p.data) {
			return p.fail("unterminated string")
		}
		switch c := p.data[p.pos]; {
		case c == '"':
			return nil
		case c < 0x20:
			return p.fail("control character in string")
		case c == '\\':
			p.pos++
			if p.pos >= len(p.data) {
				return p.fail("unterminated string")
			}
			switch p.data[p.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.pos++
			case 'u':
				p.pos++
				if _, ok := hex4(p.data, p.pos); !ok {
					return p.fail("invalid \\u escape")
				}
				p.pos += 4
			default:
				return p.fail("invalid escape")
			}
		default: // non-ASCII: decoded later, invalid UTF-8 as U+FFFD
			p.pos++
		}
	}
}

func hex4(data []byte, pos int) (rune, bool) {
	if len(data)-pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range data[pos : pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// unquote returns a string token's value. An escaped lone surrogate,
// which a Go string cannot hold, becomes U+FFFD, as does invalid UTF-8.
func unquote(data []byte, t token) string {
	text := t.text(data)
	if !t.raw {
		return string(text)
	}
	var b strings.Builder // its String does not copy
	b.Grow(len(text))
	for i := 0; i < len(text); {
		c := text[i]
		if c != '\\' {
			if c < utf8.RuneSelf {
				j := i + 1
				for j < len(text) && text[j] != '\\' && text[j] < utf8.RuneSelf {
					j++
				}
				b.Write(text[i:j])
				i = j
				continue
			}
			r, size := utf8.DecodeRune(text[i:])
			b.WriteRune(r)
			i += size
			continue
		}
		e := text[i+1] // the parser has checked every escape
		i += 2
		switch e {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, _ := hex4(text, i)
			i += 4
			if utf16.IsSurrogate(r) {
				if i+6 <= len(text) && text[i] == '\\' && text[i+1] == 'u' {
					if r2, ok := hex4(text, i+2); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							b.WriteRune(d)
							i += 6
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
		default: // " \ /
			b.WriteByte(e)
		}
	}
	return b.String()
}
