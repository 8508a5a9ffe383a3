package sqlgen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
)

// ColBin and ColCount are the columns of ScoreBins' result.
const (
	ColBin   = "bin"   // 0-based bin of the score: cuts[bin-1] <= score < cuts[bin]
	ColCount = "count" // rows of the table in the bin
)

// ScoreBins returns a GROUP BY statement that counts the rows of the table
// in opts by the bin of their score (in model units) between the cuts,
// ascending: bin i holds scores in [cuts[i-1], cuts[i]), bin 0 those below
// cuts[0], bin len(cuts) those at or above the last; rows that cannot be
// scored are left out, as score/monitor leaves them out. With the cuts of
// monitor.QuantileCuts over a baseline's scores, the counts are the
// current side of monitor's score PSI (monitor.PSIFromCounts turns both
// sides into the index). Bins no row falls in are absent; rows come out
// by bin. opts.Keep and the reason options are ignored.
func ScoreBins(m *score.Model, cuts []float64, opts *Options) (string, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	o.Keep, o.NoReasons, o.Explainer = nil, true, nil
	for i, c := range cuts {
		if math.IsNaN(c) || math.IsInf(c, 0) || i > 0 && !(c > cuts[i-1]) {
			return "", fmt.Errorf("%w: score bin cuts must be finite and ascending (cut %d is %v)", ErrUnsupported, i+1, c)
		}
	}
	q, err := Score(m, &o)
	if err != nil {
		return "", err
	}
	s, _ := syntaxOf(o.Dialect)
	col := ColScore
	switch m.Kind() {
	case score.ScorecardModel:
		col = ColPoints
	case score.LogisticModel:
		col = ColLogOdds
	}
	x := "q." + s.ident(col)
	var b strings.Builder
	b.WriteString("CASE")
	for i, c := range cuts {
		b.WriteString(" WHEN " + x + " < " + s.num(c) + " THEN " + strconv.Itoa(i))
	}
	b.WriteString(" ELSE " + strconv.Itoa(len(cuts)) + " END")
	bin := b.String()
	if len(cuts) == 0 {
		bin = "0"
	}
	return "SELECT " + bin + " AS " + s.ident(ColBin) + ", COUNT(*) AS " + s.ident(ColCount) +
		"\nFROM (" + q + ") AS q\nWHERE q." + s.ident(ColError) + " IS NULL\nGROUP BY 1\nORDER BY 1", nil
}
