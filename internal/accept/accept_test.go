package accept

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct {
		accept string
		want   string
	}{
		{"*/*", "application/json"}, // a tie goes to the first offer
		{"application/json", "application/json"},
		{"text/html", "text/html"},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "text/html"},
		{"application/json;q=0.9, text/html", "text/html"},
		{"text/*, application/json", "application/json"}, // specific before wildcard at equal q
		{"text/*;q=0.5, */*;q=0.1", "text/html"},
		{"application/json;q=0, text/html", "text/html"},
		{"image/png", ""},
		{"", ""},
		{"garbage", ""},
		{"APPLICATION/JSON", "application/json"},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.accept, "application/json", "text/html"); got != tt.want {
			t.Errorf("Negotiate(%q) = %q, want %q", tt.accept, got, tt.want)
		}
	}
}
