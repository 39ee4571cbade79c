package formaction

import "testing"

func TestFormContentTypes(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/x-www-form-urlencoded":                true,
		"application/x-www-form-urlencoded; charset=UTF-8": true,
		"multipart/form-data; boundary=abc":                true,
		"Multipart/Form-Data; boundary=abc":                true,
		"text/plain":                                       false,
		"application/json":                                 false,
		"":                                                 false,
	} {
		if got := isFormContentType(ct); got != want {
			t.Errorf("isFormContentType(%q) = %v, want %v", ct, got, want)
		}
	}
}
