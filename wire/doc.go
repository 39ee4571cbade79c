// Package wire is the ActionResult wire format of form actions, shared by
// SvelteKit and formaction: the JSON envelope a server answers an enhanced
// submission with, its decoding in a Go client, and the classification of
// requests (enhanced or native, which action).
//
// # Requests
//
// An enhanced submission is a POST of the form, URL-encoded or multipart,
// whose Accept header prefers application/json to text/html; [IsEnhanced]
// recognises one, and everything else a browser posts is native and gets
// HTML. The action is named by the first query key that starts with a
// slash ("/login?/register" runs "register"; see [ActionName]), and
// [Location] is where a native post lands: the same URL without that key.
// The client adds [HeaderAction], which picks a page's action over a JSON
// endpoint on the same path, and [HeaderRender], which asks for the
// re-rendered page.
//
// # The envelope
//
// A [Result] is one answer. Its Type is [Success], [Failure], [Redirect] or
// [Error]; Status is the result's status, Location the page a native post
// would have shown (or, for a redirect, the target), and Data the action's
// value as devalue text, a string inside the JSON:
//
//	{"type":"success","status":200,"location":"/login","data":"[{\"user\":1},\"ada\"]"}
//	{"type":"failure","status":400,"location":"/login","data":"[{\"missing\":1},true]"}
//	{"type":"redirect","status":303,"location":"/account"}
//	{"type":"error","status":404,"location":"/login","error":{"status":404,"message":"Not Found"}}
//
// The HTTP status follows the result, as in SvelteKit 3: failures and errors
// carry their own, successes and redirects travel in a 200 (a real 3xx would
// be followed by fetch itself). An error's status is written twice, at the top
// and inside "error", where SvelteKit 2's and SvelteKit 3's clients
// respectively read it, and an [ErrorBody] keeps any other field an
// application's error has. [Result.HTTPStatus] and [Result.Write] send a
// result; [Decode] reads one in either version's shape.
//
// # Go clients
//
// A Go program submits a form as the client does with [NewRequest] and reads
// the answer with [DecodeResponse]:
//
//	req, err := wire.NewRequest(ctx, "https://example.com/login?/login", form, "")
//	…
//	res, err := http.DefaultClient.Do(req)
//	…
//	result, err := wire.DecodeResponse(res)
//
// The result's Data decodes with [Result.DecodeData], into a typed value or
// into *any for devalue's lossless model. An answer that is not an
// ActionResult at all, such as a proxy's error page or a SvelteKit server
// refusing a cross-site post, is a [*ResponseError] holding the HTTP status
// and the message; its [ResponseError.Result] is the error result a browser
// client would show for it.
package wire
