package form

import (
	"errors"
	"math"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/schema"
)

// benchSignup is the demo's sign-up form without its file, which
// gorilla/schema does not decode.
type benchSignup struct {
	Name      string    `form:"name" validate:"required,max=100"`
	Email     string    `form:"email" validate:"required,email"`
	Password  string    `form:"password" validate:"required,min=8,max=72" secret:"true"`
	Age       int       `form:"age" validate:"required,gte=13,lte=130"`
	Birthday  time.Time `form:"birthday" validate:"required,lte"`
	Plan      string    `form:"plan" validate:"required,oneof=free pro"`
	Interests []string  `form:"interests" validate:"dive,oneof=go svelte htmx"`
	Terms     bool      `form:"terms" validate:"required"`
}

var benchForms = map[string]url.Values{
	"valid": {
		"name": {"Ann Example"}, "email": {"ann@example.com"}, "password": {"correct horse"},
		"age": {"34"}, "birthday": {"1990-04-01"}, "plan": {"pro"}, "interests": {"go", "htmx"}, "terms": {"on"},
	},
	"invalid": {
		"name": {""}, "email": {"ann@"}, "password": {"short"},
		"age": {"twelve"}, "birthday": {"2990-04-01"}, "plan": {"gold"}, "interests": {"go"},
	},
}

// handWired decodes and validates as an application would wire
// gorilla/schema and validator by hand: a converter for dates, a validator
// naming fields by their form tags, and a message per field.
type handWired struct {
	dec *schema.Decoder
	val *validator.Validate
}

func newHandWired() *handWired {
	dec := schema.NewDecoder()
	dec.SetAliasTag("form")
	dec.IgnoreUnknownKeys(true)
	dec.RegisterConverter(time.Time{}, func(s string) reflect.Value {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return reflect.Value{}
		}
		return reflect.ValueOf(t)
	})
	return &handWired{dec: dec, val: NewValidator()}
}

func (h *handWired) bind(values url.Values) (benchSignup, map[string]string) {
	var s benchSignup
	errs := map[string]string{}
	if err := h.dec.Decode(&s, values); err != nil {
		var multi schema.MultiError
		if errors.As(err, &multi) {
			for name, e := range multi {
				errs[name] = e.Error()
			}
		}
	}
	if err := h.val.Struct(&s); err != nil {
		var ves validator.ValidationErrors
		if errors.As(err, &ves) {
			for _, fe := range ves {
				name := formName(fe.Namespace())
				if _, ok := errs[name]; !ok {
					errs[name] = fe.Error()
				}
			}
		}
	}
	return s, errs
}

// Both ways find the same errors on the same form, so the benchmark
// compares like with like.
func TestHandWiredAgrees(t *testing.T) {
	h := newHandWired()
	for name, values := range benchForms {
		r := httptest.NewRequest("POST", "/", nil)
		r.PostForm = values
		f, _ := Bind[benchSignup](r)
		s, errs := h.bind(values)
		if diff := cmp.Diff(s, f.Data); diff != "" {
			t.Errorf("%s: data differ (-hand-wired +form):\n%s", name, diff)
		}
		var a, b []string
		for k := range f.Errors {
			a = append(a, k)
		}
		for k := range errs {
			b = append(b, strings.TrimSuffix(k, ".1"))
		}
		if len(a) != len(b) {
			t.Errorf("%s: errors differ: %v, %v", name, f.Errors, errs)
		}
	}
}

// BenchmarkSignup decodes and validates the sign-up form with Bind and
// with gorilla/schema and validator wired by hand (the request is parsed
// already in both, as a formaction action receives it).
func BenchmarkSignup(b *testing.B) {
	for _, name := range []string{"valid", "invalid"} {
		values := benchForms[name]
		b.Run(name+"/form.Bind", func(b *testing.B) {
			r := httptest.NewRequest("POST", "/", nil)
			r.PostForm = values
			b.ReportAllocs()
			for b.Loop() {
				Bind[benchSignup](r)
			}
		})
		b.Run(name+"/schema+validator", func(b *testing.B) {
			h := newHandWired()
			b.ReportAllocs()
			for b.Loop() {
				h.bind(values)
			}
		})
	}
}

// BenchmarkLongNames binds a form whose one name is a run of dots, as a
// hostile request may send, into a form with lists, at 64 KiB and at
// 1 MiB, and reports how much more each byte costs at the larger size:
// about 1 when the cost is linear in the name, 16 when it is quadratic.
func BenchmarkLongNames(b *testing.B) {
	perByte := func(size int) float64 {
		r := httptest.NewRequest("POST", "/", nil)
		r.PostForm = url.Values{strings.Repeat(".", size): {"x"}, "lines.0.sku": {"A-1"}}
		best := math.Inf(1)
		for range 5 { // the best of five runs of at least 100 ms
			n, start := 0, time.Now()
			for ; time.Since(start) < 100*time.Millisecond; n++ {
				Bind[benchOrder](r)
			}
			best = min(best, float64(time.Since(start).Nanoseconds())/float64(n))
		}
		return best / float64(size)
	}
	small, large := perByte(64<<10), perByte(1<<20)
	for b.Loop() {
	}
	b.ReportMetric(small, "ns/byte-64KiB")
	b.ReportMetric(large, "ns/byte-1MiB")
	b.ReportMetric(large/small, "1MiB-vs-64KiB")
}

// benchOrder has more than eight names, so that the decoder's maps hash
// the names they are asked for, and a list in a nested struct.
type benchOrder struct {
	Name, Email, Phone, Company, Street, City, Zip, Country, Note string

	Shipping benchShipping `form:"shipping"`
	Lines    []benchLine   `form:"lines"`
}

type benchShipping struct {
	Street string      `form:"street"`
	Lines  []benchLine `form:"lines"`
}

type benchLine struct {
	SKU string `form:"sku"`
}
