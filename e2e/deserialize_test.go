package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/formaction/formaction/internal/oracle"
)

// devalueStringify runs npm devalue's stringify under Node on the value the
// JS expression expr builds, so the input the browser decodes comes from the
// real serializer, not from a string typed here.
func devalueStringify(t *testing.T, expr string) string {
	t.Helper()
	out, err := oracle.Stringify("devalue", expr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The bundled deserialize decodes an ActionResult envelope whose data is
// devalue text, reviving the types JSON cannot carry.
func TestDeserializeInTheBrowser(t *testing.T) {
	base := demo(t)
	b := newTab(t, base, true)
	b.visit("/login")
	b.waitFor("window.formaction", `() => typeof window.formaction === "object"`)

	data := devalueStringify(t, `(() => {
		const user = { name: "Ada", joined: new Date(Date.UTC(2024, 1, 29, 12, 30)) };
		return { user, again: user, big: 12345678901234567890n, tags: new Set(["a", "b"]),
			scores: new Map([[user, 3]]), nan: NaN, negZero: -0, missing: undefined, text: "</script>\u2028" };
	})()`)
	envelope, err := json.Marshal(map[string]any{"type": "failure", "status": 400, "location": "/login", "data": data})
	if err != nil {
		t.Fatal(err)
	}

	var got map[string]any
	b.must(&got, `(text) => {
		const r = formaction.deserialize(text);
		const d = r.data;
		return {
			type: r.type, status: r.status, location: r.location,
			date: d.user.joined instanceof Date ? d.user.joined.toISOString() : "not a Date",
			shared: d.user === d.again,
			big: typeof d.big === "bigint" ? d.big.toString() : "not a BigInt",
			set: d.tags instanceof Set ? [...d.tags].join(",") : "not a Set",
			mapKeyIsUser: d.scores instanceof Map && d.scores.get(d.user) === 3,
			nan: Number.isNaN(d.nan), negZero: Object.is(d.negZero, -0),
			undef: "missing" in d && d.missing === undefined,
			text: d.text,
		};
	}`, string(envelope))
	want := map[string]any{
		"type": "failure", "status": float64(400), "location": "/login",
		"date": "2024-02-29T12:30:00.000Z", "shared": true, "big": "12345678901234567890",
		"set": "a,b", "mapKeyIsUser": true, "nan": true, "negZero": true, "undef": true,
		"text": "</script>\u2028",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}

	// A reply that is not an action result (a proxy's HTML error page, a JSON
	// body without a type, broken devalue) becomes an error result; it never
	// throws into the page.
	for _, text := range []string{
		"<html><body>502 Bad Gateway</body></html>",
		`{"message":"not an envelope"}`,
		`{"type":"success","status":200,"data":"[{\"a\":7}"}`,
		"",
	} {
		var r struct {
			Type   string
			Status int
			Error  struct{ Message string }
		}
		b.must(&r, `(text) => formaction.deserialize(text)`, text)
		if r.Type != "error" || r.Status != 500 || !strings.Contains(r.Error.Message, "server") && !strings.Contains(r.Error.Message, "decoded") {
			t.Errorf("deserialize(%q) = %+v, want an error result", text, r)
		}
	}
}
