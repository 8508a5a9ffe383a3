package candorbeam

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/internal/crosscheck"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/monitor"
)

// The tests run every pipeline on Beam's Prism runner, in this process
// (its job server and a loopback worker: no download, no network).
func TestMain(m *testing.M) { ptest.MainWithDefault(m, "prism") }

const adultPath = "../../examples/datasets/adult.csv.gz"

var ctx = context.Background()

// adultModel is testdata/adult_logistic.json, fitted on Adult's train
// split by candor fit (testdata/README.md has the command).
func adultModel(t *testing.T) *score.Model {
	t.Helper()
	m, err := score.LoadFile("testdata/adult_logistic.json")
	require.NoError(t, err)
	return m
}

// splitAdult writes Adult's train and test rows (its split column) to two
// CSV files in dir and returns their paths.
func splitAdult(t *testing.T, dir string) (train, test string) {
	t.Helper()
	f, err := os.Open(adultPath)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	sc := bufio.NewScanner(zr)
	train, test = filepath.Join(dir, "train.csv"), filepath.Join(dir, "test.csv")
	var tr, te strings.Builder
	sc.Scan()
	tr.WriteString(sc.Text() + "\n")
	te.WriteString(sc.Text() + "\n")
	for sc.Scan() {
		line := sc.Text()
		if strings.HasSuffix(line, ",train") {
			tr.WriteString(line + "\n")
		} else {
			te.WriteString(line + "\n")
		}
	}
	require.NoError(t, sc.Err())
	require.NoError(t, os.WriteFile(train, []byte(tr.String()), 0o644))
	require.NoError(t, os.WriteFile(test, []byte(te.String()), 0o644))
	return train, test
}

// readLines reads the lines textio.Write wrote.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}

// scoredJSON and badJSON write elements as JSON lines (two functions, not
// one generic: Beam names a function by its symbol, which instances share).
func scoredJSON(x Scored) (string, error) {
	b, err := json.Marshal(x)
	return string(b), err
}

func badJSON(x BadRow) (string, error) {
	b, err := json.Marshal(x)
	return string(b), err
}

func init() {
	register.Function1x2(scoredJSON)
	register.Function1x2(badJSON)
}

