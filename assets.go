package formaction

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"html/template"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// enhanceJS is the client bundle built from client/src by `make bundle`.
//
//go:embed enhance.js
var enhanceJS []byte

// AssetPrefix is the URL path under which Assets is expected to be mounted.
const AssetPrefix = "/_formaction/"

// scriptName is the bundle's file name with a hash of its content, so a
// browser can cache it forever and still see a new version at once.
var scriptName = func() string {
	sum := sha256.Sum256(enhanceJS)
	return "enhance." + hex.EncodeToString(sum[:6]) + ".js"
}()

// gzipped is the bundle compressed once, on first use.
var gzipped = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(enhanceJS)
	zw.Close()
	return buf.Bytes()
})

// ScriptPath is the URL path of the client bundle, content hash included.
func ScriptPath() string { return AssetPrefix + scriptName }

// ScriptTag returns the <script> element that loads the client. It is
// deferred, so it never blocks rendering and runs once the forms exist. It
// is marked data-formaction-track="reload": when a page the client renders
// names another bundle (a new deploy), the client loads that page in full.
func ScriptTag() template.HTML {
	return template.HTML(`<script src="` + ScriptPath() + `" defer data-formaction-track="reload"></script>`)
}

// TemplateFuncs returns functions for html/template: formactionScript emits
// ScriptTag. Add them with template.New(name).Funcs(formaction.TemplateFuncs()).
func TemplateFuncs() template.FuncMap {
	return template.FuncMap{"formactionScript": ScriptTag}
}

// Assets returns the handler that serves the client bundle. Mount it at
// AssetPrefix:
//
//	mux.Handle(formaction.AssetPrefix, formaction.Assets())
//
// It answers only for the current hashed name; the response is immutable and
// cached for a year, has a strong ETag (304 on If-None-Match), and is gzipped
// for clients that accept it.
func Assets() http.Handler {
	return http.HandlerFunc(serveAsset)
}

func serveAsset(w http.ResponseWriter, r *http.Request) {
	if path.Base(r.URL.Path) != scriptName {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept-Encoding")
	body, etag := enhanceJS, `"`+scriptName+`"`
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body, etag = gzipped(), `"`+scriptName+`.gz"`
	}
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match with 304, HEAD, and Range requests.
	http.ServeContent(w, r, scriptName, time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: listed
// by name or through "*", and not refused with q=0.
func acceptsGzip(header string) bool {
	ok := false
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		refused := false
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") && strings.Trim(strings.TrimSpace(v), "0.") == "" {
				refused = true
			}
		}
		if coding == "gzip" {
			return !refused // an explicit gzip entry wins over "*"
		}
		ok = !refused
	}
	return ok
}
