package fit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/candorscore/candor/score"
)

// BytesPerDesignCell is the most a fit holds per cell of its design, at
// its peak, as measured on the command line (peak resident memory of
// `candor fit` on designs of 1 to 8 Mi cells, logistic and boosted; the
// figures are in the package documentation): the parsed values (a
// score.Value, 32 bytes), the design column (8 bytes), the standardised
// copy of a numeric column (8), the solver's and the statistics' per-row
// vectors, and the garbage collector's headroom (up to the live heap
// again under GOGC=100).
const BytesPerDesignCell = 100

// BytesPerTableCell is what the table a fit reads holds per cell (a
// string header of 16 bytes; short cell texts share their row's line). A
// fit's table is in memory beside its design, so the design budget is
// what the Design limit leaves after the table: each table cell takes
// BytesPerTableCell/BytesPerDesignCell of a design cell from it. A table
// at the cells limit (32 Mi cells, about 512 MB) then leaves about 3 Mi
// design cells (300 MB) of the default 8 Mi: under 1 GB together.
const BytesPerTableCell = 16

// checkDesign refuses a design of more than t.Limits().Design cells
// before any of it is allocated: rows (every table row, the most a fit
// can use) times design columns, one for the intercept, one per numeric
// input and one per level of a categorical input (distinct non-blank
// cells of its column; checkLevels has already bounded them) when the fit
// one-hot encodes (logistic, linear), else one per input (the scorecard's
// WoE column, the boosted fit's bin column), plus the
// table's share (BytesPerTableCell). The error
// is a *score.LimitError naming the rows, the columns, the widest inputs
// and how to raise the limit.
func checkDesign(t *score.Table, s *score.Schema, inputs, cols []int, oneHot bool) error {
	limit := t.Limits().Design
	rows := int64(t.Len())
	if rows == 0 {
		return nil
	}
	type width struct {
		name string
		n    int64
	}
	widths := make([]width, 0, len(inputs))
	designCols := int64(1) // the intercept
	for k, si := range inputs {
		f := s.Feature(si)
		n := int64(1)
		if oneHot {
			n = inputWidth(t, f, cols[k])
		}
		widths = append(widths, width{f.Name, n})
		designCols += n
	}
	tableCells := rows * int64(len(t.Header()))
	tableShare := (tableCells*BytesPerTableCell + BytesPerDesignCell - 1) / BytesPerDesignCell
	if rows*designCols+tableShare <= limit {
		return nil
	}
	sort.SliceStable(widths, func(i, j int) bool { return widths[i].n > widths[j].n })
	var wide []string
	for _, w := range widths[:min(3, len(widths))] {
		if w.n > 1 {
			wide = append(wide, fmt.Sprintf("%s %d levels", w.name, w.n))
		}
	}
	where := fmt.Sprintf("a fit of %d rows x %d design columns (%d cells, about %d MB", rows, designCols, rows*designCols, rows*designCols*BytesPerDesignCell>>20)
	if len(wide) > 0 {
		where += "; widest inputs: " + strings.Join(wide, ", ")
	}
	where += fmt.Sprintf("; the table's %d cells take %d of the budget)", tableCells, tableShare)
	return &score.LimitError{Limit: "design cells (rows x design columns)", Max: limit, Where: where,
		Setting: "CANDOR_LIMITS=design=N or score.Limits.Design; or fit fewer rows or inputs (--exclude)"}
}

// designCells is the cell count checkDesign compares with the limit.
func designCells(t *score.Table, s *score.Schema, inputs, cols []int) int64 {
	n := int64(1)
	for k, si := range inputs {
		n += inputWidth(t, s.Feature(si), cols[k])
	}
	return int64(t.Len()) * n
}

// inputWidth is the number of design columns of one input: 1 for a
// numeric one, its distinct non-blank labels for a categorical one.
func inputWidth(t *score.Table, f score.Feature, col int) int64 {
	if f.Kind != score.Categorical {
		return 1
	}
	seen := map[string]struct{}{}
	for r := 0; r < t.Len(); r++ {
		if c := t.Cell(r, col); c != "" {
			seen[c] = struct{}{}
		}
	}
	return max(1, int64(len(seen)))
}
