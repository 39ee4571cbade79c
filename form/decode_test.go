package form

import (
	"bytes"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/google/go-cmp/cmp"
)

func reflectTypes() (str, num, list reflect.Type) {
	return reflect.TypeFor[string](), reflect.TypeFor[int](), reflect.TypeFor[[]string]()
}

// post returns a parsed urlencoded POST of values to target.
func post(target string, values url.Values) *http.Request {
	r := httptest.NewRequest("POST", target, strings.NewReader(values.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// level is a TextUnmarshaler: "low", "high".
type level int

func (l *level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "low":
		*l = 1
	case "high":
		*l = 2
	default:
		return errors.New("no such level")
	}
	return nil
}

func (l level) MarshalText() ([]byte, error) {
	return []byte(map[level]string{1: "low", 2: "high"}[l]), nil
}

type address struct {
	City string `form:"city"`
	Zip  *int   `form:"zip"`
}

type item struct {
	Name string `form:"name"`
	Qty  uint8  `form:"qty"`
}

type everything struct {
	S     string    `form:"s"`
	NoTag string    // named S's way: by its Go name
	Skip  string    `form:"-"`
	I     int       `form:"i"`
	I8    int8      `form:"i8"`
	I16   int16     `form:"i16"`
	I32   int32     `form:"i32"`
	I64   int64     `form:"i64"`
	U     uint      `form:"u"`
	U8    uint8     `form:"u8"`
	U16   uint16    `form:"u16"`
	U32   uint32    `form:"u32"`
	U64   uint64    `form:"u64"`
	F32   float32   `form:"f32"`
	F64   float64   `form:"f64"`
	B     bool      `form:"b"`
	BOff  bool      `form:"boff"`
	Date  time.Time `form:"date"`
	DT    time.Time `form:"dt,datetime-local"`
	Clock time.Time `form:"clock,time"`
	Month time.Time `form:"month,month"`
	Level level     `form:"level"`
	PI    *int      `form:"pi"`
	PS    *string   `form:"ps"`
	PT    *time.Time
	Tags  []string `form:"tags"`
	Nums  []int    `form:"nums"`
	Addr  address  `form:"address"`
	PAddr *address `form:"paddr"`
	Items []item   `form:"items"`
	PItem []*item  `form:"pitems"`
	File  *multipart.FileHeader
	Files []*multipart.FileHeader `form:"files"`
	unexp string
}

func TestDecodeEveryType(t *testing.T) {
	r := post("/?/save", url.Values{
		"s": {"hello"}, "NoTag": {"by name"}, "Skip": {"no"}, "-": {"no"},
		"i": {"-42"}, "i8": {"-128"}, "i16": {"32767"}, "i32": {" 7 "}, "i64": {"-9223372036854775808"},
		"u": {"42"}, "u8": {"255"}, "u16": {"65535"}, "u32": {"1"}, "u64": {"18446744073709551615"},
		"f32": {"1.5"}, "f64": {"-2.25e3"},
		"b": {"on"}, "boff": {"false"},
		"date": {"2024-02-29"}, "dt": {"2024-02-29T13:45"}, "clock": {"08:30:15"}, "month": {"2024-02"},
		"level": {"high"}, "pi": {"0"}, "ps": {""}, "PT": {"2000-01-02"},
		"tags": {"go", "svelte", ""}, "nums": {"1", "2"},
		"address.city": {"Lyon"}, "address.zip": {"69001"}, "paddr.city": {"Nice"},
		"items.1.name": {"b"}, "items.0.name": {"a"}, "items.0.qty": {"3"},
		"pitems.0.name": {"p"},
		"unknown":       {"x"}, "unexp": {"x"}, "items.x.name": {"x"}, "items.01.name": {"x"}, "items.5000.name": {"x"}, "items.2.nope": {"x"},
	})
	f, err := Bind[everything](r)
	if err != nil {
		t.Fatalf("Bind: %v (%v)", err, f.Errors)
	}
	zip, zero := 69001, 0
	pt := time.Date(2000, 1, 2, 0, 0, 0, 0, time.UTC)
	want := everything{
		S: "hello", NoTag: "by name",
		I: -42, I8: -128, I16: 32767, I32: 7, I64: -1 << 63,
		U: 42, U8: 255, U16: 65535, U32: 1, U64: 1<<64 - 1,
		F32: 1.5, F64: -2250,
		B: true, BOff: false,
		Date:  time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		DT:    time.Date(2024, 2, 29, 13, 45, 0, 0, time.UTC),
		Clock: time.Date(0, 1, 1, 8, 30, 15, 0, time.UTC),
		Month: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC),
		Level: 2, PI: &zero, PT: &pt,
		Tags: []string{"go", "svelte"}, Nums: []int{1, 2},
		Addr:  address{City: "Lyon", Zip: &zip},
		PAddr: &address{City: "Nice"},
		Items: []item{{Name: "a", Qty: 3}, {Name: "b"}},
		PItem: []*item{{Name: "p"}},
	}
	if diff := cmp.Diff(want, f.Data, cmp.AllowUnexported(everything{})); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	if f.ID != "save" {
		t.Errorf("ID %q, want the action's name", f.ID)
	}
	if got := f.Values["tags"]; !cmp.Equal(got, []string{"go", "svelte", ""}) {
		t.Errorf("Values[tags] = %#v", got)
	}
	if got := f.Values["address.city"]; got != "Lyon" {
		t.Errorf("Values[address.city] = %#v", got)
	}
	for _, name := range []string{"unknown", "Skip", "unexp", "items.x.name"} {
		if _, ok := f.Values[name]; ok {
			t.Errorf("Values holds the unknown name %q", name)
		}
	}
}

// Empty inputs leave zero values and nil pointers, and are not errors.
func TestDecodeEmpty(t *testing.T) {
	r := post("/", url.Values{"i": {""}, "pi": {""}, "date": {""}, "PT": {""}, "level": {""}, "nums": {"", ""}, "b": {""}})
	f, err := Bind[everything](r)
	if err != nil {
		t.Fatalf("Bind: %v %v", err, f.Errors)
	}
	if diff := cmp.Diff(everything{}, f.Data, cmp.AllowUnexported(everything{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if f.ID != "default" {
		t.Errorf("ID %q, want default", f.ID)
	}
}

// Every value that does not parse is an error of its field, with a
// sentence; the other fields still decode.
func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"i", "twelve", "I must be a whole number"},
		{"i", "1.5", "I must be a whole number"},
		{"i8", "128", "I8 must be a whole number from -128 to 127"},
		{"i64", "9223372036854775808", "I64 must be a whole number from -9223372036854775808 to 9223372036854775807"},
		{"u", "-1", "U must be a whole number, 0 or more"},
		{"u8", "256", "U8 must be a whole number from 0 to 255"},
		{"u64", "18446744073709551616", "U64 must be a whole number from 0 to 18446744073709551615"},
		{"f64", "abc", "F64 must be a number"},
		{"f64", "NaN", "F64 must be a number"},
		{"f64", "Inf", "F64 must be a number"},
		{"f32", "1e39", "F32 must be a number"},
		{"date", "2023-02-29", "Date must be a real date"},
		{"date", "29/02/2024", "Date must be a real date"},
		{"dt", "2024-02-29", "Dt must be a real date and time"},
		{"clock", "25:00", "Clock must be a real time"},
		{"month", "2024-13", "Month must be a real month"},
		{"level", "medium", "Level is not valid"},
		{"pi", "x", "Pi must be a whole number"},
		{"nums", "x", "Nums must be a whole number"},
		{"address.zip", "x", "Zip must be a whole number"},
		{"items.0.qty", "300", "Qty must be a whole number from 0 to 255"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			f, err := Bind[everything](post("/", url.Values{tt.name: {tt.value}, "s": {"kept"}}))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if diff := cmp.Diff(Errors{tt.name: tt.want}, f.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if f.Data.S != "kept" {
				t.Errorf("the valid field was not decoded: %q", f.Data.S)
			}
			if got := f.Values[tt.name]; got != tt.value && !cmp.Equal(got, []string{tt.value}) {
				t.Errorf("Values[%s] = %#v, want what was typed", tt.name, got)
			}
		})
	}
}

// Files come from a multipart body; an empty file input (no file chosen)
// leaves the field nil.
func TestDecodeFiles(t *testing.T) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("File", "a.txt")
	part.Write([]byte("hello"))
	for _, name := range []string{"one.png", "two.png"} {
		part, _ := w.CreateFormFile("files", name)
		part.Write([]byte(name))
	}
	w.WriteField("s", "text")
	w.Close()
	r := httptest.NewRequest("POST", "/", &body)
	r.Header.Set("Content-Type", w.FormDataContentType())
	f, err := Bind[everything](r)
	if err != nil {
		t.Fatal(err)
	}
	if f.Data.File == nil || f.Data.File.Filename != "a.txt" || f.Data.File.Size != 5 {
		t.Errorf("File = %+v", f.Data.File)
	}
	if len(f.Data.Files) != 2 || f.Data.Files[1].Filename != "two.png" {
		t.Errorf("Files = %+v", f.Data.Files)
	}
	if _, ok := f.Values["File"]; ok {
		t.Error("Values holds a file")
	}

	body.Reset()
	w = multipart.NewWriter(&body)
	w.CreateFormFile("File", "") // what a browser sends for an empty file input
	w.Close()
	r = httptest.NewRequest("POST", "/", &body)
	r.Header.Set("Content-Type", w.FormDataContentType())
	f, err = Bind[everything](r)
	if err != nil || f.Data.File != nil {
		t.Errorf("empty file input: File = %+v, err %v", f.Data.File, err)
	}
}

