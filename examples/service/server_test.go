package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
	"github.com/candorscore/candor/score/signing"
)

var (
	modelOnce sync.Once
	testModel *score.Model
	modelErr  error
)

func sharedModel(t *testing.T) *score.Model {
	t.Helper()
	modelOnce.Do(func() { testModel, modelErr = demoModel() })
	require.NoError(t, modelErr)
	return testModel
}

// testToken is the review token of the test services.
const testToken = "review-token-for-tests-0123456789"

var fixedNow = func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }

// testLogWriter signs the test service's decision log.
var testLogWriter = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))

type testService struct {
	*httptest.Server
	srv     *server
	logPath string
	log     *decision.Log
}

func newTestService(t *testing.T, pol *decision.Policy) *testService {
	t.Helper()
	m := sharedModel(t)
	if pol == nil {
		pol = &decision.Policy{Version: "service-1", Purpose: "credit", ReviewBand: 0.05}
	}
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	l, err := decision.OpenLog(path, decision.LogOptions{SigningKey: testLogWriter, DigestKey: []byte("service-test-digest-key")})
	require.NoError(t, err)
	srv, err := newServer(m, pol, l, fixedNow)
	require.NoError(t, err)
	srv.reviewToken = testToken
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); l.Close() })
	return &testService{Server: ts, srv: srv, logPath: path, log: l}
}

// customer returns German credit row i as a request's customer object:
// numbers as JSON numbers, labels as strings.
func customer(t *testing.T, i int) map[string]any {
	t.Helper()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	out := map[string]any{}
	for j, name := range tab.Header() {
		cell := tab.Cell(i, j)
		if x, err := strconv.ParseFloat(cell, 64); err == nil {
			out[name] = x
		} else {
			out[name] = cell
		}
	}
	return out
}

func (s *testService) post(t *testing.T, path string, body any) (int, []byte) {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	default:
		var err error
		b, err = json.Marshal(v)
		require.NoError(t, err)
	}
	req, err := http.NewRequest(http.MethodPost, s.URL+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testToken) // only /review needs it
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	return resp.StatusCode, out
}

func (s *testService) verify(t *testing.T) ([]decision.LogEntry, decision.LogSummary) {
	t.Helper()
	fh, err := os.Open(s.logPath)
	require.NoError(t, err)
	defer fh.Close()
	es, sum, err := decision.ReadLog(fh, decision.VerifyOptions{PublicKey: testLogWriter.Public().(ed25519.PublicKey)})
	require.NoError(t, err)
	return es, sum
}

var allConsents = []score.Grant{{Purpose: "credit"}}

// published is the exact score s of rec as the service answers it: with
// credit_amount (sensitive) at the midpoint of its band, one of 4 equal
// widths of its training range (explain.SensitiveBands), computed here by
// hand from the model.
func published(t *testing.T, m *score.Model, rec score.Record, s float64) float64 {
	t.Helper()
	j := m.TermOf("credit_amount")
	tm := m.Term(j)
	require.Equal(t, score.LinearTerm, tm.Kind)
	lo, hi := tm.Stats.Min, tm.Stats.Max
	x := rec[m.Schema().Index("credit_amount")].Float()
	w := (hi - lo) / 4
	k := math.Min(3, math.Max(0, math.Floor((x-lo)/w)))
	return s - tm.Coef*x + tm.Coef*(lo+(k+0.5)*w)
}

