// Package app is the login demo: the page from SvelteKit's form actions
// documentation. Plain forms post to it and work without JavaScript; the
// page loads the formaction client, which upgrades them when JavaScript runs.
package app

import (
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"github.com/formaction/formaction"
)

var page = template.Must(template.New("login").Funcs(formaction.TemplateFuncs()).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Error}}Error: {{end}}Log in</title>
{{formactionScript}}
</head>
<body>
<main>
<h1>Log in</h1>
{{with .Message}}<p role="status">{{.}}</p>{{end}}
<form method="POST" action="/login">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" value="{{.Email}}"{{if .Error}} aria-invalid="true" aria-describedby="email-error"{{end}}>
  <p id="email-error" class="error">{{.Error}}</p>
  <label for="password">Password</label>
  <input id="password" name="password" type="password">
  <button>Log in</button>
</form>
</main>
</body>
</html>
`))

type view struct {
	Email, Message, Error string
}

// New returns the demo's handler.
func New() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(formaction.AssetPrefix, formaction.Assets())
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		render(w, http.StatusOK, view{})
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		email := strings.TrimSpace(r.PostFormValue("email"))
		if email == "" {
			render(w, http.StatusBadRequest, view{Error: "The email field is required"})
			return
		}
		render(w, http.StatusOK, view{Email: email, Message: "Successfully logged in! Welcome back, " + email})
	})
	return mux
}

func render(w http.ResponseWriter, status int, v view) {
	var b strings.Builder
	if err := page.Execute(&b, v); err != nil {
		slog.Error("render login page", "err", err)
		http.Error(w, "Internal Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(b.String()))
}
