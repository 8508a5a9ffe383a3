package main

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// appendJSONFloat writes what encoding/json writes, on the edges of its
// two notations and on random bit patterns.
func TestAppendJSONFloatMatchesEncodingJSON(t *testing.T) {
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, 9.99999e-7, 1e-7, 1.5e-7, 1e20, 1e21, 9.999e20, -1e21, 123456789,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 5e-324, 1e-300, 0.6555700455664385, 1e100, 12345678901234567890}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		x := math.Float64frombits(rng.Uint64())
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			xs = append(xs, x)
		}
		xs = append(xs, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(60)-30)))
	}
	for _, x := range xs {
		want, err := json.Marshal(x)
		require.NoError(t, err)
		got, err := appendJSONFloat(nil, x)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "%v", x)
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, err := appendJSONFloat(nil, x)
		require.ErrorContains(t, err, "unsupported value")
	}
}

// appendJSONString writes what encoding/json writes, with and without
// HTML escaping, on control characters, quotes, HTML, U+2028/9, invalid
// UTF-8 and random bytes.
func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	ss := []string{"", "plain", `"quoted"`, `back\slash`, "tab\tnew\nline\rret\bback\fform", "\x00\x01\x1f\x7f",
		"<a href=\"x\">&amp;</a>", "\u2028\u2029", "bad \xff\xfe utf8", "é ü 日本", "\xe2\x80", "row 3: feature \"(row)\""}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		ss = append(ss, string(b))
	}
	for _, s := range ss {
		for _, html := range []bool{true, false} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(html)
			require.NoError(t, enc.Encode(s))
			got := appendJSONString(nil, s, html)
			require.Equal(t, want.String(), string(got)+"\n", "%q html=%v", s, html)
		}
	}
}

// appendScoreLine writes json.Encoder's line for every shape of a score
// line: each model kind's numbers, reasons with and without a code, an
// error.
func TestAppendScoreLineMatchesEncoder(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	lines := []scoreLine{
		{Row: 1, Probability: f(0.25), LogOdds: f(-1.0986122886681098)},
		{Row: 22, Points: f(612.5), Probability: f(1e-9), LogOdds: f(-20.7)},
		{Row: 3, Score: f(-0)},
		{Row: 4, Score: f(1e21)},
		{Row: 5, Probability: f(0.5), LogOdds: f(0), Reasons: []reason{{Code: "R1", Feature: "age", Effect: 0.125},
			{Feature: "x<y&z", Effect: -3e-8}}},
		{Row: 6, Error: `row 6: feature "income": value of the wrong kind ("<b>")`},
		{Row: 7, Probability: f(0.5), LogOdds: f(0), Reasons: []reason{}},
	}
	for _, l := range lines {
		var want bytes.Buffer
		require.NoError(t, json.NewEncoder(&want).Encode(&l))
		got, err := appendScoreLine(nil, &l)
		require.NoError(t, err)
		require.Equal(t, want.String(), string(got))
	}
	_, err := appendScoreLine(nil, &scoreLine{Row: 1, Score: f(math.NaN())})
	require.ErrorContains(t, err, "unsupported value: NaN")
}

// appendExplainLine writes json.Encoder's line (no HTML escaping) for
// explain lines with every optional field present and absent, values of
// each kind and text that needs escaping.
func TestAppendExplainLineMatchesEncoder(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	lines := []explainLine{
		{Row: 1, Error: `row 1: feature "a<b": bad & worse`},
		{Row: 2, Units: "log-odds", BaselineKind: "declared", Baseline: f(-0.5), Total: f(1.25), Probability: f(0.7),
			BaselineProbability: f(0.38),
			Contributions: []contributionJS{{Feature: "age", Value: 42.0, Effect: 0.1, ProbabilityEffect: f(0.02)},
				{Feature: "job", Value: "<skilled & \"senior\">", Effect: -1e-9}, {Feature: "x", Value: nil, Effect: 0},
				{Feature: "sex", Value: "withheld", Effect: 0.3}},
			Reasons: []reasonJS{{Code: "R1", Feature: "age", Value: 42.0, Bin: "[40, 50)", Effect: 0.1, Advice: "decrease"},
				{Code: "", Feature: "sex", Value: "withheld", Effect: 0.3, AdviceWithheld: "not_actionable"},
				{Code: "C", Feature: "contract", Value: "monthly", Bin: "monthly", Effect: 0.4, Advice: "change", AdviceTo: []string{"two \"year\"", "one year"}}},
			Text: []string{"Your age <42> counted against you.", "\u2028 é"}},
		{Row: 3, Units: "points", Total: f(600), Contributions: []contributionJS{}, Text: []string{}},
	}
	for _, l := range lines {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(l))
		got, err := appendExplainLine(nil, &l)
		require.NoError(t, err)
		require.Equal(t, want.String(), string(got))
	}
	_, err := appendExplainLine(nil, &explainLine{Row: 1, Contributions: []contributionJS{{Feature: "a", Value: 1}}})
	require.ErrorContains(t, err, "type int")
}
