package app

import (
	"bytes"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// openTestDB opens a database in a file of the test's temporary directory,
// closed when the test ends.
func openTestDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newTestApp is the demo on a fresh temporary database, unless opts has one.
func newTestApp(t *testing.T, opts Options) http.Handler {
	t.Helper()
	if opts.DB == nil {
		opts.DB = openTestDB(t, filepath.Join(t.TempDir(), "demo.db"))
	}
	h, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// post submits form to path as a browser without JavaScript would, with
// the session cookie if it is not "".
func post(t *testing.T, h http.Handler, path string, form url.Values, session string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "text/html")
	if session != "" {
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// get loads path with the session cookie if it is not "".
func get(t *testing.T, h http.Handler, path, session string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	if session != "" {
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// sessionSet returns the session cookie the response sets, or nil.
func sessionSet(w *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

// logIn logs in through the login page and returns the session id.
func logIn(t *testing.T, h http.Handler, email, password, session string) string {
	t.Helper()
	w := post(t, h, "/login?/login", url.Values{"email": {email}, "password": {password}}, session)
	c := sessionSet(w)
	if w.Code != 200 || c == nil || c.Value == "" {
		t.Fatalf("log in as %s: %d, cookie %v\n%s", email, w.Code, c, w.Body)
	}
	return c.Value
}

// signedInAs returns who the account page says is signed in with session.
func signedInAs(t *testing.T, h http.Handler, session string) string {
	t.Helper()
	body := get(t, h, "/account", session).Body.String()
	if strings.Contains(body, "You are not signed in") {
		return ""
	}
	_, who, _ := strings.Cut(body, `<p id="account">You are signed in as `)
	who, _, _ = strings.Cut(who, " (")
	return who
}

// Users and sessions live in the database file: a second app on the same
// file (a restart) knows the user registered with the first, and the
// session the first one started.
func TestRegistrationSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	first := openTestDB(t, path)
	h := newTestApp(t, Options{DB: first, BcryptCost: bcrypt.MinCost})
	w := post(t, h, "/login?/register", url.Values{"email": {"bob@example.com"}, "password": {"s3cret"}}, "")
	c := sessionSet(w)
	if w.Code != 200 || c == nil {
		t.Fatalf("register: %d, cookie %v", w.Code, c)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	again := newTestApp(t, Options{DB: openTestDB(t, path), BcryptCost: bcrypt.MinCost})
	if got := signedInAs(t, again, c.Value); got != "Bob" {
		t.Errorf("after the restart the session shows %q, want Bob", got)
	}
	logIn(t, again, "bob@example.com", "s3cret", "")
	w = post(t, again, "/login?/register", url.Values{"email": {"bob@example.com"}, "password": {"other"}}, "")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "A user with this email already exists") {
		t.Errorf("registering bob again after the restart: %d", w.Code)
	}
}

// clock is a settable time for sessions to expire by.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// A session lasts 30 days from its last use: used within them it is
// renewed (and so is its cookie), unused for longer it is refused.
func TestSessionExpires(t *testing.T) {
	clk := &clock{now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	h := newTestApp(t, Options{BcryptCost: bcrypt.MinCost, Now: clk.Now})
	id := logIn(t, h, "alice@example.com", "correct horse", "")

	w := post(t, h, "/login?/login", url.Values{"email": {"alice@example.com"}, "password": {"correct horse"}}, "")
	if c := sessionSet(w); c.MaxAge != 30*24*60*60 {
		t.Errorf("the session cookie's Max-Age is %d, want 30 days", c.MaxAge)
	}

	clk.advance(29 * 24 * time.Hour)
	w = get(t, h, "/account", id)
	if c := sessionSet(w); c == nil || c.Value != id || c.MaxAge != 30*24*60*60 {
		t.Errorf("a use after 29 days sets the cookie %v, want it renewed for 30 days", c)
	}
	clk.advance(29 * 24 * time.Hour) // 58 days after the login, 29 after the last use
	if got := signedInAs(t, h, id); got != "Alice" {
		t.Fatalf("29 days after the last use the session shows %q, want Alice", got)
	}
	clk.advance(30*24*time.Hour + time.Second)
	if got := signedInAs(t, h, id); got != "" {
		t.Errorf("30 days after the last use the session still shows %q", got)
	}
}

// Logging in replaces the browser's session: the id it had before is
// worth nothing afterwards (no session fixation), and so is an id after
// logging out.
func TestLoginReplacesSessionAndLogoutDeletesIt(t *testing.T) {
	db := openTestDB(t, filepath.Join(t.TempDir(), "demo.db"))
	h := newTestApp(t, Options{DB: db, BcryptCost: bcrypt.MinCost})
	first := logIn(t, h, "alice@example.com", "correct horse", "")
	second := logIn(t, h, "alice@example.com", "correct horse", first)
	if second == first {
		t.Fatal("logging in again kept the session id")
	}
	if got := signedInAs(t, h, first); got != "" {
		t.Errorf("the replaced session still shows %q", got)
	}
	if got := signedInAs(t, h, second); got != "Alice" {
		t.Errorf("the new session shows %q, want Alice", got)
	}
	rows := func() (n int) {
		if err := db.QueryRow(`SELECT count(*) FROM sessions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := rows(); n != 1 {
		t.Errorf("%d sessions in the database, want 1", n)
	}
	if w := post(t, h, "/account?/logout", nil, second); w.Code != 200 {
		t.Fatalf("log out: %d", w.Code)
	}
	if n := rows(); n != 0 {
		t.Errorf("%d sessions in the database after logging out, want 0", n)
	}
	if got := signedInAs(t, h, second); got != "" {
		t.Errorf("the session still shows %q after logging out", got)
	}
}

// Session ids are random and the database keeps only their hash: whoever
// reads the file cannot sign in with what is in it.
func TestSessionIDsAreNotStored(t *testing.T) {
	db := openTestDB(t, filepath.Join(t.TempDir(), "demo.db"))
	h := newTestApp(t, Options{DB: db, BcryptCost: bcrypt.MinCost})
	a := logIn(t, h, "alice@example.com", "correct horse", "")
	b := logIn(t, h, "alice@example.com", "correct horse", "")
	if a == b || len(a) < 26 {
		t.Errorf("session ids %q and %q: want distinct ids of 128 random bits", a, b)
	}
	var stored []byte
	if err := db.QueryRow(`SELECT hash FROM sessions LIMIT 1`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored, []byte(a)) || bytes.Contains(stored, []byte(b)) {
		t.Error("the database holds a session id")
	}
}

// A login with an unknown email costs the same bcrypt work as a wrong
// password for a known one, so timing does not tell which emails have an
// account. The medians of interleaved logins, at a real cost, are within
// 20 % of each other.
func TestLoginTimingDoesNotTellEmails(t *testing.T) {
	if testing.Short() {
		t.Skip("times bcrypt")
	}
	h := newTestApp(t, Options{BcryptCost: 8})
	measure := func(email string) time.Duration {
		began := time.Now()
		w := post(t, h, "/login?/login", url.Values{"email": {email}, "password": {"wrong password"}}, "")
		took := time.Since(began)
		if w.Code != 400 {
			t.Fatalf("log in as %s: %d, want 400", email, w.Code)
		}
		return took
	}
	measure("warm@example.com")
	var unknown, known []time.Duration
	for range 15 {
		unknown = append(unknown, measure("nobody@example.com"))
		known = append(known, measure("alice@example.com"))
	}
	u, k := median(unknown), median(known)
	t.Logf("median login: unknown email %v, known email with a wrong password %v", u, k)
	if ratio := float64(u) / float64(k); ratio < 0.8 || ratio > 1.2 {
		t.Errorf("unknown email takes %.2f× as long as a wrong password: want within 20 %%", ratio)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// Changing the password signs the user out everywhere else: a session
// opened with the old password (a stolen one, say) ends, and this one
// goes on.
func TestChangingPasswordEndsOtherSessions(t *testing.T) {
	db := openTestDB(t, filepath.Join(t.TempDir(), "demo.db"))
	h := newTestApp(t, Options{DB: db, BcryptCost: bcrypt.MinCost})
	here := logIn(t, h, "alice@example.com", "correct horse", "")
	elsewhere := logIn(t, h, "alice@example.com", "correct horse", "")
	w := post(t, h, "/account?/password", url.Values{
		"current_password": {"correct horse"}, "new_password": {"battery staple"}, "confirm_password": {"battery staple"},
	}, here)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Your password has been changed") {
		t.Fatalf("change password: %d %.300s", w.Code, w.Body.String())
	}
	if got := signedInAs(t, h, elsewhere); got != "" {
		t.Errorf("the other session still shows %q", got)
	}
	if got := signedInAs(t, h, here); got != "Alice" {
		t.Errorf("this session shows %q, want Alice", got)
	}
}
