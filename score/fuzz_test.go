package score_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/candorscore/candor/score"
)

// FuzzLoad: no input makes the loader panic; whatever loads re-saves and
// re-loads to the same fingerprint.
func FuzzLoad(f *testing.F) {
	m, err := score.NewModel(tinySpec())
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	pm, err := score.NewModel(pairSpec())
	if err != nil {
		f.Fatal(err)
	}
	var pbuf bytes.Buffer
	if err := pm.Save(&pbuf); err != nil {
		f.Fatal(err)
	}
	f.Add(pbuf.Bytes())
	two := 2
	dspec := score.Spec{Name: "derived", Kind: score.LogisticModel, Features: []score.Feature{
		{Name: "income"}, {Name: "loan"}, {Name: "share", Derived: &score.Derivation{Formula: "loan / income", Decimals: &two}}},
		Terms: []score.Term{{Feature: "share", Kind: score.LinearTerm, Coef: 2}}}
	dm, err := score.NewModel(dspec)
	if err != nil {
		f.Fatal(err)
	}
	var dbuf bytes.Buffer
	if err := dm.Save(&dbuf); err != nil {
		f.Fatal(err)
	}
	f.Add(dbuf.Bytes())
	f.Add([]byte(`{"format":"candor-model","format_version":1}`))
	f.Add([]byte(`{"format":"candor-model","format_version":1,"kind":"scorecard","features":[{"name":"a"}],"terms":[{"feature":"a","kind":"binned","bins":[{"kind":"range"}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := score.Load(bytes.NewReader(b))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := m.Save(&out); err != nil {
			t.Fatal(err)
		}
		m2, err := score.Load(&out)
		if err != nil {
			t.Fatalf("re-load of a saved model failed: %v", err)
		}
		if m2.Fingerprint() != m.Fingerprint() {
			t.Fatal("fingerprint changed over a round trip")
		}
	})
}

// FuzzReadCSV: no input makes the CSV reader, schema inference or record
// building panic.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("a,b\n1,x\n"), byte(','))
	f.Add([]byte("a;b\n1;\n\"q\";2\n"), byte(';'))
	f.Add([]byte("\x1f\x8b garbage"), byte(','))
	f.Fuzz(func(t *testing.T, b []byte, delim byte) {
		opts := &score.CSVOptions{}
		if delim != '"' && delim != '\r' && delim != '\n' && delim < 0x80 && delim != 0 {
			opts.Delimiter = rune(delim)
		}
		tab, err := score.ReadCSV(bytes.NewReader(b), opts)
		if err != nil {
			return
		}
		s := tab.InferSchema()
		for i := 0; i < tab.Len(); i++ {
			_, _ = tab.Record(s, i)
		}
	})
}

// FuzzScore: arbitrary floats and labels never panic; finite numbers and
// known labels always score, and the terms add up to the score.
func FuzzScore(f *testing.F) {
	m, err := score.NewModel(tinySpec())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(1.0, "own", true)
	f.Add(math.NaN(), "castle", false)
	f.Add(math.Inf(-1), "", true)
	f.Fuzz(func(t *testing.T, x float64, label string, present bool) {
		rec := score.Record{score.Num(x), score.Cat(label), score.Missing(), score.Cat(label)}
		if !present {
			rec[0] = score.Missing()
		}
		terms := make([]float64, m.NumTerms())
		res, err := m.ScoreTerms(rec, terms)
		known := label == "own" || label == "rent"
		ok := present && !math.IsNaN(x) && !math.IsInf(x, 0) && known
		if ok != (err == nil) {
			t.Fatalf("x=%v label=%q present=%v: err=%v", x, label, present, err)
		}
		if err == nil && !math.IsInf(res.Score, 0) {
			if sum := m.Intercept() + terms[0] + terms[1]; sum != res.Score {
				t.Fatalf("terms add to %v, score %v", sum, res.Score)
			}
		}
	})
}
