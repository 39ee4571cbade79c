package devalue

import (
	"strconv"
	"testing"
)

func TestAppendIndex(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12345, 99999, 100000, 1e14 + 7, 1e15 - 1, 1e15, -1, -7} {
		if got, want := string(appendIndex([]byte("x"), n)), "x"+strconv.Itoa(n); got != want {
			t.Errorf("appendIndex(%d) = %s", n, got)
		}
	}
}