func TestScoreHappyPath(t *testing.T) {
	s := newTestService(t, nil)
	m := sharedModel(t)
	for i := range 5 {
		c := customer(t, i)
		code, body := s.post(t, "/score", map[string]any{"ref": fmt.Sprintf("app-%d", i+1), "customer": c, "consents": allConsents})
		require.Equal(t, http.StatusOK, code, string(body))
		var r scoreResponse
		require.NoError(t, json.Unmarshal(body, &r))
		require.Equal(t, int64(i+1), r.Decision)
		rec, err := m.Schema().RecordFromMap(c)
		require.NoError(t, err)
		want, err := m.Score(rec)
		require.NoError(t, err)
		require.InDelta(t, float64(m.Link(published(t, m, rec, want.Score)).Probability), r.Probability, 1e-12)
		require.Empty(t, r.Neutralised)
		require.Empty(t, r.ConsentNotice)
		if len(r.Referrals) == 0 {
			require.Equal(t, r.ModelOutcome, r.Outcome)
		} else {
			require.Equal(t, decision.Refer, r.Outcome)
		}
		wantOutcome := decision.Approve
		if r.Probability >= 0.5 {
			wantOutcome = decision.Decline
		}
		require.Equal(t, wantOutcome, r.ModelOutcome)
		require.LessOrEqual(t, len(r.Reasons), 4)
		for _, re := range r.Reasons {
			require.NotEmpty(t, re.Text)
			require.Positive(t, re.Effect, "reasons count against the customer: they add log-odds of default")
		}
		require.Equal(t, m.Fingerprint(), r.Fingerprint)
	}
	es, sum := s.verify(t)
	require.Equal(t, 5, sum.Decisions)
	require.Equal(t, "app-3", es[2].Decision.Ref)
	require.Equal(t, fixedNow(), es[2].Time)
	rec, err := m.Schema().RecordFromMap(customer(t, 2))
	require.NoError(t, err)
	dg, err := decision.InputDigest([]byte("service-test-digest-key"), m.Schema(), rec)
	require.NoError(t, err)
	require.Equal(t, dg, es[2].Decision.InputDigest)

	// A reviewer overrides decision 2.
	code, body := s.post(t, "/review", map[string]any{"decision": 2, "reviewer": "analyst-3", "outcome": "approve", "note": "documents checked"})
	require.Equal(t, http.StatusOK, code, string(body))
	require.JSONEq(t, `{"review":6,"decision":2}`, string(body))
	es, sum = s.verify(t)
	require.Equal(t, 1, sum.Reviews)
	rep := decision.Overrides(es, nil)
	require.Equal(t, 1, rep.Overall.Reviewed)
}

func TestConsentAndExplain(t *testing.T) {
	s := newTestService(t, nil)
	m := sharedModel(t)
	c := customer(t, 0)
	// No consent for contact data: telephone is neutralised.
	code, body := s.post(t, "/score", map[string]any{"customer": c, "consents": []score.Grant{{Purpose: "credit", Category: "financial"}}})
	require.Equal(t, http.StatusOK, code, string(body))
	var r scoreResponse
	require.NoError(t, json.Unmarshal(body, &r))
	require.Equal(t, []string{"telephone"}, r.Neutralised)
	require.Contains(t, r.ConsentNotice, "We did not use your telephone registration")
	rec, err := m.Schema().RecordFromMap(c)
	require.NoError(t, err)
	want, err := m.ScoreWithConsent(rec, nil, "credit", nil)
	require.NoError(t, err)
	want.Result = m.Link(published(t, m, rec, want.Score))
	require.InDelta(t, float64(want.Probability), r.Probability, 1e-12)
	require.InDelta(t, want.Score, r.Score, 1e-12)
	require.NotEmpty(t, r.Reasons)
	for _, re := range r.Reasons {
		require.NotEqual(t, "telephone", re.Feature)
	}
	// The logged reasons are the answered ones, exactly.
	es, _ := s.verify(t)
	require.Len(t, es[0].Decision.Reasons, len(r.Reasons))
	for i, re := range r.Reasons {
		require.Equal(t, decision.LoggedReason{Code: re.Code, Feature: re.Feature, Effect: re.Effect}, es[0].Decision.Reasons[i])
	}
	require.Equal(t, []string{"telephone"}, es[0].Decision.Neutralised)

	code, body = s.post(t, "/explain", map[string]any{"customer": c})
	require.Equal(t, http.StatusOK, code, string(body))
	var e explainResponse
	require.NoError(t, json.Unmarshal(body, &e))
	require.InDelta(t, want.Score, e.Score, 1e-9)
	sum := e.Baseline
	found := false
	for _, ct := range e.Contributions {
		sum += ct.Contribution
		if ct.Feature == "telephone" {
			found = true
			require.False(t, ct.Used)
			require.Equal(t, "not used", ct.Value)
			require.Zero(t, ct.Contribution)
		}
		if ct.Feature == "credit_amount" {
			f, _ := m.Schema().Lookup("credit_amount")
			require.Equal(t, s.srv.catalog.ValueText("en", f, score.Num(1)), ct.Value) // the catalogue's "withheld" word
			require.NotContains(t, ct.Value, fmt.Sprint(c["credit_amount"]))
		}
	}
	require.True(t, found)
	require.InDelta(t, e.Score, sum, 1e-12, "baseline + contributions = score")
	// /explain gives the same reasons as the decision, each its feature's
	// contribution (every term of the demo model has its own code).
	require.Len(t, e.Reasons, len(r.Reasons))
	for i, re := range e.Reasons {
		require.Equal(t, r.Reasons[i], re)
		for _, ct := range e.Contributions {
			if ct.Feature == re.Feature {
				require.InDelta(t, ct.Contribution, re.Effect, 1e-12)
			}
		}
	}
	// Explaining logs nothing.
	_, s2 := s.verify(t)
	require.Equal(t, 1, s2.Records)
	// German text.
	code, body = s.post(t, "/explain", map[string]any{"customer": c, "consents": allConsents, "lang": "de"})
	require.Equal(t, http.StatusOK, code, string(body))
}

