// Package handmodels holds the hand-built models from which the tests of
// score and score/decision compute their expected numbers by hand. The
// models are the JSON model files beside this file; README.md there
// explains their numbers.
package handmodels

import (
	"bytes"
	"embed"
	"fmt"

	"github.com/candorscore/candor/score"
)

//go:embed *.json
var files embed.FS

// Consent is the logistic model of consent_model.json:
// log-odds = 1 - 0.5*income + region effect + 0.3*phone_usage.
func Consent() *score.Model { return load("consent_model.json") }

// Scorecard is the scorecard of scorecard_model.json: points = 500 + tenure
// bin points.
func Scorecard() *score.Model { return load("scorecard_model.json") }

// Cust builds a record of Consent's schema, in age band "30-39".
func Cust(income float64, region string, phone float64) score.Record {
	return score.Record{score.Num(income), score.Cat(region), score.Num(phone), score.Cat("30-39")}
}

// load loads an embedded model file. It panics on error, so that examples
// (which have no testing.TB) can use the models too; TestLoad checks that
// every file loads.
func load(name string) *score.Model {
	b, err := files.ReadFile(name)
	if err == nil {
		var m *score.Model
		if m, err = score.Load(bytes.NewReader(b)); err == nil {
			return m
		}
	}
	panic(fmt.Sprintf("handmodels: %s: %v", name, err))
}
