package main

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"

	"github.com/candorscore/candor/score"
)

// duplicateLines warns when rows of t repeat an earlier row on every
// column, with their count and share, or says there are none. Rows are
// compared by a 64-bit hash of their cells (each cell length-prefixed),
// so memory is one hash a distinct row, never a copy of a row; two
// distinct rows share a hash with probability about n²/2⁶⁵ (3e-8 for a
// million rows), which would count one repeat too many.
func duplicateLines(t *score.Table) string {
	n, cols := t.Len(), len(t.Header())
	seen := make(map[uint64]struct{}, n)
	seed := maphash.MakeSeed()
	var h maphash.Hash
	h.SetSeed(seed)
	var lenBuf [binary.MaxVarintLen64]byte
	repeats := 0
	for i := range n {
		h.Reset()
		for j := range cols {
			c := t.Cell(i, j)
			h.Write(lenBuf[:binary.PutUvarint(lenBuf[:], uint64(len(c)))])
			h.WriteString(c)
		}
		k := h.Sum64()
		if _, ok := seen[k]; ok {
			repeats++
			continue
		}
		seen[k] = struct{}{}
	}
	if repeats == 0 {
		return "duplicated rows: none\n"
	}
	return fmt.Sprintf("warning: duplicated rows: %d of %d rows (%.1f%%) repeat an earlier row on every column: "+
		"a held-out split of this file then tests on rows it was fitted on, so its figures are optimistic; "+
		"if a repeat is one customer counted twice, de-duplicate the file; if customers are truly alike, "+
		"keep one row each and give it their count as its weight (--weights: logistic, scorecard and boosted models)\n",
		repeats, n, 100*float64(repeats)/float64(n))
}
