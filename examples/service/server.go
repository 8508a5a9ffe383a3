package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

// maxBody is the largest request body accepted.
const maxBody = 1 << 20

// server is the HTTP JSON API: POST /score, POST /explain, POST /review.
// It is safe for concurrent use: the model, policy, explainers and catalogue
// are immutable, and the decision log serialises its own appends.
type server struct {
	model   *score.Model
	policy  *decision.Policy
	log     *decision.Log
	catalog *explain.Catalog
	now     func() time.Time // the service's clock; the library never reads one

	// views caches, per set of neutralised features, the consent view of
	// the model (score.Model.Neutralise) and its explainer.
	views sync.Map // string -> *view
}

type view struct {
	model *score.Model
	exp   *explain.Explainer
}

func newServer(m *score.Model, pol *decision.Policy, log *decision.Log, now func() time.Time) (*server, error) {
	if err := pol.Validate(); err != nil {
		return nil, err
	}
	s := &server{model: m, policy: pol, log: log, catalog: explain.DefaultCatalog(), now: now}
	if _, err := s.view(nil); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler routes the API.
func (s *server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/score", s.post(s.handleScore))
	mux.HandleFunc("/explain", s.post(s.handleExplain))
	mux.HandleFunc("/review", s.post(s.handleReview))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "", "no such endpoint: use POST /score, /explain or /review")
	})
	return mux
}

// apiError is the body of every error response. Field names the offending
// request field ("customer.income", "consents", "outcome"); Fields lists
// every bad customer field when there are several.
type apiError struct {
	Error  string       `json:"error"`
	Field  string       `json:"field,omitempty"`
	Fields []fieldError `json:"fields,omitempty"`
}

type fieldError struct {
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, field, msg string) {
	writeJSON(w, status, apiError{Error: msg, Field: field})
}

// post accepts only POST with a JSON body of at most maxBody bytes.
func (s *server) post(h func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, "", "method "+r.Method+" not allowed: use POST")
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
			writeError(w, http.StatusUnsupportedMediaType, "", "content type must be application/json")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		h(w, r)
	}
}

// decode reads the JSON body strictly into v and answers the error itself.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			writeError(w, http.StatusRequestEntityTooLarge, "", fmt.Sprintf("request body is larger than %d bytes", maxBody))
		case errors.As(err, &typeErr):
			writeError(w, http.StatusBadRequest, typeErr.Field, fmt.Sprintf("field %q must be %s", typeErr.Field, typeErr.Type))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			writeError(w, http.StatusBadRequest, name, fmt.Sprintf("unknown field %q", name))
		default:
			writeError(w, http.StatusBadRequest, "", "request body is not valid JSON: "+err.Error())
		}
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "", "request body has data after the JSON object")
		return false
	}
	return true
}

// customerRequest is the body of /score and /explain.
type customerRequest struct {
	// Ref is the caller's case reference, kept in the decision record.
	Ref string `json:"ref,omitempty"`
	// Customer holds the customer's values by feature name.
	Customer map[string]any `json:"customer"`
	// Consents the customer has given (purpose and data category).
	Consents score.Consents `json:"consents"`
	// Lang is the language of customer text ("en" by default, or "de").
	Lang string `json:"lang,omitempty"`
}

// parseCustomer decodes and checks a customer request; it answers errors.
func (s *server) parseCustomer(w http.ResponseWriter, r *http.Request) (*customerRequest, score.Record, bool) {
	var req customerRequest
	if !decode(w, r, &req) {
		return nil, nil, false
	}
	if req.Customer == nil {
		writeError(w, http.StatusBadRequest, "customer", `field "customer" is required: an object of feature values`)
		return nil, nil, false
	}
	if req.Lang == "" {
		req.Lang = "en"
	}
	if !s.catalog.HasLanguage(req.Lang) {
		writeError(w, http.StatusBadRequest, "lang", fmt.Sprintf("language %q is not available (have %s)", req.Lang, strings.Join(s.catalog.Languages(), ", ")))
		return nil, nil, false
	}
	for i, g := range req.Consents {
		if g.Purpose == "" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("consents[%d].purpose", i), "every consent needs a purpose")
			return nil, nil, false
		}
	}
	rec, err := s.model.Schema().RecordFromMap(req.Customer)
	if err != nil {
		recordError(w, err)
		return nil, nil, false
	}
	return &req, rec, true
}

