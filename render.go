package formaction

import (
	"context"
	"html/template"
	"io"
	"net/http"
)

// View is what a page's template sees.
type View struct {
	// Data is what the page's Load returned.
	Data any
	// Layout is what the App's Layout load returned: data for the parts
	// every page shares, such as the signed-in user in a header.
	Layout any
	// Form is the data of the action that just ran, when it succeeded or
	// failed; nil otherwise, and on every GET: it lasts one response.
	Form any
	// Status is the HTTP status of the response.
	Status int
	// Error is set on error pages.
	Error *ErrorInfo
	// Request is the request being answered.
	Request *http.Request
}

// Script returns the <script> tag that loads the client; every page that
// has enhanced forms includes it once, typically in <head>.
func (v *View) Script() template.HTML { return ScriptTag() }

// A Renderer writes a page, or an error page, for a view.
type Renderer interface {
	Render(ctx context.Context, w io.Writer, v *View) error
}

// RenderFunc adapts a function to Renderer.
type RenderFunc func(ctx context.Context, w io.Writer, v *View) error

// Render calls f.
func (f RenderFunc) Render(ctx context.Context, w io.Writer, v *View) error { return f(ctx, w, v) }

// Template renders the named template of t with the View as its data.
// Layouts are ordinary template composition: a page template calls
// {{template "layout" .}} or defines the blocks a layout uses.
func Template(t *template.Template, name string) Renderer {
	return RenderFunc(func(_ context.Context, w io.Writer, v *View) error {
		return t.ExecuteTemplate(w, name, v)
	})
}

// Component is what a templ component is (github.com/a-h/templ's
// templ.Component): anything that renders itself with a context.
type Component interface {
	Render(ctx context.Context, w io.Writer) error
}

// Templ renders the component that page returns for a view, so templ
// components serve as pages:
//
//	Render: formaction.Templ(func(v *formaction.View) formaction.Component {
//		return LoginPage(v) // a templ component
//	}),
func Templ(page func(v *View) Component) Renderer {
	return RenderFunc(func(ctx context.Context, w io.Writer, v *View) error {
		return page(v).Render(ctx, w)
	})
}

// defaultErrorPage is used when neither the page nor the App has one.
var defaultErrorPage = Template(template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Error: {{.Error.Message}}</title>
{{.Script}}
</head>
<body>
<main>
<h1>{{.Error.Status}}</h1>
<p>{{.Error.Message}}</p>
</main>
</body>
</html>
`)), "error")
