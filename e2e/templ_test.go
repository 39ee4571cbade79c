package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/formaction/formaction"
)

// A real templ component renders the view, status and form through
// formaction.Templ, as an html/template page does (render_test.go).
func TestTemplComponent(t *testing.T) {
	component := formaction.Templ(func(v *formaction.View) formaction.Component {
		return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			_, err := fmt.Fprintf(w, `<html><head>%s</head><body><p>%s %d %s</p></body></html>`,
				v.Script(), templ.EscapeString(fmt.Sprint(v.Data)), v.Status, templ.EscapeString(v.Form.(map[string]any)["email"].(string)))
			return err
		})
	})
	app := &formaction.App{}
	h := app.MustPage(formaction.Page{
		Load: func(*http.Request) (any, error) { return "<data>", nil },
		Actions: formaction.Actions{"default": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return formaction.Fail(422, map[string]any{"email": r.FormValue("email")}), nil
		}},
		Render: component,
	})
	req := httptest.NewRequest("POST", "/", strings.NewReader("email=a%3Cb"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	want := `<html><head>` + string(formaction.ScriptTag()) + `</head><body><p>&lt;data&gt; 422 a&lt;b</p></body></html>`
	if w.Code != 422 || w.Body.String() != want {
		t.Errorf("%d %s\nwant 422 %s", w.Code, w.Body.String(), want)
	}
}
