package formaction

import (
	"context"
	"net/http"
)

// localsKey keys a request's locals of type T in its context.
type localsKey[T any] struct{}

// WithLocals returns r carrying locals, SvelteKit's request-scoped data:
// middleware (the handle hook) sets them before the page runs, for instance
// the user a session cookie names.
//
//	r = formaction.WithLocals(r, &Locals{User: user})
//
// Locals are a pointer, so an action can change them and the loads that run
// after it see the change, as when a logout action clears the user.
func WithLocals[T any](r *http.Request, locals *T) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), localsKey[T]{}, locals))
}

// LocalsOf returns the locals of type T that WithLocals put in r, or nil.
func LocalsOf[T any](r *http.Request) *T {
	l, _ := r.Context().Value(localsKey[T]{}).(*T)
	return l
}
