package main

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

// Limits of the API.
const (
	// maxBody is the largest body of /score and /explain.
	maxBody = 1 << 20
	// maxReviewBody is the largest body of /review.
	maxReviewBody = 16 << 10
	// maxNote and maxReviewer are the longest review note and reviewer
	// name, in bytes (the log keeps them for good).
	maxNote     = 2000
	maxReviewer = 200
	// handlerTimeout bounds the work of one request; past it the client
	// gets 503.
	handlerTimeout = 10 * time.Second
)

// server is the HTTP JSON API: POST /score, POST /explain, POST /review
// (with a bearer token), GET /healthz. It is safe for concurrent use: the
// model, decider and catalogue are immutable (the decider keeps its
// consent views itself), and the decision log serialises its own appends.
type server struct {
	model   *score.Model
	decider *decision.Decider
	log     *decision.Log
	catalog *explain.Catalog
	now     func() time.Time // the service's clock; the library never reads one
	// reviewToken is the bearer token /review requires; empty disables
	// /review (403).
	reviewToken string
}

// newHTTPServer is the deployable server: timeouts on reading the headers
// and the whole request, on writing the answer and on idle keep-alive
// connections, a bound on header size, and every handler bounded by
// handlerTimeout.
func newHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           http.TimeoutHandler(h, handlerTimeout, `{"error":"the request took too long"}`),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      20 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
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
	mux.HandleFunc("/score", s.post(s.handleScore, maxBody))
	mux.HandleFunc("/explain", s.post(s.handleExplain, maxBody))
	mux.HandleFunc("/review", s.authorised(s.post(s.handleReview, maxReviewBody)))
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "", "no such endpoint: use POST /score, /explain or /review, or GET /healthz")
	})
	return mux
}

// authorised admits a request carrying "Authorization: Bearer TOKEN" with
// the service's review token (compared in constant time): 401 without it
// or with another, 403 when the service has no token (review disabled).
func (s *server) authorised(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.reviewToken == "" {
			writeError(w, http.StatusForbidden, "", "reviews are disabled: start the service with "+reviewTokenEnv+" set")
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.reviewToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="candor review"`)
			writeError(w, http.StatusUnauthorized, "", "a reviewer's bearer token is required")
			return
		}
		h(w, r)
	}
}

type healthResponse struct {
	Status      string `json:"status"`
	Model       string `json:"model"`
	Fingerprint string `json:"model_fingerprint"`
}

// handleHealth answers GET /healthz: the service is up and which model it
// serves.
func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "", "method "+r.Method+" not allowed: use GET")
		return
	}
	writeJSON(w, http.StatusOK, healthResponse{Status: "ok", Model: s.model.Name(), Fingerprint: s.model.Fingerprint()})
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

// post accepts only POST with a JSON body of at most limit bytes.
func (s *server) post(h func(w http.ResponseWriter, r *http.Request), limit int64) http.HandlerFunc {
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
		if r.ContentLength > limit {
			writeError(w, http.StatusRequestEntityTooLarge, "", fmt.Sprintf("request body is larger than %d bytes", limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
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
			writeError(w, http.StatusRequestEntityTooLarge, "", fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit))
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

// reasonTexts gives each reason of the published explanation of the
// consent-aware score (sensitive terms at their bands, so that no number
// gives a sensitive value back) with its customer text in lang.
func (s *server) reasonTexts(x *decision.Explained, lang string) ([]reasonOut, error) {
	out := []reasonOut{}
	for _, re := range x.Shown.Reasons {
		if re.Term < 0 {
			continue
		}
		a := x.Explainer.ReasonArgs(re, x.Shown.Positions[re.Term])
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
	shown := d.Shown() // published: sensitive terms at their bands
	writeJSON(w, http.StatusOK, scoreResponse{Decision: e.Seq, Outcome: d.Outcome, ModelOutcome: d.ModelOutcome,
		Probability: float64(shown.Probability), Score: shown.Score, Reasons: reasons, Referrals: d.Referrals,
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
	// Everything answered is published: sensitive terms at their bands.
	cr, ex := &x.Score, &x.Shown
	out := explainResponse{Score: ex.Result.Score, Probability: float64(ex.Result.Probability), Baseline: ex.Baseline,
		Reasons: reasons, Neutralised: cr.Neutralised, ConsentNotice: score.NeutralisedText(s.model.Schema(), cr)}
	for _, j := range x.Explainer.Order(nil, ex) {
		f := s.model.Schema().Feature(s.model.TermFeature(j))
		c := contribution{Feature: x.Explainer.TermName(j), Used: !cr.IsNeutralised(f.Name), Effect: ex.Effects[j], Contribution: ex.Contributions[j]}
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
	case len(req.Reviewer) > maxReviewer || !utf8.ValidString(req.Reviewer):
		writeError(w, http.StatusBadRequest, "reviewer", fmt.Sprintf(`field "reviewer" must be valid text of at most %d bytes`, maxReviewer))
		return
	case req.Outcome != decision.Approve && req.Outcome != decision.Decline:
		writeError(w, http.StatusBadRequest, "outcome", `field "outcome" must be "approve" or "decline"`)
		return
	case len(req.Note) > maxNote || !utf8.ValidString(req.Note):
		writeError(w, http.StatusBadRequest, "note", fmt.Sprintf(`field "note" must be valid text of at most %d bytes (it has %d)`, maxNote, len(req.Note)))
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