type signup struct {
	Name      string                `form:"name" validate:"required,max=100"`
	Email     string                `form:"email" validate:"required,email"`
	Password  string                `form:"password" validate:"required,min=8,max=72" secret:"true"`
	Age       int                   `form:"age" validate:"required,gte=13,lte=130"`
	Birthday  time.Time             `form:"birthday" validate:"required,lte" label:"Date of birth"`
	Plan      string                `form:"plan" validate:"required,oneof=free pro"`
	Interests []string              `form:"interests" validate:"dive,oneof=go svelte htmx"`
	Terms     bool                  `form:"terms" validate:"required" label:"You accept the terms"`
	Avatar    *multipart.FileHeader `form:"avatar"`
	Site      string                `form:"site" validate:"omitempty,url"`
	Code      string                `form:"code" validate:"omitempty,len=4,alphanum"`
	Score     float64               `form:"score" validate:"gt=0,lt=10"`
	Tags      []string              `form:"tags" validate:"min=1,max=2"`
}

func TestValidateMessages(t *testing.T) {
	f, err := Bind[signup](post("/", url.Values{
		"name": {strings.Repeat("x", 101)}, "email": {"nope"}, "password": {"short"},
		"age": {"12"}, "birthday": {"2999-01-01"}, "plan": {"gold"},
		"interests": {"go", "cobol"}, "site": {"not a url"}, "code": {"ab"}, "score": {"10"},
		"tags": {"a", "b", "c"},
	}))
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	want := Errors{
		"name":      "Name must be at most 100 characters",
		"email":     "Enter an email address like name@example.com",
		"password":  "Password must be at least 8 characters",
		"age":       "Age must be 13 or more",
		"birthday":  "Date of birth must not be in the future",
		"plan":      "Choose plan from the list",
		"interests": "Choose interests from the list",
		"terms":     "Tick the box to confirm you accept the terms",
		"site":      "Enter a web address like https://example.com",
		"code":      "Code must be 4 characters long",
		"score":     "Score must be less than 10",
		"tags":      "Select at most 2 options for tags",
	}
	if diff := cmp.Diff(want, f.Errors); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if _, ok := f.Values["password"]; ok {
		t.Error("Values holds the secret password")
	}

	f, _ = Bind[signup](post("/", url.Values{"age": {"131"}, "score": {"0"}}))
	for name, msg := range map[string]string{
		"name": "Name is required", "age": "Age must be 130 or less", "birthday": "Date of birth is required",
		"score": "Score must be more than 0", "tags": "Select at least 1 option for tags",
	} {
		if got := f.Errors[name]; got != msg {
			t.Errorf("%s: %q, want %q", name, got, msg)
		}
	}
}

