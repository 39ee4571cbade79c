package formaction

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/formaction/formaction/devalue"
	"github.com/formaction/formaction/internal/accept"
	"github.com/formaction/formaction/wire"
)

// page is the handler App.Page builds.
type page struct {
	Page
	app     *App
	allow   string
	handler http.Handler // serve, behind cross-origin protection
}

func (h *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.handler.ServeHTTP(w, r)
}

// outcome is what an action, or a request refused before its action, comes
// to: one ActionResult.
type outcome struct {
	kind     string // view, or wire.Success, wire.Failure, wire.Redirect or wire.Error
	status   int
	data     any // success and failure: the form data; nil when none
	location string
	message  string // error: the message the user sees
	// header is what the action set (cookies included), sent unless the
	// action failed unexpectedly.
	header     http.Header
	unexpected bool
}

// view is the outcome of a request without an action: a GET or HEAD shows
// the page.
const view = "view"

func errorOutcome(status int, message string) outcome {
	return outcome{kind: wire.Error, status: status, message: message}
}

func (h *page) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		h.writePage(w, r, outcome{kind: view, status: http.StatusOK})
	case r.Method == http.MethodOptions:
		w.Header().Set("Allow", h.allow)
		w.WriteHeader(http.StatusNoContent)
	case h.Endpoint != nil && h.isEndpointRequest(r):
		h.Endpoint.ServeHTTP(w, r)
	case r.Method == http.MethodPost:
		h.post(w, r)
	default:
		w.Header().Set("Allow", h.allow)
		h.respond(w, r, errorOutcome(http.StatusMethodNotAllowed, r.Method+" method not allowed"), wantsJSON(r))
	}
}

// isEndpointRequest reports whether a request on a page that also has an
// endpoint is for the endpoint: a method pages do not take, or a POST that
// prefers something over HTML and does not insist on the action.
func (h *page) isEndpointRequest(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return true
	}
	if picksAction(r) {
		return false
	}
	return accept.Request(r, "*/*", "text/html") != "text/html"
}

// post runs the action a POST names, checking, in SvelteKit's order, that
// the page has actions, that the name is one, and that the body is a form.
func (h *page) post(w http.ResponseWriter, r *http.Request) {
	enhanced := wire.IsEnhanced(r)
	if len(h.Actions) == 0 {
		w.Header().Set("Allow", h.allow)
		h.respond(w, r, errorOutcome(http.StatusMethodNotAllowed,
			"POST method not allowed. No form actions exist for this page"), enhanced)
		return
	}
	name, ok := wire.ActionName(r.URL)
	if !ok {
		h.respond(w, r, errorOutcome(http.StatusBadRequest, `Cannot use reserved action name "default"`), enhanced)
		return
	}
	action, ok := h.Actions[name]
	if !ok {
		h.respond(w, r, errorOutcome(http.StatusNotFound, fmt.Sprintf("No action with name '%s' found", name)), enhanced)
		return
	}
	if ct := r.Header.Get("Content-Type"); !isFormContentType(ct) {
		if ct == "" {
			ct = "no Content-Type"
		}
		h.respond(w, r, errorOutcome(http.StatusUnsupportedMediaType,
			"Form actions expect form-encoded data — received "+ct), enhanced)
		return
	}
	if err := h.parseForm(w, r); err != nil {
		h.respond(w, r, *err, enhanced)
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	h.respond(w, r, h.runAction(w, r, action), enhanced)
}

// parseForm reads the whole body before the action runs, so that a body
// over the limit is a 413 and a malformed one a 400, whatever the action.
// A failure on the server's side, such as a full disk for a multipart
// body's files, is an unexpected error: logged, a 500, no details shown.
func (h *page) parseForm(w http.ResponseWriter, r *http.Request) *outcome {
	max := h.app.maxBodyBytes()
	if max < 0 {
		// No limit, as documented: ParseForm would cap a body that is not
		// a MaxBytesReader at 10 MB of its own.
		max = math.MaxInt64
	}
	r.Body = http.MaxBytesReader(w, r.Body, max)
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		err = r.ParseMultipartForm(h.app.maxMemory())
	} else {
		err = r.ParseForm()
	}
	if err == nil {
		return nil
	}
	var tooBig *http.MaxBytesError
	var onDisk *fs.PathError
	var o outcome
	switch {
	case errors.As(err, &tooBig):
		o = errorOutcome(http.StatusRequestEntityTooLarge,
			fmt.Sprintf("The request body is larger than %d bytes", tooBig.Limit))
	case errors.Is(err, multipart.ErrMessageTooLarge):
		// net/http's own bounds on a multipart form: its parts, headers
		// and text kept in memory.
		o = errorOutcome(http.StatusRequestEntityTooLarge,
			"The form has more parts or more text than the server accepts")
	case errors.As(err, &onDisk): // the temporary files of a multipart body
		o = h.unexpected(r, fmt.Errorf("formaction: reading the form: %w", err))
	default:
		o = errorOutcome(http.StatusBadRequest, "The form data is malformed: "+err.Error())
	}
	return &o
}

