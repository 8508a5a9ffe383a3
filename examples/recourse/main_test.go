package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRecourseExample(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, run(context.Background(), &a, io.Discard, 2, "en"))
	require.NoError(t, run(context.Background(), &b, io.Discard, 2, "en"))
	require.Equal(t, a.String(), b.String(), "byte-identical across runs")
	out := a.String()
	for _, st := range studies {
		require.Contains(t, out, "== "+st.title+"\n")
	}
	// The advice audit runs on every study and finds no rule broken.
	require.Equal(t, 3, strings.Count(out, "; rule violations 0\n"))
	// Every study flips every customer on the adverse side with these actions.
	re := regexp.MustCompile(`(\d+) of (\d+) customers on the adverse side; (\d+) can be flipped`)
	ms := re.FindAllStringSubmatch(out, -1)
	require.Len(t, ms, 3)
	for _, m := range ms {
		require.Equal(t, m[1], m[3])
	}
	// Immutable and protected features never appear in a change.
	for _, f := range []string{"age_in_years", "personal_status_and_sex", "foreign_worker", "tenure", "gender", "SeniorCitizen", "Partner", "InternetService"} {
		require.NotContains(t, out, "  "+f+" ", f)
	}
	// Telco retention offers: a longer contract, in plain words.
	require.Contains(t, out, "Contract Month-to-month -> Two year")
	require.Contains(t, out, "If your contract were Two year instead of Month-to-month, the decision would change.")

	var de bytes.Buffer
	require.NoError(t, run(context.Background(), &de, io.Discard, 1, "de"))
	require.True(t, strings.Contains(de.String(), "würde sich die Entscheidung ändern."))
}
