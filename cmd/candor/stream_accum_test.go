package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/internal/crosscheck"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/monitor"
)

// requireSameMonitor compares two monitor reports: equal but for the last
// bits of sums of probabilities (added in another order by other workers),
// within a relative 1e-12.
func requireSameMonitor(t *testing.T, want, got string) {
	t.Helper()
	crosscheck.RequireJSONClose(t, []byte(want), []byte(got), 1e-12)
}

// TestAuditStreamsLikeInMemory: the streamed audit of Adult by sex and
// race (decisions from the hours worked, as the fairness package's
// in-memory reference does) is fairness.FromTable + fairness.Audit's
// report, and the same bytes from a file, its gzip, standard input and
// any number of workers (its sums are integer counts).
func TestAuditStreamsLikeInMemory(t *testing.T) {
	dir := t.TempDir()
	raw, err := datasets.Raw(datasets.Adult)
	require.NoError(t, err)
	gz := filepath.Join(dir, "adult.csv.gz")
	require.NoError(t, os.WriteFile(gz, raw, 0o644))
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	require.NoError(t, err)
	var plain bytes.Buffer
	_, err = plain.ReadFrom(zr)
	require.NoError(t, err)
	csv := filepath.Join(dir, "adult.csv")
	require.NoError(t, os.WriteFile(csv, plain.Bytes(), 0o644))

	args := []string{"audit", "--label", "income", "--favorable", ">50K", "--score", "hours_per_week", "--threshold", "45",
		"--group", "sex,race", "--bootstrap", "200", "--seed", "4"}
	code, want, errOut := runCLI(t, append(args, "--data", csv, "--workers", "1")...)
	require.Equal(t, 0, code, errOut)
	for _, extra := range [][]string{{"--data", csv, "--workers", "3"}, {"--data", gz}, {"--data", gz, "--workers", "2"}} {
		code, got, errOut := runCLI(t, append(args, extra...)...)
		require.Equal(t, 0, code, errOut)
		require.Equal(t, want, got, "%v", extra)
	}

	// The in-memory path over the same table.
	tab, err := datasets.Load(datasets.Adult)
	require.NoError(t, err)
	in, err := fairness.FromTable(tab, fairness.Columns{Label: "income", Favorable: ">50K", Score: "hours_per_week", Groups: []string{"sex", "race"}})
	require.NoError(t, err)
	in.Data.Threshold = 45
	rep, err := fairness.Audit(context.Background(), in.Data, &fairness.Options{Bootstrap: 200, Seed: 4, MinGroupSize: 30, Level: 0.95})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, writeAuditJSON(&buf, rep, nil, &in.Excluded, nil))
	require.Equal(t, buf.String(), want)
}

// TestMonitorStreamsLikeInMemory: the streamed monitor report of German
// credit's first 600 rows against its last 400 is monitor.Run's over the
// same tables, from files, gzip and any number of workers.
func TestMonitorStreamsLikeInMemory(t *testing.T) {
	dir := t.TempDir()
	model, _ := germanFixture(t, dir, 0)
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	var base, cur strings.Builder
	for i, h := range tab.Header() {
		if i > 0 {
			base.WriteByte(',')
		}
		base.WriteString(h)
	}
	base.WriteByte('\n')
	cur.WriteString(base.String())
	for i := 0; i < tab.Len(); i++ {
		w := &base
		if i >= 600 {
			w = &cur
		}
		for k, c := range tab.Row(i) {
			if k > 0 {
				w.WriteByte(',')
			}
			w.WriteString(`"` + strings.ReplaceAll(c, `"`, `""`) + `"`)
		}
		w.WriteByte('\n')
	}
	bp := writeFile(t, dir, "base.csv", base.String())
	cp := writeFile(t, dir, "cur.csv", cur.String())
	var gzb bytes.Buffer
	zw := gzip.NewWriter(&gzb)
	zw.Write([]byte(cur.String()))
	zw.Close()
	cgz := filepath.Join(dir, "cur.csv.gz")
	require.NoError(t, os.WriteFile(cgz, gzb.Bytes(), 0o644))

	args := []string{"monitor", "--model", model, "--baseline", bp, "--format", "json"}
	code, want, errOut := runCLI(t, append(args, "--current", cp, "--workers", "1")...)
	require.Equal(t, 0, code, errOut)
	for _, extra := range [][]string{{"--current", cp, "--workers", "3"}, {"--current", cgz}} {
		code, got, errOut := runCLI(t, append(args, extra...)...)
		require.Equal(t, 0, code, errOut)
		requireSameMonitor(t, want, got)
	}
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	bt, err := readTable(bp, "")
	require.NoError(t, err)
	ct, err := readTable(cp, "")
	require.NoError(t, err)
	rep, err := monitor.Run(context.Background(), m, bt, ct, &monitor.Options{})
	require.NoError(t, err)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(rep))
	requireSameMonitor(t, buf.String(), want)
}
