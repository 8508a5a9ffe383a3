package pmml

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// PMML 4.4 interchange.
//
// Write writes a scorecard as a PMML Scorecard and a logistic (or
// linear) model as a PMML RegressionModel; Read reads both back.
// Scoring content (points, coefficients, bins, missing and unknown-value
// handling, reason codes and their baselines) always travels in standard
// PMML elements. What PMML has no element for (the points scaling, the
// cutoff, training statistics, term baselines, bin counts and weights of
// evidence, the full schema with protected attributes) travels in one
// <Extension extender="candor" name="metadata"> element holding JSON; a
// PMML consumer that ignores extensions scores the document identically,
// and Read uses the extension only for that metadata, never for scores.
//
// Bins. A candor RangeBin is the half-open interval [Lower, Upper). PMML
// predicates are written with lessThan / greaterOrEqual for those bounds,
// or with lessOrEqual v / greaterThan v when the bound is the float64 just
// above v (math.Nextafter(v, +Inf)) and v prints shorter; Read maps
// "x <= v" to Upper = math.Nextafter(v, +Inf) and "x > v" to Lower =
// math.Nextafter(v, +Inf). Since no float64 lies strictly between v and
// its successor, both directions are exact and a document re-imports to the
// same bins.
//
// Affine partial scores. A RangeBin with a Slope (effect = Effect +
// Slope*x) is written as an Attribute whose ComplexPartialScore is
// Apply("+", Apply("*", Constant(Slope), FieldRef(x)), Constant(Effect)).
// Read reads any ComplexPartialScore that is an affine function of the
// characteristic's own field (Constant, FieldRef and Apply +, -, * nested
// in any way that stays affine) into such a bin, folded to Effect +
// Slope*x: the DMG sample's "0.01*income - 18" becomes Effect -18, Slope
// 0.01. An expression nested differently from that form can differ from
// the document's own order of operations in the last bit.

// Namespace and Version are those of the documents Write writes.
const (
	Namespace = "http://www.dmg.org/PMML-4_4"
	Version   = "4.4"
)

// ErrUnsupported: a PMML document (or a model to export) uses something
// candor cannot represent exactly, such as a ComplexPartialScore that is not
// an affine function of its characteristic's field (or that a missing value
// reaches), predicates over derived fields, two characteristics on one
// field, or attributes whose first-match order leaves a gap inside a
// numeric range.
var ErrUnsupported = errors.New("PMML construct candor cannot represent exactly")

// Error is the structured error of PMML import and export. It names
// where the problem is and unwraps to ErrUnsupported or ErrMalformed.
type Error struct {
	Element string // PMML element, e.g. "ComplexPartialScore"
	Field   string // data field, when there is one
	Detail  string
	Err     error // ErrUnsupported or ErrMalformed
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("pmml")
	if e.Element != "" {
		fmt.Fprintf(&b, " <%s>", e.Element)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, " field %s", score.QuoteBounded(e.Field))
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

func unsupported(elem, field, format string, args ...any) error {
	return &Error{Element: elem, Field: field, Detail: fmt.Sprintf(format, boundArgs(args)...), Err: ErrUnsupported}
}

func malformedPMML(elem, field, format string, args ...any) error {
	return &Error{Element: elem, Field: field, Detail: fmt.Sprintf(format, boundArgs(args)...), Err: score.ErrMalformed}
}

// boundArgs makes the string arguments of an error message bounded: a
// document's attribute can be megabytes long, its error text cannot.
func boundArgs(args []any) []any {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = boundedString(s)
		}
	}
	return args
}

// boundedString formats as score.QuoteBounded with %q, and as its first
// 64 bytes with the length noted otherwise.
type boundedString string

func (s boundedString) Format(f fmt.State, verb rune) {
	q := score.QuoteBounded(string(s))
	if verb == 'q' {
		io.WriteString(f, q)
		return
	}
	if len(s) <= 64 {
		io.WriteString(f, string(s))
		return
	}
	end := strings.LastIndex(q, `"`) // the quoted part, then "... (N bytes)"
	io.WriteString(f, q[1:end]+q[end+1:])
}

