package formaction

import (
	"bytes"
	"compress/gzip"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func assetServer(t *testing.T) (*httptest.Server, *http.Client) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(AssetPrefix, Assets())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	// No transparent decompression: the test sets Accept-Encoding itself.
	return srv, &http.Client{Transport: &http.Transport{DisableCompression: true}}
}

func get(t *testing.T, c *http.Client, method, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func TestScriptPathIsContentHashed(t *testing.T) {
	if !regexp.MustCompile(`^/_formaction/enhance\.[0-9a-f]{12}\.js$`).MatchString(ScriptPath()) {
		t.Fatalf("ScriptPath() = %q, want /_formaction/enhance.<12 hex>.js", ScriptPath())
	}
	if len(enhanceJS) == 0 {
		t.Fatal("the embedded enhance.js is empty")
	}
}

func TestAssetsServesTheBundle(t *testing.T) {
	srv, c := assetServer(t)
	res, body := get(t, c, "GET", srv.URL+ScriptPath(), nil)
	if res.StatusCode != 200 {
		t.Fatalf("status %d, want 200", res.StatusCode)
	}
	want := map[string]string{
		"Content-Type":           "text/javascript; charset=utf-8",
		"Cache-Control":          "public, max-age=31536000, immutable",
		"X-Content-Type-Options": "nosniff",
		"Vary":                   "Accept-Encoding",
	}
	for k, v := range want {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if res.Header.Get("Content-Encoding") != "" {
		t.Errorf("Content-Encoding = %q without Accept-Encoding", res.Header.Get("Content-Encoding"))
	}
	if res.Header.Get("ETag") == "" {
		t.Error("no ETag")
	}
	if !bytes.Equal(body, enhanceJS) {
		t.Errorf("body is %d bytes, want the %d embedded bytes", len(body), len(enhanceJS))
	}
}

func TestAssetsGzip(t *testing.T) {
	srv, c := assetServer(t)
	plain, _ := get(t, c, "GET", srv.URL+ScriptPath(), nil)
	for _, ae := range []string{"gzip", "gzip, deflate, br, zstd", "br;q=1, *;q=0.5", "GZIP;q=0.8"} {
		res, body := get(t, c, "GET", srv.URL+ScriptPath(), map[string]string{"Accept-Encoding": ae})
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want gzip", ae, res.Header.Get("Content-Encoding"))
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		js, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(js, enhanceJS) {
			t.Errorf("Accept-Encoding %q: gunzipped body differs from enhance.js", ae)
		}
		if res.Header.Get("ETag") == plain.Header.Get("ETag") {
			t.Errorf("gzipped and plain responses share the ETag %s", res.Header.Get("ETag"))
		}
	}
	for _, ae := range []string{"gzip;q=0", "br", "*;q=0", "gzip;q=0.0, *"} {
		res, _ := get(t, c, "GET", srv.URL+ScriptPath(), map[string]string{"Accept-Encoding": ae})
		if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want none", ae, res.Header.Get("Content-Encoding"))
		}
	}
}

func TestAssetsConditionalGet(t *testing.T) {
	srv, c := assetServer(t)
	for _, ae := range []string{"", "gzip"} {
		first, _ := get(t, c, "GET", srv.URL+ScriptPath(), map[string]string{"Accept-Encoding": ae})
		etag := first.Header.Get("ETag")
		res, body := get(t, c, "GET", srv.URL+ScriptPath(), map[string]string{"Accept-Encoding": ae, "If-None-Match": etag})
		if res.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("If-None-Match %s: status %d with %d bytes, want 304 and no body", etag, res.StatusCode, len(body))
		}
		res, _ = get(t, c, "GET", srv.URL+ScriptPath(), map[string]string{"Accept-Encoding": ae, "If-None-Match": `"other"`})
		if res.StatusCode != 200 {
			t.Errorf("a stale ETag gets %d, want 200", res.StatusCode)
		}
	}
}

func TestAssetsRefusesOtherPathsAndMethods(t *testing.T) {
	srv, c := assetServer(t)
	for _, p := range []string{AssetPrefix + "enhance.js", AssetPrefix + "enhance.000000000000.js", AssetPrefix, AssetPrefix + "x/../enhance.js"} {
		if res, _ := get(t, c, "GET", srv.URL+p, nil); res.StatusCode != 404 {
			t.Errorf("GET %s: status %d, want 404", p, res.StatusCode)
		}
	}
	res, body := get(t, c, "HEAD", srv.URL+ScriptPath(), nil)
	if res.StatusCode != 200 || len(body) != 0 || res.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Errorf("HEAD: status %d, %d body bytes, Content-Type %q", res.StatusCode, len(body), res.Header.Get("Content-Type"))
	}
	res, _ = get(t, c, "POST", srv.URL+ScriptPath(), nil)
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q; want 405 with Allow: GET, HEAD", res.StatusCode, res.Header.Get("Allow"))
	}
}

func TestScriptTagInTemplate(t *testing.T) {
	tmpl := template.Must(template.New("page").Funcs(TemplateFuncs()).Parse(`<head>{{formactionScript}}</head>`))
	var b strings.Builder
	if err := tmpl.Execute(&b, nil); err != nil {
		t.Fatal(err)
	}
	want := `<head><script src="` + ScriptPath() + `" defer data-formaction-track="reload"></script></head>`
	if b.String() != want {
		t.Fatalf("got %s\nwant %s", b.String(), want)
	}
	// The tag's URL is one the handler answers.
	srv, c := assetServer(t)
	src := regexp.MustCompile(`src="([^"]+)"`).FindStringSubmatch(b.String())[1]
	if res, _ := get(t, c, "GET", srv.URL+src, nil); res.StatusCode != 200 {
		t.Fatalf("GET %s: status %d", src, res.StatusCode)
	}
}
