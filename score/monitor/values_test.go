package monitor_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/monitor"
)

// TestExtraBinsNameValues: the (unseen) and (invalid) bins name up to
// five of the values that fell in them (the smallest, so that merged
// samples agree), in JSON and in the text report; the trial injected
// "Downtown" and "NA" and the report counted them without a word of what
// they were. A sensitive feature's values are never named.
func TestExtraBinsNameValues(t *testing.T) {
	twelve := 12.0
	m, err := score.NewModel(score.Spec{Name: "mon", Kind: score.ScorecardModel, Target: "y", Event: "1",
		Features: []score.Feature{
			{Name: "area", Kind: score.Categorical},
			{Name: "tenure", Kind: score.Numeric},
			{Name: "city", Kind: score.Categorical},
			{Name: "income", Kind: score.Numeric},
			{Name: "secret", Kind: score.Categorical, Sensitive: true},
		},
		Intercept: 500,
		Terms: []score.Term{
			{Feature: "area", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.CategoryBin, Categories: []string{"Rural"}, Effect: 10}, {Kind: score.CategoryBin, Categories: []string{"Urban"}, Effect: 20}}},
			{Feature: "tenure", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: &twelve, Effect: 5}, {Kind: score.RangeBin, Lower: &twelve, Effect: 15}, {Kind: score.MissingBin}}},
			{Feature: "city", Kind: score.CategoricalTerm, Reference: "A", Levels: []score.Level{{Label: "A"}, {Label: "B", Effect: 3}},
				OtherEffect: new(0.0)},
			{Feature: "income", Kind: score.LinearTerm, Coef: 0.001, Fill: new(0.0)},
			{Feature: "secret", Kind: score.CategoricalTerm, Reference: "s1", Levels: []score.Level{{Label: "s1"}, {Label: "s2", Effect: 1}},
				OtherEffect: new(0.0)},
		},
		Scaling: new(score.NewScaling(0, 0, 0))})
	require.NoError(t, err)
	base, err := score.ParseCSV([]byte("area,tenure,city,income,secret\nRural,3,A,100,s1\nUrban,30,B,200,s2\nRural,8,A,150,s1\nUrban,20,B,300,s2\n"), nil)
	require.NoError(t, err)
	var cur strings.Builder
	cur.WriteString("area,tenure,city,income,secret\n")
	for _, r := range []string{"Downtown,NA,C,n/a,s9", "Uptown,?,D,x1,s8", "Rural,3,A,100,s1", "Midtown,N/A,E,x2,s7", "Airport,-,F,x3,s6",
		"Harbour,none,G,x4,s5", "Bay,nil,H,x5,s4", "Downtown,NA,C,n/a,s9"} {
		cur.WriteString(r + "\n")
	}
	curTab, err := score.ParseCSV([]byte(cur.String()), nil)
	require.NoError(t, err)
	rep, err := monitor.Run(context.Background(), m, base, curTab, nil)
	require.NoError(t, err)
	values := func(feature, bin string) []string {
		for _, p := range rep.Features {
			if p.Feature != feature {
				continue
			}
			for _, b := range p.Bins {
				if b.Label == bin {
					return b.Values
				}
			}
		}
		t.Fatalf("no bin %s of %s", bin, feature)
		return nil
	}
	require.Equal(t, []string{"Airport", "Bay", "Downtown", "Harbour", "Midtown"}, values("area", "(unseen)"), "the five smallest of six")
	require.Equal(t, []string{"-", "?", "N/A", "NA", "nil"}, values("tenure", "(invalid)"))
	require.Equal(t, []string{"C", "D", "E", "F", "G"}, values("city", "(unseen)"))
	require.Equal(t, []string{"n/a", "x1", "x2", "x3", "x4"}, values("income", "(invalid)"))
	require.Empty(t, values("secret", "(unseen)"), "a sensitive feature's values are not named")
	var txt bytes.Buffer
	require.NoError(t, rep.WriteText(&txt))
	require.Contains(t, txt.String(), "    values: Airport, Bay, Downtown, Harbour, Midtown\n")
}
