package main

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// The inversion attack of issue 14: an attacker holds the model file and
// every output candor writes about a customer, and knows the customer's
// other values (worst case: all of them but the one attacked). For a
// sensitive linear term, effect = coef * x, so any published effect,
// contribution (effect - baseline), score or probability from which the
// other terms can be subtracted gives x = effect / coef exactly; for a
// sensitive categorical term the level effects map back to levels one to
// one. These tests scrape every number and word of each output and try
// every such reading; none may give a sensitive value back.

// sensitiveSpec is a logistic model with a sensitive numeric income
// (linear term, training range 1,000 to 1,000,000), a sensitive
// categorical marital status, and two ordinary features.
func sensitiveSpec() score.Spec {
	incomeStats := &score.Stats{Count: 1000, Mean: 60000, Min: 1000, Max: 1000000}
	durStats := &score.Stats{Count: 1000, Mean: 24, Min: 4, Max: 72}
	return score.Spec{
		Name: "sensitive-attack", Kind: score.LogisticModel, Target: "bad", Event: "1",
		Features: []score.Feature{
			{Name: "income", Kind: score.Numeric, Sensitive: true},
			{Name: "marital", Kind: score.Categorical, Sensitive: true,
				Categories: []string{"mar_single", "mar_married", "mar_divorced", "mar_widowed"}},
			{Name: "duration", Kind: score.Numeric},
			{Name: "housing", Kind: score.Categorical, Categories: []string{"own", "rent", "free"}},
		},
		Intercept: -0.4,
		Terms: []score.Term{
			{Feature: "income", Kind: score.LinearTerm, Coef: -0.0000021, Baseline: -0.0000021 * 60000, Stats: incomeStats},
			{Feature: "marital", Kind: score.CategoricalTerm, Reference: "mar_married", Levels: []score.Level{
				{Label: "mar_single", Effect: 0.3137, Count: 300}, {Label: "mar_married", Effect: 0, Count: 400},
				{Label: "mar_divorced", Effect: 0.5711, Count: 200}, {Label: "mar_widowed", Effect: 0.1293, Count: 100}},
				Baseline: 0.3137*0.3 + 0.5711*0.2 + 0.1293*0.1},
			{Feature: "duration", Kind: score.LinearTerm, Coef: 0.041, Baseline: 0.041 * 24, Stats: durStats},
			{Feature: "housing", Kind: score.CategoricalTerm, Reference: "own", Levels: []score.Level{
				{Label: "own", Effect: 0, Count: 700}, {Label: "rent", Effect: 0.44, Count: 200}, {Label: "free", Effect: 0.22, Count: 100}},
				Baseline: 0.44*0.2 + 0.22*0.1},
		},
	}
}

// The three incomes of the issue, each recovered exactly there.
const sensitiveCSV = `income,marital,duration,housing,case
13579.25,mar_widowed,36,rent,c1
987654,mar_divorced,12,own,c2
11223.75,mar_single,48,free,c3
`

func sensitiveFixture(t *testing.T) (dir, model, data string, m *score.Model, tab *score.Table) {
	t.Helper()
	dir = t.TempDir()
	m, err := score.NewModel(sensitiveSpec())
	require.NoError(t, err)
	model = filepath.Join(dir, "model.json")
	require.NoError(t, m.SaveFile(model))
	data = filepath.Join(dir, "data.csv")
	require.NoError(t, os.WriteFile(data, []byte(sensitiveCSV), 0o644))
	tab, err = readTable(data, "")
	require.NoError(t, err)
	return dir, model, data, m, tab
}

// attacker inverts outputs about one customer with the model file.
type attacker struct {
	m   *score.Model
	rec score.Record
}

var numberRE = regexp.MustCompile(`-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?`)

// numbers is every number written in out.
func numbers(out string) []float64 {
	var xs []float64
	for _, s := range numberRE.FindAllString(out, -1) {
		if x, err := strconv.ParseFloat(s, 64); err == nil {
			xs = append(xs, x)
		}
	}
	return xs
}

// candidates are the effects of term j that reading n as an effect, a
// contribution, a score or a probability gives (the attacker knows every
// other term's effect for this customer).
func (a attacker) candidates(j int, n float64) []float64 {
	t := a.m.Term(j)
	others := a.m.Intercept()
	for k := 0; k < a.m.NumTerms(); k++ {
		if k != j {
			e, _, err := a.m.Effect(k, a.rec[a.m.TermFeature(k)])
			if err != nil {
				panic(err)
			}
			others += e
		}
	}
	out := []float64{n, n + t.Baseline, -n, -n + t.Baseline, n - others}
	if n > 0 && n < 1 {
		out = append(out, math.Log(n/(1-n))-others)
	}
	return out
}