// Every rule English knows, on each kind of field it applies to.
func TestEnglish(t *testing.T) {
	str, num, list := reflectTypes()
	tests := []struct {
		f    Failure
		want string
	}{
		{Failure{Label: "Bio", Rule: "min", Param: "1", Type: str}, "Bio must be at least 1 character"},
		{Failure{Label: "Bio", Rule: "max", Param: "2", Type: str}, "Bio must be at most 2 characters"},
		{Failure{Label: "Bio", Rule: "gt", Param: "2", Type: str}, "Bio must be more than 2 characters"},
		{Failure{Label: "Bio", Rule: "lt", Param: "2", Type: str}, "Bio must be fewer than 2 characters"},
		{Failure{Label: "N", Rule: "min", Param: "2", Type: num}, "N must be 2 or more"},
		{Failure{Label: "N", Rule: "max", Param: "2", Type: num}, "N must be 2 or less"},
		{Failure{Label: "N", Rule: "gt", Param: "2", Type: num}, "N must be more than 2"},
		{Failure{Label: "N", Rule: "len", Param: "2", Type: num}, "N must be 2"},
		{Failure{Label: "N", Rule: "eq", Param: "2", Type: num}, "N must be 2"},
		{Failure{Label: "N", Rule: "ne", Param: "2", Type: num}, "N must not be 2"},
		{Failure{Label: "N", Rule: "custom", Type: num}, "N is not an allowed number"},
		{Failure{Label: "Tags", Rule: "min", Param: "2", Type: list}, "Select at least 2 options for tags"},
		{Failure{Label: "Tags", Rule: "len", Param: "1", Type: list}, "Select 1 option for tags"},
		{Failure{Label: "Tags", Rule: "gt", Param: "1", Type: list}, "Select more than 1 option for tags"},
		{Failure{Label: "Tags", Rule: "lt", Param: "3", Type: list}, "Select fewer than 3 options for tags"},
		{Failure{Label: "Tags", Rule: "required", Type: list}, "Select at least one option for tags"},
		{Failure{Label: "Photo", Rule: "required", Type: fileType}, "Choose a file for photo"},
		{Failure{Label: "Start", Rule: "gte", Type: timeType}, "Start must not be in the past"},
		{Failure{Label: "Start", Rule: "gt", Type: timeType}, "Start must be in the future"},
		{Failure{Label: "Start", Rule: "lt", Type: timeType}, "Start must be in the past"},
		{Failure{Label: "Confirm", Rule: "eqfield", Param: "Password", Type: str}, "Confirm must match password"},
		{Failure{Label: "New", Rule: "nefield", Param: "Old", Type: str}, "New must be different from old"},
		{Failure{Label: "Nick", Rule: "alpha", Type: str}, "Nick must contain only letters"},
		{Failure{Label: "Pin", Rule: "numeric", Type: str}, "Pin must contain only numbers"},
		{Failure{Label: "ID", Rule: "uuid", Type: str}, "ID must be a UUID"},
		{Failure{Label: "URL", Rule: "required", Type: str}, "URL is required"},
		{Failure{Label: "URL", Rule: "oneof", Type: str}, "Choose URL from the list"},
		{Failure{Label: "X", Rule: "whatever", Type: str}, "X is not valid"},
		{Failure{Label: "X", Rule: "whatever"}, "X is not valid"},
	}
	for _, tt := range tests {
		if got := English(tt.f); got != tt.want {
			t.Errorf("English(%s %s=%s on %v) = %q, want %q", tt.f.Label, tt.f.Rule, tt.f.Param, tt.f.Type, got, tt.want)
		}
	}
}

