//go:build linux

package e2e

import (
	"cmp"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
	"github.com/ysmood/gson"
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
//   - work: update plus the forced style and layout, the main-thread work
//     between the response and a frame that can paint it, as wall time
//   - cpu: the renderer main thread's own time (thread time, from a
//     Chromium trace) in the tasks that ran work: the main metric, since
//     wall time on a loaded machine also counts the time the thread waited
//     for a core (it includes the response's handling before t0, the same
//     for both sides)
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
	metrics := []string{"update", "work", "cpu", "paint", "total"}
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
						if m == "work" || m == "cpu" {
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
// the page back) and returns the timings of each: update, work, cpu, paint
// and total in ms (see BenchmarkApplyVsSvelteKit).
func applyRound(b *testing.B, ours bool, url string, fields map[string]string) map[string][5]float64 {
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
			performance.mark("formaction-bench-work"); // the trace finds the tasks that ran work by it
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
	trace := startTrace(b, page)
	out := map[string][5]float64{}
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
		out[run] = [5]float64{ms[0], ms[1], 0, ms[2], ms[3]}
	}
	// The last task may still be running when its promise has answered.
	if _, err := page.Eval(`() => new Promise((done) => setTimeout(done, 100))`); err != nil {
		b.Fatal(err)
	}
	marks, cpu := trace.stop(b, "formaction-bench-work")
	if len(marks) != 2 {
		b.Fatalf("the trace has %d work marks, want 2", len(marks))
	}
	for i, run := range []string{"cold", "warm"} {
		ms := out[run]
		ms[2] = cpu(marks[i]-ms[1], marks[i])
		out[run] = ms
	}
	return out
}

// A trace of a tab's renderer, for the main thread's own time.
type trace struct {
	mu       sync.Mutex
	events   []gson.JSON
	complete chan struct{}
	page     *rod.Page
}

func startTrace(b *testing.B, page *rod.Page) *trace {
	t := &trace{complete: make(chan struct{}), page: page}
	go page.EachEvent(func(e *proto.TracingDataCollected) {
		t.mu.Lock()
		defer t.mu.Unlock()
		for _, v := range e.Value {
			t.events = append(t.events, gson.New(v))
		}
	}, func(*proto.TracingTracingComplete) bool {
		close(t.complete)
		return true
	})()
	if err := (proto.TracingStart{Categories: "toplevel,blink.user_timing,__metadata"}).Call(page); err != nil {
		b.Fatal(err)
	}
	return t
}

// stop ends the trace and returns the times of the marks called mark (in
// ms, the trace's clock), and a function that gives the main thread's own
// time, in ms, in the outermost tasks that overlap a span of that clock.
func (t *trace) stop(b *testing.B, mark string) ([]float64, func(from, to float64) float64) {
	if err := (proto.TracingEnd{}).Call(t.page); err != nil {
		b.Fatal(err)
	}
	select {
	case <-t.complete:
	case <-time.After(time.Minute):
		b.Fatal("the trace did not complete")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	type thread struct{ pid, tid int }
	type task struct{ ts, dur, tdur float64 }
	mains := map[thread]bool{}
	var marks []float64
	var pid int
	for _, e := range t.events {
		if e.Get("ph").Str() == "M" && e.Get("name").Str() == "thread_name" && e.Get("args.name").Str() == "CrRendererMain" {
			mains[thread{e.Get("pid").Int(), e.Get("tid").Int()}] = true
		}
		if e.Get("name").Str() == mark {
			marks = append(marks, e.Get("ts").Num()/1000)
			pid = e.Get("pid").Int()
		}
	}
	var tasks []task
	for _, e := range t.events {
		if e.Get("ph").Str() == "X" && e.Get("pid").Int() == pid && mains[thread{pid, e.Get("tid").Int()}] {
			tasks = append(tasks, task{e.Get("ts").Num() / 1000, e.Get("dur").Num() / 1000, e.Get("tdur").Num() / 1000})
		}
	}
	// Outermost first: by start, the longer of two that start together.
	slices.SortFunc(tasks, func(x, y task) int { return cmp.Or(cmp.Compare(x.ts, y.ts), cmp.Compare(y.dur, x.dur)) })
	slices.Sort(marks)
	return marks, func(from, to float64) float64 {
		var sum, end float64
		for _, k := range tasks {
			if k.ts < end {
				continue // inside a task already counted or passed over
			}
			end = k.ts + k.dur
			if k.ts <= to && end >= from {
				sum += k.tdur
			}
		}
		return sum
	}
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
