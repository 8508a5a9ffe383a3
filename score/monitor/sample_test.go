package monitor_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/internal/crosscheck"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/monitor"
)

// sampleOf adds t's rows to k samples (row i to a random one) and merges
// them.
func sampleOf(t *testing.T, m *score.Model, tab *score.Table, k int, rng *rand.Rand) *monitor.Sample {
	t.Helper()
	parts := make([]*monitor.Sample, k)
	for p := range parts {
		var err error
		parts[p], err = monitor.NewSample(m, tab.Header(), nil, nil)
		require.NoError(t, err)
	}
	for i := 0; i < tab.Len(); i++ {
		parts[rng.IntN(k)].Add(tab.Row(i))
	}
	for _, o := range parts[1:] {
		require.NoError(t, parts[0].Merge(o))
	}
	return parts[0]
}

// TestSampleSplitsMerge: for every built-in data set's model, summarising
// each sample in k random parts and merging gives Run's report: counts,
// bins, PSI, AUC and KS exactly (integer counts), sums of probabilities
// and errors within a relative 1e-12.
func TestSampleSplitsMerge(t *testing.T) {
	for _, c := range monitorCases {
		t.Run(c.name, func(t *testing.T) {
			base, cur := c.split(t)
			m, err := score.LoadFile(filepath.Join("testdata", "inmemory", c.name+".model.json"))
			require.NoError(t, err)
			want, err := monitor.Run(context.Background(), m, base, cur, nil)
			require.NoError(t, err)
			wb, err := json.Marshal(want)
			require.NoError(t, err)
			rng := rand.New(rand.NewPCG(uint64(base.Len()), 1))
			for _, k := range []int{1, 4} {
				got, err := monitor.Compare(context.Background(), sampleOf(t, m, base, k, rng), sampleOf(t, m, cur, k, rng), nil)
				require.NoError(t, err)
				gb, err := json.Marshal(got)
				require.NoError(t, err)
				crosscheck.RequireJSONClose(t, wb, gb, 1e-12)
				require.Equal(t, want.ScorePSI, got.ScorePSI, "the score PSI is a function of counts")
				for j := range want.Features {
					require.Equal(t, want.Features[j].Value, got.Features[j].Value, want.Features[j].Feature)
				}
				if want.Current != nil && m.Kind() != score.LinearModel {
					require.Equal(t, want.Current.AUC, got.Current.AUC)
					require.Equal(t, want.Current.KS, got.Current.KS)
				}
			}
		})
	}
}

// TestSampleErrors: a model input missing from the header is named; an
// unscorable or ragged row is counted, not fatal; samples of another
// model do not merge.
func TestSampleErrors(t *testing.T) {
	m, err := score.LoadFile(filepath.Join("testdata", "inmemory", "german_credit_scorecard.model.json"))
	require.NoError(t, err)
	_, err = monitor.NewSample(m, []string{"age_in_years"}, nil, nil)
	var fe *score.FieldError
	require.ErrorAs(t, err, &fe)
	require.ErrorIs(t, err, score.ErrUnknownFeature)

	base, cur := monitorCases[1].split(t)
	s, err := monitor.NewSample(m, cur.Header(), nil, nil)
	require.NoError(t, err)
	s.Add([]string{"too", "few"})
	s.AddBad()
	require.Equal(t, 2, s.Rows())
	require.Equal(t, 2, s.Errors())
	lm, err := score.LoadFile(filepath.Join("testdata", "inmemory", "german_credit_logistic.model.json"))
	require.NoError(t, err)
	o, err := monitor.NewSample(lm, base.Header(), nil, nil)
	require.NoError(t, err)
	require.True(t, errors.Is(s.Merge(o), score.ErrData))
}

// TestMonitorAllUnscorable: a current sample none of whose rows the model
// can score (every row's checking account a category it never saw) is the
// worst drift there is, and is reported as such, not refused: every current
// row in the (unscorable) bin, the score PSI in the act band. A
// baseline with no scorable row is refused naming the baseline, since its
// quantiles place the bins. (Before this test both were refused as "no row
// of a sample could be scored".)
func TestMonitorAllUnscorable(t *testing.T) {
	m, err := score.LoadFile(filepath.Join("testdata", "inmemory", "german_credit_scorecard.model.json"))
	require.NoError(t, err)
	base, cur := monitorCases[1].split(t)
	col := cur.Column("status_of_existing_checking_account")
	require.GreaterOrEqual(t, col, 0)
	var rows [][]string
	for i := 0; i < cur.Len(); i++ {
		r := cur.Row(i)
		r[col] = "no such status"
		rows = append(rows, r)
	}
	bad, err := score.NewTable(cur.Header(), rows)
	require.NoError(t, err)

	rep, err := monitor.Run(context.Background(), m, base, bad, nil)
	require.NoError(t, err)
	require.Equal(t, cur.Len(), rep.CurrentErrors)
	require.Equal(t, monitor.Act, rep.ScoreBand)
	last := rep.Score.Bins[len(rep.Score.Bins)-1]
	require.Equal(t, monitor.UnscorableBin, last.Label)
	require.Equal(t, float64(cur.Len()), last.Current)
	require.Equal(t, 0.0, last.Baseline)
	for _, b := range rep.Score.Bins[:len(rep.Score.Bins)-1] {
		require.Equal(t, 0.0, b.Current, b.Label)
	}
	// The current sample's labels score nothing: no performance to report.
	require.Nil(t, rep.Current)

	_, err = monitor.Run(context.Background(), m, bad, base, nil)
	require.ErrorIs(t, err, score.ErrData)
	require.ErrorContains(t, err, "no row of the baseline could be scored")
}