// Options controls Write and Read. The zero value (or nil)
// means the defaults.
type Options struct {
	// ReasonCodes is the number of reasonCode output fields a scorecard
	// export declares (0 means 4, the number credit notices give).
	ReasonCodes int
	// Scaling is the points scaling given to an imported scorecard that
	// carries no candor metadata (PMML has no element for it); nil means
	// NewScaling(0, 0, 0): 600 points at 19:1, 50 points to double the odds.
	// Probabilities of such a scorecard are only as meaningful as this.
	Scaling *score.Scaling
	// NoMetadata leaves the candor metadata extension out of an export.
	NoMetadata bool
	// MaxBytes, MaxDepth and MaxElements bound what Read accepts: the
	// document's size (0 means 64 MiB), its element nesting (0 means 64)
	// and its number of elements (0 means 1,000,000). Past any of them
	// Read returns a *score.LimitError naming it; a negative value means
	// no limit.
	MaxBytes    int64
	MaxDepth    int
	MaxElements int
}

// pmmlMeta is the JSON of the candor metadata extension: everything of a
// Spec that does not take part in scoring.
type pmmlMeta struct {
	Name     string            `json:"name,omitempty"`
	Version  string            `json:"version,omitempty"`
	Kind     score.ModelKind   `json:"kind"`
	Target   string            `json:"target,omitempty"`
	Event    string            `json:"event,omitempty"`
	Features []score.Feature   `json:"features"`
	Scaling  *score.Scaling    `json:"scaling,omitempty"`
	Cutoff   score.Probability `json:"cutoff,omitempty"`
	Training *score.Training   `json:"training,omitempty"`
	Reasons  *score.ReasonSpec `json:"reasons,omitempty"`
	Terms    []termMeta        `json:"terms"`
}

type termMeta struct {
	Feature        string       `json:"feature"`
	Baseline       float64      `json:"baseline"`
	Stats          *score.Stats `json:"stats,omitempty"`
	Reference      string       `json:"reference,omitempty"`
	ReasonCode     string       `json:"reason_code,omitempty"`
	ReasonBaseline *float64     `json:"reason_baseline,omitempty"`
	Levels         []levelMeta  `json:"levels,omitempty"`
	Bins           []binMeta    `json:"bins,omitempty"`
	// Linear marks a logistic model's LinearTerm written as a scorecard
	// characteristic (see logisticScorecard), with its Fill.
	Linear bool     `json:"linear,omitempty"`
	Fill   *float64 `json:"fill,omitempty"`
}

type levelMeta struct {
	Label  string  `json:"label"`
	Count  float64 `json:"count,omitempty"`
	Events float64 `json:"events,omitempty"`
}

// binMeta is listed in the order of the PMML attributes; Pos is the bin's
// position in the candor term.
type binMeta struct {
	Pos    int     `json:"pos"`
	Label  string  `json:"label,omitempty"`
	WoE    float64 `json:"woe,omitempty"`
	Count  float64 `json:"count,omitempty"`
	Events float64 `json:"events,omitempty"`
}

// ---- XML shapes written by Write ----

type xPMML struct {
	XMLName    xml.Name     `xml:"PMML"`
	Xmlns      string       `xml:"xmlns,attr"`
	Version    string       `xml:"version,attr"`
	Header     xHeader      `xml:"Header"`
	Dictionary xDictionary  `xml:"DataDictionary"`
	Scorecard  *xScorecard  `xml:"Scorecard,omitempty"`
	Regression *xRegression `xml:"RegressionModel,omitempty"`
}

type xHeader struct {
	Copyright   string       `xml:"copyright,attr,omitempty"`
	Description string       `xml:"description,attr,omitempty"`
	ModelVer    string       `xml:"modelVersion,attr,omitempty"`
	Application xApplication `xml:"Application"`
}

type xApplication struct {
	Name    string `xml:"name,attr"`
	Version string `xml:"version,attr,omitempty"`
}

type xDictionary struct {
	NumberOfFields int          `xml:"numberOfFields,attr"`
	Fields         []xDataField `xml:"DataField"`
}

type xDataField struct {
	Name      string      `xml:"name,attr"`
	Optype    string      `xml:"optype,attr"`
	DataType  string      `xml:"dataType,attr"`
	Intervals []xInterval `xml:"Interval"`
	Values    []xValue    `xml:"Value"`
}

type xInterval struct {
	Closure string `xml:"closure,attr"`
	Left    string `xml:"leftMargin,attr,omitempty"`
	Right   string `xml:"rightMargin,attr,omitempty"`
}

type xValue struct {
	Value string `xml:"value,attr"`
}

type xExtension struct {
	Extender string `xml:"extender,attr"`
	Name     string `xml:"name,attr"`
	Text     string `xml:",chardata"`
}

type xMiningField struct {
	Name             string `xml:"name,attr"`
	UsageType        string `xml:"usageType,attr,omitempty"`
	InvalidTreatment string `xml:"invalidValueTreatment,attr,omitempty"`
	MissingReplace   string `xml:"missingValueReplacement,attr,omitempty"`
}

