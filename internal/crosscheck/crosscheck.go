// Package crosscheck compares a result with its reference, for the tests
// that hold a streaming or distributed computation to an in-memory one:
// two JSON documents, numbers within a relative tolerance, and two row
// readers, cell by cell. It imports no candor package (the readers are
// anything with Header, Next and Row), so tests of any module in the
// repository can use it.
//
// The Diff functions return a description of the first difference (nil
// when there is none); the Require functions stop the test with it.
package crosscheck

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// JSONDiff compares two JSON documents: the same structure, keys,
// strings, booleans and nulls, and numbers within rel of each other,
// relative to the larger magnitude (absolute below 1):
// |w - g| <= rel * max(1, |w|, |g|).
func JSONDiff(want, got []byte, rel float64) error {
	return JSONDiffFunc(want, got, func(string) float64 { return rel })
}

// JSONDiffFunc is JSONDiff with each number's tolerance rel(path), path
// written from the root as "$.groups[2].count", so that a test can hold
// counts exact and sums (added in another order by other workers) within
// a last-bits tolerance.
func JSONDiffFunc(want, got []byte, rel func(path string) float64) error {
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		return fmt.Errorf("the reference: %w", err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Errorf("the result: %w", err)
	}
	return jsonDiff("$", w, g, rel)
}

func jsonDiff(path string, w, g any, rel func(string) float64) error {
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: %T, want an object", path, g)
		}
		if len(gv) != len(wv) {
			return fmt.Errorf("%s: %d keys, want %d", path, len(gv), len(wv))
		}
		keys := make([]string, 0, len(wv))
		for k := range wv {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			y, ok := gv[k]
			if !ok {
				return fmt.Errorf("%s.%s missing", path, k)
			}
			if err := jsonDiff(path+"."+k, wv[k], y, rel); err != nil {
				return err
			}
		}
	case []any:
		gv, ok := g.([]any)
		if !ok {
			return fmt.Errorf("%s: %T, want an array", path, g)
		}
		if len(gv) != len(wv) {
			return fmt.Errorf("%s: length %d, want %d", path, len(gv), len(wv))
		}
		for i := range wv {
			if err := jsonDiff(path+"["+strconv.Itoa(i)+"]", wv[i], gv[i], rel); err != nil {
				return err
			}
		}
	case float64:
		gv, ok := g.(float64)
		if !ok {
			return fmt.Errorf("%s: %T, want a number", path, g)
		}
		if r := rel(path); !(math.Abs(wv-gv) <= r*math.Max(1, math.Max(math.Abs(wv), math.Abs(gv)))) {
			return fmt.Errorf("%s: %v, want %v (relative tolerance %g)", path, gv, wv, r)
		}
	default:
		if w != g {
			return fmt.Errorf("%s: %v, want %v", path, g, w)
		}
	}
	return nil
}

// RequireJSONClose stops the test unless JSONDiff finds no difference.
func RequireJSONClose(tb testing.TB, want, got []byte, rel float64) {
	tb.Helper()
	if err := JSONDiff(want, got, rel); err != nil {
		tb.Fatal(err)
	}
}

// Rows reads rows of text cells: score.CSVReader, parquetio.Reader.
type Rows interface {
	Header() []string
	// Next returns the next row's cells, or io.EOF after the last.
	Next() ([]string, error)
	// Row is the 1-based number of the row Next returned last.
	Row() int
}

// RowsDiff reads want and got to the end and compares them: the same
// header, the same number of rows, and in each row the same cells
// (SameCell).
func RowsDiff(want, got Rows) error {
	if !slices.Equal(want.Header(), got.Header()) {
		return fmt.Errorf("header %q, want %q", got.Header(), want.Header())
	}
	for {
		w, werr := want.Next()
		g, gerr := got.Next()
		if werr == io.EOF {
			if gerr != io.EOF {
				return fmt.Errorf("more rows than the reference's %d (row %d: %v)", want.Row(), got.Row(), gerr)
			}
			break
		}
		if werr != nil {
			return fmt.Errorf("the reference: %w", werr)
		}
		if gerr != nil {
			return fmt.Errorf("row %d: %w", want.Row(), gerr)
		}
		if len(g) != len(w) {
			return fmt.Errorf("row %d: %d cells, want %d", got.Row(), len(g), len(w))
		}
		for j := range w {
			if !SameCell(w[j], g[j]) {
				return fmt.Errorf("row %d, column %s: %q, want %q", got.Row(), want.Header()[j], g[j], w[j])
			}
		}
	}
	if want.Row() != got.Row() {
		return fmt.Errorf("%d rows, want %d", got.Row(), want.Row())
	}
	return nil
}

// RequireSameRows stops the test unless RowsDiff finds no difference.
func RequireSameRows(tb testing.TB, want, got Rows) {
	tb.Helper()
	if err := RowsDiff(want, got); err != nil {
		tb.Fatal(err)
	}
}

// SameCell reports whether two cells are the same text, or the same
// number written two ways (DuckDB writes a float's zero as "0.0", Go as
// "0"), for numbers of at most 17 digits, which a float64 holds exactly
// enough to tell apart.
func SameCell(want, got string) bool {
	if want == got {
		return true
	}
	digits := func(s string) int { return strings.Count(s, "") - 1 - len(strings.Trim(s, "0123456789")) }
	x, err1 := strconv.ParseFloat(want, 64)
	y, err2 := strconv.ParseFloat(got, 64)
	return err1 == nil && err2 == nil && x == y && digits(want) <= 17 && digits(got) <= 17
}
