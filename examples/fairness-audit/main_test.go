package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFairnessAuditExample pins the example's key figures. They are
// printed with three decimals, so the tolerance is half a unit in the third
// decimal; a change of the scorecard fit, the audit or the recourse search
// that moves a printed figure fails here and must be looked at.
func TestFairnessAuditExample(t *testing.T) {
	var a, b bytes.Buffer
	res, err := run(context.Background(), &a)
	require.NoError(t, err)
	_, err = run(context.Background(), &b)
	require.NoError(t, err)
	require.Equal(t, a.String(), b.String(), "byte-identical across runs")
	out := a.String()

	const tol = 5e-4
	// The scorecard and its decisions at P(bad) < 0.5.
	require.InDelta(t, 0.818, res.AUC, tol)
	require.InDelta(t, res.AUC, res.AUCRanks, 1e-9, "rank AUC of P(bad) = the fit's AUC from points")
	require.InDelta(t, 0.767, res.Accuracy, 1e-12)
	require.Equal(t, 217, res.Declined, "217 of 1000 have P(bad) >= 0.5")
	require.Contains(t, out, "Approved 78.3%, accuracy 0.767.")

	// Age band: 140 of 190 applicants aged 25 or under approved, 643 of 810
	// older ones (counts from the audit's groups; 140 + 643 = 1000 - 217).
	require.InDelta(t, 643.0/810-140.0/190, res.AgeDPD, 1e-12)
	require.InDelta(t, 0.022, res.SexDPD, tol)
	require.InDelta(t, 0.003, res.AgeDPDLo, tol)
	require.InDelta(t, 0.129, res.AgeDPDHi, tol)
	require.InDelta(t, 0.056, res.AgeEOD, tol)
	require.Empty(t, res.AgeFourFifths, "ratio 0.928 is above the four-fifths line")

	// Reweighing narrows the age gap in approvals at no accuracy cost.
	require.InDelta(t, 0.012, res.AgeDPDReweighed, tol)
	require.InDelta(t, 0.767, res.AccuracyReweighed, 1e-12)
	require.InDelta(t, 0.816, res.AUCReweighed, tol)
	require.Less(t, res.AgeDPDReweighed, res.AgeDPD)

	// Group thresholds: a looser cutoff for the young, a stricter one for
	// the rest; the approval gap nearly closes, accuracy stays 0.767.
	require.InDelta(t, 0.550, res.ThresholdYoung, tol)
	require.InDelta(t, 0.483, res.ThresholdOlder, tol)
	require.InDelta(t, 0.001, res.AgeDPDThresholds, tol)
	require.InDelta(t, 0.013, res.AgeEODThresholds, tol)
	require.InDelta(t, 0.767, res.AccuracyThresholds, 1e-12)

	// Recourse burden (mean cheapest-change cost of declined applicants).
	// Only declared actions, each change backed by the training data.
	require.InDelta(t, 0.394, res.BurdenSex["female"], tol)
	require.InDelta(t, 0.405, res.BurdenSex["male"], tol)
	require.InDelta(t, 0.361, res.BurdenAge["<=25"], tol)
	require.InDelta(t, 0.414, res.BurdenAge[">25"], tol)
	require.Contains(t, out, "sex       female declined  72, no recourse 0")

	// Proxies: Cramér's V of housing with sex and with age band, to 1e-12
	// of a Python computation from the contingency table
	// (sqrt(chi2 / (n (min(r, c) - 1))) without bias correction):
	// 0.23228210966879867 and 0.3096474451214705.
	require.Equal(t, "housing", res.TopProxySex)
	require.InDelta(t, 0.23228210966879867, res.TopProxySexV, 1e-12)
	require.Equal(t, "housing", res.TopProxyAge)
	require.InDelta(t, 0.3096474451214705, res.TopProxyAgeV, 1e-12)
	require.InDelta(t, 0.699, res.AUCSex, tol)
	require.InDelta(t, 0.783, res.AUCAge, tol)
	require.Contains(t, out, "predict age band with cross-validated AUC 0.783 (naive Bayes, 5 folds; ABOVE the 0.70 alarm level)")

	for _, h := range []string{"== Audit", "== Mitigation 1: reweighing", "== Mitigation 2: group thresholds", "== Effect (in-sample) ==",
		"== Recourse burden", "== Proxies"} {
		require.True(t, strings.Contains(out, h), h)
	}
	require.Contains(t, out, "not a legal verdict")
}

// TestAUCByHand: goods {0.1, 0.4} and bads {0.35, 0.8}: a good applicant
// has the lower P(bad) in 3 of the 4 pairs.
func TestAUCByHand(t *testing.T) {
	a, err := auc([]float64{0.1, 0.4, 0.35, 0.8}, []bool{true, true, false, false})
	require.NoError(t, err)
	require.InDelta(t, 0.75, a, 1e-12)
	a, err = auc([]float64{0.3, 0.3}, []bool{true, false})
	require.NoError(t, err)
	require.InDelta(t, 0.5, a, 1e-12, "a tie counts half")
}
