package explaintest_test

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain/explaintest"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

func fp(x float64) *float64   { return &x }
func upTo(x float64) *float64 { return fp(math.Nextafter(x, math.Inf(1))) }

// sample is the PMML specification's sample scorecard (see
// explain/dmg_test.go); ageMid is the partial score of ages (18, 29].
func sample(t testing.TB, ageMid float64) *score.Model {
	m, err := sampleModel(ageMid)
	require.NoError(t, err)
	return m
}

func sampleModel(ageMid float64) (*score.Model, error) {
	spec := score.Spec{
		Name: "SampleScorecard", Kind: score.ScorecardModel,
		Features: []score.Feature{{Name: "department", Kind: score.Categorical}, {Name: "age"}, {Name: "income"}},
		Scaling:  &score.Scaling{Offset: 600, Factor: 50 / math.Ln2},
		Reasons:  &score.ReasonSpec{Algorithm: "pointsBelow"},
		Terms: []score.Term{
			{Feature: "department", Kind: score.BinnedTerm, ReasonCode: "RC1", ReasonBaseline: fp(19), Bins: []score.Bin{
				{Kind: score.MissingBin, Effect: -9},
				{Kind: score.CategoryBin, Categories: []string{"marketing"}, Effect: 19},
				{Kind: score.CategoryBin, Categories: []string{"engineering"}, Effect: 3},
				{Kind: score.CategoryBin, Categories: []string{"business"}, Effect: 6},
			}},
			{Feature: "age", Kind: score.BinnedTerm, ReasonCode: "RC2", ReasonBaseline: fp(18), Bins: []score.Bin{
				{Kind: score.MissingBin, Effect: -1},
				{Kind: score.RangeBin, Upper: upTo(18), Effect: -3},
				{Kind: score.RangeBin, Lower: upTo(18), Upper: upTo(29), Effect: ageMid},
				{Kind: score.RangeBin, Lower: upTo(29), Upper: upTo(39), Effect: 12},
				{Kind: score.RangeBin, Lower: upTo(39), Effect: 18},
			}},
			{Feature: "income", Kind: score.BinnedTerm, ReasonCode: "RC3", ReasonBaseline: fp(10), Bins: []score.Bin{
				{Kind: score.MissingBin, Effect: 5},
				{Kind: score.RangeBin, Upper: upTo(1000), Effect: 26},
				{Kind: score.RangeBin, Lower: upTo(1000), Upper: upTo(2500), Effect: 5},
				{Kind: score.RangeBin, Lower: upTo(2500), Effect: -3},
			}},
		},
	}
	return score.NewModel(spec)
}

func rec(dept string, age, income float64) score.Record {
	return score.Record{score.Cat(dept), score.Num(age), score.Num(income)}
}

// ageByOne moves age one year down and up.
func ageByOne(_ int, r score.Record) []score.Record {
	var out []score.Record
	for _, d := range []float64{-1, 1} {
		c := slices.Clone(r)
		c[1] = score.Num(r[1].Float() + d)
		out = append(out, c)
	}
	return out
}

func TestStabilityHand(t *testing.T) {
	m := sample(t, 0)
	recs := []score.Record{
		rec("engineering", 29, 500), // RC2 18, RC1 16; age 30: RC2 6 -> same set
		rec("marketing", 39, 500),   // RC2 6; age 40: RC2 0 -> no reasons: flip
		rec("business", 50, 2000),   // RC1 13, RC3 5; age moves nothing
	}
	rep, err := explaintest.Stability(m, recs, ageByOne, 2, nil)
	require.NoError(t, err)
	require.Equal(t, 3, rep.Customers)
	require.Equal(t, 6, rep.Variants)
	require.Equal(t, 1, rep.Flipped)
	require.Equal(t, []explaintest.Flip{{Index: 1, Variant: 1, Before: []string{"RC2"}, After: []string{}}}, rep.Flips)
	require.InDelta(t, 1.0/3, rep.FlipRate(), 1e-15)

	// With only the top reason, the first customer's swap is a flip too.
	rep, err = explaintest.Stability(m, recs, ageByOne, 1, nil)
	require.NoError(t, err)
	require.Equal(t, 2, rep.Flipped)
	require.Equal(t, explaintest.Flip{Index: 0, Variant: 1, Before: []string{"RC2"}, After: []string{"RC1"}}, rep.Flips[0])
}

func TestStabilityGermanCredit(t *testing.T) {
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "creditability")
	require.NoError(t, err)
	s, err = s.WithRoles(score.Protected, "personal_status_and_sex", "age_in_years", "foreign_worker")
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "creditability", "bad", nil)
	require.NoError(t, err)
	recs := make([]score.Record, 200)
	for i := range recs {
		recs[i], err = tab.Record(fitted.Model.Schema(), i)
		require.NoError(t, err)
	}
	// A zero nudge changes nothing: no flips, whatever the model.
	rep, err := explaintest.Stability(fitted.Model, recs, explaintest.NudgeNumeric(fitted.Model, 0), 4, nil)
	require.NoError(t, err)
	require.Zero(t, rep.Flipped)
	require.Positive(t, rep.Variants)
	// A small nudge flips some customers; the report is reproducible.
	a, err := explaintest.Stability(fitted.Model, recs, explaintest.NudgeNumeric(fitted.Model, 0.25), 4, nil)
	require.NoError(t, err)
	b, err := explaintest.Stability(fitted.Model, recs, explaintest.NudgeNumeric(fitted.Model, 0.25), 4, nil)
	require.NoError(t, err)
	require.Equal(t, a, b)
	require.Less(t, a.FlipRate(), 1.0)
	for _, f := range a.Flips {
		require.False(t, slices.Equal(f.Before, f.After))
	}
}

