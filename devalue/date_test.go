package devalue

import (
	"math/rand/v2"
	"regexp"
	"testing"
	"time"
)

// parseISODate computes the calendar itself; time.Date is the reference.
func TestParseISODateAgreesWithTime(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	limits := []int64{0, 1, -1, jsDateLimit, -jsDateLimit, 951_782_400_000 /* 2000-02-29 */, -62_167_219_200_000 /* year 0 */}
	for n := 0; n < 200_000; n++ {
		ms := r.Int64N(2*jsDateLimit+1) - jsDateLimit
		if n < len(limits) {
			ms = limits[n]
		}
		want := time.UnixMilli(ms).UTC()
		text := string(appendISODate(nil, want))
		got, ok := parseISODate(text)
		if !ok || !got.Equal(want) || got != want {
			t.Fatalf("parseISODate(%s) = %v, %v; want %v", text, got, ok, want)
		}
	}
	// Every day of 1900 to 2100, where the common years take a shorter path.
	for day := time.Date(1900, 1, 1, 23, 59, 59, 999e6, time.UTC); day.Year() <= 2100; day = day.AddDate(0, 0, 1) {
		text := string(appendISODate(nil, day))
		if got, ok := parseISODate(text); !ok || got != day {
			t.Fatalf("parseISODate(%s) = %v, %v; want %v", text, got, ok, day)
		}
	}
	for _, bad := range []string{
		"2023-02-29T00:00:00.000Z", "2100-02-29T00:00:00.000Z", "2024-04-31T00:00:00.000Z",
		"2024-13-01T00:00:00.000Z", "2024-00-01T00:00:00.000Z", "2024-01-00T00:00:00.000Z",
		"2024-01-01T24:00:00.000Z", "+275760-09-13T00:00:00.001Z", "-271821-04-19T23:59:59.999Z",
		"-000000-01-01T00:00:00.000Z", "2024-01-01T00:00:00.000", "2024-01-01 00:00:00.000Z",
	} {
		if got, ok := parseISODate(bad); ok {
			t.Errorf("parseISODate(%s) = %v, want invalid", bad, got)
		}
	}
	for _, good := range []string{"2000-02-29T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "+275760-09-13T00:00:00.000Z", "-271821-04-20T00:00:00.000Z"} {
		if _, ok := parseISODate(good); !ok {
			t.Errorf("parseISODate(%s) is invalid", good)
		}
	}
}

// TestParseISODateRefusesNearMisses changes one byte of valid dates and
// checks parseISODate against a regular expression and time.Parse.
func TestParseISODateRefusesNearMisses(t *testing.T) {
	shape := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	const layout = "2006-01-02T15:04:05.000Z"
	bytes := []byte("0123456789-:.TZ+/ \x00\xff")
	r := rand.New(rand.NewPCG(7, 8))
	for range 200_000 {
		day := time.UnixMilli(r.Int64N(4_102_444_800_000)).UTC() // 1970 to 2100
		text := appendISODate(nil, day)
		text[r.IntN(len(text))] = bytes[r.IntN(len(bytes))]
		want, err := time.Parse(layout, string(text))
		valid := shape.Match(text) && err == nil
		if got, ok := parseISODate(text); ok != valid || ok && got != want {
			t.Fatalf("parseISODate(%q) = %v, %v; want %v, %v", text, got, ok, want, valid)
		}
	}
}
