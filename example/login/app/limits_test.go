package app

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/formaction/formaction/devalue"
	"golang.org/x/crypto/bcrypt"
)

// allocated returns how many bytes serving r allocates, r's body included.
func allocated(h http.Handler, r *http.Request) (uint64, *httptest.ResponseRecorder) {
	w := httptest.NewRecorder()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	h.ServeHTTP(w, r)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, w
}

func formRequest(path, body string) *http.Request {
	r := httptest.NewRequest("POST", path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "text/html")
	return r
}

// A 9 MB email is a field error, answered without echoing it and without
// allocating much more than parsing the form does anyway (it used to grow
// the heap by hundreds of megabytes).
func TestHugeEmailIsCheap(t *testing.T) {
	h := newTestApp(t, Options{BcryptCost: bcrypt.MinCost})
	body := url.Values{"email": {strings.Repeat("a", 9<<20) + "@example.com"}, "password": {"correct horse"}}.Encode()
	parse, _ := allocated(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		io.WriteString(w, r.PostForm.Get("password"))
	}), formRequest("/", body))
	for _, tt := range []struct {
		path, message string
		enhanced      bool
	}{
		{"/login?/login", "Enter an email address of at most 254 characters", false},
		{"/login?/login", "Enter an email address of at most 254 characters", true},
		{"/login?/register", "Enter an email address of at most 254 characters", false},
		{"/signup", "Email must be at most 254 characters", false},
		{"/signup", "Email must be at most 254 characters", true},
	} {
		r := formRequest(tt.path, body)
		if tt.enhanced { // as the client sends it: JSON, with the page's HTML
			r.Header.Set("Accept", "application/json")
			r.Header.Set("X-Sveltekit-Action", "true")
			r.Header.Set("X-Formaction-Render", "true")
		}
		alloc, w := allocated(h, r)
		t.Logf("%s (enhanced %v): %d MB allocated (parsing the form alone: %d MB), %d bytes answered", tt.path, tt.enhanced, alloc>>20, parse>>20, w.Body.Len())
		if w.Code != 400 || !strings.Contains(w.Body.String(), tt.message) {
			t.Errorf("%s: %d, want 400 with %q", tt.path, w.Code, tt.message)
		}
		if strings.Contains(w.Body.String(), strings.Repeat("a", 300)) {
			t.Errorf("%s: the answer echoes the email", tt.path)
		}
		if w.Body.Len() > 64<<10 {
			t.Errorf("%s: the answer has %d bytes", tt.path, w.Body.Len())
		}
		if alloc > parse*3/2+4<<20 {
			t.Errorf("%s: %d MB allocated, parsing the form alone takes %d MB", tt.path, alloc>>20, parse>>20)
		}
	}
}

// An email over 254 characters or a password over 72 bytes is a field
// error on the login page, for both actions: not a 500, and the long
// value is not sent back.
func TestLongCredentialsAreFieldErrors(t *testing.T) {
	h := newTestApp(t, Options{BcryptCost: bcrypt.MinCost})
	longEmail := strings.Repeat("e", 250) + "@example.com"
	longPassword := strings.Repeat("é", 37) // 74 bytes, 37 characters
	for _, action := range []string{"login", "register"} {
		for _, tt := range []struct {
			name, email, password, field, message string
		}{
			{"long email", longEmail, "correct horse", "email", "Enter an email address of at most 254 characters"},
			{"long password", "carol@example.com", longPassword, "password", "Enter a password of at most 72 bytes: use fewer accented letters or symbols"},
			{"73-byte password", "carol@example.com", strings.Repeat("x", 73), "password", "Enter a password of at most 72 bytes: use fewer accented letters or symbols"},
		} {
			w := post(t, h, "/login?/"+action, url.Values{"email": {tt.email}, "password": {tt.password}}, "")
			body := w.Body.String()
			if w.Code != 400 {
				t.Errorf("%s, %s: %d, want 400", action, tt.name, w.Code)
			}
			if want := `<p id="` + tt.field + `-error" class="field-error">` + tt.message + `</p>`; !strings.Contains(body, want) {
				t.Errorf("%s, %s: the page lacks %s", action, tt.name, want)
			}
			if strings.Contains(body, longEmail) || tt.field == "password" && strings.Contains(body, tt.password) {
				t.Errorf("%s, %s: the page echoes the long value", action, tt.name)
			}
		}
	}
}

// /signup, built with typed forms, refuses a password over 72 characters
// or over 72 bytes on the field too.
func TestSignupLongPassword(t *testing.T) {
	h := newTestApp(t, Options{BcryptCost: bcrypt.MinCost})
	for password, message := range map[string]string{
		strings.Repeat("x", 73): "Password must be at most 72 characters",
		strings.Repeat("é", 37): "Password must be at most 72 bytes: use fewer accented letters or symbols",
	} {
		w := post(t, h, "/signup", url.Values{"name": {"Carol"}, "email": {"carol@example.com"}, "password": {password},
			"age": {"30"}, "birthday": {"1996-01-01"}, "plan": {"free"}, "terms": {"on"}}, "")
		if w.Code != 400 || !strings.Contains(w.Body.String(), `<p id="password-error" class="field-error">`+message+`</p>`) {
			t.Errorf("a password of %d bytes: %d, want 400 with %q", len(password), w.Code, message)
		}
	}
}

// The types page counts words in time linear in their number: 200,000
// distinct words (1.6 MB, within the body limit) took hours when each
// count looked its word up in the Map entry by entry.
func TestCountWordsIsLinear(t *testing.T) {
	got := countWords("to be, or not to be.")
	want := []devalue.MapEntry{{Key: "to", Value: 2}, {Key: "be", Value: 2}, {Key: "or", Value: 1}, {Key: "not", Value: 1}}
	if !slices.Equal(got.Entries, want) {
		t.Errorf("countWords = %v, want %v", got.Entries, want)
	}

	h := newTestApp(t, Options{BcryptCost: bcrypt.MinCost})
	var text strings.Builder
	for i := range 200_000 {
		fmt.Fprintf(&text, "w%d ", i)
	}
	text.WriteString("w7")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, formRequest("/types", url.Values{"text": {text.String()}}.Encode()))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "w7=2 w8=1") || !strings.Contains(w.Body.String(), "w199999=1") {
		t.Errorf("%d, %.300s", w.Code, w.Body.String())
	}
}
