package formaction_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/formaction/formaction"
)

type locals struct{ User string }

// The source document's logout: the hook sets locals from the cookie before
// the action; the action deletes the cookie and clears locals; the load,
// which runs after the action without the hook running again, sees no user.
func TestActionUpdatesLocalsForTheLoads(t *testing.T) {
	app := &formaction.App{}
	pageHandler := app.MustPage(formaction.Page{
		Load: func(r *http.Request) (any, error) {
			return formaction.LocalsOf[locals](r).User, nil
		},
		Actions: formaction.Actions{"logout": func(w http.ResponseWriter, r *http.Request) (any, error) {
			formaction.DeleteCookie(w, r, "sessionid", formaction.CookieOptions{})
			formaction.LocalsOf[locals](r).User = ""
			return nil, nil
		}},
		Render: formaction.RenderFunc(func(_ context.Context, w io.Writer, v *formaction.View) error {
			fmt.Fprintf(w, "user=%q", v.Data)
			return nil
		}),
	})
	handle := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := &locals{}
		if c, err := r.Cookie("sessionid"); err == nil && c.Value == "s1" {
			l.User = "alice"
		}
		pageHandler.ServeHTTP(w, formaction.WithLocals(r, l))
	})
	srv := httptest.NewServer(handle)
	defer srv.Close()

	get, _ := http.NewRequest("GET", srv.URL, nil)
	get.AddCookie(&http.Cookie{Name: "sessionid", Value: "s1"})
	if body := send(t, get); body != `user="alice"` {
		t.Fatalf("GET: %s", body)
	}
	post, _ := http.NewRequest("POST", srv.URL+"?/logout", strings.NewReader(url.Values{}.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.Header.Set("Accept", "text/html")
	post.AddCookie(&http.Cookie{Name: "sessionid", Value: "s1"})
	if body := send(t, post); body != `user=""` {
		t.Fatalf("after logout the load saw %s", body)
	}
}

func TestLocalsOfMissingType(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	if formaction.LocalsOf[locals](r) != nil {
		t.Fatal("LocalsOf without WithLocals is not nil")
	}
	r = formaction.WithLocals(r, &locals{User: "x"})
	type other struct{}
	if formaction.LocalsOf[other](r) != nil {
		t.Fatal("locals of one type answer for another")
	}
	if formaction.LocalsOf[locals](r).User != "x" {
		t.Fatal("locals lost")
	}
}

func send(t *testing.T, r *http.Request) string {
	t.Helper()
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
