package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
)

func TestMonitorCLI(t *testing.T) {
	dir := t.TempDir()
	model, _ := germanFixture(t, dir, 0)
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	// baseline: all rows; current: loans of 24 months or more (a shifted population).
	write := func(name string, keep func(i int) bool) string {
		p := filepath.Join(dir, name)
		fh, err := os.Create(p)
		require.NoError(t, err)
		w := csv.NewWriter(fh)
		require.NoError(t, w.Write(tab.Header()))
		for i := 0; i < tab.Len(); i++ {
			if keep(i) {
				require.NoError(t, w.Write(tab.Row(i)))
			}
		}
		w.Flush()
		require.NoError(t, fh.Close())
		return p
	}
	dc := tab.Column("duration_in_month")
	base := write("base.csv", func(int) bool { return true })
	cur := write("cur.csv", func(i int) bool {
		d, err := strconv.Atoi(tab.Cell(i, dc))
		require.NoError(t, err)
		return d >= 24
	})

	chartPath := filepath.Join(dir, "psi.svg")
	code, out, errOut := runCLI(t, "monitor", "--model", model, "--baseline", base, "--current", cur, "--format", "json", "--chart", chartPath)
	require.Equal(t, 0, code, errOut)
	var rep struct {
		ScorePSI float64 `json:"score_psi"`
		Features []struct {
			Feature string  `json:"feature"`
			PSI     float64 `json:"psi"`
			Band    string  `json:"band"`
		} `json:"features"`
		Current *struct {
			AUC float64 `json:"auc"`
		} `json:"current_performance"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Greater(t, rep.ScorePSI, 0.1)
	psi := map[string]float64{}
	for _, f := range rep.Features {
		psi[f.Feature] = f.PSI
	}
	require.Greater(t, psi["duration_in_month"], 0.25, "the feature selected on moved most")
	require.NotNil(t, rep.Current)
	svg, err := os.ReadFile(chartPath)
	require.NoError(t, err)
	require.Contains(t, string(svg), "<svg")
	require.Contains(t, errOut, "candor monitor: score PSI")

	// Text, and the same data against itself.
	code, out, errOut = runCLI(t, "monitor", "--model", model, "--baseline", base, "--current", base)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "score PSI 0.0000  stable")
	require.True(t, strings.Contains(out, "0.5 added to every bin count"))

	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--model", model, "--baseline", base}, "--baseline and --current are required"},
		{[]string{"--model", model, "--baseline", base, "--current", base, "--format", "xml"}, "--format must be text or json"},
		{[]string{"--model", model, "--baseline", base, "--current", base, "--chart", "x.gif"}, "--chart must end in"},
		{[]string{"--model", model, "--baseline", base, "--current", filepath.Join(dir, "nope.csv")}, "--current"},
	} {
		code, _, errOut := runCLI(t, append([]string{"monitor"}, c.args...)...)
		require.Equal(t, 1, code, c.args)
		require.Contains(t, errOut, c.msg)
	}
}

// monitor refuses a labelled file whose target holds a value besides the
// event and one other (the BigML churn files of
// testdata/trials/2026-12-04-trial17.md wrote True where the model's event
// is TRUE), and takes --nonevent as the fit does: rows of any other value
// are skipped and counted.
func TestMonitorTargetValues(t *testing.T) {
	dir := t.TempDir()
	var train, cur strings.Builder
	train.WriteString("calls,churn\n")
	cur.WriteString("calls,churn\n")
	for i := range 600 {
		calls := i % 9
		y := []string{"no", "yes"}[btoi(calls >= 5 && i%3 != 0 || i%7 == 0)]
		fmt.Fprintf(&train, "%d,%s\n", calls, y)
		if i < 30 {
			y = "joined" // a third class: no outcome yet
		}
		fmt.Fprintf(&cur, "%d,%s\n", calls, y)
	}
	tr, cu := writeFile(t, dir, "train.csv", train.String()), writeFile(t, dir, "current.csv", cur.String())
	code, _, stderr := runCLI(t, "fit", "--model", "scorecard", "--data", tr, "--target", "churn", "--event", "yes", "--out", filepath.Join(dir, "m.json"))
	require.Equal(t, 0, code, stderr)
	code, _, stderr = runCLI(t, "monitor", "--model", filepath.Join(dir, "m.json"), "--baseline", tr, "--current", cu)
	require.Equal(t, 1, code, stderr)
	require.Contains(t, stderr, `feature "churn": invalid value: the current sample's target holds "joined" (30 rows), "no" (`)
	require.Contains(t, stderr, "name the other class (--nonevent")
	code, stdout, stderr := runCLI(t, "monitor", "--model", filepath.Join(dir, "m.json"), "--baseline", tr, "--current", cu, "--nonevent", "no")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "current    rows    570")
	require.Contains(t, stdout, "(30 rows of other target values skipped)")
}
