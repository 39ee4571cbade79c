//go:build linux

package e2e

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// BenchmarkApplyVsSvelteKit compares, in one Chromium, what happens after a
// failed submission with our client and with SvelteKit 2 and 3's own
// (use:enhance), on the demo's login page (sveltekit/src/routes/login is
// the same page as a SvelteKit page, with the demo's stylesheet) and on a
// 2,000-element page (sveltekit/src/routes/big is bigPage). Requests have
// 100 ms of emulated latency.
//
// Both sides are timed by the same code, in a SubmitFunction's callback
// (the contract both clients share): t0 when the callback receives the
// deserialized result; then the default handling, `await update()` (for
// SvelteKit also `await tick()`, since its applyAction does not wait for
// the DOM); then style and layout are forced by reading offsetHeight, and
// the paint is awaited (requestAnimationFrame, then a task). Reported per
// side, as medians over the rounds:
//
//   - update: t0 until update() (and tick) resolved: the JavaScript part
//   - work: update plus the forced style and layout; the main metric, the
//     main-thread work between the response and a frame that can paint it
//   - paint: until after the next frame (adds up to a frame's wait, 16.7 ms)
//   - total: from the submit event to painted, request latency included
//
// Each round loads each side's page in a fresh incognito tab (the order
// rotates), submits once on the fresh page ("cold": the first failure a
// visitor sees, code not yet optimized), puts the page back as before the
// failure, and submits again ("warm"). Ours does more than SvelteKit's
// default: it also moves focus to the error summary and scrolls it into
// view, and it parses and morphs the page the server rendered. The ratio
// is SvelteKit's median over ours: above 1, ours is faster. Timings are
// reported, never asserted. Run it with
//
//	cd e2e && go test -run '^$' -bench ApplyVsSvelteKit -benchtime 20x
func BenchmarkApplyVsSvelteKit(b *testing.B) {
	nodeTools(b)
	login := httptest.NewServer(demoApp(b))
	defer login.Close()
	big := bigServer()
	defer big.Close()
	sides := []struct{ name, login, big string }{{"ours", login.URL + "/login", big.URL + "/big"}}
	for _, kit := range []string{"kit2", "kit3"} {
		srv := httptest.NewServer((&kitServer{}).handler(buildSPA(b, kit).dir))
		defer srv.Close()
		sides = append(sides, struct{ name, login, big string }{kit, srv.URL + "/login", srv.URL + "/big"})
	}
	pages := []struct {
		name   string
		url    func(i int) string
		fields map[string]string
	}{
		{"login-failure", func(i int) string { return sides[i].login }, map[string]string{"email": "alice@example.com", "password": "wrong"}},
		{"2000-elements", func(i int) string { return sides[i].big }, map[string]string{"answer": "x"}},
	}
	metrics := []string{"update", "work", "paint", "total"}
	for _, pg := range pages {
		b.Run(pg.name, func(b *testing.B) {
			// samples[side]["cold work"] holds one value per round.
			samples := make([]map[string][]float64, len(sides))
			for i := range samples {
				samples[i] = map[string][]float64{}
			}
			for round := range b.N {
				for j := range sides {
					i := (round + j) % len(sides)
					for run, ms := range applyRound(b, sides[i].name == "ours", pg.url(i), pg.fields) {
						for k, m := range metrics {
							samples[i][run+" "+m] = append(samples[i][run+" "+m], ms[k])
						}
					}
				}
			}
			var out strings.Builder
			fmt.Fprintf(&out, "%d rounds, medians in ms (ratio = SvelteKit / ours; above 1, ours is faster)\n", b.N)
			for _, run := range []string{"cold", "warm"} {
				for _, m := range metrics {
					fmt.Fprintf(&out, "%s %-6s", run, m)
					ours := median(samples[0][run+" "+m])
					for i, s := range sides {
						v := median(samples[i][run+" "+m])
						fmt.Fprintf(&out, "  %s %6.2f", s.name, v)
						if i > 0 {
							fmt.Fprintf(&out, " (%.2f×)", v/ours)
						}
						unit := fmt.Sprintf("%s-%s-%s-ms", s.name, run, m)
						if m == "work" {
							b.ReportMetric(v, unit)
						}
					}
					out.WriteString("\n")
				}
			}
			// Printed rather than logged: go test truncates a
			// benchmark's log.
			fmt.Printf("%s\n%s", b.Name(), out.String())
		})
	}
}

