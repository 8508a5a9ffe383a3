package explain_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// adviceFixture is a model fitted on a built-in data set with a features
// file, its training table and the trends of its numeric inputs.
type adviceFixture struct {
	name  string
	tab   *score.Table
	m     *score.Model
	event string
	rows  []int // the rows the tests answer (a sample on large data sets)
}

// fixtureSpec says how to build a fixture.
type fixtureSpec struct {
	dataset, target, event string
	ignored, protected     []string
	features               string // a features file (JSON)
	scorecard              bool
	cutoff                 score.Probability
	special                map[string][]float64 // scorecard special codes per feature
	edit                   func(header []string, rows [][]string) ([]string, [][]string)
	every                  int // answer every k-th row (1 = all)
}

// buildFixture fits the model and sets each numeric term's DataTrend the
// way the declarations issue defines it (the sign of the Spearman rank
// correlation with the event, special codes and missing values left out,
// when significant at the 1% level): fit computes it once that work is
// merged; setting it here keeps these tests independent of it.
func buildFixture(t *testing.T, name string, fs fixtureSpec) *adviceFixture {
	t.Helper()
	tab, err := datasets.Load(fs.dataset)
	require.NoError(t, err)
	if fs.edit != nil {
		header := tab.Header()
		rows := make([][]string, tab.Len())
		for i := range rows {
			rows[i] = tab.Row(i)
		}
		header, rows = fs.edit(header, rows)
		tab, err = score.NewTable(header, rows)
		require.NoError(t, err)
	}
	s, err := tab.InferSchema().WithRoles(score.Ignored, append([]string{fs.target}, fs.ignored...)...)
	require.NoError(t, err)
	s, err = s.WithRoles(score.Protected, fs.protected...)
	require.NoError(t, err)
	if fs.features != "" {
		d, err := score.ParseDeclarations([]byte(fs.features))
		require.NoError(t, err)
		s, err = d.Apply(s)
		require.NoError(t, err)
	}
	ctx := context.Background()
	var m *score.Model
	if fs.scorecard {
		opts := &fit.ScorecardOptions{Name: name, Cutoff: fs.cutoff, Missing: fit.MissingDrop}
		if fs.special != nil {
			opts.FeatureBinning = map[string]fit.BinningOptions{}
			for f, codes := range fs.special {
				opts.FeatureBinning[f] = fit.BinningOptions{Special: codes}
			}
		}
		f, err := fit.Scorecard(ctx, tab, s, fs.target, fs.event, opts)
		require.NoError(t, err)
		m = f.Model
	} else {
		f, err := fit.Logistic(ctx, tab, s, fs.target, fs.event, &fit.LogisticOptions{Name: name, Cutoff: fs.cutoff, Missing: fit.MissingDrop})
		require.NoError(t, err)
		m = f.Model
	}
	m = withDataTrends(t, m, tab, fs.target, fs.event)
	every := max(fs.every, 1)
	var rows []int
	for i := 0; i < tab.Len(); i += every {
		rows = append(rows, i)
	}
	return &adviceFixture{name: name, tab: tab, m: m, event: fs.event, rows: rows}
}

