package form

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// FuzzDecode binds arbitrary urlencoded bodies into a struct of every
// kind of field. Bind must never panic, every error must name a field the
// struct has, Values must hold only names the struct has and never a
// secret, and the summary must render.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		"s=x&i=1&u8=300&f32=1e39&date=2024-02-29&dt=2024-02-29T13:45&clock=25:00&month=2024-13",
		"items.0.name=a&items.999.qty=3&items.1000.name=x&pitems.2.name=p&address.zip=x&paddr.city=y",
		"tags=a&tags=&nums=1&nums=x&level=medium&pi=&PT=2000-01-02&b=false&_form=other",
		"name=" + strings.Repeat("x", 101) + "&email=a@&password=short&age=12&interests=go&interests=cobol",
		"items.-1.name=a&items.01.name=b&items..name=c&items.1=d&.=e&%ZZ=f",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		values, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		e, _ := Bind[everything](post("/?/x", values))
		for name := range e.Errors {
			if everythingPlan().lookup(name) == nil {
				t.Errorf("error under a name the struct lacks: %q", name)
			}
		}
		for name := range e.Values {
			if everythingPlan().lookup(name) == nil {
				t.Errorf("value under a name the struct lacks: %q", name)
			}
		}
		e.Summary()
		if n := len(e.Data.Items) + len(e.Data.PItem); n > MaxListLen {
			t.Errorf("lists of %d elements in all", n)
		}
		s, _ := Bind[signup](post("/", values))
		if _, ok := s.Values["password"]; ok {
			t.Error("the secret is in Values")
		}
		for name := range s.Errors {
			s.Field(name).Attrs()
		}
	})
}

func everythingPlan() *plan { return planFor(reflect.TypeFor[everything]()) }
