package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
)

func TestNotices(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, run(context.Background(), &a, "en", 20))
	require.NoError(t, run(context.Background(), &b, "en", 20))
	require.Equal(t, a.String(), b.String(), "byte-identical across runs")
	out := a.String()
	require.Equal(t, 20, strings.Count(out, "NOTICE OF ACTION TAKEN"))
	require.Contains(t, out, "NOTICE OF ACTION TAKEN - application 2\n")
	require.Regexp(t, `\d+ of 1000 applicants declined`, out)

	// At most four reasons per notice (Regulation B: more is not helpful).
	for _, n := range strings.Split(out, "NOTICE OF ACTION TAKEN")[1:] {
		reasons := regexp.MustCompile(`(?m)^  \d\. `).FindAllString(n, -1)
		require.NotEmpty(t, reasons)
		require.LessOrEqual(t, len(reasons), 4)
	}

	// Savings is sensitive: none of its labels appears in a notice.
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	col := tab.Column("savings_account_and_bonds")
	seen := map[string]bool{}
	for i := 0; i < tab.Len(); i++ {
		seen[tab.Cell(i, col)] = true
	}
	for label := range seen {
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "  ") {
				require.NotContains(t, line, label)
			}
		}
	}
}

func TestNoticesGerman(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, run(context.Background(), &b, "de", 1))
	require.Contains(t, b.String(), "MITTEILUNG ÜBER DIE ABLEHNUNG - Antrag 2")
	require.Contains(t, b.String(), "„Laufzeit in Monaten“ (48)")
	require.ErrorIs(t, run(context.Background(), &b, "fr", 1), explain.ErrUnknownLanguage)
}

// The staff line printed the exact effects of every reason ("[for staff:
// ... savings_account_and_bonds +0.176]" for application 2), while the
// notice left savings' value out: the exact effect of savings maps back to
// its level (each level has its own effect in the model file). Now the
// notice and the staff line are one published explanation (explain.Publish):
// the same reasons in the same order, and a savings effect, if savings
// ranks among them, is its group's (at most ceil(5 levels / 2) values).
// On German credit the published savings effect ranks below the top four
// for every declined applicant whose banded score is declined too; one
// whose banded score falls below the cutoff is shown at the cutoff, the
// move being in savings' effect, which may then rank among them.
func TestStaffLineIsThePublishedExplanation(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, run(context.Background(), &b, "en", 1000))
	notices := strings.Split(b.String(), "NOTICE OF ACTION TAKEN")[1:]
	require.Greater(t, len(notices), 200)
	feature := map[string]string{} // customer's name of a feature -> its code
	for _, n := range names {
		feature[n.en] = n.feature
	}
	reasonLine := regexp.MustCompile(`(?m)^  \d\. Your (.+?)(?: \(.*\))? compared`)
	staffReason := regexp.MustCompile(` ([a-z_]+) ([+-]\d+\.\d{3})`)
	savings := map[string]bool{}
	withSavings := 0
	for _, n := range notices {
		var told []string
		for _, m := range reasonLine.FindAllStringSubmatch(n, -1) {
			code, ok := feature[m[1]]
			require.True(t, ok, m[1])
			told = append(told, code)
		}
		i := strings.Index(n, "[for staff:")
		require.GreaterOrEqual(t, i, 0)
		staff := n[i : strings.Index(n[i:], "]")+i]
		var shown []string
		// A published probability at the cutoff is a banded score moved to
		// the exact score's (declined) side: the move is in savings'
		// effect (explain.Explainer.PublishSide), which is then its
		// group's plus the move.
		atCutoff := strings.Contains(staff, "published probability 0.500;")
		for _, m := range staffReason.FindAllStringSubmatch(staff, -1) {
			shown = append(shown, m[1])
			if m[1] == "savings_account_and_bonds" && !atCutoff {
				savings[m[2]] = true
			}
		}
		require.Equal(t, told, shown, "notice and staff line give the same reasons: %s", n)
		if strings.Contains(staff, "savings_account_and_bonds") {
			withSavings++
			require.Regexp(t, `savings_account_and_bonds [+-]\d+\.\d{3} banded`, staff)
		}
	}
	t.Logf("savings is a published reason of %d of %d notices", withSavings, len(notices))
	require.NotContains(t, b.String(), "savings_account_and_bonds +0.176", "application 2's exact savings effect")
	require.Contains(t, notices[0], "application 2\n")
	require.LessOrEqual(t, len(savings), 3, "savings' effect is one of its groups': %v", savings)
}