// recordError answers a customer's bad values: 400 naming every field (the
// messages leave the values of sensitive features out), or 422 for missing
// consent under a refusing policy.
func recordError(w http.ResponseWriter, err error) {
	var re *score.RecordError
	var fe *score.FieldError
	var fields []*score.FieldError
	switch {
	case errors.As(err, &re):
		fields = re.Fields
	case errors.As(err, &fe):
		fields = []*score.FieldError{fe}
	default:
		writeError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	status := http.StatusBadRequest
	out := apiError{Error: err.Error()}
	for _, f := range fields {
		name := "customer." + f.Feature
		if errors.Is(f.Err, score.ErrNoConsent) {
			status, name = http.StatusUnprocessableEntity, "consents"
		}
		out.Fields = append(out.Fields, fieldError{Field: name, Problem: f.Error()})
	}
	out.Field = out.Fields[0].Field
	writeJSON(w, status, out)
}

// view returns the consent view of the model for a set of neutralised
// features, and its explainer (cached; safe for concurrent use).
func (s *server) view(neutralised []string) (*view, error) {
	key := strings.Join(neutralised, "\x00")
	if v, ok := s.views.Load(key); ok {
		return v.(*view), nil
	}
	m := s.model
	if len(neutralised) > 0 {
		var err error
		if m, err = s.model.Neutralise(neutralised); err != nil {
			return nil, err
		}
	}
	exp, err := explain.NewExplainer(m, nil)
	if err != nil {
		return nil, err
	}
	v, _ := s.views.LoadOrStore(key, &view{model: m, exp: exp})
	return v.(*view), nil
}

// reasonOut is one reason in a response.
type reasonOut struct {
	Code    string  `json:"code"`
	Feature string  `json:"feature"`
	Effect  float64 `json:"effect"`
	Text    string  `json:"text"`
}

// explained is a decision's explanation, exact for the consent-aware score.
type explained struct {
	ex      explain.Explanation
	v       *view
	reasons []reasonOut
}

// explainDecision explains the consent-aware score: neutralised features
// are explained as their baseline (contribution zero), their values unread.
func (s *server) explainDecision(rec score.Record, cr *score.ConsentResult, lang string) (*explained, error) {
	v, err := s.view(cr.Neutralised)
	if err != nil {
		return nil, err
	}
	r := rec
	if len(cr.Neutralised) > 0 {
		r = append(score.Record(nil), rec...)
		for _, n := range cr.Neutralised {
			r[s.model.Schema().Index(n)] = score.Missing()
		}
	}
	out := &explained{v: v}
	if err := v.exp.Explain(r, &out.ex); err != nil {
		return nil, err
	}
	if d := math.Abs(out.ex.Result.Score - cr.Score); d > 1e-9 {
		return nil, fmt.Errorf("explanation score %v differs from the decision's %v", out.ex.Result.Score, cr.Score)
	}
	for _, re := range out.ex.Reasons {
		if re.Term < 0 {
			continue
		}
		a := v.exp.ReasonArgs(re, out.ex.Positions[re.Term])
		text, err := s.catalog.Text(lang, explain.ReasonMessage, a)
		if err != nil {
			return nil, err
		}
		improve, err := s.catalog.Text(lang, explain.ImproveMessage, a)
		if err != nil {
			return nil, err
		}
		out.reasons = append(out.reasons, reasonOut{Code: re.Code, Feature: re.Feature, Effect: re.Effect, Text: text + " " + improve})
	}
	return out, nil
}

// scoreResponse is the body of a /score answer.
type scoreResponse struct {
	Decision      int64               `json:"decision"` // Seq of the decision record, for /review
	Outcome       decision.Outcome    `json:"outcome"`
	ModelOutcome  decision.Outcome    `json:"model_outcome"`
	Probability   float64             `json:"probability"`
	Score         float64             `json:"score"`
	Reasons       []reasonOut         `json:"reasons"`
	Referrals     []decision.Referral `json:"referrals,omitempty"`
	Neutralised   []string            `json:"neutralised,omitempty"`
	ConsentNotice string              `json:"consent_notice,omitempty"`
	Model         string              `json:"model"`
	Fingerprint   string              `json:"model_fingerprint"`
	PolicyVersion string              `json:"policy_version"`
}

func (s *server) handleScore(w http.ResponseWriter, r *http.Request) {
	req, rec, ok := s.parseCustomer(w, r)
	if !ok {
		return
	}
	d, err := s.policy.Decide(s.model, rec, req.Consents, nil)
	if err != nil {
		recordError(w, err)
		return
	}
	ex, err := s.explainDecision(rec, &d.Score, req.Lang)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "explaining the decision failed")
		return
	}
	reasons := make([]decision.LoggedReason, len(ex.reasons))
	for i, re := range ex.reasons {
		reasons[i] = decision.LoggedReason{Code: re.Code, Feature: re.Feature, Effect: re.Effect}
	}
	e, err := s.log.AppendDecision(decision.Input{Time: s.now(), Model: s.model, Record: rec, Decision: &d, Reasons: reasons, Ref: req.Ref})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "recording the decision failed")
		return
	}
	writeJSON(w, http.StatusOK, scoreResponse{Decision: e.Seq, Outcome: d.Outcome, ModelOutcome: d.ModelOutcome,
		Probability: float64(d.Score.Probability), Score: d.Score.Score, Reasons: nonNil(ex.reasons), Referrals: d.Referrals,
		Neutralised: d.Score.Neutralised, ConsentNotice: score.NeutralisedText(s.model.Schema(), &d.Score),
		Model: s.model.Name(), Fingerprint: s.model.Fingerprint(), PolicyVersion: d.PolicyVersion})
}

