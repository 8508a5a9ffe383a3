package explain_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/explain/explaintest"
	"github.com/candorscore/candor/score"
)

// TestExplainPairTerms: on the German boosted model with pair terms, every
// customer's breakdown adds up to the score to 1e-12, a pair term is its
// own line named "a × b" with both values, the encoded path gives the same
// breakdown bit for bit, and a pair that counts against a customer is a
// reason whose code and customer text name both features and carries no
// advice.
func TestExplainPairTerms(t *testing.T) {
	g := german(t)
	m := germanBoostedPairs(t)
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	var ex, exe explain.Explanation
	var enc score.Encoded
	pairReasons := 0
	for i := 0; i < g.table.Len(); i++ {
		rec, err := g.table.Record(m.Schema(), i)
		require.NoError(t, err)
		require.NoError(t, e.Explain(rec, &ex))
		sum := ex.Baseline
		for _, c := range ex.Contributions {
			sum += c
		}
		require.InDelta(t, ex.Result.Score, sum, 1e-12, "row %d", i+1)
		require.NoError(t, m.Encode(rec, &enc))
		require.NoError(t, e.ExplainEncoded(&enc, &exe))
		require.Equal(t, ex.Effects, exe.Effects)
		require.Equal(t, ex.Positions, exe.Positions)
		require.Equal(t, ex.PairValues, exe.PairValues)
		for _, r := range ex.Reasons {
			if m.PairFeature(r.Term) < 0 {
				continue
			}
			pairReasons++
			pt := m.Term(r.Term)
			name := pt.Feature + " × " + pt.Pair.Feature
			require.Equal(t, name, r.Feature)
			require.Equal(t, name, r.Code)
			require.Equal(t, explain.WithheldNotActionable, r.AdviceWithheld)
			require.Equal(t, rec[m.PairFeature(r.Term)], r.PairValue)
			b, err := json.Marshal(r)
			require.NoError(t, err)
			require.Contains(t, string(b), `"value":[`)
			txt, err := e.AppendCustomerText(nil, explain.DefaultCatalog(), "en", &explain.Explanation{Reasons: []explain.Reason{r}, Positions: ex.Positions})
			require.NoError(t, err)
			require.Contains(t, string(txt), strings.ReplaceAll(pt.Feature, "_", " "))
			require.Contains(t, string(txt), strings.ReplaceAll(pt.Pair.Feature, "_", " "))
		}
	}
	require.Greater(t, pairReasons, 100, "pairs count against some customers")
	for j := range m.NumTerms() {
		if m.PairFeature(j) >= 0 {
			require.Contains(t, e.TermName(j), " × ")
		}
	}
}

// TestPairTermConsumers: each consumer of terms handles a pair term or
// refuses it with score.ErrPairTerm: the advice check refuses; the
// explanation diff and the stability check run (pair codes are codes like
// any other); global shapes give one point per cell.
func TestPairTermConsumers(t *testing.T) {
	g := german(t)
	m := germanBoostedPairs(t)
	_, err := explain.CheckAdvice(context.Background(), m, g.table, nil)
	require.ErrorIs(t, err, score.ErrPairTerm)
	var recs []score.Record
	for i := 0; i < 200; i++ {
		rec, err := g.table.Record(m.Schema(), i)
		require.NoError(t, err)
		recs = append(recs, rec)
	}
	spec := m.Spec()
	var mains []score.Term
	for _, tm := range spec.Terms {
		if tm.Kind != score.PairTerm {
			mains = append(mains, tm)
		}
	}
	spec.Terms = mains
	plain, err := score.NewModel(spec)
	require.NoError(t, err)
	rep, err := explaintest.Diff(plain, m, recs, 4, nil)
	require.NoError(t, err)
	require.Equal(t, 200, rep.Customers)
	added := false
	for _, c := range rep.Changed {
		for _, code := range c.Added {
			added = added || strings.Contains(code, " × ")
		}
	}
	require.True(t, added, "the pairs enter some customers' reasons")
	_, err = explaintest.Stability(m, recs, explaintest.NudgeNumeric(m, 0.01), 4, nil)
	require.NoError(t, err)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	for j := range m.NumTerms() {
		sh, err := e.Shape(j)
		require.NoError(t, err)
		if m.PairFeature(j) >= 0 {
			pt := m.Term(j)
			require.Len(t, sh, len(pt.Pair.Effects))
			require.Equal(t, pt.Pair.Effects[1], sh[1].Effect)
		}
	}
}

// TestPairReasonTextSaysValues: a pair term's customer text names both
// features and the customer's own value of each, as a single feature's
// reason shows a value ("Your duration in month and credit amount (48;
// 5951) ..."), never the cell's interval notation ("[48, 50) × [5860,
// 6229)", which a public travel-insurance file's customers read before
// testdata/trials/2026-12-05-trial21.md); a category shows its level. The two values are
// parted by "; ", since a level's label may hold commas.
func TestPairReasonTextSaysValues(t *testing.T) {
	g := german(t)
	m := germanBoostedPairs(t)
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	cat := explain.DefaultCatalog()
	var ex explain.Explanation
	seen, row2 := 0, 0
	for i := 0; i < g.table.Len(); i++ {
		rec, err := g.table.Record(m.Schema(), i)
		require.NoError(t, err)
		require.NoError(t, e.Explain(rec, &ex))
		for _, r := range ex.Reasons {
			if m.PairFeature(r.Term) < 0 {
				continue
			}
			f1, f2 := m.Schema().Feature(m.TermFeature(r.Term)), m.Schema().Feature(m.PairFeature(r.Term))
			txt, err := e.AppendCustomerText(nil, cat, "en", &explain.Explanation{Reasons: []explain.Reason{r}, Positions: ex.Positions})
			require.NoError(t, err)
			want := "Your " + cat.FeatureName("en", f1) + " and " + cat.FeatureName("en", f2) + " (" +
				cat.ValueText("en", f1, rec[m.TermFeature(r.Term)]) + "; " + cat.ValueText("en", f2, rec[m.PairFeature(r.Term)]) +
				") weighed against the result.\n"
			require.Equal(t, want, string(txt), "row %d", i+1)
			require.NotContains(t, string(txt), "[")
			require.NotContains(t, string(txt), "×")
			if i == 1 && f1.Name == "duration_in_month" && f2.Name == "credit_amount" {
				// German row 2 (the data file): duration 48 months, credit amount 5951.
				require.Equal(t, "Your duration in month and credit amount (48; 5951) weighed against the result.\n", string(txt))
				row2++
			}
			seen++
		}
	}
	require.Greater(t, seen, 100)
	require.Equal(t, 1, row2, "row 2's duration by amount pair counts against it")
}