// TestScoreOnPrism: every row of Adult's test split scored in the pipeline
// has the probability and log-odds that the model gives in memory (the
// same code: equal to the last bit), and a file with two bad rows (a
// malformed row and an age that is not a number) gives two BadRows naming
// the row, and the file, and the column; a file with another header is
// one BadRow of the whole file.
func TestScoreOnPrism(t *testing.T) {
	dir := t.TempDir()
	_, test := splitAdult(t, dir)
	in := filepath.Join(dir, "in")
	require.NoError(t, os.Mkdir(in, 0o755))
	require.NoError(t, os.Rename(test, filepath.Join(in, "test.csv")))
	test = filepath.Join(in, "test.csv")
	header, err := ReadHeader(ctx, test, nil)
	require.NoError(t, err)
	m := adultModel(t)
	badFile := filepath.Join(in, "bad.csv")
	lines := readLines(t, test)
	require.NoError(t, os.WriteFile(badFile, []byte(strings.Join([]string{lines[0], lines[1], "1,2,3", strings.Replace(lines[2], lines[2][:2], "old", 1)}, "\n")+"\n"), 0o644))
	otherHeader := filepath.Join(in, "other.csv")
	require.NoError(t, os.WriteFile(otherHeader, []byte("id,age\n1,30\n"), 0o644))

	p, s := beam.NewPipelineWithRoot()
	rows, readBad := ReadCSV(s, filepath.Join(in, "*.csv"), header)
	scored, scoreBad := Score(s, m, header, rows, &ScoreOptions{Keep: []string{"age"}})
	textio.Write(s, filepath.Join(dir, "scored.jsonl"), beam.ParDo(s, scoredJSON, scored))
	textio.Write(s, filepath.Join(dir, "bad.jsonl"), beam.ParDo(s, badJSON, beam.Flatten(s, readBad, scoreBad)))
	require.NoError(t, ptest.Run(p))

	tab, err := score.ReadCSV(strings.NewReader(strings.Join(lines, "\n")), nil)
	require.NoError(t, err)
	want := map[int64]score.Result{}
	for i := range tab.Len() {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := m.Score(rec)
		require.NoError(t, err, "row %d", i+1)
		want[int64(i+1)] = r
	}
	got := 0
	for _, l := range readLines(t, filepath.Join(dir, "scored.jsonl")) {
		var sc Scored
		require.NoError(t, json.Unmarshal([]byte(l), &sc))
		if strings.HasSuffix(sc.File, "bad.csv") {
			require.Equal(t, int64(1), sc.Num, "only the first row of bad.csv scores")
			continue
		}
		w, ok := want[sc.Num]
		require.True(t, ok, "row %d", sc.Num)
		require.Equal(t, w.Score, sc.Score, "row %d", sc.Num)
		require.Equal(t, float64(w.Probability), sc.Probability, "row %d", sc.Num)
		require.Equal(t, float64(w.LogOdds), sc.LogOdds, "row %d", sc.Num)
		require.Equal(t, []string{tab.Cell(int(sc.Num-1), tab.Column("age"))}, sc.Keep)
		got++
	}
	require.Equal(t, tab.Len(), got, "every test row scored once")
	bad := readLines(t, filepath.Join(dir, "bad.jsonl"))
	require.Len(t, bad, 3)
	byNum := map[int64]BadRow{}
	for _, l := range bad {
		var b BadRow
		require.NoError(t, json.Unmarshal([]byte(l), &b))
		if strings.HasSuffix(b.File, "other.csv") {
			require.Equal(t, int64(0), b.Num, "a file with another header is one bad row")
			require.Contains(t, b.Err, "header differs")
			continue
		}
		require.True(t, strings.HasSuffix(b.File, "bad.csv"), b.File)
		byNum[b.Num] = b
	}
	require.Contains(t, byNum[2].Err, "malformed")
	require.Contains(t, byNum[3].Err, "age")
	require.Contains(t, byNum[3].Err, "row 3")
	require.Contains(t, byNum[3].Err, `"old"`)
}

