//go:build linux

package e2e

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"math/big"
	"net/http"
	"os"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/formaction/formaction"
	"github.com/formaction/formaction/devalue"
)

// SvelteKit's own client against formaction: the app in sveltekit/src,
// built with SvelteKit 2 and with SvelteKit 3 (static files, ssr = false),
// runs in Chromium, and its use:enhance forms post to a formaction page
// served by Go on the same origin. Every outcome must show in the page as it
// would with a SvelteKit server: page.form and the form prop, page.status,
// client-side redirects, the +error page with the right status, and devalue
// types revived by SvelteKit's own deserialize.
func TestSvelteKitClient(t *testing.T) {
	nodeTools(t)
	for _, kit := range []string{"kit2", "kit3"} {
		t.Run(kit, func(t *testing.T) {
			app := buildSPA(t, kit)
			srv := &kitServer{}
			base := serve(t, srv.handler(app.dir))
			scenarios := []struct {
				name string
				run  func(t *testing.T, b *tab)
			}{
				{"failure", func(t *testing.T, b *tab) {
					b.fill("#name", "Grace")
					b.click("#fail")
					b.waitText("#page-form", `{"missing":true,"name":"Grace"}`)
					b.expectText("#form", `{"missing":true,"name":"Grace"}`)
					b.expectText("#status", "400")
					if got := b.value("#name"); got != "Grace" {
						t.Errorf("after a failure the name field holds %q; SvelteKit keeps what the user typed, Grace", got)
					}
				}},
				{"success", func(t *testing.T, b *tab) {
					b.fill("#name", "Grace")
					b.click("#succeed")
					b.waitText("#page-form", `{"greeting":"Hello, Grace"}`)
					b.expectText("#form", `{"greeting":"Hello, Grace"}`)
					b.expectText("#status", "200")
					if got := b.value("#name"); got != "Ada" {
						t.Errorf("after a success the name field holds %q; SvelteKit resets the form, to Ada", got)
					}
				}},
				{"redirect", func(t *testing.T, b *tab) {
					b.click("#redirect")
					b.waitText("#somewhere", "Somewhere")
					if got := b.path(); got != "/somewhere" {
						t.Errorf("after the redirect the address is %s, want /somewhere", got)
					}
				}},
				{"expected-error", func(t *testing.T, b *tab) {
					b.click("#expected")
					b.waitText("#error-message", "nope")
					b.expectText("#error-status", "404")
					b.expectPath("/actions")
				}},
				{"unexpected-error", func(t *testing.T, b *tab) {
					b.click("#unexpected")
					b.waitText("#error-message", "Internal Error")
					b.expectText("#error-status", "500")
					b.expectPath("/actions")
				}},
				{"panic", func(t *testing.T, b *tab) {
					b.click("#panic")
					b.waitText("#error-message", "Internal Error")
					b.expectText("#error-status", "500")
					b.expectPath("/actions")
				}},
				{"devalue-types", func(t *testing.T, b *tab) {
					b.click("#types")
					b.waitText("#date", "2024-02-29T12:30:00.000Z")
					b.expectText("#prop-date", "2024-02-29T12:30:00.000Z")
					b.expectText("#bigint", "12345678901234567890n")
					b.expectText("#map", "ada=1, grace=2")
					b.expectText("#shared", "shared")
					b.expectText("#shared-name", "Ada")
					b.expectText("#status", "200")
				}},
			}
			for _, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) {
					b := newTab(t, base, true)
					b.visit("/actions")
					// The page renders only in the browser (ssr = false):
					// its text means SvelteKit started, with its version.
					b.waitText("#kit", app.kitVersion)
					b.mark()
					before := len(srv.posts())
					sc.run(t, b)
					// Every outcome is handled in place: the enhanced
					// submission and SvelteKit's goto keep the document.
					if b.reloaded() {
						t.Error("a full page load happened: SvelteKit's enhance should have handled the result in place")
					}
					srv.expectEnhancedPost(t, before)
				})
			}
		})
	}
}

// kitServer serves the built app and, at POST /actions, the formaction page
// its forms post to. It records the posts that reach the actions.
type kitServer struct {
	mu       sync.Mutex
	received []kitPost
}

type kitPost struct {
	action, accept, sveltekitAction string
}

func (s *kitServer) posts() []kitPost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]kitPost(nil), s.received...)
}

