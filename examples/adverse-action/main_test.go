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

	// Savings is sensitive: none of its labels appears in a notice, though
	// savings is among the reasons.
	require.Contains(t, out, "Your savings compared unfavourably")
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
