package devalue

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendNumber writes a finite float as JavaScript's Number#toString does:
// the shortest digits that round-trip, in plain notation for magnitudes in
// [1e-6, 1e21) and in exponent notation (1e+21, 5e-7) otherwise.
func appendNumber(b []byte, f float64) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return appendIndex(b, int(f))
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	neg := e[0] == '-'
	if neg {
		e = e[1:]
		b = append(b, '-')
	}
	// e is d[.ddd]e±xx
	mant, exp := e, 0
	for i, c := range e {
		if c == 'e' {
			mant = e[:i]
			exp, _ = strconv.Atoi(string(e[i+1:]))
			break
		}
	}
	var digits [24]byte
	k := 0
	for _, c := range mant {
		if c != '.' {
			digits[k] = c
			k++
		}
	}
	d := digits[:k]
	n := exp + 1 // the decimal point sits after n digits
	switch {
	case k <= n && n <= 21:
		b = append(b, d...)
		for i := k; i < n; i++ {
			b = append(b, '0')
		}
	case 0 < n && n <= 21:
		b = append(b, d[:n]...)
		b = append(b, '.')
		b = append(b, d[n:]...)
	case -6 < n && n <= 0:
		b = append(b, '0', '.')
		for i := n; i < 0; i++ {
			b = append(b, '0')
		}
		b = append(b, d...)
	default:
		b = append(b, d[0])
		if k > 1 {
			b = append(b, '.')
			b = append(b, d[1:]...)
		}
		b = append(b, 'e')
		if n-1 >= 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, int64(n-1), 10)
	}
	return b
}

// appendString writes s as a JSON string with devalue's escaping: JSON's
// required escapes, lowercase \u00xx for other control characters, and
// \u003C, \u2028, \u2029 so the text is safe inside a <script>. Invalid
// UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '<':
				b = append(b, `\u003C`...)
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hex = "0123456789abcdef"

// appendISODate writes t as Date#toISOString does, years outside 0–9999
// with a sign and six digits.
func appendISODate(b []byte, t time.Time) []byte {
	// Date and Clock work the calendar out once each; Year, Month, … would
	// each work it out again.
	year, month, day := t.UTC().Date()
	hour, min, sec := t.UTC().Clock()
	switch {
	case year < 0:
		b = append(b, '-')
		b = appendPadded(b, -year, 6)
	case year > 9999:
		b = append(b, '+')
		b = appendPadded(b, year, 6)
	default:
		b = appendPadded(b, year, 4)
	}
	b = append(b, '-')
	b = appendPadded(b, int(month), 2)
	b = append(b, '-')
	b = appendPadded(b, day, 2)
	b = append(b, 'T')
	b = appendPadded(b, hour, 2)
	b = append(b, ':')
	b = appendPadded(b, min, 2)
	b = append(b, ':')
	b = appendPadded(b, sec, 2)
	b = append(b, '.')
	b = appendPadded(b, t.Nanosecond()/1e6, 3)
	return append(b, 'Z')
}

func appendPadded(b []byte, n, width int) []byte {
	for d := 10; d <= n && width > 1; d *= 10 {
		width-- // n has this digit: one zero less
	}
	for ; width > 1; width-- {
		b = append(b, '0')
	}
	return appendIndex(b, n)
}

// jsDateRange is the range of a JavaScript Date: ±8.64e15 ms from the epoch.
const jsDateLimit = 8.64e15

// dateMillis returns t's JavaScript time value, whole milliseconds since the
// epoch (rounded down), and whether a Date can hold it.
func dateMillis(t time.Time) (int64, bool) {
	sec := t.Unix()
	if sec > jsDateLimit/1000 || sec < -jsDateLimit/1000 {
		return 0, false
	}
	ms := sec*1000 + int64(t.Nanosecond()/1e6)
	return ms, ms <= jsDateLimit && ms >= -jsDateLimit
}