func nonNil(r []reasonOut) []reasonOut {
	if r == nil {
		return []reasonOut{}
	}
	return r
}

// contribution is one term of an /explain answer.
type contribution struct {
	Feature      string  `json:"feature"`
	Value        string  `json:"value"` // as shown to the customer: "withheld" for sensitive features
	Used         bool    `json:"used"`  // false when neutralised for lack of consent
	Effect       float64 `json:"effect"`
	Contribution float64 `json:"contribution"` // effect - population baseline
}

type explainResponse struct {
	Score         float64        `json:"score"`
	Probability   float64        `json:"probability"`
	Baseline      float64        `json:"baseline"`
	Contributions []contribution `json:"contributions"`
	Reasons       []reasonOut    `json:"reasons"`
	Neutralised   []string       `json:"neutralised,omitempty"`
	ConsentNotice string         `json:"consent_notice,omitempty"`
}

// handleExplain explains a customer's consent-aware score without deciding
// or logging anything.
func (s *server) handleExplain(w http.ResponseWriter, r *http.Request) {
	req, rec, ok := s.parseCustomer(w, r)
	if !ok {
		return
	}
	if s.policy.Consent == score.Refuse {
		if err := s.model.CheckConsent(req.Consents, s.policy.Purpose); err != nil {
			recordError(w, err)
			return
		}
	}
	cr, err := s.model.ScoreWithConsent(rec, req.Consents, s.policy.Purpose, nil)
	if err != nil {
		recordError(w, err)
		return
	}
	ex, err := s.explainDecision(rec, &cr, req.Lang)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "explaining failed")
		return
	}
	out := explainResponse{Score: cr.Score, Probability: float64(cr.Probability), Baseline: ex.ex.Baseline,
		Reasons: nonNil(ex.reasons), Neutralised: cr.Neutralised, ConsentNotice: score.NeutralisedText(s.model.Schema(), &cr)}
	for _, j := range ex.v.exp.Order(nil, &ex.ex) {
		f := s.model.Schema().Feature(s.model.TermFeature(j))
		c := contribution{Feature: f.Name, Used: !cr.IsNeutralised(f.Name), Effect: ex.ex.Effects[j], Contribution: ex.ex.Contributions[j]}
		if c.Used {
			c.Value = s.catalog.ValueText(req.Lang, f, rec[s.model.TermFeature(j)])
		} else {
			c.Value = "not used"
		}
		out.Contributions = append(out.Contributions, c)
	}
	writeJSON(w, http.StatusOK, out)
}

// reviewRequest is the body of /review: a person's final outcome.
type reviewRequest struct {
	Decision *int64           `json:"decision"`
	Reviewer string           `json:"reviewer"`
	Outcome  decision.Outcome `json:"outcome"`
	Note     string           `json:"note,omitempty"`
}

type reviewResponse struct {
	Review   int64 `json:"review"`   // Seq of the review record
	Decision int64 `json:"decision"` // Seq of the decision reviewed
}

func (s *server) handleReview(w http.ResponseWriter, r *http.Request) {
	var req reviewRequest
	if !decode(w, r, &req) {
		return
	}
	switch {
	case req.Decision == nil:
		writeError(w, http.StatusBadRequest, "decision", `field "decision" is required: the decision number /score returned`)
		return
	case req.Reviewer == "":
		writeError(w, http.StatusBadRequest, "reviewer", `field "reviewer" is required`)
		return
	case req.Outcome != decision.Approve && req.Outcome != decision.Decline:
		writeError(w, http.StatusBadRequest, "outcome", `field "outcome" must be "approve" or "decline"`)
		return
	}
	e, err := s.log.AppendReview(s.now(), *req.Decision, req.Reviewer, req.Outcome, req.Note)
	switch {
	case errors.Is(err, decision.ErrUnknownDecision):
		writeError(w, http.StatusNotFound, "decision", fmt.Sprintf("no decision %d in the log", *req.Decision))
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError, "", "recording the review failed")
		return
	}
	writeJSON(w, http.StatusOK, reviewResponse{Review: e.Seq, Decision: *req.Decision})
}
