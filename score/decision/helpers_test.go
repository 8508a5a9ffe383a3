package decision_test

import (
	"bytes"
	"crypto/ed25519"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

func f64(x float64) *float64 { return &x }

// cust builds a record of the consent sample's schema, in age band "30-39".
func cust(income float64, region string, phone float64) score.Record {
	return score.Record{score.Num(income), score.Cat(region), score.Num(phone), score.Cat("30-39")}
}

// testSigner is the test writer's ed25519 key (fixed, so that logs are
// reproducible), testPub its public key.
var (
	testSigner = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{42}, ed25519.SeedSize))
	testPub    = testSigner.Public().(ed25519.PublicKey)
	otherPub   = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{43}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
)

// testOpts are the options of a test log writer; log ids come from a fixed
// source.
func testOpts() decision.LogOptions {
	return decision.LogOptions{SigningKey: testSigner, DigestKey: testKey, Random: bytes.NewReader(bytes.Repeat([]byte{7}, 16))}
}

// testVerify checks a log against the test writer's key.
var testVerify = decision.VerifyOptions{PublicKey: testPub}

// testModelPolicy is the consent sample model with a plain credit policy.
func testModelPolicy() (*score.Model, *decision.Policy) {
	return datasets.MustModel(datasets.ConsentSample), &decision.Policy{Version: "p1", Purpose: "credit"}
}