// recovered reports which sensitive values the output gives back.
func (a attacker) recovered(out string) []string {
	var got []string
	nums := numbers(out)
	for j := 0; j < a.m.NumTerms(); j++ {
		f := a.m.Schema().Feature(a.m.TermFeature(j))
		if !f.Sensitive {
			continue
		}
		v := a.rec[a.m.TermFeature(j)]
		t := a.m.Term(j)
		switch {
		case v.IsNum():
			x := v.Float()
			for _, n := range nums {
				if math.Abs(n-x) <= 0.005 {
					got = append(got, f.Name+" printed as "+strconv.FormatFloat(n, 'g', -1, 64))
					break
				}
				hit := false
				for _, e := range a.candidates(j, n) {
					if math.Abs(e/t.Coef-x) <= 0.005 {
						got = append(got, f.Name+" from "+strconv.FormatFloat(n, 'g', -1, 64))
						hit = true
						break
					}
				}
				if hit {
					break
				}
			}
		case v.IsCat():
			if strings.Contains(out, v.Label()) {
				got = append(got, f.Name+" printed as "+v.Label())
				continue
			}
			truth, _, _ := a.m.Effect(j, v)
		levels:
			for _, n := range nums {
				for _, e := range a.candidates(j, n) {
					if math.Abs(e-truth) > 1e-9 {
						continue
					}
					// e names a level only if no other level has that effect.
					unique := true
					for _, c := range f.Categories {
						if c == v.Label() {
							continue
						}
						if oe, _, err := a.m.Effect(j, score.Cat(c)); err == nil && math.Abs(oe-truth) <= 1e-9 {
							unique = false
						}
					}
					if unique {
						got = append(got, f.Name+" from "+strconv.FormatFloat(n, 'g', -1, 64))
						break levels
					}
				}
			}
		}
	}
	return got
}

// perRow splits an output of one line (or one blank-line-separated block)
// per row.
func perRow(t *testing.T, out string, sep string, n int) []string {
	t.Helper()
	parts := strings.Split(strings.TrimSpace(out), sep)
	require.Len(t, parts, n, out)
	return parts
}

func requireNothingRecovered(t *testing.T, what string, m *score.Model, tab *score.Table, outs []string) {
	t.Helper()
	for i, out := range outs {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		got := attacker{m: m, rec: rec}.recovered(out)
		require.Empty(t, got, "%s, row %d recovers sensitive values:\n%s", what, i+1, out)
	}
}

// TestInversionAttackAttackerWorks checks the attacker itself: on the
// exact numbers (which candor never prints) it recovers every sensitive
// value, so its failure on the outputs below means something.
func TestInversionAttackAttackerWorks(t *testing.T) {
	_, _, _, m, tab := sensitiveFixture(t)
	for i := 0; i < tab.Len(); i++ {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		res, err := m.Score(rec)
		require.NoError(t, err)
		e0, _, _ := m.Effect(0, rec[0])
		exact := strconv.FormatFloat(float64(res.Probability), 'g', -1, 64) + " " + strconv.FormatFloat(e0-m.Term(0).Baseline, 'g', -1, 64)
		got := attacker{m: m, rec: rec}.recovered(exact)
		require.Len(t, got, 2, "row %d: %v", i+1, got) // income from either number, marital from the probability
	}
}

func TestInversionAttackExplain(t *testing.T) {
	_, model, data, m, tab := sensitiveFixture(t)
	code, out, errOut := runCLI(t, "explain", "--model", model, "--data", data)
	require.Equal(t, 0, code, errOut)
	requireNothingRecovered(t, "explain text", m, tab, perRow(t, out, "\n\n", 3))

	code, out, errOut = runCLI(t, "explain", "--model", model, "--data", data, "--format", "json", "--reasons", "-1")
	require.Equal(t, 0, code, errOut)
	requireNothingRecovered(t, "explain JSON", m, tab, perRow(t, out, "\n", 3))

	for _, b := range []string{"best", "population"} {
		code, out, errOut = runCLI(t, "explain", "--model", model, "--data", data, "--format", "json", "--baseline", b)
		require.Equal(t, 0, code, errOut)
		requireNothingRecovered(t, "explain JSON --baseline "+b, m, tab, perRow(t, out, "\n", 3))
	}
}

