package datasets_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// Every features file applies to its data set (no unknown column, no bad
// code), and German credit's catalogue speaks German for every feature,
// unit and category label of the data.
func TestFeaturesFiles(t *testing.T) {
	for _, name := range []string{datasets.GermanCredit, datasets.TelcoChurn, datasets.BankMarketing} {
		_, s, err := datasets.LoadSchema(name)
		require.NoError(t, err, name)
		d, err := datasets.Features(name)
		require.NoError(t, err, name)
		applied, err := d.Apply(s)
		require.NoError(t, err, name)
		for _, f := range applied.Features() {
			if f.Role == score.Input {
				require.NotEmpty(t, f.Label, "%s: %s has no label", name, f.Name)
			}
		}
	}
	b, err := datasets.Messages(datasets.GermanCredit)
	require.NoError(t, err)
	msgs, err := explain.ReadMessages(bytes.NewReader(b))
	require.NoError(t, err)
	cat, err := explain.DefaultCatalog().With(msgs...)
	require.NoError(t, err)
	have := map[string]bool{}
	for _, m := range msgs {
		if m.Lang == "de" {
			have[string(m.Kind)+":"+m.Key] = true
		}
	}
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit)
	require.NoError(t, err)
	d, err := datasets.Features(datasets.GermanCredit)
	require.NoError(t, err)
	s, err = d.Apply(s)
	require.NoError(t, err)
	for _, f := range s.Features() {
		if f.Name == "creditability" {
			continue
		}
		require.True(t, have["feature:"+f.Name], "no German name for %s", f.Name)
		if f.Unit != "" {
			require.True(t, have["unit:"+f.Name], "no German unit for %s", f.Name)
		}
		col := tab.Column(f.Name)
		for i := 0; i < tab.Len() && len(f.Categories) > 0; i++ {
			require.True(t, have["value:"+f.Name+"="+tab.Cell(i, col)], "no German words for %s=%s", f.Name, tab.Cell(i, col))
		}
		_ = cat
	}
}
