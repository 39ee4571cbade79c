// Package accept negotiates a response's media type from an Accept header,
// as SvelteKit does, for the wire and formaction packages.
package accept

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Negotiate picks the type among offers that an Accept header prefers, or
// "" when it accepts none. Ranges are ordered by quality, then specific types
// before wildcards, then by position; among offers matching the same range,
// the first offer wins. This is SvelteKit's negotiation, except that q=0
// means "not acceptable", as HTTP says.
func Negotiate(accept string, offers ...string) string {
	type mediaRange struct {
		typ, sub string
		q        float64
		pos      int
	}
	var ranges []mediaRange
	for i, part := range strings.Split(accept, ",") {
		media, params, _ := strings.Cut(part, ";")
		typ, sub, ok := strings.Cut(strings.TrimSpace(media), "/")
		if !ok || typ == "" || sub == "" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.TrimSpace(k) == "q" {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		if q <= 0 {
			continue
		}
		ranges = append(ranges, mediaRange{strings.ToLower(typ), strings.ToLower(sub), q, i})
	}
	sort.SliceStable(ranges, func(i, j int) bool {
		a, b := ranges[i], ranges[j]
		if a.q != b.q {
			return a.q > b.q
		}
		if (a.sub == "*") != (b.sub == "*") {
			return b.sub == "*"
		}
		if (a.typ == "*") != (b.typ == "*") {
			return b.typ == "*"
		}
		return a.pos < b.pos
	})
	best, bestRank := "", len(ranges)
	for _, offer := range offers {
		typ, sub, _ := strings.Cut(offer, "/")
		for rank, r := range ranges {
			if rank >= bestRank {
				break
			}
			if (r.typ == typ || r.typ == "*") && (r.sub == sub || r.sub == "*") {
				best, bestRank = offer, rank
				break
			}
		}
	}
	return best
}

// Request picks the offer r's Accept header prefers. A request without one
// accepts anything, as SvelteKit reads it (curl, a server-side fetch).
func Request(r *http.Request, offers ...string) string {
	header := r.Header.Get("Accept")
	if header == "" {
		header = "*/*"
	}
	return Negotiate(header, offers...)
}
