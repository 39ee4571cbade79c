package wire_test

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/formaction/formaction"
	"github.com/formaction/formaction/wire"
)

// A Go client submits a form to a formaction (or SvelteKit) page and reads
// the ActionResult: here a failure, then a success whose data decodes into
// a struct.
func ExampleDecodeResponse() {
	type Signup struct {
		Email   string `json:"email"`
		Missing bool   `json:"missing"`
	}
	app := &formaction.App{}
	page := app.MustPage(formaction.Page{
		Actions: formaction.Actions{
			"signup": func(w http.ResponseWriter, r *http.Request) (any, error) {
				email := r.FormValue("email")
				if email == "" {
					return formaction.Fail(400, Signup{Missing: true}), nil
				}
				return Signup{Email: email}, nil
			},
		},
		Render: formaction.Template(template.Must(template.New("p").Parse(`<form>…</form>`)), "p"),
	})
	srv := httptest.NewServer(page)
	defer srv.Close()

	for _, email := range []string{"", "ada@example.com"} {
		req, err := wire.NewRequest(context.Background(), srv.URL+"/account?/signup",
			url.Values{"email": {email}}, srv.URL)
		if err != nil {
			panic(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		result, err := wire.DecodeResponse(res)
		res.Body.Close()
		if err != nil {
			panic(err)
		}
		var data Signup
		if err := result.DecodeData(&data); err != nil {
			panic(err)
		}
		fmt.Printf("%d %s %d %s %+v\n", res.StatusCode, result.Type, result.Status, result.Location, data)
	}

	// Output:
	// 400 failure 400 /account {Email: Missing:true}
	// 200 success 200 /account {Email:ada@example.com Missing:false}
}

// An answer that is not an ActionResult, such as a proxy's error page, is a
// *ResponseError with the HTTP status; its Result is the error result a
// browser client would show.
func ExampleDecodeResponse_notAnActionResult() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream is down", http.StatusBadGateway)
	}))
	defer srv.Close()

	req, err := wire.NewRequest(context.Background(), srv.URL+"/login?/login", url.Values{}, "")
	if err != nil {
		panic(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()

	_, err = wire.DecodeResponse(res)
	var notResult *wire.ResponseError
	if errors.As(err, &notResult) {
		fmt.Println(notResult.StatusCode, notResult.ContentType)
		shown := notResult.Result()
		fmt.Println(shown.Type, shown.Status, shown.Error.Message)
	}

	// Output:
	// 502 text/plain; charset=utf-8
	// error 502 Bad Gateway
}

// NewRequest builds the request the browser client sends for an enhanced
// submission.
func ExampleNewRequest() {
	form := url.Values{"email": {"ada@example.com"}, "remember": {"on"}}
	req, err := wire.NewRequest(context.Background(), "https://example.com/login?/login", form, "https://example.com")
	if err != nil {
		panic(err)
	}
	fmt.Println(req.Method, req.URL)
	for _, h := range []string{"Content-Type", "Accept", wire.HeaderAction, "Origin"} {
		fmt.Printf("%s: %s\n", h, req.Header.Get(h))
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(body))

	// Output:
	// POST https://example.com/login?/login
	// Content-Type: application/x-www-form-urlencoded
	// Accept: application/json
	// X-Sveltekit-Action: true
	// Origin: https://example.com
	// email=ada%40example.com&remember=on
}

// DecodeData reads a result's devalue data into a typed Go value, or into
// *any for the lossless model.
func ExampleResult_DecodeData() {
	result, err := wire.Decode([]byte(`{"type":"success","status":200,"location":"/cart",` +
		`"data":"[{\"items\":1,\"updated\":3},[2],\"book\",[\"Date\",\"2026-11-27T09:30:00.000Z\"]]"}`))
	if err != nil {
		panic(err)
	}
	var cart struct {
		Items   []string `json:"items"`
		Updated any      `json:"updated"`
	}
	if err := result.DecodeData(&cart); err != nil {
		panic(err)
	}
	fmt.Println(cart.Items)
	fmt.Printf("%T\n", cart.Updated)

	// Output:
	// [book]
	// *devalue.Date
}

// Decode reads the envelopes of SvelteKit 2 and SvelteKit 3 alike: an error
// result comes back with its status in both places.
func ExampleDecode() {
	for _, body := range []string{
		`{"type":"error","error":{"message":"Not found"},"status":404}`,                     // SvelteKit 2
		`{"type":"error","location":"/login","error":{"status":404,"message":"Not found"}}`, // SvelteKit 3
		`{"type":"failure","status":400,"data":"-1"}`,                                       // SvelteKit 2, no data
	} {
		r, err := wire.Decode([]byte(body))
		if err != nil {
			panic(err)
		}
		if r.Error != nil {
			fmt.Println(r.Type, r.Status, r.Error.Status, r.Error.Message)
		} else {
			fmt.Printf("%s %d %q\n", r.Type, r.Status, r.Data)
		}
	}

	// Output:
	// error 404 404 Not found
	// error 404 404 Not found
	// failure 400 ""
}