// TestAuditAdultOnPrism: the fairness audit of Adult (48,842 rows, by sex
// and race and their intersection, the model's decisions at its cutoff,
// 50 bootstrap replicates), run as a Beam pipeline on Prism, equals the
// in-memory audit (fairness.Audit on the same rows) and candor audit's
// report (testdata/adult_audit.json, written by candor audit --model; see
// testdata/README.md), within a relative 1e-12: the calibration's sums of
// scores add in another order; every count is equal.
func TestAuditAdultOnPrism(t *testing.T) {
	adultPath, err := filepath.Abs(adultPath)
	require.NoError(t, err)
	header, err := ReadHeader(ctx, adultPath, nil)
	require.NoError(t, err)
	m := adultModel(t)
	opts := AuditOptions{Label: "income", Favorable: ">50K", Groups: []string{"sex", "race"}, Model: m,
		Fairness: fairness.Options{Bootstrap: 50, Seed: 7}}
	dir := t.TempDir()
	p, s := beam.NewPipelineWithRoot()
	rows, readBad := ReadCSV(s, adultPath, header)
	report, auditBad := Audit(s, header, rows, opts)
	passert.Empty(s, readBad)
	passert.Empty(s, auditBad)
	textio.Write(s, filepath.Join(dir, "audit.json"), report)
	before := encoded.Load()
	require.NoError(t, ptest.Run(p))
	require.Greater(t, encoded.Load(), before, "the runner shipped accumulators between stages")
	got := readLines(t, filepath.Join(dir, "audit.json"))
	require.Len(t, got, 1)

	// In memory: the same rows, scored by the same model, audited at once.
	tab, err := score.ReadCSV(mustOpen(t, adultPath), nil)
	require.NoError(t, err)
	in, err := fairness.FromTable(tab, fairness.Columns{Label: "income", Favorable: ">50K", Groups: []string{"sex", "race"}})
	require.NoError(t, err)
	for i := range tab.Len() {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := m.Score(rec)
		require.NoError(t, err)
		in.Data.Scores = append(in.Data.Scores, float64(r.Probability))
	}
	in.Data.Threshold = float64(m.Cutoff())
	fo := opts.Fairness
	fo.Direction = fairness.HigherIsUnfavorable
	rep, err := fairness.Audit(ctx, in.Data, &fo)
	require.NoError(t, err)
	want, err := json.Marshal(rep)
	require.NoError(t, err)
	crosscheck.RequireJSONClose(t, want, []byte(got[0]), 1e-12)

	// candor audit's report: the same fields, besides its own
	// excluded_rows and unscored_rows (none here).
	cli := map[string]any{}
	b, err := os.ReadFile("testdata/adult_audit.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &cli))
	require.Equal(t, 0.0, cli["excluded_rows"].(map[string]any)["count"])
	require.Equal(t, 0.0, cli["unscored_rows"].(map[string]any)["count"])
	delete(cli, "excluded_rows")
	delete(cli, "unscored_rows")
	cb, err := json.Marshal(cli)
	require.NoError(t, err)
	crosscheck.RequireJSONClose(t, cb, []byte(got[0]), 1e-12)
	var g struct {
		DPD float64 `json:"demographic_parity_difference"`
	}
	require.NoError(t, json.Unmarshal([]byte(got[0]), &g))
	t.Logf("audit on Prism: %d rows, demographic parity difference %.6f (in memory %.6f)", rep.Rows, g.DPD, rep.DemographicParityDifference.Value)
}

// TestMonitorAdultOnPrism: Adult's test split monitored against its train
// split as a Beam pipeline on Prism equals monitor.Run on the same rows
// and candor monitor's report (testdata/adult_monitor.json; see
// testdata/README.md): the score and every input's PSI exactly (functions
// of counts), sums of probabilities within a relative 1e-12.
func TestMonitorAdultOnPrism(t *testing.T) {
	dir := t.TempDir()
	train, test := splitAdult(t, dir)
	header, err := ReadHeader(ctx, train, nil)
	require.NoError(t, err)
	m := adultModel(t)
	p, s := beam.NewPipelineWithRoot()
	base, baseBad := ReadCSV(s, train, header)
	cur, curBad := ReadCSV(s, test, header)
	passert.Empty(s, baseBad)
	passert.Empty(s, curBad)
	textio.Write(s, filepath.Join(dir, "monitor.json"), Monitor(s, m, header, base, cur, nil))
	before := encoded.Load()
	require.NoError(t, ptest.Run(p))
	require.Greater(t, encoded.Load(), before, "the runner shipped accumulators between stages")
	got := readLines(t, filepath.Join(dir, "monitor.json"))
	require.Len(t, got, 1)

	bt, err := score.ReadCSV(mustOpen(t, train), nil)
	require.NoError(t, err)
	ct, err := score.ReadCSV(mustOpen(t, test), nil)
	require.NoError(t, err)
	rep, err := monitor.Run(ctx, m, bt, ct, nil)
	require.NoError(t, err)
	want, err := json.Marshal(rep)
	require.NoError(t, err)
	crosscheck.RequireJSONClose(t, want, []byte(got[0]), 1e-12)
	cli, err := os.ReadFile("testdata/adult_monitor.json")
	require.NoError(t, err)
	crosscheck.RequireJSONClose(t, cli, []byte(got[0]), 1e-12)
	var g monitor.Report
	require.NoError(t, json.Unmarshal([]byte(got[0]), &g))
	require.Equal(t, rep.ScorePSI, g.ScorePSI)
	for j := range rep.Features {
		require.Equal(t, rep.Features[j].Value, g.Features[j].Value, rep.Features[j].Feature)
	}
	t.Logf("monitor on Prism: %d baseline and %d current rows, score PSI %.6f (in memory %.6f)", g.BaselineRows, g.CurrentRows, g.ScorePSI, rep.ScorePSI)
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}