// parseISODate reads Date#toISOString's output: YYYY-MM-DDTHH:mm:ss.sssZ,
// with a signed six-digit year outside 0–9999.
func parseISODate[T string | []byte](s T) (time.Time, bool) {
	year, rest := 0, s
	switch {
	case len(s) == 27 && (s[0] == '+' || s[0] == '-'):
		y, ok := digits(s[1:7])
		if !ok || (s[0] == '-' && y == 0) {
			return time.Time{}, false
		}
		if s[0] == '-' {
			y = -y
		}
		year, rest = y, s[7:]
	case len(s) == 24:
		y, ok := digits(s[:4])
		if !ok {
			return time.Time{}, false
		}
		year, rest = y, s[4:]
	default:
		return time.Time{}, false
	}
	// rest is -MM-DDTHH:mm:ss.sssZ, read as three words (the last two
	// overlap): its separators must match, and its digits, with '0' put in
	// the separators' places, must all be digits.
	if len(rest) != 20 {
		return time.Time{}, false
	}
	const (
		seps0, mask0 = 0x54_00_00_2D_00_00_2D, 0xFF_00_00_FF_00_00_FF       // -MM-DDTH
		seps1, mask1 = 0x2E_00_00_3A_00_00_3A_00, 0xFF_00_00_FF_00_00_FF_00 // H:mm:ss.
		seps2, mask2 = 0x5A_00_00_00_2E_00_00_3A, 0xFF_00_00_00_FF_00_00_FF // :ss.sssZ
		zeros        = 0x3030303030303030
	)
	w0, w1, w2 := word(rest, 0), word(rest, 8), word(rest, 12)
	x0, x1, x2 := w0&^mask0|zeros&mask0, w1&^mask1|zeros&mask1, w2&^mask2|zeros&mask2
	if w0&mask0 != seps0 || w1&mask1 != seps1 || w2&mask2 != seps2 || !allDigits(x0) || !allDigits(x1) || !allDigits(x2) {
		return time.Time{}, false
	}
	d0, d1, d2 := x0-zeros, x1-zeros, x2-zeros // each byte a digit's value
	digit := func(d uint64, i int) int { return int(d >> (8 * i) & 0xFF) }
	month, day := digit(d0, 1)*10+digit(d0, 2), digit(d0, 4)*10+digit(d0, 5)
	hour, min, sec := digit(d0, 7)*10+digit(d1, 0), digit(d1, 2)*10+digit(d1, 3), digit(d1, 5)*10+digit(d1, 6)
	ms := digit(d2, 4)*100 + digit(d2, 5)*10 + digit(d2, 6)
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || min > 59 || sec > 59 {
		return time.Time{}, false
	}
	secs := daysSinceEpoch(year, month, day)*86_400 + int64((hour*60+min)*60+sec)
	if millis := secs*1000 + int64(ms); millis > jsDateLimit || millis < -jsDateLimit {
		return time.Time{}, false
	}
	return time.Unix(secs, int64(ms)*1e6).UTC(), true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysBeforeMonth is the days of a common year before each month.
var daysBeforeMonth = [13]int{0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}

// daysSinceEpoch counts the days from 1970-01-01 to a date of the
// proleptic Gregorian calendar. Years are counted from March, so that the
// leap day ends a year, in 400-year cycles of 146,097 days.
func daysSinceEpoch(year, month, day int) int64 {
	if year >= 1901 && year <= 2099 { // the common case: every fourth year is a leap year
		d := (year-1970)*365 + (year-1)/4 - 492 + daysBeforeMonth[month] + day - 1 // 492 leap years before 1970
		if year%4 == 0 && month > 2 {
			d++
		}
		return int64(d)
	}
	if month <= 2 {
		year--
	}
	cycle := year / 400
	if year < 0 && year%400 != 0 {
		cycle--
	}
	y := year - cycle*400                            // 0…399
	d := (153*((month+9)%12)+2)/5 + day - 1          // day of the year from 1 March
	d += y*365 + y/4 - y/100                         // day of the cycle
	return int64(cycle)*146_097 + int64(d) - 719_468 // 1970-01-01 is day 719,468 from 0000-03-01
}

// word is the eight bytes of s at i as a little-endian word.
func word[T string | []byte](s T, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// allDigits reports whether the eight bytes of x are all decimal digits:
// a byte is one when its high nibble is 3 before and after adding 6 (a
// carry leaves only a byte that is not a digit).
func allDigits(x uint64) bool {
	const threes, highs = 0x3030303030303030, 0xF0F0F0F0F0F0F0F0
	return (x&highs^threes)|((x+0x0606060606060606)&highs^threes) == 0
}

func digits[T string | []byte](s T) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, len(s) > 0
}

// appendIndex appends a decimal integer, most often a slot index: small
// non-negative numbers are written directly, two digits at a time, which
// is cheaper than strconv for the many indices of a large text.
func appendIndex(b []byte, n int) []byte {
	if uint(n) < 10 {
		return append(b, byte('0'+n))
	}
	if n < 0 || n >= 1e15 {
		return strconv.AppendInt(b, int64(n), 10)
	}
	var buf [16]byte
	i := len(buf)
	for n >= 100 {
		q := n / 100
		r := (n - q*100) * 2
		i -= 2
		buf[i], buf[i+1] = twoDigits[r], twoDigits[r+1]
		n = q
	}
	if n >= 10 {
		i -= 2
		buf[i], buf[i+1] = twoDigits[2*n], twoDigits[2*n+1]
	} else {
		i--
		buf[i] = byte('0' + n)
	}
	return append(b, buf[i:]...)
}

const twoDigits = "00010203040506070809" + "10111213141516171819" + "20212223242526272829" + "30313233343536373839" +
	"40414243444546474849" + "50515253545556575859" + "60616263646566676869" + "70717273747576777879" +
	"80818283848586878889" + "90919293949596979899"
