package devalue

import (
	"bytes"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonValue is one parsed JSON value. devalue's text is a JSON array of
// slots, each a primitive, an array of indices and inline strings, or an
// object of indices, so this small tree is all Unmarshal needs.
type jsonValue struct {
	kind jsonKind
	str  string
	num  float64
	arr  []jsonValue // array elements; an object's keys and values, alternating
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

// maxJSONDepth bounds the nesting the parser accepts: devalue's slots sit
// two levels down, so anything much deeper is not devalue, and the bound
// keeps hostile input from recursing deeply.
const maxJSONDepth = 8

type jsonParser struct {
	data  []byte
	pos   int
	stack []jsonValue // children being parsed, all levels
	arena []jsonValue // where finished children live, in chunks
}

func parseJSON(data []byte) (jsonValue, error) {
	// The stack holds every element of the root array at once: size it by
	// the commas, an upper bound, so it never has to grow and copy.
	p := jsonParser{data: data, stack: make([]jsonValue, 0, bytes.Count(data, []byte{','})+2)}
	v, err := p.value(0)
	if err != nil {
		return v, err
	}
	p.space()
	if p.pos != len(p.data) {
		return v, p.fail("unexpected data after the JSON value")
	}
	return v, nil
}

func (p *jsonParser) fail(msg string) error {
	return &Error{Msg: "invalid JSON at byte " + strconv.Itoa(p.pos) + ": " + msg}
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (jsonValue, error) {
	if depth > maxJSONDepth {
		return jsonValue{}, p.fail("nested too deeply")
	}
	p.space()
	if p.pos >= len(p.data) {
		return jsonValue{}, p.fail("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '[':
		p.pos++
		v := jsonValue{kind: jsonArray}
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			return v, nil
		}
		base := len(p.stack)
		for {
			e, err := p.value(depth + 1)
			if err != nil {
				return v, err
			}
			p.stack = append(p.stack, e)
			p.space()
			if p.pos >= len(p.data) {
				return v, p.fail("unterminated array")
			}
			if p.data[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.data[p.pos] == ']' {
				p.pos++
				if depth == 0 {
					v.arr = p.stack[base:] // the root: nothing else uses the stack now
				} else {
					v.arr = p.keep(base)
				}
				return v, nil
			}
			return v, p.fail("expected , or ]")
		}
	case c == '{':
		p.pos++
		v := jsonValue{kind: jsonObject}
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			return v, nil
		}
		base := len(p.stack)
		for {
			p.space()
			if p.pos >= len(p.data) || p.data[p.pos] != '"' {
				return v, p.fail("expected a string key")
			}
			k, err := p.string()
			if err != nil {
				return v, err
			}
			p.space()
			if p.pos >= len(p.data) || p.data[p.pos] != ':' {
				return v, p.fail("expected :")
			}
			p.pos++
			e, err := p.value(depth + 1)
			if err != nil {
				return v, err
			}
			// JSON.parse keeps the last of duplicate keys, in the first's place.
			dup := false
			for i := base; i < len(p.stack); i += 2 {
				if p.stack[i].str == k {
					p.stack[i+1], dup = e, true
				}
			}
			if !dup {
				p.stack = append(p.stack, jsonValue{kind: jsonString, str: k}, e)
			}
			p.space()
			if p.pos >= len(p.data) {
				return v, p.fail("unterminated object")
			}
			if p.data[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.data[p.pos] == '}' {
				p.pos++
				v.arr = p.keep(base)
				return v, nil
			}
			return v, p.fail("expected , or }")
		}
	case c == '"':
		s, err := p.string()
		return jsonValue{kind: jsonString, str: s}, err
	case c == 't':
		return p.literal("true", jsonValue{kind: jsonTrue})
	case c == 'f':
		return p.literal("false", jsonValue{kind: jsonFalse})
	case c == 'n':
		return p.literal("null", jsonValue{kind: jsonNull})
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return jsonValue{}, p.fail("unexpected character")
}

// keep moves the children parsed since base from the stack into the
// arena. The hydrator releases a slot's part of the arena when it is done
// with the slot, so the arena grows only as deep as the slots nest.
func (p *jsonParser) keep(base int) []jsonValue {
	start := len(p.arena)
	p.arena = append(p.arena, p.stack[base:]...)
	p.stack = p.stack[:base]
	return p.arena[start:len(p.arena):len(p.arena)]
}

func (p *jsonParser) literal(word string, v jsonValue) (jsonValue, error) {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return v, p.fail("invalid literal")
	}
	p.pos += len(word)
	return v, nil
}

func (p *jsonParser) number() (jsonValue, error) {
	start := p.pos
	// Most numbers in devalue are small integer indices: read those
	// directly.
	if n, end, ok := smallInt(p.data, p.pos); ok {
		p.pos = end
		return jsonValue{kind: jsonNumber, num: float64(n)}, nil
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	intStart := p.pos
	if digits() == 0 {
		return jsonValue{}, p.fail("invalid number")
	}
	if p.data[intStart] == '0' && p.pos-intStart > 1 {
		return jsonValue{}, p.fail("leading zero in number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return jsonValue{}, p.fail("invalid number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return jsonValue{}, p.fail("invalid number")
		}
	}
	f, err := strconv.ParseFloat(string(p.data[start:p.pos]), 64)
	if err != nil && f == 0 { // overflow gives ±Inf, as JSON.parse does
		return jsonValue{}, p.fail("invalid number")
	}
	return jsonValue{kind: jsonNumber, num: f}, nil
}

// smallInt reads an integer of at most 15 digits that is not followed by
// a fraction or an exponent.
func smallInt(data []byte, pos int) (int64, int, bool) {
	neg := false
	if pos < len(data) && data[pos] == '-' {
		neg = true
		pos++
	}
	start := pos
	var n int64
	for pos < len(data) && data[pos] >= '0' && data[pos] <= '9' && pos-start < 15 {
		n = n*10 + int64(data[pos]-'0')
		pos++
	}
	if pos == start || (data[start] == '0' && pos-start > 1) || (n == 0 && neg) {
		return 0, 0, false
	}
	if pos < len(data) {
		if c := data[pos]; c == '.' || c == 'e' || c == 'E' || c >= '0' && c <= '9' {
			return 0, 0, false
		}
	}
	if neg {
		n = -n
	}
	return n, pos, true
}

// string reads a JSON string. An escaped lone surrogate, which a Go
// string cannot hold, becomes U+FFFD.
func (p *jsonParser) string() (string, error) {
	p.pos++ // the opening quote
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		p.pos++
	}
	b := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(b), nil
		case c < 0x20:
			return "", p.fail("control character in string")
		case c == '\\':
			p.pos++
			if p.pos >= len(p.data) {
				return "", p.fail("unterminated string")
			}
			e := p.data[p.pos]
			p.pos++
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
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
				r, ok := p.hex4()
				if !ok {
					return "", p.fail("invalid \\u escape")
				}
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
						save := p.pos
						p.pos += 2
						if x, ok := p.hex4(); ok {
							r2 = x
						} else {
							p.pos = save
						}
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							b = utf8.AppendRune(b, d)
							continue
						}
						p.pos = save
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", p.fail("invalid escape")
			}
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			b = utf8.AppendRune(b, r) // invalid UTF-8 becomes U+FFFD
			p.pos += size
		}
	}
	return "", p.fail("unterminated string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
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
	p.pos += 4
	return r, true
}

// scanSlots validates the devalue document and returns where each slot of
// the root array starts, without building anything: slots are parsed one
// at a time, when they are hydrated. A document that is a bare number is
// returned as a value instead.
func scanSlots(data []byte) (offsets []int32, root jsonValue, err error) {
	p := jsonParser{data: data}
	p.space()
	if p.pos >= len(p.data) || p.data[p.pos] != '[' {
		v, err := parseJSON(data)
		return nil, v, err
	}
	if len(data) > 1<<31-1 {
		return nil, root, &Error{Msg: "the input is larger than 2 GiB"}
	}
	p.pos++
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.space()
		if p.pos != len(p.data) {
			return nil, root, p.fail("unexpected data after the JSON value")
		}
		return nil, jsonValue{kind: jsonArray}, nil
	}
	offsets = make([]int32, 0, bytes.Count(data, []byte{','})/3+1)
	for {
		p.space()
		offsets = append(offsets, int32(p.pos))
		if err := p.skip(1); err != nil {
			return nil, root, err
		}
		p.space()
		if p.pos >= len(p.data) {
			return nil, root, p.fail("unterminated array")
		}
		if p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.data[p.pos] == ']' {
			p.pos++
			break
		}
		return nil, root, p.fail("expected , or ]")
	}
	p.space()
	if p.pos != len(p.data) {
		return nil, root, p.fail("unexpected data after the JSON value")
	}
	return offsets, jsonValue{kind: jsonArray}, nil
}