func TestInversionAttackScore(t *testing.T) {
	dir, model, data, m, tab := sensitiveFixture(t)
	code, out, errOut := runCLI(t, "score", "--model", model, "--data", data, "--reasons", "-1")
	require.Equal(t, 0, code, errOut)
	requireNothingRecovered(t, "score --reasons", m, tab, perRow(t, out, "\n", 3))

	code, out, errOut = runCLI(t, "score", "--model", model, "--data", data)
	require.Equal(t, 0, code, errOut)
	requireNothingRecovered(t, "score", m, tab, perRow(t, out, "\n", 3))

	log := filepath.Join(dir, "decisions.jsonl")
	writer, _ := logKeys(t, filepath.Join(dir, "keys"))
	code, out, errOut = runCLI(t, append([]string{"score", "--model", model, "--data", data, "--reasons", "-1",
		"--decisions", log, "--time", "2026-01-15T09:00:00Z", "--ref-column", "case"}, writer...)...)
	require.Equal(t, 0, code, errOut)
	requireNothingRecovered(t, "score --decisions stdout", m, tab, perRow(t, out, "\n", 3))
	b, err := os.ReadFile(log)
	require.NoError(t, err)
	// The log's records, without its header line and signed checkpoints.
	var records []string
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if i > 0 && !strings.HasPrefix(line, `{"checkpoint"`) {
			records = append(records, line)
		}
	}
	require.Len(t, records, 3, string(b))
	requireNothingRecovered(t, "decision log", m, tab, records)
}

func TestInversionAttackRecourse(t *testing.T) {
	dir, model, data, m, tab := sensitiveFixture(t)
	actions := filepath.Join(dir, "actions.json")
	require.NoError(t, os.WriteFile(actions, []byte(`{"features": {"income": {"direction": "increase", "max": 1000000, "grid": [20000, 50000, 100000, 250000, 500000, 900000]},
	  "duration": {"direction": "decrease"}, "marital": {"immutable": true}}}`), 0o644))
	// --allow-unsupported: the synthetic income's training cells need not
	// support every move; what is tested here is how a move is shown.
	code, out, errOut := runCLI(t, "recourse", "--model", model, "--data", data, "--actions", actions,
		"--k", "3", "--lang", "en", "--target-probability", "0.45", "--allow-unsupported")
	require.Equal(t, 0, code, errOut)
	lines := perRow(t, out, "\n", 3)
	requireNothingRecovered(t, "recourse", m, tab, lines)
	// A change of income is given as a move to a band's edge ("at least
	// 750250", "less than 250750"), never as one amount.
	sawIncome := false
	for _, l := range lines {
		for _, ch := range jsonLines[recourseLine](t, l)[0].Counterfactuals {
			for _, c := range ch.Changes {
				if c.Feature == "income" {
					require.Equal(t, "withheld", c.From, l)
					require.Regexp(t, `^(at least|less than) [0-9.e+]+$`, c.To, l)
					sawIncome = true
				}
			}
		}
	}
	require.True(t, sawIncome, "some counterfactual changes income:\n%s", out)
}

// TestRefColumnSensitiveRefused: --ref-column on a sensitive column would
// write its raw values into the decision log.
func TestRefColumnSensitiveRefused(t *testing.T) {
	dir, model, data, _, _ := sensitiveFixture(t)
	log := filepath.Join(dir, "decisions.jsonl")
	key := filepath.Join(dir, "digest.key")
	require.NoError(t, os.WriteFile(key, []byte(strings.Repeat("ab", 32)+"\n"), 0o600))
	code, _, errOut := runCLI(t, "score", "--model", model, "--data", data, "--decisions", log, "--digest-key", key, "--ref-column", "income")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, `--ref-column: column "income" is a sensitive feature`)
	_, err := os.Stat(log)
	require.True(t, os.IsNotExist(err), "no log is written")
}

// TestInversionAttackGlobal: feature importance over one row is that row's
// contributions.
func TestInversionAttackGlobal(t *testing.T) {
	_, model, data, m, tab := sensitiveFixture(t)
	for i := 1; i <= 3; i++ {
		code, out, errOut := runCLI(t, "explain", "--model", model, "--data", data, "--global", "--rows", strconv.Itoa(i), "--format", "json")
		require.Equal(t, 0, code, errOut)
		rec, err := tab.Record(m.Schema(), i-1)
		require.NoError(t, err)
		// The shapes are the model's own (the attacker has them); the
		// importances must give nothing back.
		imp := out[:strings.Index(out, `"shapes"`)]
		require.Empty(t, attacker{m: m, rec: rec}.recovered(imp), "explain --global --rows %d:\n%s", i, imp)
	}
}

