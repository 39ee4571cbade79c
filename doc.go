// Package formaction brings SvelteKit's form actions, with progressive
// enhancement, to Go web apps: plain HTML forms post to a page's actions and
// work without JavaScript, and the embedded client, enhance.js, upgrades the
// same forms to fetch submissions that update the page in place.
//
// # Pages and actions
//
// A page is one URL of an application: the data it shows, the forms that
// post to it, and how it renders. [App.Page] builds an [http.Handler] from a
// [Page]:
//
//	login := app.MustPage(formaction.Page{
//		Load:    loadUser, // the page's data
//		Actions: formaction.Actions{"login": logIn, "register": register},
//		Render:  formaction.Template(tmpl, "login"), // or formaction.Templ
//	})
//	mux.Handle("/login", login)
//
// The handler answers GET and HEAD by running the loads and rendering the
// page, and POST by running an action first, then the loads, then the render,
// so the page shows what the action changed. Register it for every method
// (mux.Handle("/login", login), not "GET /login" alone).
//
// A page has either one action named "default", which forms reach with
// action="/login" or no action attribute at all, or any number of named
// actions, which forms reach with action="?/login" (a button picks another
// with formaction="?/register"). [App.Page] refuses a page that mixes the
// two.
//
// # Outcomes
//
// An [Action] reads the parsed form from the request and returns one of four
// outcomes. Each renders twice: natively, for a browser posting the form
// itself, and enhanced, for the client's fetch, which gets an ActionResult
// (see [wire.Result]).
//
//   - Data, or nil: success. Natively, the page renders with the data as
//     [View.Form] and status 200. Enhanced, a "success" result carries the
//     data as devalue text; the client resets the form and updates the page.
//   - [Fail](status, data), returned as the value: failure, for invalid
//     input. Natively, the page renders with data as [View.Form] and the
//     failure's status. Enhanced, a "failure" result with that status; the
//     client updates the page but keeps what the user typed.
//   - [Redirect](status, location), returned as the error. Natively, a bare
//     3xx with a Location header. Enhanced, a "redirect" result in a 200,
//     which the client follows without reloading.
//   - [Error](status, message), returned as the error: an expected error.
//     Natively, the error page with that status and message. Enhanced, an
//     "error" result, and the client shows the error page.
//
// Any other error, and any panic in an action, a load or a render, is
// unexpected: it is logged with [log/slog] and the user sees a 500 with
// "Internal Error", or the message [App.HandleError] chooses, never the
// error's details.
//
// An enhanced request that carries the header X-Formaction-Render: true (the
// client sends it) also gets the page as the native path would render it, in
// the result's html field, so the page updates after one round trip. Clients
// that do not ask, a SvelteKit front end among them, get plain SvelteKit
// JSON.
//
// # Rendering
//
// A [Renderer] writes a page for a [View]: [View.Data] from the page's Load,
// [View.Layout] from [App.Layout], [View.Form] from the action (for one
// response only), [View.Status] and, on error pages, [View.Error].
// [Template] renders an html/template; [Templ] renders a templ component.
// Every page with enhanced forms includes the client once, with {{.Script}}
// in its head (see [View.Script] and [ScriptTag]), and the application
// serves the bundle:
//
//	mux.Handle(formaction.AssetPrefix, formaction.Assets())
//
// Forms opt in with data-enhance: <form method="POST" data-enhance>. Without
// JavaScript, or before the script runs, they post natively and work the
// same.
//
// # Headers and cookies
//
// An action may set headers and cookies on its [http.ResponseWriter] (see
// [SetCookie]) but never writes the body. The headers it sets are sent with
// success, [Fail], [Redirect] and [Error], natively and enhanced alike. When
// it fails unexpectedly they are dropped, so that an action that sets a
// session cookie and then panics does not leave the user signed in behind an
// error page.
//
// # Locals
//
// Request-scoped data, such as the signed-in user, comes from ordinary
// middleware, which puts it in the request with [WithLocals]; actions and
// loads read it with [LocalsOf]. Locals are a pointer, so an action that
// changes them (a logout clearing the user) is seen by the loads that run
// after it. [SendRedirect] lets middleware redirect, to a login page say, in
// a way both native and enhanced requests follow.
//
// # Safety
//
// Pages refuse cross-origin form posts with a 403, using
// [http.CrossOriginProtection]; [App.TrustedOrigins] and
// [App.InsecureBypassPatterns] let chosen ones through. Request bodies are
// limited to [App.MaxBodyBytes] ([DefaultMaxBodyBytes] unless set; a larger
// body gets 413), and multipart files beyond [App.MaxMemory] go to temporary
// files. A body that is not form-encoded gets 415.
//
// A [Failure], [RedirectError] or [HTTPError] built without [Fail],
// [Redirect] or [Error] gets their checks when an action or load returns
// it: one they would refuse (a status out of range, a javascript: URL) is
// an unexpected error, a logged 500, as is a panic in the app's code while
// the action's data is serialized.
//
// [Redirect] refuses locations that cannot be sent safely (control
// characters, whitespace, javascript:, data: and vbscript: URLs) with an
// unexpected error rather than a panic. A "return to" target taken from the
// request should pass through [SafeRedirectTarget], which accepts only a
// path on this site:
//
//	to := formaction.SafeRedirectTarget(r.URL.Query().Get("redirectTo"), "/")
//	return nil, formaction.Redirect(303, to)
//
// The client, likewise, follows redirects only to http: and https: URLs.
package formaction