func TestSensitiveValueStaysOut(t *testing.T) {
	s := newTestService(t, nil)
	c := customer(t, 1)
	c["credit_amount"] = 98765.4321 // sensitive, and outside the training range
	for _, path := range []string{"/score", "/explain"} {
		code, body := s.post(t, path, map[string]any{"customer": c, "consents": allConsents})
		require.Equal(t, http.StatusOK, code, string(body))
		require.NotContains(t, string(body), "98765")
	}
	c["credit_amount"] = "lots-98765"
	code, body := s.post(t, "/score", map[string]any{"customer": c, "consents": allConsents})
	require.Equal(t, http.StatusBadRequest, code)
	require.NotContains(t, string(body), "98765")
	require.Contains(t, string(body), `"field":"customer.credit_amount"`)
	b, err := os.ReadFile(s.logPath)
	require.NoError(t, err)
	require.NotContains(t, string(b), "98765")
	es, _ := s.verify(t)
	require.Equal(t, decision.Refer, es[0].Decision.Outcome)
	require.Equal(t, decision.ReferOutOfRange, es[0].Decision.Referrals[0].Code)
	require.Equal(t, "credit_amount", es[0].Decision.Referrals[0].Feature)
}

func TestBadRequests(t *testing.T) {
	s := newTestService(t, nil)
	good := customer(t, 0)
	with := func(k string, v any) map[string]any {
		c := map[string]any{}
		for kk, vv := range good {
			c[kk] = vv
		}
		c[k] = v
		return c
	}
	big := `{"customer":{"x":"` + strings.Repeat("a", maxBody) + `"}}`
	cases := []struct {
		name   string
		path   string
		body   any
		status int
		field  string
		text   string
	}{
		{"not JSON", "/score", "{", 400, "", "not valid JSON"},
		{"trailing data", "/score", `{"customer":{}} {}`, 400, "", "after the JSON object"},
		{"unknown request field", "/score", `{"custmer":{}}`, 400, "custmer", "unknown field"},
		{"no customer", "/score", `{"consents":[]}`, 400, "customer", "required"},
		{"customer not an object", "/score", `{"customer":[1,2]}`, 400, "customer", "must be"},
		{"unknown feature", "/score", map[string]any{"customer": with("incme", 1)}, 400, "customer.incme", "unknown feature"},
		{"wrong kind", "/score", map[string]any{"customer": with("duration_in_month", "long")}, 400, "customer.duration_in_month", "wrong kind"},
		{"missing values", "/score", map[string]any{"customer": map[string]any{}}, 400, "customer.status_of_existing_checking_account", "missing"},
		{"unknown category", "/score", map[string]any{"customer": with("housing", "castle")}, 400, "customer.housing", "unknown category"},
		{"unknown language", "/score", map[string]any{"customer": good, "lang": "fr"}, 400, "lang", "not available"},
		{"consent without purpose", "/score", map[string]any{"customer": good, "consents": []map[string]string{{"category": "contact"}}}, 400, "consents[0].purpose", "purpose"},
		{"consents not a list", "/score", map[string]any{"customer": good, "consents": "yes"}, 400, "consents", "must be"},
		{"explain: wrong kind", "/explain", map[string]any{"customer": with("duration_in_month", true)}, 400, "customer.duration_in_month", "wrong kind"},
		{"too large", "/score", big, 413, "", "larger than"},
		{"review: no decision", "/review", `{"reviewer":"a","outcome":"approve"}`, 400, "decision", "required"},
		{"review: no reviewer", "/review", `{"decision":1,"outcome":"approve"}`, 400, "reviewer", "required"},
		{"review: bad outcome", "/review", `{"decision":1,"reviewer":"a","outcome":"maybe"}`, 400, "outcome", "approve"},
		{"review: unknown decision", "/review", `{"decision":999,"reviewer":"a","outcome":"approve"}`, 404, "decision", "no decision 999"},
		{"review: decision not a number", "/review", `{"decision":"one","reviewer":"a","outcome":"approve"}`, 400, "decision", "must be"},
		{"no such endpoint", "/nope", `{}`, 404, "", "no such endpoint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := s.post(t, c.path, c.body)
			require.Equal(t, c.status, code, string(body))
			var e apiError
			require.NoError(t, json.Unmarshal(body, &e), string(body))
			require.Equal(t, c.field, e.Field, string(body))
			require.Contains(t, e.Error, c.text)
		})
	}
	// Wrong method and content type.
	resp, err := http.Get(s.URL + "/score")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	require.Equal(t, "POST", resp.Header.Get("Allow"))
	resp, err = http.Post(s.URL+"/score", "text/plain", strings.NewReader("{}"))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	// Nothing bad was logged.
	_, sum := s.verify(t)
	require.Zero(t, sum.Records)
}