// runAction calls the action and classifies what it returns. A panic is an
// unexpected error.
func (h *page) runAction(w http.ResponseWriter, r *http.Request, action Action) (o outcome) {
	defer func() {
		if v := recover(); v != nil {
			o = h.unexpected(r, panicError(v))
		}
	}()
	aw := &actionWriter{ResponseWriter: w, header: http.Header{}}
	data, err := action(aw, r)
	if aw.wrote {
		return h.unexpected(r, errors.New("the action wrote the response body; actions return data, Fail, Redirect or Error"))
	}
	o = h.classify(r, data, err)
	o.header = aw.header
	return o
}

// classify turns what an action returned into an outcome.
func (h *page) classify(r *http.Request, data any, err error) outcome {
	if err != nil {
		return h.errorResult(r, err)
	}
	switch d := data.(type) {
	case *Failure:
		if d == nil {
			return outcome{kind: wire.Success, status: http.StatusNoContent}
		}
		return h.failure(r, *d)
	case Failure:
		return h.failure(r, d)
	case nil:
		return outcome{kind: wire.Success, status: http.StatusNoContent}
	default:
		return outcome{kind: wire.Success, status: http.StatusOK, data: d}
	}
}

// failure is the outcome of a Failure. Fail checks its status, but the
// struct can be built without it: a status that cannot be sent is the
// action's bug, an unexpected error, not a panic in WriteHeader.
func (h *page) failure(r *http.Request, f Failure) outcome {
	if !errorStatus(f.Status) {
		return h.unexpected(r, fmt.Errorf("formaction: an action returned a Failure with status %d; a failure's status is from 400 to 599 (see Fail)", f.Status))
	}
	return outcome{kind: wire.Failure, status: f.Status, data: f.Data}
}

// errorResult classifies an error from an action or a load. A
// RedirectError or HTTPError built without Redirect or Error gets their
// checks here: one that they would refuse is an unexpected error.
func (h *page) errorResult(r *http.Request, err error) outcome {
	if re, ok := asRedirect(err); ok {
		if !redirectStatus(re.Status) {
			return h.unexpected(r, fmt.Errorf("formaction: a RedirectError with status %d; a redirect's status is from 300 to 308 (see Redirect)", re.Status))
		}
		if problem := checkLocation(re.Location); problem != nil {
			return h.unexpected(r, fmt.Errorf("formaction: a RedirectError to %q: %w", re.Location, problem))
		}
		return outcome{kind: wire.Redirect, status: re.Status, location: re.Location}
	}
	if he, ok := asHTTPError(err); ok {
		if !errorStatus(he.Status) {
			return h.unexpected(r, fmt.Errorf("formaction: an HTTPError with status %d; an error's status is from 400 to 599 (see Error)", he.Status))
		}
		return errorOutcome(he.Status, he.Message)
	}
	return h.unexpected(r, err)
}