// expectEnhancedPost checks that exactly one POST reached an action since
// the scenario began, sent by SvelteKit's enhance (fetch with its headers).
func (s *kitServer) expectEnhancedPost(t *testing.T, before int) {
	t.Helper()
	posts := s.posts()[before:]
	if len(posts) != 1 {
		t.Errorf("%d posts reached the actions, want 1: %+v", len(posts), posts)
		return
	}
	if p := posts[0]; p.accept != "application/json" || p.sveltekitAction != "true" {
		t.Errorf("the post to ?/%s had Accept %q and X-Sveltekit-Action %q; SvelteKit's enhance sends application/json and true",
			p.action, p.accept, p.sveltekitAction)
	}
}

func (s *kitServer) handler(dir string) http.Handler {
	record := func(name string, action formaction.Action) formaction.Action {
		return func(w http.ResponseWriter, r *http.Request) (any, error) {
			s.mu.Lock()
			s.received = append(s.received, kitPost{name, r.Header.Get("Accept"), r.Header.Get("X-Sveltekit-Action")})
			s.mu.Unlock()
			return action(w, r)
		}
	}
	type person struct {
		Name string `json:"name"`
	}
	actions := formaction.Actions{
		"fail": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return formaction.Fail(400, map[string]any{"name": r.FormValue("name"), "missing": true}), nil
		},
		"succeed": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return map[string]any{"greeting": "Hello, " + r.FormValue("name")}, nil
		},
		"redirect": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return nil, formaction.Redirect(303, "/somewhere")
		},
		"expected": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return nil, formaction.Error(404, "nope")
		},
		"unexpected": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return nil, errors.New("the database is on fire")
		},
		"panic": func(w http.ResponseWriter, r *http.Request) (any, error) {
			panic("the action panicked")
		},
		"types": func(w http.ResponseWriter, r *http.Request) (any, error) {
			big, _ := new(big.Int).SetString("12345678901234567890", 10)
			scores := &devalue.Map{}
			scores.Set("ada", 1)
			scores.Set("grace", 2)
			ada := &person{Name: "Ada"} // one object under two keys
			return map[string]any{
				"when":   time.Date(2024, 2, 29, 12, 30, 0, 0, time.UTC),
				"big":    big,
				"scores": scores,
				"a":      ada,
				"b":      ada,
			}, nil
		},
	}
	for name, action := range actions {
		actions[name] = record(name, action)
	}
	app := &formaction.App{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	page := app.MustPage(formaction.Page{
		Actions: actions,
		// Only a native post (JavaScript off) would see this: the
		// SvelteKit app renders the page.
		Render: formaction.RenderFunc(func(_ context.Context, w io.Writer, v *formaction.View) error {
			_, err := io.WriteString(w, "<!doctype html><title>Actions</title><p>This page is the SvelteKit app's.</p>")
			return err
		}),
	})

	mux := http.NewServeMux()
	mux.Handle("POST /actions", page)
	// The benchmark pages (BenchmarkApplyVsSvelteKit): the demo's login,
	// whose log in fails as the demo's does for a wrong password, with the
	// demo's stylesheet, and a 2,000-element page.
	stub := formaction.RenderFunc(func(_ context.Context, w io.Writer, v *formaction.View) error {
		_, err := io.WriteString(w, "<!doctype html><title>Bench</title><p>This page is the SvelteKit app's.</p>")
		return err
	})
	mux.Handle("POST /login", app.MustPage(formaction.Page{
		Actions: formaction.Actions{"login": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return formaction.Fail(400, map[string]any{"email": r.PostFormValue("email"), "incorrect": true}), nil
		}},
		Render: stub,
	}))
	mux.Handle("POST /big", app.MustPage(formaction.Page{
		Actions: formaction.Actions{"check": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return formaction.Fail(400, true), nil
		}},
		Render: stub,
	}))
	mux.HandleFunc("GET /static/style.css", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, "../example/login/app/static/style.css")
	})
	mux.Handle("GET /", spaHandler(dir))
	return mux
}

// spaHandler serves adapter-static's output: a file when the path names
// one, otherwise the fallback page, whose client router shows the route.
func spaHandler(dir string) http.Handler {
	fsys := os.DirFS(dir)
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if st, err := fs.Stat(fsys, name); err == nil && !st.IsDir() && name != "" {
			files.ServeHTTP(w, r)
			return
		}
		http.ServeFileFS(w, r, fsys, "200.html")
	})
}

// expectText checks, without waiting, that the element matching sel reads
// want: for what must already be there once the awaited text shows.
func (b *tab) expectText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); got != want {
		b.t.Errorf("%s reads %q, want %q", sel, got, want)
	}
}

// expectPath checks the address bar's path.
func (b *tab) expectPath(want string) {
	b.t.Helper()
	if got := b.path(); got != want {
		b.t.Errorf("the address is %s, want %s", got, want)
	}
}
