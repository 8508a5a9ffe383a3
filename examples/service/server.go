package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

// maxBody is the largest request body accepted.
const maxBody = 1 << 20

// server is the HTTP JSON API: POST /score, POST /explain, POST /review.
// It is safe for concurrent use: the model, decider and catalogue are
// immutable (the decider keeps its consent views itself), and the decision
// log serialises its own appends.
type server struct {
	model   *score.Model
	decider *decision.Decider
	log     *decision.Log
	catalog *explain.Catalog
	now     func() time.Time // the service's clock; the library never reads one
}

func newServer(m *score.Model, pol *decision.Policy, log *decision.Log, now func() time.Time) (*server, error) {
	dc, err := decision.NewDecider(m, pol, nil)
	if err != nil {
		return nil, err
	}
	return &server{model: m, decider: dc, log: log, catalog: explain.DefaultCatalog(), now: now}, nil
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

// reasonOut is one reason in a response.
type reasonOut struct {
	Code    string  `json:"code"`
	Feature string  `json:"feature"`
	Effect  float64 `json:"effect"`
	Text    string  `json:"text"`
}

// reasonTexts gives each reason of an exact explanation of the
// consent-aware score with its customer text in lang.
func (s *server) reasonTexts(x *decision.Explained, lang string) ([]reasonOut, error) {
	out := []reasonOut{}
	for _, re := range x.Explanation.Reasons {
		if re.Term < 0 {
			continue
		}
		a := x.Explainer.ReasonArgs(re, x.Explanation.Positions[re.Term])
		text, err := s.catalog.Text(lang, explain.ReasonMessage, a)
		if err != nil {
			return nil, err
		}
		improve, err := s.catalog.Text(lang, explain.ImproveMessage, a) // "" when the reason carries no advice
		if err != nil {
			return nil, err
		}
		if improve != "" {
			text += " " + improve
		}
		out = append(out, reasonOut{Code: re.Code, Feature: re.Feature, Effect: re.Effect, Text: text})
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
	d, err := s.decider.Decide(rec, req.Consents)
	if errors.Is(err, score.ErrModel) {
		writeError(w, http.StatusInternalServerError, "", "deciding failed")
		return
	}
	if err != nil {
		recordError(w, err)
		return
	}
	reasons, err := s.reasonTexts(d.Explained, req.Lang)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "explaining the decision failed")
		return
	}
	e, err := s.log.AppendDecision(decision.Input{Time: s.now(), Model: s.model, Record: rec, Decision: &d, Ref: req.Ref})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "recording the decision failed")
		return
	}
	writeJSON(w, http.StatusOK, scoreResponse{Decision: e.Seq, Outcome: d.Outcome, ModelOutcome: d.ModelOutcome,
		Probability: float64(d.Score.Probability), Score: d.Score.Score, Reasons: reasons, Referrals: d.Referrals,
		Neutralised: d.Score.Neutralised, ConsentNotice: score.NeutralisedText(s.model.Schema(), &d.Score),
		Model: s.model.Name(), Fingerprint: s.model.Fingerprint(), PolicyVersion: d.PolicyVersion})
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
	x, err := s.decider.Explain(rec, req.Consents)
	if errors.Is(err, score.ErrModel) {
		writeError(w, http.StatusInternalServerError, "", "explaining failed")
		return
	}
	if err != nil {
		recordError(w, err)
		return
	}
	reasons, err := s.reasonTexts(x, req.Lang)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "explaining failed")
		return
	}
	cr, ex := &x.Score, &x.Explanation
	out := explainResponse{Score: cr.Score, Probability: float64(cr.Probability), Baseline: ex.Baseline,
		Reasons: reasons, Neutralised: cr.Neutralised, ConsentNotice: score.NeutralisedText(s.model.Schema(), cr)}
	for _, j := range x.Explainer.Order(nil, ex) {
		f := s.model.Schema().Feature(s.model.TermFeature(j))
		c := contribution{Feature: f.Name, Used: !cr.IsNeutralised(f.Name), Effect: ex.Effects[j], Contribution: ex.Contributions[j]}
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
