package devalue

import (
	"bytes"
	"testing"
)

// seeds are the starting points of both fuzz targets, beside the corpus in
// testdata/fuzz: one text of each shape devalue writes.
var seeds = []string{
	`-1`, `-6`, `[null]`, `[{"a":1},"x"]`, `[[1,-2,2],1,3]`, `[[-7,13,0,1,12,2],1,2]`, `[["Map",1,2],"k",{"v":0}]`,
	`[["Set",1,1],2]`, `[["Date","2024-02-29T12:30:00.000Z"]]`, `[["Date",""]]`, `[["BigInt","-12"]]`,
	`[["RegExp","a\\/b","gi"]]`, `[["null","a",1],2]`, `[["Object",1],"s"]`, `[["Uint8Array",1,1,2],["ArrayBuffer","AQID"]]`,
	`[["DataView",1],["ArrayBuffer","AAAA"]]`, `[["URL","https://x.y/"],["URLSearchParams","a=1"]]`, `[{"self":0}]`,
	`[["Vector",1],[2,3],1,2]`, `[["Temporal.Instant","1970-01-01T00:00:00Z"]]`, `[{"1":1,"b":2},"y",true]`,
}

// FuzzUnmarshal: any input is an error or a value, never a panic; a value
// writes back to text that reads as the same value.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := Unmarshal(data, &v); err != nil {
			return
		}
		var typed struct {
			A []int          `json:"a"`
			M map[string]any `json:"m"`
			S string         `json:"s"`
		}
		_ = Unmarshal(data, &typed)
		if _, err := Marshal(v); err != nil {
			// Input Marshal refuses (a Tagged without a value, say) is fine,
			// as long as it is refused with an error.
			return
		}
	})
}

// FuzzRoundTrip: for every text Marshal writes, Marshal(Unmarshal(text))
// is the text again.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if Unmarshal(data, &v) != nil {
			return
		}
		first, err := Marshal(v)
		if err != nil {
			return
		}
		var again any
		if err := Unmarshal(first, &again); err != nil {
			t.Fatalf("Unmarshal(Marshal(v)) failed: %v\ninput: %q\nfirst: %s", err, data, first)
		}
		second, err := Marshal(again)
		if err != nil {
			t.Fatalf("Marshal after the round trip: %v", err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("the round trip changed the text\ninput:  %q\nfirst:  %s\nsecond: %s", data, first, second)
		}
	})
}