type xOutputField struct {
	Name     string  `xml:"name,attr"`
	Optype   string  `xml:"optype,attr"`
	DataType string  `xml:"dataType,attr"`
	Feature  string  `xml:"feature,attr"`
	Value    string  `xml:"value,attr,omitempty"`
	Rank     int     `xml:"rank,attr,omitempty"`
	Apply    *xApply `xml:"Apply,omitempty"`
}

// xApply is a PMML expression: exactly one of Apply children, Constant or
// FieldRef is used per argument, in order.
type xApply struct {
	Function string `xml:"function,attr"`
	Args     []any
}

type xConstant struct {
	XMLName  xml.Name `xml:"Constant"`
	DataType string   `xml:"dataType,attr"`
	Value    string   `xml:",chardata"`
}

type xFieldRef struct {
	XMLName xml.Name `xml:"FieldRef"`
	Field   string   `xml:"field,attr"`
}

func (a xApply) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Name = xml.Name{Local: "Apply"}
	start.Attr = []xml.Attr{{Name: xml.Name{Local: "function"}, Value: a.Function}}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, arg := range a.Args {
		if err := e.Encode(arg); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

type xScorecard struct {
	ModelName       string            `xml:"modelName,attr,omitempty"`
	FunctionName    string            `xml:"functionName,attr"`
	InitialScore    string            `xml:"initialScore,attr"`
	UseReasonCodes  string            `xml:"useReasonCodes,attr"`
	Algorithm       string            `xml:"reasonCodeAlgorithm,attr,omitempty"`
	BaselineScore   string            `xml:"baselineScore,attr,omitempty"`
	BaselineMethod  string            `xml:"baselineMethod,attr,omitempty"`
	Extension       *xExtension       `xml:"Extension,omitempty"`
	MiningFields    []xMiningField    `xml:"MiningSchema>MiningField"`
	OutputFields    []xOutputField    `xml:"Output>OutputField"`
	Characteristics []xCharacteristic `xml:"Characteristics>Characteristic"`
}

type xCharacteristic struct {
	Name          string       `xml:"name,attr"`
	ReasonCode    string       `xml:"reasonCode,attr,omitempty"`
	BaselineScore string       `xml:"baselineScore,attr,omitempty"`
	Attributes    []xAttribute `xml:"Attribute"`
}

type xAttribute struct {
	ReasonCode   string `xml:"reasonCode,attr,omitempty"`
	PartialScore string `xml:"partialScore,attr"`
	Predicate    any
	// Complex, when not nil, is written as the attribute's
	// ComplexPartialScore in place of PartialScore.
	Complex *xApply
}

// xSimple's Value is nil for isMissing and isNotMissing, which take none;
// every other operator writes its value even when empty, since an empty
// category label is a value and a missing attribute is malformed PMML.
type xSimple struct {
	XMLName  xml.Name `xml:"SimplePredicate"`
	Field    string   `xml:"field,attr"`
	Operator string   `xml:"operator,attr"`
	Value    *string  `xml:"value,attr,omitempty"`
}

// valuePredicate is the SimplePredicate comparing field name with value.
func valuePredicate(name, op, value string) xSimple {
	return xSimple{Field: name, Operator: op, Value: &value}
}

type xCompound struct {
	XMLName  xml.Name `xml:"CompoundPredicate"`
	Operator string   `xml:"booleanOperator,attr"`
	Parts    []any
}

type xSetPredicate struct {
	XMLName  xml.Name `xml:"SimpleSetPredicate"`
	Field    string   `xml:"field,attr"`
	Operator string   `xml:"booleanOperator,attr"`
	Array    xArray   `xml:"Array"`
}

type xArray struct {
	N     int    `xml:"n,attr"`
	Type  string `xml:"type,attr"`
	Items string `xml:",chardata"`
}

type xRegression struct {
	ModelName     string         `xml:"modelName,attr,omitempty"`
	FunctionName  string         `xml:"functionName,attr"`
	Normalization string         `xml:"normalizationMethod,attr,omitempty"`
	Extension     *xExtension    `xml:"Extension,omitempty"`
	MiningFields  []xMiningField `xml:"MiningSchema>MiningField"`
	OutputFields  []xOutputField `xml:"Output>OutputField"`
	Tables        []xRegTable    `xml:"RegressionTable"`
}

type xRegTable struct {
	Intercept   string         `xml:"intercept,attr"`
	Category    string         `xml:"targetCategory,attr,omitempty"`
	Numeric     []xNumericPred `xml:"NumericPredictor"`
	Categorical []xCatPred     `xml:"CategoricalPredictor"`
}

type xNumericPred struct {
	Name        string `xml:"name,attr"`
	Exponent    string `xml:"exponent,attr,omitempty"`
	Coefficient string `xml:"coefficient,attr"`
}

type xCatPred struct {
	Name        string `xml:"name,attr"`
	Value       string `xml:"value,attr"`
	Coefficient string `xml:"coefficient,attr"`
}

func (a xAttribute) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Name = xml.Name{Local: "Attribute"}
	start.Attr = nil
	if a.ReasonCode != "" {
		start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "reasonCode"}, Value: a.ReasonCode})
	}
	if a.Complex == nil {
		start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "partialScore"}, Value: a.PartialScore})
	}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.Encode(a.Predicate); err != nil {
		return err
	}
	if a.Complex != nil {
		cps := xml.StartElement{Name: xml.Name{Local: "ComplexPartialScore"}}
		if err := e.EncodeToken(cps); err != nil {
			return err
		}
		if err := e.Encode(a.Complex); err != nil {
			return err
		}
		if err := e.EncodeToken(cps.End()); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

func (c xCompound) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Name = xml.Name{Local: "CompoundPredicate"}
	start.Attr = []xml.Attr{{Name: xml.Name{Local: "booleanOperator"}, Value: c.Operator}}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, p := range c.Parts {
		if err := e.Encode(p); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// fmtNum writes a float64 in the shortest form that parses back exactly.
func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// Write writes m as a PMML 4.4 document: a scorecard as a Scorecard
// (partial scores in points, initialScore = the intercept, reason codes with
// per-characteristic baseline scores and the reason-code algorithm), a
// logistic model as a RegressionModel with functionName="classification"
// and normalizationMethod="logit", a linear model as a RegressionModel with
// functionName="regression". A sloped range bin (Bin.Slope) is written as
// an Attribute with a ComplexPartialScore, Slope*x + Effect, that Read
// reads back to the same bin (same fingerprint). Terms PMML cannot express
// exactly (a binned term in a regression model, a linear term in a
// scorecard, a categorical missing effect no level shares) are
// ErrUnsupported errors.
//
// A scorecard without declared reason-code rules is written with
// reasonCodeAlgorithm="pointsBelow" and each characteristic's baseline
// score set to its term's population-average points (Term.Baseline), the
// "below the average of all applicants" method; the metadata extension
// records that the rules were not declared, so Read restores the model
// as it was.
func Write(w io.Writer, m *score.Model, opts *Options) error {
	if opts == nil {
		opts = &Options{}
	}
	if err := m.RefusePairs("PMML export"); err != nil {
		return err
	}
	spec := m.Spec()
	doc := xPMML{Xmlns: Namespace, Version: Version,
		Header: xHeader{Description: fmt.Sprintf("candor %s model %q", spec.Kind, spec.Name), ModelVer: spec.Version,
			Application: xApplication{Name: "candor"}}}
	inputs := make([]score.Feature, 0, len(spec.Terms))
	for _, t := range spec.Terms {
		f, _ := m.Schema().Lookup(t.Feature)
		inputs = append(inputs, f)
	}
	for _, f := range inputs {
		doc.Dictionary.Fields = append(doc.Dictionary.Fields, dataField(f))
	}
	target := spec.Target
	if target == "" {
		target = "score"
	}
	for m.Schema().Index(target) >= 0 && slices.ContainsFunc(inputs, func(f score.Feature) bool { return f.Name == target }) {
		target += "_"
	}
	var ext *xExtension
	if !opts.NoMetadata {
		b, err := json.Marshal(metaOf(&spec))
		if err != nil {
			return fmt.Errorf("%w: %v", score.ErrModel, err)
		}
		ext = &xExtension{Extender: "candor", Name: "metadata", Text: string(b)}
	}
	var err error
	switch spec.Kind {
	case score.ScorecardModel:
		doc.Dictionary.Fields = append(doc.Dictionary.Fields, xDataField{Name: target, Optype: "continuous", DataType: "double"})
		doc.Scorecard, err = scorecardXML(m, &spec, target, opts)
		if doc.Scorecard != nil {
			doc.Scorecard.Extension = ext
		}
	case score.LogisticModel, score.LinearModel:
		if regressionAsCard(&spec) {
			if opts.NoMetadata {
				return unsupported("Scorecard", "", "a %s model with binned terms is written as a Scorecard whose points are its %s, "+
					"and only candor's metadata tells a reader so: export it with the metadata", spec.Kind, map[score.ModelKind]string{
					score.LogisticModel: "log-odds", score.LinearModel: "predicted values"}[spec.Kind])
			}
			doc.Dictionary.Fields = append(doc.Dictionary.Fields, xDataField{Name: target, Optype: "continuous", DataType: "double"})
			doc.Scorecard, err = scorecardXML(m, &spec, target, opts)
			if doc.Scorecard != nil {
				doc.Scorecard.Extension = ext
			}
			break
		}
		tf := xDataField{Name: target, Optype: "continuous", DataType: "double"}
		if spec.Kind == score.LogisticModel {
			ev, nonev := eventLabels(m, &spec)
			tf = xDataField{Name: target, Optype: "categorical", DataType: "string", Values: []xValue{{nonev}, {ev}}}
		}
		doc.Dictionary.Fields = append(doc.Dictionary.Fields, tf)
		doc.Regression, err = regressionXML(m, &spec, target)
		if doc.Regression != nil {
			doc.Regression.Extension = ext
		}
	default:
		err = unsupported("", "", "model kind %q", spec.Kind)
	}
	if err != nil {
		return err
	}
	doc.Dictionary.NumberOfFields = len(doc.Dictionary.Fields)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

func dataField(f score.Feature) xDataField {
	if f.Kind == score.Numeric {
		df := xDataField{Name: f.Name, Optype: "continuous", DataType: "double"}
		if v := f.Valid; v != nil {
			// The feature's valid values, as the DataField declares them.
			if v.Integer {
				df.DataType = "integer"
			}
			for _, iv := range v.Intervals {
				x := xInterval{Closure: map[[2]bool]string{{false, false}: "closedClosed", {true, false}: "openClosed",
					{false, true}: "closedOpen", {true, true}: "openOpen"}[[2]bool{iv.LowerOpen, iv.UpperOpen}]}
				if iv.Lower != nil {
					x.Left = fmtNum(*iv.Lower)
				}
				if iv.Upper != nil {
					x.Right = fmtNum(*iv.Upper)
				}
				df.Intervals = append(df.Intervals, x)
			}
			for _, w := range v.Values {
				df.Values = append(df.Values, xValue{fmtNum(w)})
			}
		}
		return df
	}
	df := xDataField{Name: f.Name, Optype: "categorical", DataType: "string"}
	for _, c := range f.Categories {
		df.Values = append(df.Values, xValue{c})
	}
	return df
}

// invalidTreatment is the MiningField's invalidValueTreatment for a
// feature: what its Validity says, else def (a field with no declared
// valid values has no invalid value).
func invalidTreatment(m *score.Model, feature, def string) string {
	f, _ := m.Schema().Lookup(feature)
	switch {
	case f.Valid == nil:
		return def
	case f.Valid.AsMissing:
		return "asMissing"
	}
	return "returnInvalid"
}

// eventLabels returns the event label and a non-event label for the
// classification target: the target's other category when the schema
// lists it, otherwise "not " + event.
func eventLabels(m *score.Model, spec *score.Spec) (string, string) {
	ev := spec.Event
	if ev == "" {
		ev = "1"
	}
	if f, ok := m.Schema().Lookup(spec.Target); ok && len(f.Categories) == 2 {
		for _, c := range f.Categories {
			if c != ev {
				return ev, c
			}
		}
	}
	return ev, "not " + ev
}

func metaOf(spec *score.Spec) pmmlMeta {
	mt := pmmlMeta{Name: spec.Name, Version: spec.Version, Kind: spec.Kind, Target: spec.Target, Event: spec.Event,
		Features: spec.Features, Scaling: spec.Scaling, Cutoff: spec.Cutoff, Training: spec.Training, Reasons: spec.Reasons}
	for _, t := range spec.Terms {
		tm := termMeta{Feature: t.Feature, Baseline: t.Baseline, Stats: t.Stats, Reference: t.Reference,
			ReasonCode: t.ReasonCode, ReasonBaseline: t.ReasonBaseline}
		for _, l := range t.Levels {
			tm.Levels = append(tm.Levels, levelMeta{Label: l.Label, Count: l.Count, Events: l.Events})
		}
		if t.Kind == score.LinearTerm && regressionAsCard(spec) {
			tm.Linear, tm.Fill = true, t.Fill
		}
		if t.Kind == score.BinnedTerm {
			for _, k := range canonicalBinOrder(&t) {
				b := t.Bins[k]
				tm.Bins = append(tm.Bins, binMeta{Pos: k, Label: b.Label, WoE: b.WoE, Count: b.Count, Events: b.Events})
			}
		}
		mt.Terms = append(mt.Terms, tm)
	}
	return mt
}

func scorecardXML(m *score.Model, spec *score.Spec, target string, opts *Options) (*xScorecard, error) {
	sc := &xScorecard{ModelName: spec.Name, FunctionName: "regression", InitialScore: fmtNum(spec.Intercept),
		UseReasonCodes: "true", Algorithm: "pointsBelow", BaselineMethod: "other"}
	if spec.Kind != score.ScorecardModel {
		sc.Algorithm = "pointsAbove" // points are log-odds of the event or a response: higher is adverse (explain.DefaultAlgorithm)
	}
	if r := spec.Reasons; r != nil {
		sc.Algorithm = r.Algorithm
		if r.Baseline != nil {
			sc.BaselineScore = fmtNum(*r.Baseline)
		}
	}
	for _, t := range spec.Terms {
		sc.MiningFields = append(sc.MiningFields, xMiningField{Name: t.Feature, UsageType: "active", InvalidTreatment: invalidTreatment(m, t.Feature, "asIs")})
	}
	sc.MiningFields = append(sc.MiningFields, xMiningField{Name: target, UsageType: "target"})
	sc.OutputFields = append(sc.OutputFields, xOutputField{Name: "points", Optype: "continuous", DataType: "double", Feature: "predictedValue"})
	switch s := spec.Scaling; {
	case s != nil:
		// probability of the event = 1 / (1 + exp((points - offset) / factor))
		sc.OutputFields = append(sc.OutputFields, probabilityOutput(xApply{Function: "/", Args: []any{
			xApply{Function: "-", Args: []any{xFieldRef{Field: "points"}, xConstant{DataType: "double", Value: fmtNum(s.Offset)}}},
			xConstant{DataType: "double", Value: fmtNum(s.Factor)},
		}}))
	case spec.Kind == score.LogisticModel:
		// probability of the event = 1 / (1 + exp(-points)), points in log-odds
		sc.OutputFields = append(sc.OutputFields, probabilityOutput(
			xApply{Function: "*", Args: []any{xConstant{DataType: "double", Value: "-1"}, xFieldRef{Field: "points"}}}))
	}
	n := opts.ReasonCodes
	if n <= 0 {
		n = 4
	}
	for k := 1; k <= n; k++ {
		sc.OutputFields = append(sc.OutputFields, xOutputField{Name: fmt.Sprintf("reason_code_%d", k), Optype: "categorical",
			DataType: "string", Feature: "reasonCode", Rank: k})
	}
	for j, t := range spec.Terms {
		f, _ := m.Schema().Lookup(t.Feature)
		ch := xCharacteristic{Name: t.Feature, ReasonCode: t.ReasonCode}
		if ch.ReasonCode == "" {
			ch.ReasonCode = t.Feature
		}
		switch {
		case t.ReasonBaseline != nil:
			ch.BaselineScore = fmtNum(*t.ReasonBaseline)
		case spec.Reasons == nil || spec.Reasons.Baseline == nil:
			ch.BaselineScore = fmtNum(t.Baseline)
		}
		attrs, err := termAttributes(&spec.Terms[j], f)
		if err != nil {
			return nil, err
		}
		ch.Attributes = attrs
		sc.Characteristics = append(sc.Characteristics, ch)
	}
	return sc, nil
}

// probabilityOutput is the "probability" OutputField 1 / (1 + exp(z)).
func probabilityOutput(z xApply) xOutputField {
	return xOutputField{Name: "probability", Optype: "continuous", DataType: "double",
		Feature: "transformedValue", Apply: &xApply{Function: "/", Args: []any{
			xConstant{DataType: "double", Value: "1"},
			xApply{Function: "+", Args: []any{
				xConstant{DataType: "double", Value: "1"},
				xApply{Function: "exp", Args: []any{z}},
			}},
		}}}
}

// termAttributes writes a scorecard term as PMML attributes in an order
// whose first-match semantics equal candor's: missing first, then special
// values, then categories or ranges, then the "other" bin.
func termAttributes(t *score.Term, f score.Feature) ([]xAttribute, error) {
	name := f.Name
	var out []xAttribute
	add := func(effect float64, rc string, p any) {
		out = append(out, xAttribute{ReasonCode: rc, PartialScore: fmtNum(effect), Predicate: p})
	}
	switch t.Kind {
	case score.CategoricalTerm:
		if t.MissingEffect != nil {
			add(*t.MissingEffect, "", xSimple{Field: name, Operator: "isMissing"})
		}
		for _, l := range t.Levels {
			add(l.Effect, l.ReasonCode, valuePredicate(name, "equal", l.Label))
		}
		if t.OtherEffect != nil {
			add(*t.OtherEffect, "", xSimple{Field: name, Operator: "isNotMissing"})
		}
		return out, nil
	case score.LinearTerm:
		// Coef*x on every number (Coef*x + 0 reads back to the same
		// bits), Coef*Fill on a missing value when the term has a fill.
		if t.Fill != nil {
			add(t.Coef**t.Fill, "", xSimple{Field: name, Operator: "isMissing"})
		}
		add(0, "", xSimple{Field: name, Operator: "isNotMissing"})
		out[len(out)-1].Complex = &xApply{Function: "+", Args: []any{
			xApply{Function: "*", Args: []any{xConstant{DataType: "double", Value: fmtNum(t.Coef)}, xFieldRef{Field: name}}},
			xConstant{DataType: "double", Value: "0"},
		}}
		return out, nil
	}
	order := canonicalBinOrder(t)
	for _, k := range order {
		b := t.Bins[k]
		var p any
		switch b.Kind {
		case score.MissingBin:
			p = xSimple{Field: name, Operator: "isMissing"}
		case score.SpecialBin:
			p = valuePredicate(name, "equal", fmtNum(*b.Special))
		case score.OtherBin:
			p = xSimple{Field: name, Operator: "isNotMissing"}
		case score.CategoryBin:
			if len(b.Categories) == 1 {
				p = valuePredicate(name, "equal", b.Categories[0])
			} else {
				p = xSetPredicate{Field: name, Operator: "isIn", Array: xArray{N: len(b.Categories), Type: "string", Items: pmmlArray(b.Categories)}}
			}
		case score.RangeBin:
			p = rangePredicate(name, b.Lower, b.Upper)
		}
		add(b.Effect, b.ReasonCode, p)
		if b.Slope != 0 {
			// Effect + Slope*x: Slope*x + Effect reads back to the same bits.
			out[len(out)-1].Complex = &xApply{Function: "+", Args: []any{
				xApply{Function: "*", Args: []any{xConstant{DataType: "double", Value: fmtNum(b.Slope)}, xFieldRef{Field: name}}},
				xConstant{DataType: "double", Value: fmtNum(b.Effect)},
			}}
		}
	}
	return out, nil
}

// canonicalBinOrder is the order in which a binned term's bins are written
// as PMML attributes, and in which Read rebuilds them: missing, special
// values (ascending), ranges (ascending), category bins (as listed), other.
func canonicalBinOrder(t *score.Term) []int {
	rank := func(b score.Bin) int {
		switch b.Kind {
		case score.MissingBin:
			return 0
		case score.SpecialBin:
			return 1
		case score.OtherBin:
			return 3
		}
		return 2
	}
	key := func(b score.Bin) float64 {
		switch b.Kind {
		case score.SpecialBin:
			return *b.Special
		case score.RangeBin:
			return bound(b.Lower, math.Inf(-1))
		}
		return 0
	}
	order := make([]int, len(t.Bins))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ba, bb := t.Bins[a], t.Bins[b]
		if r := rank(ba) - rank(bb); r != 0 {
			return r
		}
		return metric.Compare(key(ba), key(bb))
	})
	return order
}

// rangePredicate writes [lo, hi) as a PMML predicate (see the package
// comment on bins for the lessOrEqual / greaterThan forms).
func rangePredicate(name string, lo, hi *float64) any {
	var parts []any
	if lo != nil {
		op, v := "greaterOrEqual", *lo
		if below := math.Nextafter(v, math.Inf(-1)); len(fmtNum(below)) < len(fmtNum(v)) {
			op, v = "greaterThan", below
		}
		parts = append(parts, valuePredicate(name, op, fmtNum(v)))
	}
	if hi != nil {
		op, v := "lessThan", *hi
		if below := math.Nextafter(v, math.Inf(-1)); len(fmtNum(below)) < len(fmtNum(v)) {
			op, v = "lessOrEqual", below
		}
		parts = append(parts, valuePredicate(name, op, fmtNum(v)))
	}
	switch len(parts) {
	case 0:
		return xSimple{Field: name, Operator: "isNotMissing"}
	case 1:
		return parts[0]
	}
	return xCompound{Operator: "and", Parts: parts}
}

// pmmlArray writes a PMML string Array: items separated by spaces, quoted
// (with \" escapes) when they hold spaces, quotes or are empty.
func pmmlArray(items []string) string {
	parts := make([]string, len(items))
	for i, s := range items {
		if s == "" || strings.ContainsAny(s, " \t\n\r\"\\") {
			s = `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
		}
		parts[i] = s
	}
	return strings.Join(parts, " ")
}

// regressionAsCard reports whether a logistic or linear model is written
// as a PMML Scorecard: when no RegressionModel holds it exactly
// (regressionForm). Its points are then the model's score, log-odds or
// the predicted value (initialScore the intercept, reasonCodeAlgorithm
// pointsAbove; a logistic model's probability an OutputField
// 1/(1+exp(-points))), and the candor metadata says the kind, so that
// Read gives back the same model.
func regressionAsCard(spec *score.Spec) bool {
	return (spec.Kind == score.LogisticModel || spec.Kind == score.LinearModel) && !regressionForm(spec)
}

// regressionForm reports whether a logistic or linear model is a PMML
// RegressionModel exactly: linear and categorical terms only, a missing
// category scored as one of the levels, an unknown one at 0.
func regressionForm(spec *score.Spec) bool {
	for _, t := range spec.Terms {
		switch t.Kind {
		case score.LinearTerm:
		case score.CategoricalTerm:
			if t.OtherEffect != nil && *t.OtherEffect != 0 {
				return false
			}
			if t.MissingEffect != nil && !slices.ContainsFunc(t.Levels, func(l score.Level) bool { return l.Effect == *t.MissingEffect }) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func regressionXML(m *score.Model, spec *score.Spec, target string) (*xRegression, error) {
	rm := &xRegression{ModelName: spec.Name, FunctionName: "regression"}
	table := xRegTable{Intercept: fmtNum(spec.Intercept)}
	if spec.Kind == score.LogisticModel {
		rm.FunctionName, rm.Normalization = "classification", "logit"
		ev, _ := eventLabels(m, spec)
		table.Category = ev
	}
	for _, t := range spec.Terms {
		mf := xMiningField{Name: t.Feature, UsageType: "active", InvalidTreatment: invalidTreatment(m, t.Feature, "")}
		switch t.Kind {
		case score.LinearTerm:
			table.Numeric = append(table.Numeric, xNumericPred{Name: t.Feature, Coefficient: fmtNum(t.Coef)})
			if t.Fill != nil {
				mf.MissingReplace = fmtNum(*t.Fill)
			}
		case score.CategoricalTerm:
			if t.OtherEffect != nil {
				if *t.OtherEffect != 0 {
					return nil, unsupported("RegressionModel", t.Feature, "an unknown category's effect %v is not 0", *t.OtherEffect)
				}
				mf.InvalidTreatment = "asIs"
			} else {
				mf.InvalidTreatment = "returnInvalid"
			}
			if t.MissingEffect != nil {
				k := slices.IndexFunc(t.Levels, func(l score.Level) bool { return l.Effect == *t.MissingEffect })
				if k < 0 {
					return nil, unsupported("RegressionModel", t.Feature, "missing effect %v is no level's effect", *t.MissingEffect)
				}
				mf.MissingReplace = t.Levels[k].Label
			}
			for _, l := range t.Levels {
				if l.Label == t.Reference && l.Effect == 0 {
					continue
				}
				table.Categorical = append(table.Categorical, xCatPred{Name: t.Feature, Value: l.Label, Coefficient: fmtNum(l.Effect)})
			}
		default:
			return nil, unsupported("RegressionModel", t.Feature, "a binned term has no exact regression form")
		}
		rm.MiningFields = append(rm.MiningFields, mf)
	}
	rm.MiningFields = append(rm.MiningFields, xMiningField{Name: target, UsageType: "target"})
	rm.Tables = append(rm.Tables, table)
	if spec.Kind == score.LogisticModel {
		ev, nonev := eventLabels(m, spec)
		rm.Tables = append(rm.Tables, xRegTable{Intercept: "0", Category: nonev})
		rm.OutputFields = []xOutputField{
			{Name: "probability", Optype: "continuous", DataType: "double", Feature: "probability", Value: ev},
			{Name: "probability_" + nonev, Optype: "continuous", DataType: "double", Feature: "probability", Value: nonev},
		}
	} else {
		rm.OutputFields = []xOutputField{{Name: "prediction", Optype: "continuous", DataType: "double", Feature: "predictedValue"}}
	}
	return rm, nil
}

func bound(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}
