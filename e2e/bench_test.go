package e2e

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/formaction/formaction"
)

// bigPage has 2,000 elements (1,000 list items with a span each) and a form
// whose action fails.
var bigPage = template.Must(template.New("big").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Big</title>{{.Script}}</head>
<body>
<form method="POST" action="?/check" data-enhance>
  {{if .Form}}<div data-error-summary role="alert" tabindex="-1">There is a problem</div>{{end}}
  <input name="answer" aria-label="answer" {{if .Form}}aria-invalid="true"{{end}}>
  <button>Check</button>
</form>
<ul>{{range .Data}}<li><span>item {{.}}</span></li>{{end}}</ul>
</body></html>`))

// bigServer serves bigPage at /big.
func bigServer() *httptest.Server {
	items := make([]int, 1000)
	for i := range items {
		items[i] = i
	}
	fa := &formaction.App{}
	mux := http.NewServeMux()
	mux.Handle(formaction.AssetPrefix, formaction.Assets())
	mux.Handle("/big", fa.MustPage(formaction.Page{
		Load: func(*http.Request) (any, error) { return items, nil },
		Actions: formaction.Actions{"check": func(http.ResponseWriter, *http.Request) (any, error) {
			return formaction.Fail(400, true), nil
		}},
		Render: formaction.Template(bigPage, "big"),
	}))
	return httptest.NewServer(mux)
}

// BenchmarkClientApply measures, in Chromium, what the client does between
// an action's response and the painted result after a failure: parse,
// merge the head, morph, focus (apply-ms), of which parsing the HTML
// (parse-ms), and until the next animation frame (frame-ms). Each
// iteration first puts the page back as it was before the submission
// (not measured). Run it with
//
//	cd e2e && go test -run '^$' -bench ClientApply -benchtime 50x
func BenchmarkClientApply(b *testing.B) {
	big := bigServer()
	defer big.Close()
	login := httptest.NewServer(demoApp(b))
	defer login.Close()

	for _, c := range []struct{ name, page, action, body string }{
		{"login-failure", login.URL + "/login", "/login?/login", "email=alice%40example.com&password=wrong"},
		{"2000-elements", big.URL + "/big", "/big?/check", "answer=x"},
	} {
		b.Run(c.name, func(b *testing.B) {
			incognito, err := browser.Incognito()
			if err != nil {
				b.Fatal(err)
			}
			defer incognito.Close()
			page, err := incognito.Page(proto.TargetCreateTarget{URL: c.page})
			if err != nil {
				b.Fatal(err)
			}
			page = page.Timeout(5 * time.Minute)
			if err := page.Wait(rod.Eval(`() => !!window.formaction && document.readyState === "complete"`)); err != nil {
				b.Fatal(err)
			}
			// The page as it was, and the failure as the server sends it.
			if _, err := page.Eval(`async (action, body) => {
				window.__before = await (await fetch(location.href)).text();
				const r = await fetch(action, { method: "POST", body, headers: {
					accept: "application/json", "x-sveltekit-action": "true", "x-formaction-render": "true",
					"content-type": "application/x-www-form-urlencoded" } });
				window.__failure = await r.text();
			}`, c.action, c.body); err != nil {
				b.Fatal(err)
			}
			var parse, apply, frame float64
			b.ResetTimer()
			for range b.N {
				res, err := page.Eval(`async () => {
					await formaction.applyAction({ type: "success", status: 200, html: __before });
					document.body.focus();
					await new Promise(requestAnimationFrame);
					const result = formaction.deserialize(__failure);
					result.status = 400;
					const t0 = performance.now();
					new DOMParser().parseFromString(result.html, "text/html");
					const t1 = performance.now();
					await formaction.applyAction(result);
					const t2 = performance.now();
					await new Promise(requestAnimationFrame);
					const t3 = performance.now();
					if (!document.activeElement.matches("[data-error-summary]")) throw new Error("the failure was not applied");
					return [t1 - t0, t2 - t1, t3 - t1];
				}`)
				if err != nil {
					b.Fatal(err)
				}
				var ms [3]float64
				if err := res.Value.Unmarshal(&ms); err != nil {
					b.Fatal(err)
				}
				parse += ms[0]
				apply += ms[1]
				frame += ms[2]
			}
			n := float64(b.N)
			b.ReportMetric(parse/n, "parse-ms/op")
			b.ReportMetric(apply/n, "apply-ms/op")
			b.ReportMetric(frame/n, "frame-ms/op")
		})
	}
}