type passwords struct {
	Password string `form:"password" validate:"required,min=8" secret:"true"`
	Confirm  string `form:"confirm" secret:"true"`
}

func (p passwords) Check() Errors {
	if p.Confirm != p.Password {
		return Errors{"confirm": "The passwords do not match", "password": "ignored: password already has an error"}
	}
	return nil
}

// Check adds errors across fields, and does not replace a field's own.
func TestChecker(t *testing.T) {
	f, err := Bind[passwords](post("/", url.Values{"password": {"short"}, "confirm": {"other"}}))
	if !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
	want := Errors{"password": "Password must be at least 8 characters", "confirm": "The passwords do not match"}
	if diff := cmp.Diff(want, f.Errors); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(f.Values) != 0 {
		t.Errorf("secret values shown: %v", f.Values)
	}
	if _, err := Bind[passwords](post("/", url.Values{"password": {"long enough"}, "confirm": {"long enough"}})); err != nil {
		t.Errorf("matching passwords: %v", err)
	}
}

// Options.Messages replaces messages; "" keeps the English one.
func TestMessagesOption(t *testing.T) {
	opts := &Options{Messages: func(r *http.Request, f Failure) string {
		if f.Rule == "required" {
			return fmt.Sprintf("%s est obligatoire", f.Label)
		}
		return ""
	}}
	f, _ := BindWith[signup](post("/", url.Values{"email": {"x"}}), opts)
	if got := f.Errors["name"]; got != "Name est obligatoire" {
		t.Errorf("name: %q", got)
	}
	if got := f.Errors["email"]; got != "Enter an email address like name@example.com" {
		t.Errorf("email: %q", got)
	}
}

