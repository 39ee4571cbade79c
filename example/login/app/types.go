package app

import (
	"github.com/formaction/formaction/devalue"
	"math/big"
	"net/http"
	"time"
)

// typesResult is what the types page's action returns: values JSON would
// flatten or lose, which devalue carries to the browser as they are.
type typesResult struct {
	// Now is a Date in the browser.
	Now time.Time `json:"now"`
	// Big is a BigInt: 2^64 + 1 is beyond a JavaScript number's precision.
	Big *big.Int `json:"big"`
	// Counts is a Map: word → count, in the order the words first appear.
	Counts *devalue.Map `json:"counts"`
}

func types(w http.ResponseWriter, r *http.Request) (any, error) {
	n := new(big.Int).Lsh(big.NewInt(1), 64)
	n.Add(n, big.NewInt(1))
	words := &devalue.Map{}
	for _, w := range splitWords(r.PostFormValue("text")) {
		n, _ := words.Get(w)
		count, _ := n.(int)
		words.Set(w, count+1)
	}
	return typesResult{Now: time.Now().UTC().Truncate(time.Millisecond), Big: n, Counts: words}, nil
}

func splitWords(s string) []string {
	var out []string
	word := []rune{}
	for _, r := range s + " " {
		if r == ' ' || r == '\n' || r == '\t' || r == ',' || r == '.' {
			if len(word) > 0 {
				out = append(out, string(word))
				word = word[:0]
			}
			continue
		}
		word = append(word, r)
	}
	return out
}