func TestRefusingPolicy(t *testing.T) {
	s := newTestService(t, &decision.Policy{Version: "strict", Purpose: "credit", Consent: score.Refuse})
	c := customer(t, 0)
	for _, path := range []string{"/score", "/explain"} {
		code, body := s.post(t, path, map[string]any{"customer": c})
		require.Equal(t, http.StatusUnprocessableEntity, code, string(body))
		var e apiError
		require.NoError(t, json.Unmarshal(body, &e))
		require.Equal(t, "consents", e.Field)
		require.Contains(t, e.Error, "telephone")
	}
	code, body := s.post(t, "/score", map[string]any{"customer": c, "consents": allConsents})
	require.Equal(t, http.StatusOK, code, string(body))
}

func TestConcurrentRequests(t *testing.T) {
	s := newTestService(t, nil)
	customers := make([]map[string]any, 20)
	for i := range customers {
		customers[i] = customer(t, i)
	}
	const workers, each = 32, 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	scored, reviewed := 0, 0
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				c := customers[(w+i)%len(customers)]
				var consents []score.Grant
				if i%2 == 0 {
					consents = allConsents
				}
				switch i % 4 {
				case 3:
					code, body := s.post(t, "/explain", map[string]any{"customer": c, "consents": consents})
					if code != http.StatusOK {
						t.Errorf("explain: %d %s", code, body)
					}
				case 2:
					code, _ := s.post(t, "/score", `{"customer":{"incme":1}}`)
					if code != http.StatusBadRequest {
						t.Errorf("bad request answered %d", code)
					}
				default:
					code, body := s.post(t, "/score", map[string]any{"customer": c, "consents": consents})
					if code != http.StatusOK {
						t.Errorf("score: %d %s", code, body)
						return
					}
					var r scoreResponse
					if err := json.Unmarshal(body, &r); err != nil {
						t.Error(err)
						return
					}
					for _, re := range r.Reasons {
						if consents == nil && re.Feature == "telephone" {
							t.Errorf("telephone is a reason without consent: %s", body)
						}
					}
					code, body = s.post(t, "/review", map[string]any{"decision": r.Decision, "reviewer": fmt.Sprintf("r%d", w), "outcome": "decline"})
					if code != http.StatusOK {
						t.Errorf("review: %d %s", code, body)
					}
					mu.Lock()
					scored++
					reviewed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	es, sum := s.verify(t)
	require.Equal(t, scored, sum.Decisions)
	require.Equal(t, reviewed, sum.Reviews)
	require.Equal(t, workers*each/2, scored)
	rep := decision.Overrides(es, nil)
	require.Equal(t, scored, rep.Overall.Reviewed)
	// Everyone was declined by the reviewers: overrides are the model's approvals.
	approvals := 0
	for _, e := range es {
		if e.Decision != nil && e.Decision.ModelOutcome == decision.Approve {
			approvals++
		}
	}
	require.Equal(t, approvals, rep.Overall.Overridden)
	require.False(t, math.IsNaN(*rep.Overall.Rate))
}

func TestLoadModelRequiresSignature(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.json")
	require.NoError(t, sharedModel(t).SaveFile(path))
	prefix := filepath.Join(dir, "k")
	_, err := signing.WriteKeyFiles(prefix, nil)
	require.NoError(t, err)
	_, err = loadModel(path, prefix+".pub", 0)
	require.ErrorIs(t, err, score.ErrUnsigned)
	priv, err := signing.ReadPrivateKeyFile(prefix + ".key")
	require.NoError(t, err)
	require.NoError(t, signing.SignFileVersion(path, path, priv, 4))
	m, err := loadModel(path, prefix+".pub", 4)
	require.NoError(t, err)
	require.Equal(t, sharedModel(t).Fingerprint(), m.Fingerprint())
	_, err = loadModel("", prefix+".pub", 0)
	require.Error(t, err)
	// A rollback: version 4 when the service requires 5.
	_, err = loadModel(path, prefix+".pub", 5)
	var ve *score.VersionError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, score.VersionError{Signed: 4, Min: 5}, *ve)
	_, err = loadModel(path, "", 5)
	require.ErrorContains(t, err, "-min-version needs -verify-key")
}
