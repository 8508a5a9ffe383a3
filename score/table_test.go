package score_test

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

func TestReadCSVInfer(t *testing.T) {
	csv := "age,city,income,target\n30,Berlin,1.5,yes\n, Paris ,,no\n41,\"Rome, IT\",2e3,yes\n"
	tab, err := score.ReadCSV(strings.NewReader(csv), nil)
	require.NoError(t, err)
	require.Equal(t, 3, tab.Len())
	require.Equal(t, []string{"age", "city", "income", "target"}, tab.Header())
	s := tab.InferSchema()
	f, _ := s.Lookup("age")
	require.Equal(t, score.Numeric, f.Kind)
	f, _ = s.Lookup("city")
	require.Equal(t, score.Categorical, f.Kind)
	require.Equal(t, []string{"Berlin", "Paris", "Rome, IT"}, f.Categories) // trimmed, sorted
	f, _ = s.Lookup("income")
	require.Equal(t, score.Numeric, f.Kind) // "2e3" parses; blank is missing
	rec, err := tab.Record(s, 1)
	require.NoError(t, err)
	require.True(t, rec[0].IsMissing())
	require.Equal(t, "Paris", rec[1].Label())
	rec, err = tab.Record(s, 2)
	require.NoError(t, err)
	require.Equal(t, 2000.0, rec[2].Float())
}

func TestReadCSVGzipAndDelimiter(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write([]byte("a;b\n1;x\n2;y\n"))
	require.NoError(t, zw.Close())
	tab, err := score.ReadCSV(&b, &score.CSVOptions{Delimiter: ';'})
	require.NoError(t, err)
	require.Equal(t, 2, tab.Len())
	require.Equal(t, "y", tab.Cell(1, 1))
}

func TestReadCSVBadRowKeepsOthers(t *testing.T) {
	tab, err := score.ReadCSV(strings.NewReader("a,b\n1,x\n2\n3,z\n"), nil)
	require.NoError(t, err)
	require.Equal(t, 3, tab.Len())
	s := tab.InferSchema()
	_, err = tab.Record(s, 1)
	require.ErrorIs(t, err, score.ErrMalformed)
	require.Contains(t, err.Error(), "row 2")
	rec, err := tab.Record(s, 2)
	require.NoError(t, err)
	require.Equal(t, "z", rec[1].Label())
}

func TestReadCSVRefusals(t *testing.T) {
	for name, in := range map[string]string{
		"empty":          "",
		"duplicate name": "a,a\n1,2\n",
		"blank name":     "a,\n1,2\n",
	} {
		_, err := score.ReadCSV(strings.NewReader(in), nil)
		require.ErrorIs(t, err, score.ErrMalformed, name)
	}
}

func TestRecordFromMap(t *testing.T) {
	s := score.MustSchema(
		score.Feature{Name: "age", Kind: score.Numeric},
		score.Feature{Name: "city", Kind: score.Categorical},
		score.Feature{Name: "pin", Kind: score.Numeric, Sensitive: true},
	)
	rec, err := s.RecordFromMap(map[string]any{"age": 30.0, "city": "Oslo"})
	require.NoError(t, err)
	require.Equal(t, 30.0, rec[0].Float())
	require.True(t, rec[2].IsMissing())
	// All problems at once, sorted, sensitive values left out of the text.
	_, err = s.RecordFromMap(map[string]any{"age": "old", "zzz": 1, "aaa": 2, "pin": "1234x"})
	var re *score.RecordError
	require.ErrorAs(t, err, &re)
	require.Len(t, re.Fields, 4)
	require.Equal(t, "aaa", re.Fields[0].Feature)
	require.Equal(t, "zzz", re.Fields[1].Feature)
	require.ErrorIs(t, err, score.ErrUnknownFeature)
	require.ErrorIs(t, err, score.ErrWrongKind)
	require.NotContains(t, err.Error(), "1234x")
	require.Contains(t, err.Error(), `"old"`)
}

func TestSchemaRefusals(t *testing.T) {
	_, err := score.NewSchema(score.Feature{Name: "a"}, score.Feature{Name: "a"})
	require.ErrorIs(t, err, score.ErrSchema)
	_, err = score.NewSchema(score.Feature{})
	require.ErrorIs(t, err, score.ErrSchema)
	s := score.MustSchema(score.Feature{Name: "a"})
	_, err = s.WithRoles(score.Protected, "b")
	require.ErrorIs(t, err, score.ErrUnknownFeature)
}

type customer struct {
	Age     float64
	Housing string
	Income  *float64
}

func TestBinding(t *testing.T) {
	s := score.MustSchema(
		score.Feature{Name: "age", Kind: score.Numeric},
		score.Feature{Name: "housing", Kind: score.Categorical},
		score.Feature{Name: "income", Kind: score.Numeric},
		score.Feature{Name: "unbound", Kind: score.Numeric},
	)
	b, err := score.Bind(s,
		score.NumField("age", func(c *customer) float64 { return c.Age }),
		score.CatField("housing", func(c *customer) string { return c.Housing }),
		score.OptNumField("income", func(c *customer) (float64, bool) {
			if c.Income == nil {
				return 0, false
			}
			return *c.Income, true
		}),
	)
	require.NoError(t, err)
	buf := make(score.Record, 0, s.Len())
	c := customer{Age: 40, Housing: "own"}
	rec := b.Record(buf, &c)
	require.Equal(t, 40.0, rec[0].Float())
	require.Equal(t, "own", rec[1].Label())
	require.True(t, rec[2].IsMissing())
	require.True(t, rec[3].IsMissing())
	allocs := testing.AllocsPerRun(100, func() { rec = b.Record(rec, &c) })
	require.Zero(t, allocs)

	_, err = score.Bind(s, score.NumField("housing", func(c *customer) float64 { return 0 }))
	require.ErrorIs(t, err, score.ErrWrongKind)
	_, err = score.Bind(s, score.NumField("nope", func(c *customer) float64 { return 0 }))
	require.ErrorIs(t, err, score.ErrUnknownFeature)
	_, err = score.Bind(s, score.NumField("age", func(c *customer) float64 { return 0 }), score.NumField("age", func(c *customer) float64 { return 1 }))
	require.ErrorIs(t, err, score.ErrSchema)
}
