package form

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/formaction/formaction"
	"github.com/formaction/formaction/wire"
)

// Attrs gives each kind of field its type, value and constraints, and the
// ARIA attributes only when it has an error.
func TestAttrs(t *testing.T) {
	f, _ := Bind[signup](post("/", url.Values{
		"name": {`Ann "<b>"`}, "email": {"nope"}, "password": {"secret123"}, "age": {"x"},
		"plan": {"pro"}, "interests": {"go", "htmx"}, "terms": {"on"}, "score": {"1"}, "tags": {"a"},
	}))
	today := time.Now().UTC().Format("2006-01-02")
	tests := []struct{ name, want string }{
		{"name", `name="name" id="name" value="Ann &#34;&lt;b&gt;&#34;" required maxlength="100"`},
		{"email", `type="email" name="email" id="email" value="nope" required aria-invalid="true" aria-describedby="email-error"`},
		{"password", `type="password" name="password" id="password" required minlength="8" maxlength="72"`},
		{"age", `type="number" name="age" id="age" value="x" required min="13" max="130" aria-invalid="true" aria-describedby="age-error"`},
		{"birthday", `type="date" name="birthday" id="birthday" required max="` + today + `" aria-invalid="true" aria-describedby="birthday-error"`},
		{"plan", `name="plan" id="plan" required`},
		{"interests", `name="interests" id="interests"`},
		{"terms", `type="checkbox" name="terms" id="terms" checked required`},
		{"avatar", `type="file" name="avatar" id="avatar"`},
		{"site", `type="url" name="site" id="site"`},
		{"code", `name="code" id="code" minlength="4" maxlength="4" pattern="[a-zA-Z0-9]+"`},
		{"score", `type="number" name="score" id="score" value="1" step="any"`},
		{"unknown", `name="unknown" id="unknown"`},
	}
	for _, tt := range tests {
		if got := string(f.Field(tt.name).Attrs()); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
	if got := f.Field("interests"); !got.Has("go") || got.Has("svelte") || !got.Has("htmx") {
		t.Errorf("interests Has: %v", got.Values)
	}
	if got := string(f.Field("email").ARIA()); got != `aria-invalid="true" aria-describedby="email-error"` {
		t.Errorf("ARIA: %s", got)
	}
	if got := f.Field("name").ARIA(); got != "" {
		t.Errorf("ARIA of a valid field: %s", got)
	}
	m := f.Field("terms").AttrMap()
	if diff := cmp.Diff(map[string]any{"type": "checkbox", "name": "terms", "id": "terms", "checked": true, "required": true}, m); diff != "" {
		t.Errorf("AttrMap (-want +got):\n%s", diff)
	}
}

// The attributes work where html/template puts them: inside a tag.
func TestAttrsInTemplate(t *testing.T) {
	f, _ := Bind[signup](post("/", url.Values{"email": {`"><script>`}}))
	tmpl := template.Must(template.New("").Parse(`{{with .Field "email"}}<input {{.Attrs}} autocomplete="email"><p id="{{.ErrorID}}">{{.Error}}</p>{{end}}`))
	var b strings.Builder
	if err := tmpl.Execute(&b, f.State); err != nil {
		t.Fatal(err)
	}
	want := `<input type="email" name="email" id="email" value="&#34;&gt;&lt;script&gt;" required aria-invalid="true" aria-describedby="email-error" autocomplete="email"><p id="email-error">Enter an email address like name@example.com</p>`
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
}

// The summary lists the errors in the struct's order, linked to the
// fields; a valid form has none.
func TestSummary(t *testing.T) {
	f, _ := Bind[signup](post("/", url.Values{"name": {"Ann"}, "email": {"x"}, "age": {"x"}, "birthday": {"2000-01-01"}, "plan": {"free"}, "terms": {"on"}, "score": {"1"}, "tags": {"a"}}))
	f.SetError("", "Something <went> wrong")
	want := `<div class="error-summary" data-error-summary tabindex="-1" autofocus><div role="alert"><h2 class="error-summary-title">There is a problem</h2><ul class="error-summary-list">` +
		`<li>Something &lt;went&gt; wrong</li>` +
		`<li><a href="#email">Enter an email address like name@example.com</a></li>` +
		`<li><a href="#password">Password is required</a></li>` +
		`<li><a href="#age">Age must be a whole number</a></li>` +
		`</ul></div></div>`
	if got := string(f.Summary()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := f.TitlePrefix(); got != "Error: " {
		t.Errorf("TitlePrefix %q", got)
	}
	blank := New("default", signup{})
	if blank.Summary() != "" || blank.TitlePrefix() != "" || !blank.Valid() {
		t.Error("a blank form shows errors")
	}
	if got := string(f.SummaryTitled("Il y a un problème")); !strings.Contains(got, "<h2 class=\"error-summary-title\">Il y a un problème</h2>") {
		t.Errorf("SummaryTitled: %s", got)
	}
}

// List elements sort by index and then by field.
func TestProblemsOrder(t *testing.T) {
	f, _ := Bind[itemRule](post("/", url.Values{"lines.10.name": {""}, "lines.2.name": {""}}))
	var got []string
	for _, p := range f.Problems() {
		got = append(got, p.Href)
	}
	if want := []string{"#lines.0.name", "#lines.1.name", "#lines.2.name", "#lines.3.name"}; !cmp.Equal(got[:4], want) {
		t.Errorf("order %v", got)
	}
}

// New fills a form with data as the browser would send it, secrets and
// zero values left out.
func TestNew(t *testing.T) {
	n := 0
	s := New("edit", everything{
		S: "x", I: 5, U8: 7, F64: 0.5, B: true, PI: &n, Date: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		DT: time.Date(2024, 2, 29, 13, 45, 30, 0, time.UTC), Clock: time.Date(0, 1, 1, 8, 30, 0, 0, time.UTC),
		Month: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Level: 1, Tags: []string{"a", "b"}, Nums: []int{0, 3},
		Addr: address{City: "Lyon"}, Items: []item{{Name: "a"}, {Qty: 2}}, PItem: []*item{nil, {Name: "p"}},
	})
	want := map[string]any{
		"s": "x", "i": "5", "u8": "7", "f64": "0.5", "b": "on", "pi": "0", "date": "2024-02-29",
		"dt": "2024-02-29T13:45:30", "clock": "08:30", "month": "2024-02", "level": "low",
		"tags": []string{"a", "b"}, "nums": []string{"0", "3"}, "address.city": "Lyon",
		"items.0.name": "a", "items.1.qty": "2", "pitems.1.name": "p",
	}
	if diff := cmp.Diff(want, s.Values); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := New("p", passwords{Password: "hunter22"}).Values; len(got) != 0 {
		t.Errorf("secrets encoded: %v", got)
	}
}

// Scope picks the failed form by ID and keeps the page's blank form for
// the others.
func TestScope(t *testing.T) {
	rename := New("rename", item{Name: "old"})
	rename.Prefix = "r-"
	password := New("password", passwords{})
	f, _ := Bind[item](post("/?/rename", url.Values{"name": {"new"}, "qty": {"x"}}))
	if got := rename.Scope(f.State); got != f.State || got.Prefix != "r-" || got.Field("qty").ID != "r-qty" {
		t.Errorf("rename.Scope(its failure) = %+v", got)
	}
	if got := password.Scope(f.State); got != password {
		t.Error("password.Scope(rename's failure) is not the password form")
	}
	for _, other := range []any{nil, map[string]any{"id": "rename"}, (*State)(nil), "x"} {
		if got := rename.Scope(other); got != rename {
			t.Errorf("Scope(%#v) is not the blank form", other)
		}
	}
	var none *State
	if fd := none.Field("x"); fd.ID != "x" || fd.ErrorID != "x-error" || fd.Attrs() != `name="x" id="x"` {
		t.Errorf("a nil state's field: %+v", fd)
	}
	if got := string(rename.Hidden()); got != `<input type="hidden" name="_form" value="rename">` {
		t.Errorf("Hidden: %s", got)
	}
}

// A formaction page fails with the state: natively the page shows it, and
// the enhanced result's data carries the same values and errors, without
// the secret.
func TestFailThroughFormaction(t *testing.T) {
	page := template.Must(template.New("p").Parse(`{{$f := .Data.Scope .Form}}{{$f.Summary}}{{with $f.Field "email"}}<input {{.Attrs}}>{{end}}`))
	h := (&formaction.App{}).MustPage(formaction.Page{
		Load: func(*http.Request) (any, error) { return New("default", signup{}), nil },
		Actions: formaction.Actions{"default": func(w http.ResponseWriter, r *http.Request) (any, error) {
			f, err := Bind[signup](r)
			if err != nil {
				return f.Fail(400), nil
			}
			return nil, nil
		}},
		Render: formaction.Template(page, "p"),
	})
	body := url.Values{"email": {"ann@"}, "password": {"hunter2"}, "interests": {"go"}}.Encode()

	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "text/html")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 400 || !strings.Contains(w.Body.String(), `value="ann@"`) || !strings.Contains(w.Body.String(), `<a href="#email">`) {
		t.Errorf("native: %d %s", w.Code, w.Body.String())
	}

	r = httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "application/json")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var res wire.Result
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	var data struct {
		ID     string `json:"id"`
		Values struct {
			Email     string   `json:"email"`
			Interests []string `json:"interests"`
		} `json:"values"`
		Errors map[string]string `json:"errors"`
	}
	if err := res.DecodeData(&data); err != nil {
		t.Fatalf("data %s: %v", res.Data, err)
	}
	if res.Type != "failure" || data.ID != "default" || data.Errors["email"] != "Enter an email address like name@example.com" ||
		data.Values.Email != "ann@" || !cmp.Equal(data.Values.Interests, []string{"go"}) {
		t.Errorf("enhanced: %s %+v", res.Type, data)
	}
	if strings.Contains(res.Data, "hunter2") {
		t.Errorf("the secret is in the data: %s", res.Data)
	}
}
