package devalue

import (
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
	arr  []jsonValue
	keys []string // object keys, in order; values in arr
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
	data []byte
	pos  int
}

func parseJSON(data []byte) (jsonValue, error) {
	p := jsonParser{data: data}
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
		for {
			e, err := p.value(depth + 1)
			if err != nil {
				return v, err
			}
			v.arr = append(v.arr, e)
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
			for i, old := range v.keys {
				if old == k {
					v.arr[i], dup = e, true
				}
			}
			if !dup {
				v.keys = append(v.keys, k)
				v.arr = append(v.arr, e)
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

func (p *jsonParser) literal(word string, v jsonValue) (jsonValue, error) {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return v, p.fail("invalid literal")
	}
	p.pos += len(word)
	return v, nil
}

func (p *jsonParser) number() (jsonValue, error) {
	start := p.pos
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
