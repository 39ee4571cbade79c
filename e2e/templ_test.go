package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/a-h/templ"
	templruntime "github.com/a-h/templ/runtime"

	"github.com/formaction/formaction"
	"github.com/formaction/formaction/form"
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

// A templ component spreads a typed form field's attributes, as the README
// shows: templ.Attributes(field.AttrMap()).
func TestTemplFormField(t *testing.T) {
	type signup struct {
		Email string `form:"email" validate:"required,email"`
	}
	req := httptest.NewRequest("POST", "/", strings.NewReader("email=ann%40"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	f, err := form.Bind[signup](req)
	if err == nil {
		t.Fatal("ann@ is a valid email")
	}
	input := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		io.WriteString(w, "<input")
		// What templ generates for <input { templ.Attributes(f.Field("email").AttrMap())... }>.
		if err := templruntime.RenderAttributes(ctx, w, io.Discard, "input", templ.Attributes(f.Field("email").AttrMap())); err != nil {
			return err
		}
		_, err := io.WriteString(w, ">")
		return err
	})
	var b strings.Builder
	if err := input.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	// A map's attributes come in no particular order.
	got := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(b.String(), "<input"), ">"))
	slices.Sort(got)
	want := []string{`aria-describedby="email-error"`, `aria-invalid="true"`, `id="email"`, `name="email"`, `required`, `type="email"`, `value="ann@"`}
	if !slices.Equal(got, want) {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
}