// unexpected logs err and returns the 500 the user sees.
func (h *page) unexpected(r *http.Request, err error) outcome {
	h.app.logger().ErrorContext(r.Context(), "formaction: unexpected error",
		"method", r.Method, "url", r.URL.String(), "err", err)
	message := statusMessage(http.StatusInternalServerError)
	if h.app.HandleError != nil {
		if m := h.app.HandleError(r, err); m != "" {
			message = m
		}
	}
	o := errorOutcome(http.StatusInternalServerError, message)
	o.unexpected = true
	return o
}

// keepHeaders sends the headers and cookies an action set, unless it failed
// unexpectedly: a login that panics after setting its session cookie must
// not leave the user logged in behind an error page. Fail, Redirect and
// Error are answers the action chose, and keep them.
func keepHeaders(w http.ResponseWriter, o outcome) {
	if o.unexpected {
		return
	}
	for k, v := range o.header {
		w.Header()[k] = append(w.Header()[k], v...)
	}
}

// respond answers with an outcome: after a GET, after an action, or for a
// request refused before one. Native requests get the page or the error
// page; enhanced ones an ActionResult, with the page in it when they ask.
func (h *page) respond(w http.ResponseWriter, r *http.Request, o outcome, enhanced bool) {
	if enhanced {
		h.writeResult(w, r, o)
	} else {
		h.writePage(w, r, o)
	}
}

// writePage answers a native request: a bare redirect, or the page (or the
// error page) rendered with the outcome.
func (h *page) writePage(w http.ResponseWriter, r *http.Request, o outcome) {
	keepHeaders(w, o)
	if o.kind == wire.Redirect {
		redirect(w, o)
		return
	}
	body, shown := h.renderOutcome(r, o)
	switch shown.kind {
	case wire.Redirect: // a load redirected
		redirect(w, shown)
	case wire.Success, view:
		writeHTML(w, http.StatusOK, body)
	default:
		writeHTML(w, shown.status, body)
	}
}

// writeResult answers an enhanced request with the ActionResult envelope,
// and the page rendered with it when the request asks for it.
func (h *page) writeResult(w http.ResponseWriter, r *http.Request, o outcome) {
	location := wire.Location(r.URL)
	res := wire.Result{Type: o.kind, Status: o.status, Location: location}
	switch o.kind {
	case wire.Success, wire.Failure:
		if o.data != nil {
			enc := h.app.Devalue
			if enc == nil {
				enc = &devalue.Encoder{}
			}
			text, err := safeMarshal(enc, o.data)
			if err != nil {
				o = h.unexpected(r, fmt.Errorf("data returned from action is not serializable: %w", err))
				res = wire.NewError(o.status, o.message, location)
				break
			}
			res.Data = string(text)
		}
	case wire.Redirect:
		res.Location = o.location
	case wire.Error:
		res = wire.NewError(o.status, o.message, location)
	}
	keepHeaders(w, o)
	if o.kind != wire.Redirect && wantsHTML(r) {
		body, shown := h.renderOutcome(r, o)
		switch {
		case shown.kind == wire.Redirect: // a load redirected: the client follows it
			res = wire.Result{Type: wire.Redirect, Status: shown.status, Location: shown.location}
		case shown.kind != o.kind: // a load or the render failed: the error page shows
			res = wire.NewError(shown.status, shown.message, location)
			res.HTML = string(body)
		default:
			res.HTML = string(body)
		}
	}
	if err := res.Write(w, res.HTTPStatus()); err != nil {
		h.app.logger().ErrorContext(r.Context(), "formaction: write action result", "err", err)
	}
}

// renderOutcome runs the loads and renders the page for o, or the error
// page. It returns the HTML and the outcome the page shows: o itself, or
// the error or redirect that a load or the render came to instead.
func (h *page) renderOutcome(r *http.Request, o outcome) ([]byte, outcome) {
	v := &View{Request: r, Status: o.status}
	switch o.kind {
	case wire.Error:
		return h.renderError(r, v, o), o
	case wire.Success:
		v.Form, v.Status = o.data, http.StatusOK
	case wire.Failure:
		v.Form = o.data
	}
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = panicError(p)
			}
		}()
		if h.app.Layout != nil {
			if v.Layout, err = h.app.Layout(r); err != nil {
				return
			}
		}
		if h.Load != nil {
			v.Data, err = h.Load(r)
		}
	}()
	if err == nil {
		var buf bytes.Buffer
		if err = h.safeRender(r, h.Render, &buf, v); err == nil {
			return buf.Bytes(), o
		}
		err = fmt.Errorf("render page: %w", err)
	}
	failed := h.errorResult(r, err)
	if failed.kind == wire.Redirect {
		return nil, failed
	}
	return h.renderError(r, v, failed), failed
}