// TestCompareRefusesTargetsOfOtherClasses: a public telecom churn file
// ships its training part with Churn TRUE/FALSE and its test part with
// True/False (testdata/trials/2026-12-04-trial17.md); monitored, every test
// row counted as a non-event, the AUC was NaN and the ECE 0.14, with exit
// 0. A sample whose target holds a value besides the event and one other is
// refused, naming the values with their rows and, when one is the event
// written otherwise, saying so; so is a non-event written one way in the
// baseline and another in the current sample. German credit's target is
// bad/good; the current sample here writes 60 rows "Bad" and 40 "Good".
func TestCompareRefusesTargetsOfOtherClasses(t *testing.T) {
	tab, _ := germanTable(t)
	m, err := score.LoadFile(filepath.Join("testdata", "inmemory", "german_credit_scorecard.model.json"))
	require.NoError(t, err)
	require.Equal(t, "bad", m.Event())
	tc := tab.Column(m.Target())
	rows := func(rewrite func(i int, y string) string) *monitor.Sample {
		s, err := monitor.NewSample(m, tab.Header(), nil, nil)
		require.NoError(t, err)
		for i := 0; i < tab.Len(); i++ {
			r := append([]string(nil), tab.Row(i)...)
			r[tc] = rewrite(i, r[tc])
			s.Add(r)
		}
		return s
	}
	same := func(_ int, y string) string { return y }
	base := rows(same)
	_, err = monitor.Compare(context.Background(), base, rows(same), nil)
	require.NoError(t, err)

	cur := rows(func(i int, y string) string {
		switch {
		case i < 60 && y == "bad":
			return "Bad"
		case i < 100 && y == "good":
			return "Good"
		}
		return y
	})
	_, err = monitor.Compare(context.Background(), base, cur, nil)
	require.ErrorIs(t, err, score.ErrInvalidValue)
	var fe *score.FieldError
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "creditability", fe.Feature)
	require.Contains(t, err.Error(), `the current sample's target holds "Bad" (`)
	require.Contains(t, err.Error(), `"Bad" is the event "bad" written otherwise`)

	// Told the other class, the rows of any other value are skipped and
	// counted: the 60 "Bad" rows are not events, the 40 "Good" not
	// non-events.
	named := &monitor.Options{NonEvent: "good"}
	rowsWith := func(opts *monitor.Options) *monitor.Sample {
		s, err := monitor.NewSample(m, tab.Header(), opts, nil)
		require.NoError(t, err)
		for i := 0; i < tab.Len(); i++ {
			r := append([]string(nil), tab.Row(i)...)
			switch {
			case i < 60 && r[tc] == "bad":
				r[tc] = "Bad"
			case i < 100 && r[tc] == "good":
				r[tc] = "Good"
			}
			s.Add(r)
		}
		return s
	}
	skipped := 0
	for i := 0; i < 100; i++ {
		y := tab.Cell(i, tc)
		if i < 60 && y == "bad" || y == "good" {
			skipped++
		}
	}
	bn, err := monitor.NewSample(m, tab.Header(), named, nil)
	require.NoError(t, err)
	for i := 0; i < tab.Len(); i++ {
		bn.Add(tab.Row(i))
	}
	rep, err := monitor.Compare(context.Background(), bn, rowsWith(named), named)
	require.NoError(t, err)
	require.Equal(t, skipped, rep.Current.OtherTarget)
	require.Equal(t, tab.Len()-skipped, rep.Current.Rows)
	require.Zero(t, rep.Baseline.OtherTarget)
	var text strings.Builder
	require.NoError(t, rep.WriteText(&text))
	require.Contains(t, text.String(), fmt.Sprintf("(%d rows of other target values skipped)", skipped))

	// Every non-event written "Good": one other value, but not the baseline's.
	cur = rows(func(_ int, y string) string {
		if y == "good" {
			return "Good"
		}
		return y
	})
	_, err = monitor.Compare(context.Background(), base, cur, nil)
	require.ErrorIs(t, err, score.ErrInvalidValue)
	require.Contains(t, err.Error(), `the non-event is written "good" in the baseline sample and "Good" in the current one`)

	// The counts survive encoding (a worker's sample shipped to the merger).
	b, err := cur.MarshalBinary()
	require.NoError(t, err)
	dec, err := monitor.NewSample(m, tab.Header(), nil, nil)
	require.NoError(t, err)
	require.NoError(t, dec.UnmarshalBinary(b))
	_, err = monitor.Compare(context.Background(), base, dec, nil)
	require.ErrorIs(t, err, score.ErrInvalidValue)
}
