package devalue

import (
	"math"
	"strconv"
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
	// v is a number's float64 bits, or a string's offset in the text just
	// after its opening quote.
	v uint64
	// n is a string's length in the text, or a container's count of
	// direct children (an object's keys and values, alternating) when they
	// are on the tape.
	n    uint32
	kind jsonKind
	// raw marks a string whose text has escapes or non-ASCII bytes, which
	// must be decoded rather than copied.
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

func (t token) number() float64 { return math.Float64frombits(t.v) }

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
}

// parse reads a whole JSON document onto the tape.
func (p *tapeParser) parse() error {
	if len(p.data) > math.MaxInt32 {
		return &Error{Msg: "the input is larger than 2 GiB"}
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
	return &Error{Msg: "invalid JSON at byte " + strconv.Itoa(p.pos) + ": " + msg}
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
	switch c := p.data[p.pos]; {
	case c == '"':
		start := p.pos + 1
		raw, err := p.skipString()
		if depth <= tapeDepth {
			p.tape = append(p.tape, token{kind: jsonString, v: uint64(start), n: uint32(p.pos - 1 - start), raw: raw})
		}
		return err
	case c == '[' || c == '{':
		return p.container(depth)
	case c == '-' || c >= '0' && c <= '9':
		f, err := p.number()
		if depth <= tapeDepth {
			p.tape = append(p.tape, token{kind: jsonNumber, v: math.Float64bits(f)})
		}
		return err
	case c == 't':
		return p.literal("true", jsonTrue, depth)
	case c == 'f':
		return p.literal("false", jsonFalse, depth)
	case c == 'n':
		return p.literal("null", jsonNull, depth)
	}
	return p.fail("unexpected character")
}

func (p *tapeParser) literal(word string, kind jsonKind, depth int) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.fail("invalid literal")
	}
	p.pos += len(word)
	if depth <= tapeDepth {
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
	// Below tapeDepth children are checked but get no tokens: a container
	// there is one opaque token with no children.
	kidDepth := depth + 1
	p.pos++
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == closer {
		p.pos++
		return nil
	}
	n := 0
	for {
		if object {
			p.space()
			if p.pos >= len(p.data) || p.data[p.pos] != '"' {
				return p.fail("expected a string key")
			}
			if err := p.value(kidDepth); err != nil {
				return err
			}
			p.space()
			if p.pos >= len(p.data) || p.data[p.pos] != ':' {
				return p.fail("expected :")
			}
			p.pos++
			n++
		} else if depth == 0 {
			p.space()
			p.slots = append(p.slots, int32(len(p.tape)))
		}
		if err := p.value(kidDepth); err != nil {
			return err
		}
		n++
		p.space()
		if p.pos >= len(p.data) {
			return p.fail("unterminated container")
		}
		if p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.data[p.pos] == closer {
			p.pos++
			break
		}
		return p.fail("expected , or " + string(closer))
	}
	if depth < tapeDepth {
		p.tape[at].n = uint32(n)
		if object {
			p.dedupe(at)
		}
	}
	return nil
}

// dedupe makes an object on the tape hold each key once: JSON.parse keeps
// the last value of a repeated key, in the place of the first.
func (p *tapeParser) dedupe(at int) {
	kids := p.tape[at+1:]
	if len(kids) != 2*int(p.tape[at].n) {
		return // the root object: its children have children; never devalue
	}
	// Objects are small: comparing lengths first makes pairs cheap.
	dup := false
	for i := 2; i < len(kids) && !dup; i += 2 {
		for j := 0; j < i; j += 2 {
			if kids[i].n == kids[j].n && p.key(kids[i]) == p.key(kids[j]) {
				dup = true
				break
			}
		}
	}
	if !dup {
		return
	}
	out := kids[:0]
next:
	for i := 0; i < len(kids); i += 2 {
		for j := 0; j < len(out); j += 2 {
			if p.key(kids[i]) == p.key(out[j]) {
				out[j+1] = kids[i+1]
				continue next
			}
		}
		out = append(out, kids[i], kids[i+1])
	}
	p.tape = p.tape[:at+1+len(out)]
	p.tape[at].n = uint32(len(out))
}

func (p *tapeParser) key(t token) string { return unquote(p.data, t) }

// number reads a JSON number. Integers of up to 15 digits, which are most
// numbers in devalue (indices), are read directly.
func (p *tapeParser) number() (float64, error) {
	start := p.pos
	pos, neg := p.pos, false
	if p.data[pos] == '-' {
		neg = true
		pos++
	}
	digits := pos
	var n int64
	for pos < len(p.data) && pos-digits < 15 && p.data[pos]-'0' <= 9 {
		n = n*10 + int64(p.data[pos]-'0')
		pos++
	}
	if pos > digits && (p.data[digits] != '0' || pos-digits == 1) && !(neg && n == 0) {
		if pos == len(p.data) || !isNumberByte[p.data[pos]] {
			p.pos = pos
			if neg {
				n = -n
			}
			return float64(n), nil
		}
	}
	// Anything else: check the grammar, then let strconv round it.
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
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if p.digits() == 0 {
			return 0, p.fail("invalid number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
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

// skipString checks a string and moves past it, reporting whether its
// text needs decoding.
func (p *tapeParser) skipString() (raw bool, err error) {
	p.pos++
	for {
		for p.pos < len(p.data) && plainByte[p.data[p.pos]] {
			p.pos++
		}
		if p.pos >= len(p.data) {
			return raw, p.fail("unterminated string")
		}
		switch c := p.data[p.pos]; {
		case c == '"':
			p.pos++
			return raw, nil
		case c < 0x20:
			return raw, p.fail("control character in string")
		case c == '\\':
			raw = true
			p.pos++
			if p.pos >= len(p.data) {
				return raw, p.fail("unterminated string")
			}
			switch p.data[p.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.pos++
			case 'u':
				p.pos++
				if _, ok := hex4(p.data, p.pos); !ok {
					return raw, p.fail("invalid \\u escape")
				}
				p.pos += 4
			default:
				return raw, p.fail("invalid escape")
			}
		default: // non-ASCII: decoded later, invalid UTF-8 as U+FFFD
			raw = true
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
	text := data[t.v : t.v+uint64(t.n)]
	if !t.raw {
		return string(text)
	}
	b := make([]byte, 0, len(text))
	for i := 0; i < len(text); {
		c := text[i]
		if c != '\\' {
			if c < utf8.RuneSelf {
				b = append(b, c)
				i++
				continue
			}
			r, size := utf8.DecodeRune(text[i:])
			b = utf8.AppendRune(b, r)
			i += size
			continue
		}
		e := text[i+1] // the parser has checked every escape
		i += 2
		switch e {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, _ := hex4(text, i)
			i += 4
			if utf16.IsSurrogate(r) {
				if i+6 <= len(text) && text[i] == '\\' && text[i+1] == 'u' {
					if r2, ok := hex4(text, i+2); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							b = utf8.AppendRune(b, d)
							i += 6
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			b = utf8.AppendRune(b, r)
		default: // " \ /
			b = append(b, e)
		}
	}
	return string(b)
}