func TestDiff(t *testing.T) {
	old, retrained := sample(t, 0), sample(t, 15)
	recs := []score.Record{
		rec("engineering", 25, 500), // old: RC2 18, RC1 16; new: RC1 16, RC2 3
		rec("marketing", 45, 500),   // no reasons in either
		rec("business", 20, 3000),   // old: RC2 18, RC1 13, RC3 13; new: RC1 13, RC3 13, RC2 3
	}
	rep, err := explaintest.Diff(old, retrained, recs, 2, nil)
	require.NoError(t, err)
	require.Equal(t, 3, rep.Customers)
	require.Equal(t, 2, rep.FirstChanged)
	require.Equal(t, []explaintest.Change{
		{Index: 0, Old: []string{"RC2", "RC1"}, New: []string{"RC1", "RC2"}, OldScore: 29, NewScore: 44},
		{Index: 2, Old: []string{"RC2", "RC1"}, New: []string{"RC1", "RC3"}, Added: []string{"RC3"}, Removed: []string{"RC2"}, OldScore: 3, NewScore: 18},
	}, rep.Changed)

	other, err := score.NewModel(score.Spec{Name: "x", Kind: score.LogisticModel, Features: []score.Feature{{Name: "z"}},
		Terms: []score.Term{{Feature: "z", Kind: score.LinearTerm, Coef: 1}}})
	require.NoError(t, err)
	_, err = explaintest.Diff(old, other, recs, 2, nil)
	require.ErrorIs(t, err, score.ErrSchema)
}

// fakeTB records failures instead of stopping the test.
type fakeTB struct {
	testing.TB
	msgs []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

func TestGolden(t *testing.T) {
	if explaintest.Updating() {
		t.Skip("this test checks the comparison, not the update")
	}
	explaintest.Golden(t, "example", []byte("score 29.000 points\nline two\n"), nil)
	f := &fakeTB{TB: t}
	explaintest.Golden(f, "example", []byte("score 29.000 points\nline 2\n"), nil)
	require.Len(t, f.msgs, 1)
	require.Contains(t, f.msgs[0], "line 2")
	require.Contains(t, f.msgs[0], `want: "line two"`)
	f = &fakeTB{TB: t}
	explaintest.Golden(f, "no-such-file", nil, &explaintest.GoldenOptions{})
	require.Len(t, f.msgs, 1)
	require.Contains(t, f.msgs[0], explaintest.UpdateEnv+"=1")
}

// TestGoldenUpdate: Update and the environment variable each rewrite the
// file; without them the new text is compared with it.
func TestGoldenUpdate(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(explaintest.UpdateEnv, "")
	explaintest.Golden(t, "a", []byte("one\n"), &explaintest.GoldenOptions{Update: true})
	b, err := os.ReadFile(filepath.Join("testdata", "a.golden"))
	require.NoError(t, err)
	require.Equal(t, "one\n", string(b))
	explaintest.Golden(t, "a", []byte("one\n"), nil)
	f := &fakeTB{TB: t}
	explaintest.Golden(f, "a", []byte("two\n"), nil)
	require.Len(t, f.msgs, 1)

	t.Setenv(explaintest.UpdateEnv, "1")
	require.True(t, explaintest.Updating())
	explaintest.Golden(t, "a", []byte("two\n"), nil)
	b, err = os.ReadFile(filepath.Join("testdata", "a.golden"))
	require.NoError(t, err)
	require.Equal(t, "two\n", string(b))
}

// TestNoFlags: importing explaintest registers nothing on the global flag
// set, so a test file that declares its own -update flag does not die
// with "flag redefined". This package declares no flags itself; only the
// testing package's test.* flags may be there.
func TestNoFlags(t *testing.T) {
	require.Nil(t, flag.Lookup("update"))
	flag.VisitAll(func(f *flag.Flag) {
		if !strings.HasPrefix(f.Name, "test.") {
			t.Errorf("flag -%s is registered by an imported package", f.Name)
		}
	})
}

// ExampleDiff shows the review of a retrained model before it ships.
func ExampleDiff() {
	old, _ := sampleModel(0)
	retrained, _ := sampleModel(15)
	rep, err := explaintest.Diff(old, retrained, []score.Record{rec("engineering", 25, 500)}, 2, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range rep.Changed {
		fmt.Printf("customer %d: %v -> %v (score %.0f -> %.0f)\n", c.Index, c.Old, c.New, c.OldScore, c.NewScore)
	}
	// Output:
	// customer 0: [RC2 RC1] -> [RC1 RC2] (score 29 -> 44)
}

// ExampleStability finds the customers whose top reason changes when
// their age moves by one year.
func ExampleStability() {
	m, _ := sampleModel(0)
	recs := []score.Record{rec("engineering", 29, 500), rec("business", 50, 2000)}
	rep, err := explaintest.Stability(m, recs, ageByOne, 1, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d of %d customers flip\n", rep.Flipped, rep.Customers)
	for _, f := range rep.Flips {
		fmt.Printf("customer %d, variant %d: %v -> %v\n", f.Index, f.Variant, f.Before, f.After)
	}
	// Output:
	// 1 of 2 customers flip
	// customer 0, variant 1: [RC2] -> [RC1]
}