// A custom rule registered on NewValidator runs, and names its field by
// the form tag.
func TestCustomValidator(t *testing.T) {
	v := NewValidator()
	if err := v.RegisterValidation("even", func(fl validator.FieldLevel) bool { return fl.Field().Int()%2 == 0 }); err != nil {
		t.Fatal(err)
	}
	type even struct {
		N int `form:"n" validate:"even"`
	}
	f, err := BindWith[even](post("/", url.Values{"n": {"3"}}), &Options{Validator: v})
	if !errors.Is(err, ErrInvalid) || f.Errors["n"] != "N is not an allowed number" {
		t.Errorf("err %v, errors %v", err, f.Errors)
	}
}

type list struct {
	Items []item `form:"items" validate:"min=1,dive"`
}

type itemRule struct {
	Lines []struct {
		Name string `form:"name" validate:"required"`
	} `form:"lines" validate:"dive"`
}

// Errors in list elements are named as the form names them.
func TestListErrors(t *testing.T) {
	f, err := Bind[itemRule](post("/", url.Values{"lines.0.name": {"a"}, "lines.1.name": {""}}))
	if !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Errors{"lines.1.name": "Name is required"}, f.Errors); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

type option struct {
	Label string `form:"label"`
}

type orderLine struct {
	SKU     string   `form:"sku"`
	Options []option `form:"options"`
}

type order struct {
	Note  string      `form:"note"`
	Lines []orderLine `form:"lines"`
}

