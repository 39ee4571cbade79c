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
	return typesResult{Now: time.Now().UTC().Truncate(time.Millisecond), Big: n, Counts: countWords(r.PostFormValue("text"))}, nil
}

// countWords counts the words of s in a Map, in the order they first
// appear. A Go map finds each word's entry: Map.Get and Map.Set compare
// keys one by one, which for a text of n distinct words would cost n².
func countWords(s string) *devalue.Map {
	words := &devalue.Map{}
	at := map[string]int{}
	for _, w := range splitWords(s) {
		i, ok := at[w]
		if !ok {
			i = len(words.Entries)
			at[w] = i
			words.Entries = append(words.Entries, devalue.MapEntry{Key: w, Value: 0})
		}
		words.Entries[i].Value = words.Entries[i].Value.(int) + 1
	}
	return words
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
