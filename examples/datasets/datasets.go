// Package datasets holds the public data sets candor's demo, examples and
// tests run on, gzip-compressed and embedded, so a fresh clone needs nothing
// else, and two small hand-built sample models whose every number can be
// checked by hand. Attribution and licences are in README.md beside the
// files; models/README.md explains the sample models' numbers.
package datasets

import (
	"bytes"
	"embed"
	"fmt"

	"github.com/candorscore/candor/score"
)

//go:embed *.csv.gz models/*.json features/*.json
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

// Features returns the features file of a data set (features/NAME.json,
// score.Declarations): readable labels and units for every column, and the
// honest actions a customer may take (the German applicant may borrow less
// or for a shorter term, raise savings and checking balances, add a
// guarantor; the Telco customer may take a longer contract, an automatic
// payment or an added service; Bank marketing's declares the special code
// of pdays and a balance that may grow). Every other column is immutable.
func Features(name string) (*score.Declarations, error) {
	b, err := FeaturesFile(name)
	if err != nil {
		return nil, err
	}
	return score.ParseDeclarations(b)
}

// FeaturesFile returns the bytes of a data set's features file, to write
// out for `candor ... --features`.
func FeaturesFile(name string) ([]byte, error) {
	b, err := files.ReadFile("features/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("datasets: no features file for %q", name)
	}
	return b, nil
}

// Messages returns a data set's catalogue of customer words
// (features/NAME.messages.json, a JSON array of explain.Message): feature
// names, units and category labels per language, German throughout for
// German credit. Read it with explain.ReadMessages; nil when the data set
// has none.
func Messages(name string) ([]byte, error) {
	b, err := files.ReadFile("features/" + name + ".messages.json")
	if err != nil {
		return nil, nil
	}
	return b, nil
}

// Names of the embedded sample models (models/*.json, candor model files).
const (
	// ConsentSample is a logistic model with a sensitive feature, a feature
	// that needs consent and a protected attribute: log-odds = 1 -
	// 0.5*income + region effect + 0.3*phone_usage; records are (income,
	// region, phone_usage, age_band).
	ConsentSample = "consent_sample"
	// ScorecardSample is a one-feature scorecard: points = 500 + tenure bin
	// points.
	ScorecardSample = "scorecard_sample"
)

// Model loads an embedded sample model.
func Model(name string) (*score.Model, error) {
	b, err := files.ReadFile("models/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("datasets: no sample model %q", name)
	}
	return score.Load(bytes.NewReader(b))
}

// MustModel is Model for examples and tests that name a model with one of
// the constants above; it panics on error.
func MustModel(name string) *score.Model {
	m, err := Model(name)
	if err != nil {
		panic(err)
	}
	return m
}