// Lists of lists share MaxListLen: ten names that each ask for 1,000
// options (ten bytes of body per thousand elements) make at most
// MaxListLen elements in all, not 10,000.
func TestNestedListsShareOneBudget(t *testing.T) {
	values := url.Values{}
	for i := range 10 {
		values.Set(fmt.Sprintf("lines.%d.options.999.label", i), "x")
	}
	f, _ := Bind[order](post("/", values))
	elems := len(f.Data.Lines)
	for _, l := range f.Data.Lines {
		elems += len(l.Options)
	}
	if elems > MaxListLen {
		t.Errorf("%d list elements from %d names; at most %d", elems, len(values), MaxListLen)
	}

	// Past the budget, the same request decodes the same way every time.
	values = url.Values{}
	for i := range 600 {
		values.Set(fmt.Sprintf("lines.%d.sku", i), "s")
		values.Set(fmt.Sprintf("lines.0.options.%d.label", i), "o")
	}
	first, _ := Bind[order](post("/", values))
	for range 5 {
		again, _ := Bind[order](post("/", values))
		if len(again.Data.Lines) != len(first.Data.Lines) || len(again.Data.Lines[0].Options) != len(first.Data.Lines[0].Options) {
			t.Fatalf("%d lines and %d options, then %d and %d", len(first.Data.Lines), len(first.Data.Lines[0].Options),
				len(again.Data.Lines), len(again.Data.Lines[0].Options))
		}
	}

	f, err := Bind[order](post("/", url.Values{"lines.1.options.2.label": {"big"}, "lines.0.sku": {"A-1"}, "note": {"n"}}))
	want := order{Note: "n", Lines: []orderLine{{SKU: "A-1"}, {Options: []option{{}, {}, {Label: "big"}}}}}
	if err != nil || !cmp.Equal(want, f.Data) {
		t.Errorf("a form within the budget: %v %s", err, cmp.Diff(want, f.Data))
	}
}

// A field's default label capitalises its first letter, whatever its
// script, and stays valid UTF-8.
func TestDefaultLabels(t *testing.T) {
	for name, want := range map[string]string{
		"first_name": "First name", "émail": "Émail", "имя": "Имя", "x-y": "X y", "": "", "\xff": "\xff", "1st": "1st",
	} {
		if got := defaultLabel(name); got != want {
			t.Errorf("defaultLabel(%q) = %q, want %q", name, got, want)
		}
	}
	for label, want := range map[string]string{"Émail": "émail", "Terms": "terms", "URL": "URL", "ÉU": "ÉU", "A": "A", "": "", "\xffx": "\xffx"} {
		if got := lowerFirst(label); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", label, got, want)
		}
	}
}

// A struct the decoder cannot fill panics when first bound, naming the field.
func TestUnsupportedTypePanics(t *testing.T) {
	type bad struct {
		M map[string]string
	}
	type recursive struct {
		Next []recursive
	}
	type badTime struct {
		T time.Time `form:"t,week"`
	}
	for name, bind := range map[string]func(){
		"map":       func() { Bind[bad](post("/", nil)) },
		"recursive": func() { Bind[recursive](post("/", nil)) },
		"not":       func() { Bind[int](post("/", nil)) },
		"week":      func() { Bind[badTime](post("/", nil)) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil {
					t.Error("no panic")
				}
			}()
			bind()
		})
	}
}

// The hidden field names the form; so does the action.
func TestFormID(t *testing.T) {
	for target, want := range map[string]string{
		"/":                          "default",
		"/?/login":                   "login",
		"/?redirectTo=/x&/register=": "register",
		"/?%2Frename":                "rename",
	} {
		if f, _ := Bind[item](post(target, nil)); f.ID != want {
			t.Errorf("%s: ID %q, want %q", target, f.ID, want)
		}
	}
	if f, _ := Bind[item](post("/?/save", url.Values{IDField: {"second"}})); f.ID != "second" {
		t.Errorf("ID %q, want the hidden field's", f.ID)
	}
}

// Bind parses a request no one parsed, and reports a body it cannot read.
func TestBindParses(t *testing.T) {
	r := httptest.NewRequest("POST", "/", strings.NewReader("name=x"))
	r.Header.Set("Content-Type", "multipart/form-data; boundary=nope")
	if _, err := Bind[item](r); err == nil || errors.Is(err, ErrInvalid) {
		t.Errorf("a broken multipart body: err = %v", err)
	}
}
