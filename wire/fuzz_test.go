package wire

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
)

// FuzzDecode: any body is an envelope or an error, never a panic, and an
// envelope written back decodes to the same envelope.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"type":"success","status":200,"location":"/login","data":"[{\"success\":1},true]"}`,
		`{"type":"success","status":204,"data":"-1"}`,
		`{"type":"failure","status":400,"location":"/d?x=1","data":"[{}]"}`,
		`{"type":"redirect","status":303,"location":"/x"}`,
		`{"type":"error","location":"/a","error":{"status":404,"message":"nope","code":[1,{"a":null}]}}`,
		`{"type":"error","status":500,"error":{"status":"x","message":7}}`,
		`{"message":"Cross-site POST form submissions are forbidden"}`,
		`{"type":"error","error":null}`,
		`[]`, `null`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := Decode(body)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := r.Encode(&buf); err != nil {
			t.Fatalf("Encode(Decode(%q)): %v", body, err)
		}
		again, err := Decode(buf.Bytes())
		if err != nil {
			t.Fatalf("Decode(%s), written from %q: %v", buf.Bytes(), body, err)
		}
		var buf2 bytes.Buffer
		again.Encode(&buf2)
		if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
			t.Fatalf("not stable:\n%s\n%s", buf.Bytes(), buf2.Bytes())
		}
	})
}

// FuzzActionName: any query names an action or the reserved default, and
// Location drops exactly the key ActionName read.
func FuzzActionName(f *testing.F) {
	for _, seed := range []string{"/login?/register", "/l?redirectTo=%2Fx&/login", "/?/a&/b", "/?%2Fenc", "/?/default", "/%zz?/x=%zz&y", "//0// ", "//evil.example/x?/login"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil || u.Opaque != "" || u.Path != "" && !strings.HasPrefix(u.Path, "/") {
			return // not what a server sees as a request's URL
		}
		name, ok := ActionName(u)
		if !ok && name != DefaultAction {
			t.Fatalf("ActionName(%q) = %q, false", raw, name)
		}
		loc, err := url.Parse(Location(u))
		if err != nil || loc.Scheme != "" || loc.Host != "" || !strings.HasPrefix(loc.Path, "/") {
			t.Fatalf("Location(%q) = %q, not a path on this site (%v)", raw, Location(u), err)
		}
		if again, _ := ActionName(loc); name != DefaultAction && again == name && len(loc.RawQuery) >= len(u.RawQuery) {
			t.Fatalf("Location(%q) = %q kept the action key", raw, Location(u))
		}
	})
}