// withDataTrends returns m with Stats.DataTrend set on every numeric term.
func withDataTrends(t *testing.T, m *score.Model, tab *score.Table, target, event string) *score.Model {
	t.Helper()
	spec := m.Spec()
	tc := tab.Column(target)
	for j := range spec.Terms {
		tm := &spec.Terms[j]
		f, _ := m.Schema().Lookup(tm.Feature)
		if f.Kind != score.Numeric {
			continue
		}
		specials := f.SpecialCodes()
		col := tab.Column(tm.Feature)
		var xs, ys []float64
		for i := 0; i < tab.Len(); i++ {
			c, y := tab.Cell(i, col), tab.Cell(i, tc)
			if c == "" || y == "" {
				continue
			}
			x, err := score.ParseNumber(c)
			if err != nil || slices.Contains(specials, x) {
				continue
			}
			xs = append(xs, x)
			ys = append(ys, b2f(y == event))
		}
		if tm.Stats == nil {
			tm.Stats = &score.Stats{}
		}
		r := spearman(xs, ys)
		tm.Stats.DataTrend = 0
		if math.Abs(r)*math.Sqrt(float64(len(xs)-1)) > 2.5758 { // two-sided 1%
			tm.Stats.DataTrend = int(math.Copysign(1, r))
		}
	}
	out, err := score.NewModel(spec)
	require.NoError(t, err)
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// spearman is the rank correlation of xs and ys (mid-ranks for ties).
func spearman(xs, ys []float64) float64 {
	rx, ry := ranks(xs), ranks(ys)
	n := float64(len(rx))
	var mx, my float64
	for i := range rx {
		mx += rx[i] / n
		my += ry[i] / n
	}
	var sxy, sxx, syy float64
	for i := range rx {
		sxy += (rx[i] - mx) * (ry[i] - my)
		sxx += (rx[i] - mx) * (rx[i] - mx)
		syy += (ry[i] - my) * (ry[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	r := make([]float64, len(v))
	for i := 0; i < len(idx); {
		k := i
		for k < len(idx) && v[idx[k]] == v[idx[i]] {
			k++
		}
		for q := i; q < k; q++ {
			r[idx[q]] = float64(i+k-1)/2 + 1
		}
		i = k
	}
	return r
}

// everyThird keeps every third row of a data set.
func everyThird(header []string, rows [][]string) ([]string, [][]string) {
	var out [][]string
	for i, r := range rows {
		if i%3 == 0 {
			out = append(out, r)
		}
	}
	return header, out
}

// addNoisyCopy appends a column that is a near-copy of src (scaled, with a
// little seeded noise): a collinear pair whose logistic coefficients take
// opposite signs, although both rise with the event rate in the data.
func addNoisyCopy(src, name string, scale, noise float64) func([]string, [][]string) ([]string, [][]string) {
	return func(header []string, rows [][]string) ([]string, [][]string) {
		c := slices.Index(header, src)
		rng := rand.New(rand.NewPCG(7, 13))
		out := make([][]string, len(rows))
		for i, r := range rows {
			x, _ := strconv.ParseFloat(r[c], 64)
			y := math.Round((x*scale)*(1+noise*rng.NormFloat64())*100) / 100
			out[i] = append(slices.Clone(r), strconv.FormatFloat(y, 'f', -1, 64))
		}
		return append(slices.Clone(header), name), out
	}
}

// trendOf is the trend advice must respect for term j: +1 when the event
// rate rises with the value, -1 when it falls, 0 when neither is known
// (the declared trend when ascending or descending, else the data's).
func trendOf(m *score.Model, j int) int {
	tm := m.Term(j)
	f, _ := m.Schema().Lookup(tm.Feature)
	switch f.Trend {
	case score.Ascending:
		return 1
	case score.Descending:
		return -1
	}
	// A binned term whose flat range bins rise and fall (a peak or a
	// valley) is the data's own shape: no one-signed trend applies, and
	// advice on it is held to its bins' event rates instead (advisedBin).
	var effects []float64
	for _, b := range tm.Bins {
		if b.Kind == score.RangeBin {
			if b.Slope != 0 {
				effects = nil
				break
			}
			effects = append(effects, b.Effect)
		}
	}
	signs := map[bool]bool{}
	for i := 1; i < len(effects); i++ {
		if effects[i] != effects[i-1] {
			signs[effects[i] > effects[i-1]] = true
		}
	}
	if len(signs) == 2 {
		return 0
	}
	if tm.Stats != nil {
		return tm.Stats.DataTrend
	}
	return 0
}

// cellOf returns the training event rate and rows of the cell that holds v
// in term j, found from the model's own numbers (independently of explain):
// the bin of a binned term, the level of a categorical term, the cell of a
// numeric term's Stats.Cells.
func cellOf(m *score.Model, j int, v score.Value) (rate, rows float64, ok bool) {
	tm := m.Term(j)
	return cellOfTerm(m, j, &tm, v)
}

// cellOfTerm is cellOf with term j at hand.
func cellOfTerm(m *score.Model, j int, tm *score.Term, v score.Value) (rate, rows float64, ok bool) {
	_, pos, err := m.Effect(j, v)
	// A sloped range bin (a linear term folded with special-code bins) is
	// a number: its cells are the training deciles.
	sloped := tm.Kind == score.BinnedTerm && err == nil && pos >= 0 && tm.Bins[pos].Kind == score.RangeBin &&
		tm.Bins[pos].Slope != 0 && tm.Stats != nil && len(tm.Stats.Cells) > 0
	switch {
	case (tm.Kind == score.BinnedTerm || tm.Kind == score.CategoricalTerm) && !sloped:
		if err != nil || pos < 0 {
			return 0, 0, false
		}
		var n, e float64
		if tm.Kind == score.BinnedTerm {
			n, e = pooledCell(tm.Bins, pos)
		} else {
			n, e = tm.Levels[pos].Count, tm.Levels[pos].Events
		}
		if n <= 0 {
			return 0, 0, false
		}
		return e / n, n, true
	}
	if tm.Stats == nil || !v.IsNum() {
		return 0, 0, false
	}
	x := v.Float()
	for _, c := range tm.Stats.Cells {
		if (c.Lower == nil || x >= *c.Lower) && (c.Upper == nil || x < *c.Upper) {
			if c.Count <= 0 {
				return 0, 0, false
			}
			return c.Events / c.Count, c.Count, true
		}
	}
	return 0, 0, false
}

// pooledCell is the training rows and events of the cell of bin pos: a
// range bin's is the run of neighbouring range bins pooled in order until
// it holds explain.MinCellShare of the term's rows (a short last run joins
// the one before), written here a second way: the runs' first bins, then
// the sums of the run holding pos.
func pooledCell(bins []score.Bin, pos int) (n, e float64) {
	if bins[pos].Kind != score.RangeBin {
		return bins[pos].Count, bins[pos].Events
	}
	var total float64
	for _, b := range bins {
		total += b.Count
	}
	var starts []int // index into ranges of each run's first bin
	var ranges []int
	acc := math.Inf(1)
	for k, b := range bins {
		if b.Kind != score.RangeBin {
			continue
		}
		if acc >= explain.MinCellShare*total {
			starts = append(starts, len(ranges))
			acc = 0
		}
		ranges = append(ranges, k)
		acc += b.Count
	}
	if len(starts) > 1 && acc < explain.MinCellShare*total {
		starts = starts[:len(starts)-1] // the short last run joins the one before
	}
	starts = append(starts, len(ranges))
	for r := 0; r+1 < len(starts); r++ {
		run := ranges[starts[r]:starts[r+1]]
		if slices.Contains(run, pos) {
			for _, k := range run {
				n += bins[k].Count
				e += bins[k].Events
			}
		}
	}
	return n, e
}

// isSpecial reports whether v is one of the feature's declared special
// codes (or falls in a special bin of term j).
func isSpecial(m *score.Model, j int, v score.Value) bool {
	tm := m.Term(j)
	return isSpecialTerm(m, j, &tm, v)
}

// isSpecialTerm is isSpecial with term j at hand.
func isSpecialTerm(m *score.Model, j int, tm *score.Term, v score.Value) bool {
	f := m.Schema().Feature(m.TermFeature(j))
	if v.IsNum() {
		if slices.Contains(f.SpecialCodes(), v.Float()) {
			return true
		}
		if tm.Kind == score.BinnedTerm {
			_, pos, err := m.Effect(j, v)
			return err == nil && pos >= 0 && tm.Bins[pos].Kind == score.SpecialBin
		}
	}
	if v.IsCat() {
		_, ok := f.Special[v.Label()]
		return ok
	}
	return false
}

// defaultMinChange is the documented default min_change of a numeric
// feature: a tenth of its training interquartile range.
func defaultMinChange(m *score.Model, j int) float64 {
	tm := m.Term(j)
	if tm.Stats == nil || len(tm.Stats.Quantiles) != 101 {
		return 0
	}
	return explain.DefaultMinChangeShare * (tm.Stats.Quantiles[75] - tm.Stats.Quantiles[25])
}

// declined returns the fixture's rows on the adverse side of the cutoff,
// with their records.
func (fx *adviceFixture) declined(t *testing.T) (rows []int, recs []score.Record) {
	t.Helper()
	for _, i := range fx.rows {
		rec, err := fx.tab.Record(fx.m.Schema(), i)
		if err != nil {
			continue // a blank cell the model cannot score
		}
		res, err := fx.m.Score(rec)
		if err != nil || res.Probability < fx.m.Cutoff() {
			continue
		}
		rows, recs = append(rows, i), append(recs, rec)
	}
	require.NotEmpty(t, rows, fx.name)
	return rows, recs
}

// lowerRateBeyond reports whether, for a binned term, some range bin above
// (up) or below the value v has a lower training event rate than v's own
// bin; for other terms it is true (their support is checked on the
// counterfactual changes).
func lowerRateBeyond(m *score.Model, j int, v score.Value, up bool) bool {
	tm := m.Term(j)
	if tm.Kind != score.BinnedTerm || !v.IsNum() {
		return true
	}
	x := v.Float()
	rate, _, ok := cellOf(m, j, v)
	if !ok {
		return false
	}
	for k, b := range tm.Bins {
		if n, e := pooledCell(tm.Bins, k); b.Kind != score.RangeBin || n == 0 || e/n >= rate {
			continue
		}
		if (up && b.Lower != nil && *b.Lower > x) || (!up && b.Upper != nil && *b.Upper <= x) {
			return true
		}
	}
	return false
}