// skip checks one JSON value and moves past it.
func (p *jsonParser) skip(depth int) error {
	if depth > maxJSONDepth {
		return p.fail("nested too deeply")
	}
	p.space()
	if p.pos >= len(p.data) {
		return p.fail("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '[' || c == '{':
		closer := byte(']')
		if c == '{' {
			closer = '}'
		}
		p.pos++
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == closer {
			p.pos++
			return nil
		}
		for {
			if c == '{' {
				p.space()
				if p.pos >= len(p.data) || p.data[p.pos] != '"' {
					return p.fail("expected a string key")
				}
				if err := p.skipString(); err != nil {
					return err
				}
				p.space()
				if p.pos >= len(p.data) || p.data[p.pos] != ':' {
					return p.fail("expected :")
				}
				p.pos++
			}
			if err := p.skip(depth + 1); err != nil {
				return err
			}
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
				return nil
			}
			return p.fail("expected , or " + string(closer))
		}
	case c == '"':
		return p.skipString()
	}
	_, err := p.value(depth) // literals and numbers: cheap to read whole
	return err
}

// skipString checks a string without building it.
func (p *jsonParser) skipString() error {
	p.pos++
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
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
				if _, ok := p.hex4(); !ok {
					return p.fail("invalid \\u escape")
				}
			default:
				return p.fail("invalid escape")
			}
		default:
			p.pos++
		}
	}
	return p.fail("unterminated string")
}
