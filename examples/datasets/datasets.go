// Package datasets holds the public data sets candor's demo, examples and
// tests run on, gzip-compressed and embedded, so a fresh clone needs nothing
// else. Attribution and licences are in README.md beside the files.
package datasets

import (
	"bytes"
	"embed"
	"fmt"

	"github.com/candorscore/candor/score"
)

//go:embed *.csv.gz
var files embed.FS

// Names of the embedded data sets.
const (
	GermanCredit  = "german_credit"  // UCI Statlog German Credit, 1000 rows; target creditability, event "bad"
	TelcoChurn    = "telco_churn"    // IBM Telco customer churn, 7043 rows; target Churn, event "Yes"
	BankMarketing = "bank_marketing" // UCI Bank Marketing (bank-full), 45211 rows; target y, event "yes"
	Adult         = "adult"          // UCI Adult, 48842 rows; target income, favourable ">50K"
)

// targets maps each data set to its target column.
var targets = map[string]string{
	GermanCredit:  "creditability",
	TelcoChurn:    "Churn",
	BankMarketing: "y",
	Adult:         "income",
}

// Raw returns the gzip-compressed CSV bytes of a data set.
func Raw(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".csv.gz")
	if err != nil {
		return nil, fmt.Errorf("datasets: no data set %q", name)
	}
	return b, nil
}

// Load reads a data set into a table.
func Load(name string) (*score.Table, error) {
	b, err := Raw(name)
	if err != nil {
		return nil, err
	}
	return score.ReadCSV(bytes.NewReader(b), nil)
}

// LoadSchema loads a data set and infers its schema (score.Table.InferSchema),
// with the data set's target column (see the constants) marked
// score.Ignored and the named columns marked score.Protected. Every other
// column is an input; drop identifiers and leaky columns with WithRoles.
func LoadSchema(name string, protected ...string) (*score.Table, *score.Schema, error) {
	tab, err := Load(name)
	if err != nil {
		return nil, nil, err
	}
	s, err := tab.InferSchema().WithRoles(score.Ignored, targets[name])
	if err != nil {
		return nil, nil, err
	}
	if s, err = s.WithRoles(score.Protected, protected...); err != nil {
		return nil, nil, err
	}
	return tab, s, nil
}