// TestCutoffBaselineNeedsReferenceCustomers: a cutoff baseline over one
// reference customer holds that customer's exact effects, so with
// sensitive features it needs minSensitiveReference of them.
func TestCutoffBaselineNeedsReferenceCustomers(t *testing.T) {
	_, model, data, _, _ := sensitiveFixture(t)
	code, _, errOut := runCLI(t, "explain", "--model", model, "--data", data, "--baseline", "cutoff", "--reference-size", "1")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "--reference-size 1 is below 10, and the model has sensitive features")
}

// TestInversionAttackOnTheSide: the published score is kept on the exact
// score's side of the cutoff (explain.Explainer.PublishSide), which is all
// the move tells. The model's cutoff is put at 0.8125 (log-odds 1.4663),
// between customer 1's exact log-odds, -0.4 - 0.0000021*13579.25 + 0.1293
// + 0.041*36 + 0.44 = 1.6168 (p 0.8343, adverse), and its published one,
// income at its band's midpoint 125875 and widowed in the group {married,
// widowed} at 0.06465: 1.3163 (p 0.7886). So it is shown at the cutoff.
// Customer 2 (income 50000) has the same band and side: every number
// written about the two is the same. Customer 3 (income 200000, exact
// 1.2253, favourable) has the same band on the other side: it reads
// 0.7886, the band's own score. The attacker learns the band and the side
// of the cutoff, nothing more, and `check` counts the adverse customers
// that `score` shows at or above the cutoff.
func TestInversionAttackOnTheSide(t *testing.T) {
	dir := t.TempDir()
	spec := sensitiveSpec()
	spec.Cutoff = 0.8125
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	model := filepath.Join(dir, "model.json")
	require.NoError(t, m.SaveFile(model))
	data := filepath.Join(dir, "data.csv")
	require.NoError(t, os.WriteFile(data, []byte("income,marital,duration,housing\n13579.25,mar_widowed,36,rent\n50000,mar_widowed,36,rent\n200000,mar_widowed,36,rent\n"), 0o644))
	tab, err := readTable(data, "")
	require.NoError(t, err)
	banded := 1 / (1 + math.Exp(-(-0.4 - 0.0000021*125875 + (0.0+0.1293)/2 + 0.041*36 + 0.44)))

	code, out, errOut := runCLI(t, "score", "--model", model, "--data", data, "--reasons", "-1")
	require.Equal(t, 0, code, errOut)
	rows := perRow(t, out, "\n", 3)
	requireNothingRecovered(t, "score --reasons", m, tab, rows)
	lines := jsonLines[scoreLine](t, out)
	require.InDelta(t, 0.8125, *lines[0].Probability, 1e-12, "shown at the cutoff: %s", rows[0])
	require.GreaterOrEqual(t, *lines[0].Probability, 0.8125)
	require.Equal(t, strings.TrimPrefix(rows[0], `{"row":1`), strings.TrimPrefix(rows[1], `{"row":2`), "same band, same side: the same numbers")
	require.InDelta(t, banded, *lines[2].Probability, 1e-12, "favourable: the band's own score")

	code, out, errOut = runCLI(t, "check", "--model", model, "--data", data)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "3 rows, 2 adverse (event probability >= 0.81)")

	log := filepath.Join(dir, "decisions.jsonl")
	writer, _ := logKeys(t, filepath.Join(dir, "keys"))
	code, out, errOut = runCLI(t, append([]string{"score", "--model", model, "--data", data, "--reasons", "-1",
		"--decisions", log, "--time", "2026-01-15T09:00:00Z"}, writer...)...)
	require.Equal(t, 0, code, errOut)
	requireNothingRecovered(t, "score --decisions", m, tab, perRow(t, out, "\n", 3))
	for i, l := range jsonLines[scoreLine](t, out) {
		require.Equal(t, *l.Probability >= 0.8125, l.Decision.Outcome == "decline", "row %d: %v, %s", i+1, *l.Probability, l.Decision.Outcome)
	}

	actions := filepath.Join(dir, "actions.json")
	require.NoError(t, os.WriteFile(actions, []byte(`{"features": {"duration": {"direction": "decrease", "grid": [6, 12, 24]}}}`), 0o644))
	code, out, errOut = runCLI(t, "recourse", "--model", model, "--data", data, "--actions", actions, "--allow-unsupported")
	require.Equal(t, 0, code, errOut)
	requireNothingRecovered(t, "recourse", m, tab, perRow(t, out, "\n", 3))
	for i, l := range jsonLines[recourseLine](t, out) {
		require.Equal(t, *l.Probability < 0.8125, l.Already, "row %d: shown %v beside already=%v", i+1, *l.Probability, l.Already)
	}
}