// renderError renders the error page for an error outcome. The layout data
// already loaded, if any, stays in the view.
func (h *page) renderError(r *http.Request, v *View, o outcome) []byte {
	v.Status, v.Form, v.Data = o.status, nil, nil
	v.Error = &ErrorInfo{Status: o.status, Message: o.message}
	var buf bytes.Buffer
	if err := h.safeRender(r, h.ErrorPage, &buf, v); err != nil {
		h.app.logger().ErrorContext(r.Context(), "formaction: render error page", "err", err)
		buf.Reset()
		if err := defaultErrorPage.Render(r.Context(), &buf, v); err != nil {
			buf.Reset()
			buf.WriteString(http.StatusText(o.status))
		}
	}
	return buf.Bytes()
}

// safeRender renders, turning a panic in a template or component into an
// error.
func (h *page) safeRender(r *http.Request, rd Renderer, buf *bytes.Buffer, v *View) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicError(p)
		}
	}()
	return rd.Render(r.Context(), buf, v)
}

// safeMarshal encodes an action's data. Marshal runs the app's code
// (reducers, MarshalDevalue, MarshalText): a panic there is an unexpected
// error, as one in the action is, not a dropped connection.
func safeMarshal(enc *devalue.Encoder, data any) (text []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicError(p)
		}
	}()
	return enc.Marshal(data)
}

// denyCrossOrigin answers a post that CrossOriginProtection refused.
func (h *page) denyCrossOrigin(w http.ResponseWriter, r *http.Request) {
	h.respond(w, r, errorOutcome(http.StatusForbidden,
		"Cross-site "+r.Method+" form submissions are forbidden"), wantsJSON(r))
}

// wantsJSON reports whether a request of any method prefers an error as
// JSON to an error page, as an enhanced POST does.
func wantsJSON(r *http.Request) bool {
	return accept.Request(r, "application/json", "text/html") == "application/json"
}

func redirect(w http.ResponseWriter, o outcome) {
	w.Header().Set("Location", o.location)
	w.WriteHeader(o.status)
}

func writeHTML(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// actionWriter lets an action set headers and cookies, kept apart until
// the outcome is known, and notes whether it tried to write the body, which
// belongs to formaction.
type actionWriter struct {
	http.ResponseWriter
	header http.Header
	wrote  bool
}

func (w *actionWriter) Header() http.Header { return w.header }

func (w *actionWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return 0, errors.New("formaction: an action must not write the response body")
}

func (w *actionWriter) WriteHeader(int) { w.wrote = true }

// panicError turns a recovered panic into an error carrying its stack. The
// http.ErrAbortHandler sentinel keeps its meaning and is re-raised.
func panicError(v any) error {
	if v == http.ErrAbortHandler {
		panic(v)
	}
	return fmt.Errorf("panic: %v\n%s", v, debug.Stack())
}

// wantsHTML reports whether an enhanced request asked for the rendered page.
func wantsHTML(r *http.Request) bool {
	return r.Header.Get(wire.HeaderRender) == "true"
}

// picksAction reports whether the request insists on the page's action
// over a JSON endpoint on the same path.
func picksAction(r *http.Request) bool {
	return r.Header.Get(wire.HeaderAction) == "true"
}

// isFormContentType reports whether a Content-Type header names a body that
// form actions can read: application/x-www-form-urlencoded or
// multipart/form-data. (SvelteKit also lets text/plain through, only for
// the action to fail reading it; here it is refused up front.)
func isFormContentType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	return mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"
}
