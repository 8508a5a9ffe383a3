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
	require.InDelta(t, 0.822, res.AUC, tol)
	require.InDelta(t, res.AUC, res.AUCRanks, 1e-9, "rank AUC of P(bad) = the fit's AUC from points")
	require.InDelta(t, 0.780, res.Accuracy, 1e-12)
	require.Equal(t, 228, res.Declined, "228 of 1000 have P(bad) >= 0.5")
	require.Contains(t, out, "Approved 77.2%, accuracy 0.780.")

	// Age band: 136 of 190 applicants aged 25 or under approved, 636 of 810
	// older ones (counts from the audit's groups; 136 + 636 = 1000 - 228).
	require.InDelta(t, 636.0/810-136.0/190, res.AgeDPD, 1e-12)
	require.InDelta(t, 0.025, res.SexDPD, tol)
	require.InDelta(t, 0.008, res.AgeDPDLo, tol)
	require.InDelta(t, 0.143, res.AgeDPDHi, tol)
	require.InDelta(t, 0.058, res.AgeEOD, tol)
	require.Empty(t, res.AgeFourFifths, "ratio 0.912 is above the four-fifths line")

	// Reweighing narrows the age gap in approvals for 0.002 of accuracy.
	require.InDelta(t, 0.008, res.AgeDPDReweighed, tol)
	require.InDelta(t, 0.778, res.AccuracyReweighed, 1e-12)
	require.InDelta(t, 0.819, res.AUCReweighed, tol)
	require.Less(t, res.AgeDPDReweighed, res.AgeDPD)

	// Group thresholds: a looser cutoff for the young, a stricter one for
	// the rest; the approval gap nearly closes, accuracy falls to 0.774.
	require.InDelta(t, 0.536, res.ThresholdYoung, tol)
	require.InDelta(t, 0.486, res.ThresholdOlder, tol)
	require.InDelta(t, 0.002, res.AgeDPDThresholds, tol)
	require.InDelta(t, 0.001, res.AgeEODThresholds, tol)
	require.InDelta(t, 0.774, res.AccuracyThresholds, 1e-12)

	// Recourse burden (mean cheapest-change cost of declined applicants).
	// Only declared actions, each change backed by the training data.
	require.InDelta(t, 0.387, res.BurdenSex["female"], tol)
	require.InDelta(t, 0.404, res.BurdenSex["male"], tol)
	require.InDelta(t, 0.389, res.BurdenAge["<=25"], tol)
	require.InDelta(t, 0.401, res.BurdenAge[">25"], tol)
	require.Contains(t, out, "sex       female declined  76, no recourse 0")

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