// applyRound loads url in a fresh tab with 100 ms of latency per request,
// fails a submission twice (on the fresh page, then again after putting
// the page back) and returns the timings of each: update, work, paint and
// total in ms (see BenchmarkApplyVsSvelteKit).
func applyRound(b *testing.B, ours bool, url string, fields map[string]string) map[string][4]float64 {
	incognito, err := browser.Incognito()
	if err != nil {
		b.Fatal(err)
	}
	defer incognito.Close()
	page, err := incognito.Page(proto.TargetCreateTarget{URL: "about:blank"})
	if err != nil {
		b.Fatal(err)
	}
	page = page.Timeout(2 * time.Minute)
	if err := (proto.NetworkEnable{}).Call(page); err != nil {
		b.Fatal(err)
	}
	if err := (proto.NetworkEmulateNetworkConditions{Latency: 100, DownloadThroughput: -1, UploadThroughput: -1}).Call(page); err != nil {
		b.Fatal(err)
	}
	if err := page.Navigate(url); err != nil {
		b.Fatal(err)
	}
	ready := `() => document.readyState === "complete" && !!document.querySelector("form") && !!(window.formaction || window.__kitApply)`
	if err := page.Wait(rod.Eval(ready)); err != nil {
		b.Fatal(err)
	}
	if _, err := page.Eval(`async (ours) => {
		addEventListener("submit", () => { window.__submitted = performance.now() }, true);
		window.__bench = async (t0) => {
			const t1 = performance.now();
			document.body.offsetHeight; // style and layout, as the next frame would do them
			const t2 = performance.now();
			await new Promise(requestAnimationFrame);
			await new Promise((done) => setTimeout(done));
			const t3 = performance.now();
			window.__done([t1 - t0, t2 - t0, t3 - t0, t3 - window.__submitted]);
		};
		if (ours) {
			window.__before = await (await fetch(location.href)).text();
			formaction.enhance(document.querySelector("form"), () => async ({ update }) => {
				const t0 = performance.now();
				await update();
				await window.__bench(t0);
			});
		}
	}`, ours); err != nil {
		b.Fatal(err)
	}
	const submit = `async (fields) => {
		const form = document.querySelector("form");
		for (const [name, value] of Object.entries(fields)) form.elements[name].value = value;
		const done = new Promise((resolve) => (window.__done = resolve));
		form.requestSubmit(form.querySelector("button"));
		const ms = await done;
		if (!document.querySelector('[aria-invalid="true"]')) throw new Error("the failure did not show");
		return ms;
	}`
	const reset = `async (ours) => {
		if (ours) await formaction.applyAction({ type: "success", status: 200, html: window.__before });
		else await window.__kitApply({ type: "success", status: 200, data: null });
		for (let i = 0; i < 3; i++) await new Promise(requestAnimationFrame);
		if (document.querySelector('[aria-invalid="true"]')) throw new Error("the page was not put back");
	}`
	out := map[string][4]float64{}
	for _, run := range []string{"cold", "warm"} {
		if run == "warm" {
			if _, err := page.Eval(reset, ours); err != nil {
				b.Fatal(err)
			}
		}
		res, err := page.Eval(submit, fields)
		if err != nil {
			b.Fatalf("%s: %v", url, err)
		}
		var ms [4]float64
		if err := res.Value.Unmarshal(&ms); err != nil {
			b.Fatal(err)
		}
		out[run] = ms
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
