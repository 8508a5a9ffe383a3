package fit_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// TestProtectedLookalikes: the column names of public customer files that
// name a protected ground are found (German credit, Bank marketing, Telco,
// Adult, the card-default data, bank churn, BankChurners, a marketing
// campaign file), and names that only contain such letters or name the age
// of something else are not.
func TestProtectedLookalikes(t *testing.T) {
	want := map[string]string{ // feature -> ground
		"personal_status_and_sex": "sex", "age_in_years": "age", "foreign_worker": "national origin",
		"age": "age", "marital": "marital status", "gender": "sex", "SeniorCitizen": "age",
		"race": "race or ethnic origin", "native-country": "national origin", "marital-status": "marital status",
		"SEX": "sex", "MARRIAGE": "marital status", "AGE": "age", "Gender": "sex", "Customer_Age": "age",
		"Year_Birth": "age (date of birth)", "Marital_Status": "marital status", "DOB": "age (date of birth)",
		"age_of_customer": "age", "HasDisability": "disability", "skinColor": "race or ethnic origin",
		// GDPR Article 9's data concerning health: a travel-insurance file's
		// ChronicDiseases (testdata/trials/2026-12-05-trial21.md), an insurance
		// file's smoker and bmi, a clinic's diagnosis.
		"ChronicDiseases": "health", "smoker": "health (smoking)", "bmi": "health (body mass index)", "Diagnosis": "health",
		"has_illness": "health", "MedicalCondition": "health", "diabetic": "health",
	}
	quiet := []string{"Usage", "Vehicle_Age", "account_age", "AgeOfCar", "Mortgage", "MntWines", "color",
		"Partner", "health_plan", "UnionPay", "Dependents", "average_balance", "message_count", "Teenhome",
		"medical_plan", "chronic_late_payer", "smoke_detector"}
	var fs []score.Feature
	for name := range want {
		fs = append(fs, score.Feature{Name: name, Kind: score.Numeric, Role: score.Input})
	}
	for _, name := range quiet {
		fs = append(fs, score.Feature{Name: name, Kind: score.Numeric, Role: score.Input})
	}
	fs = append(fs, score.Feature{Name: "sex_declared", Kind: score.Numeric, Role: score.Protected})
	s, err := score.NewSchema(fs...)
	require.NoError(t, err)
	got := map[string]string{}
	for _, p := range fit.ProtectedLookalikes(s, nil) {
		got[p.Feature] = p.Basis
	}
	require.Equal(t, want, got)

	// A declared role, input or protected, is the user's word: no warning.
	input := score.Input
	d := &score.Declarations{Features: map[string]score.Declaration{"Marital_Status": {Role: &input}, "Year_Birth": {Label: "year of birth"}}}
	var names []string
	for _, p := range fit.ProtectedLookalikes(s, d) {
		names = append(names, p.Feature)
	}
	require.NotContains(t, names, "Marital_Status")
	require.Contains(t, names, "Year_Birth", "a label declares no role")
	require.Len(t, names, len(want)-1)

	w := fit.ProtectedLookalike{Feature: "Marital_Status", Word: "marital", Basis: "marital status"}
	require.Equal(t, `Marital_Status: its name reads as marital status ("marital"), a ground protected by anti-discrimination or data protection law, `+
		`and the model scores customers by it; if it is one, declare it protected (--protected Marital_Status, or {"role": "protected"}: `+
		`audits only, never an input); to keep it as an input, declare {"role": "input"} in the features file`, w.String())
}

// TestProtectedLookalikeWordOnce: a word that is the ground's own name is
// not repeated.
func TestProtectedLookalikeWordOnce(t *testing.T) {
	w := fit.ProtectedLookalike{Feature: "age", Word: "age", Basis: "age"}
	require.True(t, strings.HasPrefix(w.String(), "age: its name reads as age, a ground protected"), w.String())
}
