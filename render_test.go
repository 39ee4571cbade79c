package formaction_test

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/formaction/formaction"
)

// A layout and a page composed with html/template render the view, status
// and form. (e2e/templ_test.go does the same with a real templ component.)
func TestRenderers(t *testing.T) {
	layout := template.Must(template.New("layout").Parse(
		`<html><head>{{.Script}}</head><body>{{template "main" .}}</body></html>`))
	login := template.Must(template.Must(layout.Clone()).Parse(
		`{{define "main"}}<p>{{.Data}} {{.Status}} {{with .Form}}{{.email}}{{end}}</p>{{end}}`))
	for name, r := range map[string]formaction.Renderer{
		"html/template": formaction.Template(login, "layout"),
	} {
		app := &formaction.App{}
		h := app.MustPage(formaction.Page{
			Load: func(*http.Request) (any, error) { return "<data>", nil },
			Actions: formaction.Actions{"default": func(w http.ResponseWriter, r *http.Request) (any, error) {
				return formaction.Fail(422, map[string]any{"email": r.FormValue("email")}), nil
			}},
			Render: r,
		})
		req := httptest.NewRequest("POST", "/", strings.NewReader("email=a%3Cb"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "text/html")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		want := `<html><head>` + string(formaction.ScriptTag()) + `</head><body><p>&lt;data&gt; 422 a&lt;b</p></body></html>`
		if w.Code != 422 || w.Body.String() != want {
			t.Errorf("%s: %d %s\nwant 422 %s", name, w.Code, w.Body.String(), want)
		}
	}
}

// A template that fails renders the error page with a 500, and a failing
// error page falls back to the built-in one.
func TestRenderFailures(t *testing.T) {
	broken := formaction.RenderFunc(func(context.Context, io.Writer, *formaction.View) error {
		return fmt.Errorf("template exploded")
	})
	for _, app := range []*formaction.App{{}, {ErrorPage: broken}} {
		app.Logger = discardLogger()
		h := app.MustPage(formaction.Page{Render: broken})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code != 500 || !strings.Contains(w.Body.String(), "Internal Error") || strings.Contains(w.Body.String(), "exploded") {
			t.Errorf("status %d body %s", w.Code, w.Body.String())
		}
	}
}
