package pmml

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// xnode is a generic XML element, kept in document order.
type xnode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []xnode    `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n *xnode) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

func (n *xnode) attrOr(name, def string) string {
	if v, ok := n.attr(name); ok {
		return v
	}
	return def
}

func (n *xnode) child(name string) *xnode {
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == name {
			return &n.Nodes[i]
		}
	}
	return nil
}

func (n *xnode) children(name string) []*xnode {
	var out []*xnode
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == name {
			out = append(out, &n.Nodes[i])
		}
	}
	return out
}

// pmmlField is a DataDictionary field with its MiningSchema settings.
type pmmlField struct {
	name    string
	kind    score.Kind
	values  []string // declared valid values (categorical), nil when open
	invalid string   // invalidValueTreatment: returnInvalid, asIs, asMissing
	replace *string  // missingValueReplacement
	usage   string
	special []string // declared missing or invalid values
	// The valid values of a continuous field: whole numbers only (dataType
	// integer), Interval elements, Value elements of property valid.
	integer   bool
	intervals []score.Interval
	numValues []float64
}

// Read reads a PMML 4.x document holding a Scorecard or a
// RegressionModel (binary logistic with logit normalisation, or linear
// regression) and returns the equivalent candor model. The first-match
// semantics of scorecard attributes are mapped onto candor's bins exactly,
// or the import fails with an ErrUnsupported *Error that says why
// (see Write for the bin conventions). An attribute's
// ComplexPartialScore that is an affine function of the characteristic's
// own field, such as the "0.03*income + 11" and "0.01*income - 18" of the
// DMG sample scorecard (PMML 4.2 and later), becomes a range bin with a
// Slope; one that is not affine, reads another field, or that a missing
// value or a categorical field reaches is ErrUnsupported. Attributes no
// value reaches (shadowed by earlier ones under first-match) are dropped,
// whatever their partial score. Metadata written by Write
// (scaling, training statistics, term baselines, schema) is restored when
// the document carries it. Read never panics on bad input.
func Read(r io.Reader, opts *Options) (*score.Model, error) {
	if opts == nil {
		opts = &Options{}
	}
	doc, rerr := io.ReadAll(score.LimitReader(r, limit(opts.MaxBytes, 64<<20), "PMML document", "pmml.Options.MaxBytes"))
	if rerr != nil {
		return nil, rerr
	}
	// A first pass over the tokens, in constant memory, bounds the tree
	// that the second builds.
	if err := checkShape(doc, limit(int64(opts.MaxDepth), 64), limit(int64(opts.MaxElements), 1_000_000)); err != nil {
		return nil, err
	}
	var root xnode
	dec := xml.NewDecoder(bytes.NewReader(doc))
	if err := dec.Decode(&root); err != nil {
		return nil, malformedPMML("", "", "XML: %v", err)
	}
	if root.XMLName.Local != "PMML" {
		return nil, malformedPMML(root.XMLName.Local, "", "the root element is not PMML")
	}
	if v := root.attrOr("version", ""); !strings.HasPrefix(v, "4.") {
		return nil, unsupported("PMML", "", "version %q (candor reads PMML 4.x)", v)
	}
	if root.child("TransformationDictionary") != nil {
		return nil, unsupported("TransformationDictionary", "", "derived fields are not supported")
	}
	dd := root.child("DataDictionary")
	if dd == nil {
		return nil, malformedPMML("DataDictionary", "", "missing")
	}
	fields := map[string]*pmmlField{}
	for _, df := range dd.children("DataField") {
		name, ok := df.attr("name")
		if !ok || name == "" {
			return nil, malformedPMML("DataField", "", "field without a name")
		}
		if _, dup := fields[name]; dup {
			return nil, malformedPMML("DataField", name, "declared twice")
		}
		f := &pmmlField{name: name, kind: score.Numeric, invalid: "returnInvalid", usage: "active"}
		optype, dtype := df.attrOr("optype", ""), df.attrOr("dataType", "")
		switch {
		case optype == "categorical" || optype == "ordinal":
			f.kind = score.Categorical
		case optype == "continuous":
		case dtype == "string" || dtype == "boolean":
			f.kind = score.Categorical
		}
		for _, v := range df.children("Value") {
			if p := v.attrOr("property", "valid"); p != "valid" {
				// A value declared missing or invalid would need a
				// mapping candor's data model does not make.
				f.special = append(f.special, p+" value "+strconv.Quote(v.attrOr("value", "")))
				continue
			}
			val, ok := v.attr("value")
			if !ok {
				return nil, malformedPMML("Value", name, "value without a value attribute")
			}
			if f.kind == score.Categorical {
				f.values = append(f.values, val)
				continue
			}
			x, err := score.ParseNumber(strings.TrimSpace(val))
			if err != nil {
				return nil, malformedPMML("Value", name, "valid value %q of a continuous field is not a number", val)
			}
			f.numValues = append(f.numValues, x)
		}
		f.integer = f.kind == score.Numeric && dtype == "integer"
		for _, in := range df.children("Interval") {
			if f.kind != score.Numeric {
				return nil, unsupported("Interval", name, "a valid range on a field that is not continuous")
			}
			iv, err := interval(in, name)
			if err != nil {
				return nil, err
			}
			f.intervals = append(f.intervals, iv)
		}
		fields[name] = f
	}
	var model *xnode
	for i := range root.Nodes {
		switch root.Nodes[i].XMLName.Local {
		case "Header", "DataDictionary", "MiningBuildTask", "Extension":
			continue
		case "Scorecard", "RegressionModel":
			if model == nil {
				model = &root.Nodes[i]
				continue
			}
			return nil, unsupported(root.Nodes[i].XMLName.Local, "", "more than one model in the document")
		default:
			return nil, unsupported(root.Nodes[i].XMLName.Local, "", "candor reads Scorecard and RegressionModel")
		}
	}
	if model == nil {
		return nil, malformedPMML("PMML", "", "no Scorecard or RegressionModel")
	}
	if model.attrOr("isScorable", "true") == "false" {
		return nil, unsupported(model.XMLName.Local, "", "model is marked isScorable=false")
	}
	if model.child("LocalTransformations") != nil {
		return nil, unsupported("LocalTransformations", "", "derived fields are not supported")
	}
	if model.child("Targets") != nil {
		return nil, unsupported("Targets", "", "target rescaling is not supported")
	}
	ms := model.child("MiningSchema")
	if ms == nil {
		return nil, malformedPMML("MiningSchema", "", "missing")
	}
	var active []string
	target := ""
	for _, mf := range ms.children("MiningField") {
		name := mf.attrOr("name", "")
		f, ok := fields[name]
		if !ok {
			return nil, unsupported("MiningField", name, "field is not in the DataDictionary (derived fields are not supported)")
		}
		f.usage = mf.attrOr("usageType", "active")
		switch f.usage {
		case "active":
			active = append(active, name)
		case "target", "predicted":
			if target == "" {
				target = name
			}
			continue
		default:
			continue
		}
		f.invalid = mf.attrOr("invalidValueTreatment", "returnInvalid")
		switch f.invalid {
		case "returnInvalid", "asIs", "asMissing":
		case "asValue":
			return nil, unsupported("MiningField", name, "invalidValueTreatment asValue")
		default:
			return nil, malformedPMML("MiningField", name, "invalidValueTreatment %q", f.invalid)
		}
		for _, sp := range f.special {
			if f.invalid != "asIs" || strings.HasPrefix(sp, "missing") {
				return nil, unsupported("DataField", name, "%s: such values would be invalid or missing, a mapping candor does not make", sp)
			}
		}
		if v, ok := mf.attr("missingValueReplacement"); ok {
			f.replace = &v
		}
		if mf.attrOr("outliers", "asIs") != "asIs" {
			return nil, unsupported("MiningField", name, "outlier treatment %q", mf.attrOr("outliers", ""))
		}
	}
	var meta *pmmlMeta
	for _, e := range model.children("Extension") {
		if e.attrOr("extender", "") == "candor" && e.attrOr("name", "") == "metadata" {
			meta = &pmmlMeta{}
			if err := json.Unmarshal([]byte(strings.TrimSpace(e.Text)), meta); err != nil {
				return nil, malformedPMML("Extension", "", "candor metadata: %v", err)
			}
		}
	}
	spec := score.Spec{Name: model.attrOr("modelName", ""), Target: target}
	for _, name := range active {
		f := fields[name]
		ft := score.Feature{Name: name, Kind: f.kind, Role: score.Input, Categories: slices.Clone(f.values)}
		if f.kind == score.Numeric && f.invalid != "asIs" && (f.integer || f.intervals != nil || f.numValues != nil) {
			ft.Valid = &score.Validity{Integer: f.integer, Intervals: f.intervals, Values: f.numValues, AsMissing: f.invalid == "asMissing"}
		}
		spec.Features = append(spec.Features, ft)
	}
	var err error
	switch model.XMLName.Local {
	case "Scorecard":
		err = readScorecard(model, fields, &spec, opts)
	case "RegressionModel":
		err = readRegression(model, fields, active, &spec)
	}
	if err != nil {
		return nil, err
	}
	if meta != nil {
		if err := applyMeta(&spec, meta); err != nil {
			return nil, err
		}
	}
	if spec.Name == "" {
		spec.Name = "pmml"
	}
	if err := spec.CheckOverflow(); err != nil {
		// The score of such a model is +Inf or -Inf on ordinary rows.
		var fe *score.FieldError
		if errors.As(err, &fe) {
			return nil, malformedPMML(model.XMLName.Local, fe.Feature, "%v", fe.Err)
		}
		return nil, malformedPMML(model.XMLName.Local, "", "%v", err)
	}
	return score.NewModel(spec)
}

// interval reads a DataField's Interval element: closure (closedClosed by
// default here, PMML's required attribute) and optional margins.
func interval(in *xnode, field string) (score.Interval, error) {
	var iv score.Interval
	switch c := in.attrOr("closure", ""); c {
	case "openClosed":
		iv.LowerOpen = true
	case "openOpen":
		iv.LowerOpen, iv.UpperOpen = true, true
	case "closedOpen":
		iv.UpperOpen = true
	case "closedClosed":
	default:
		return iv, malformedPMML("Interval", field, "closure %q (want openClosed, openOpen, closedOpen or closedClosed)", c)
	}
	for _, side := range []struct {
		attr string
		dst  **float64
	}{{"leftMargin", &iv.Lower}, {"rightMargin", &iv.Upper}} {
		s, ok := in.attr(side.attr)
		if !ok {
			continue
		}
		x, err := score.ParseNumber(strings.TrimSpace(s))
		if err != nil {
			return iv, malformedPMML("Interval", field, "%s %q is not a number", side.attr, s)
		}
		*side.dst = &x
	}
	if iv.Lower != nil && iv.Upper != nil && *iv.Lower > *iv.Upper {
		return iv, malformedPMML("Interval", field, "leftMargin %v above rightMargin %v", *iv.Lower, *iv.Upper)
	}
	return iv, nil
}

// applyMeta restores what PMML has no element for. The metadata must
// describe the same terms, bins and levels as the PMML content.
func applyMeta(spec *score.Spec, mt *pmmlMeta) error {
	bad := func(format string, args ...any) error {
		return malformedPMML("Extension", "", "candor metadata does not match the model: "+format, args...)
	}
	// A logistic or linear model written as a Scorecard (regressionAsCard).
	asCard := (mt.Kind == score.LogisticModel || mt.Kind == score.LinearModel) && spec.Kind == score.ScorecardModel
	if mt.Kind != spec.Kind && !asCard || len(mt.Terms) != len(spec.Terms) {
		return bad("kind %q with %d terms", mt.Kind, len(mt.Terms))
	}
	if asCard {
		spec.Kind, spec.Scaling = mt.Kind, nil
	}
	for j := range spec.Terms {
		t, tm := &spec.Terms[j], &mt.Terms[j]
		if tm.Linear {
			if !asCard {
				return bad("term %d (%s): a linear term in a scorecard", j, t.Feature)
			}
			if err := binsToLinear(t, tm.Fill); err != nil {
				return bad("term %d (%s): %v", j, t.Feature, err)
			}
		}
		if t.Kind == score.BinnedTerm && tm.Levels != nil {
			// A scorecard's categorical term was written as one attribute
			// per level (missing first, other last): rebuild it.
			if err := binsToLevels(t); err != nil {
				return bad("term %d (%s): %v", j, t.Feature, err)
			}
		}
		if tm.Feature != t.Feature || (tm.Levels != nil && len(tm.Levels) != len(t.Levels)) || (tm.Bins != nil && len(tm.Bins) != len(t.Bins)) {
			return bad("term %d (%s)", j, t.Feature)
		}
	}
	for _, f := range spec.Features {
		i := slices.IndexFunc(mt.Features, func(g score.Feature) bool { return g.Name == f.Name })
		if i < 0 || mt.Features[i].Kind != f.Kind || mt.Features[i].Role != score.Input {
			return bad("feature %q", f.Name)
		}
		// The metadata's categories replace the DataField's values: they
		// must be the same labels, or the bins could name labels the
		// feature does not have.
		if mc := mt.Features[i].Categories; len(mc) > 0 && !sameLabels(mc, f.Categories) {
			return bad("categories of feature %q", f.Name)
		}
	}
	spec.Name, spec.Version, spec.Target, spec.Event = mt.Name, mt.Version, mt.Target, mt.Event
	spec.Features, spec.Cutoff, spec.Training, spec.Reasons = mt.Features, mt.Cutoff, mt.Training, mt.Reasons
	if mt.Scaling != nil {
		spec.Scaling = mt.Scaling
	}
	for j := range spec.Terms {
		t, tm := &spec.Terms[j], &mt.Terms[j]
		t.Baseline, t.Stats, t.ReasonCode, t.ReasonBaseline = tm.Baseline, tm.Stats, tm.ReasonCode, tm.ReasonBaseline
		if t.Kind == score.CategoricalTerm {
			t.Reference = tm.Reference
		}
		for k := range tm.Levels {
			if tm.Levels[k].Label != t.Levels[k].Label {
				return bad("level %d of %s", k, t.Feature)
			}
			t.Levels[k].Count = tm.Levels[k].Count
			t.Levels[k].Events = tm.Levels[k].Events
		}
		if tm.Bins != nil {
			bins := make([]score.Bin, len(t.Bins))
			placed := make([]bool, len(t.Bins))
			for k, bm := range tm.Bins {
				if bm.Pos < 0 || bm.Pos >= len(bins) || placed[bm.Pos] {
					return bad("bin positions of %s", t.Feature)
				}
				b := t.Bins[k]
				b.Label, b.WoE, b.Count, b.Events = bm.Label, bm.WoE, bm.Count, bm.Events
				bins[bm.Pos], placed[bm.Pos] = b, true
			}
			t.Bins = bins
		}
	}
	return nil
}

// sameLabels reports whether a and b hold the same labels, in any order.
func sameLabels(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// binsToLinear turns the binned term a LinearTerm was written as (one
// unbounded range bin of slope Coef and effect 0, and with a fill a
// missing bin of effect Coef*fill) back into that LinearTerm.
func binsToLinear(t *score.Term, fill *float64) error {
	var coef float64
	var ranges, missing int
	for _, b := range t.Bins {
		switch {
		case b.Kind == score.RangeBin && b.Lower == nil && b.Upper == nil && b.Effect == 0 && b.ReasonCode == "":
			coef = b.Slope
			ranges++
		case b.Kind == score.MissingBin && fill != nil && b.ReasonCode == "":
			missing++
		default:
			return fmt.Errorf("a %s bin", b.Kind)
		}
	}
	if ranges != 1 || (fill != nil) != (missing == 1) {
		return fmt.Errorf("%d range and %d missing bins", ranges, missing)
	}
	for _, b := range t.Bins {
		if b.Kind == score.MissingBin && b.Effect != coef**fill {
			return fmt.Errorf("missing effect %v is not %v x %v", b.Effect, coef, *fill)
		}
	}
	*t = score.Term{Feature: t.Feature, Kind: score.LinearTerm, Coef: coef, Fill: fill}
	return nil
}

// binsToLevels turns a binned term whose bins are single categories (plus
// missing and other) back into a categorical term.
func binsToLevels(t *score.Term) error {
	c := score.Term{Feature: t.Feature, Kind: score.CategoricalTerm}
	for _, b := range t.Bins {
		switch b.Kind {
		case score.CategoryBin:
			if len(b.Categories) != 1 {
				return fmt.Errorf("bin of %d categories for a level", len(b.Categories))
			}
			c.Levels = append(c.Levels, score.Level{Label: b.Categories[0], Effect: b.Effect, ReasonCode: b.ReasonCode})
		case score.MissingBin, score.OtherBin:
			if b.ReasonCode != "" {
				return fmt.Errorf("reason code on a missing or other bin")
			}
			e := b.Effect
			if b.Kind == score.MissingBin {
				c.MissingEffect = &e
			} else {
				c.OtherEffect = &e
			}
		default:
			return fmt.Errorf("%s bin for a categorical term", b.Kind)
		}
	}
	*t = c
	return nil
}

func parseNum(elem, field, attr, s string) (float64, error) {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, malformedPMML(elem, field, "%s=%q is not a finite number", attr, s)
	}
	return x, nil
}

func readRegression(model *xnode, fields map[string]*pmmlField, active []string, spec *score.Spec) error {
	fn := model.attrOr("functionName", "")
	norm := model.attrOr("normalizationMethod", "none")
	tables := model.children("RegressionTable")
	var table *xnode
	switch {
	case fn == "regression" && norm == "none" && len(tables) == 1:
		spec.Kind = score.LinearModel
		table = tables[0]
	case fn == "classification" && norm == "logit" && len(tables) == 2:
		spec.Kind = score.LogisticModel
		// Binary logit: the first table gives the first category's
		// probability, the last category gets 1 minus it; candor requires
		// the last table to be the empty reference (intercept 0).
		table, other := tables[0], tables[1]
		if len(other.children("NumericPredictor"))+len(other.children("CategoricalPredictor"))+len(other.children("PredictorTerm")) > 0 {
			return unsupported("RegressionTable", "", "the reference category's table has predictors")
		}
		if x, err := parseNum("RegressionTable", "", "intercept", other.attrOr("intercept", "")); err != nil || x != 0 {
			return unsupported("RegressionTable", "", "the reference category's intercept is not 0")
		}
		spec.Event = table.attrOr("targetCategory", "")
		spec.Cutoff = 0
		return regressionTerms(table, fields, active, spec)
	default:
		return unsupported("RegressionModel", "", "functionName %q with normalizationMethod %q and %d tables (candor reads linear regression and binary logit)", fn, norm, len(tables))
	}
	return regressionTerms(table, fields, active, spec)
}

func regressionTerms(table *xnode, fields map[string]*pmmlField, active []string, spec *score.Spec) error {
	icpt, err := parseNum("RegressionTable", "", "intercept", table.attrOr("intercept", ""))
	if err != nil {
		return err
	}
	spec.Intercept = icpt
	coef := map[string]float64{}
	numeric := map[string]bool{}
	levelEff := map[string]map[string]float64{}
	for _, n := range table.Nodes {
		name := n.attrOr("name", "")
		switch n.XMLName.Local {
		case "NumericPredictor":
			f, ok := fields[name]
			if !ok || f.usage != "active" || f.kind != score.Numeric {
				return unsupported("NumericPredictor", name, "not an active continuous field")
			}
			if e := n.attrOr("exponent", "1"); e != "1" {
				return unsupported("NumericPredictor", name, "exponent %s (candor terms are linear)", e)
			}
			c, err := parseNum("NumericPredictor", name, "coefficient", n.attrOr("coefficient", ""))
			if err != nil {
				return err
			}
			coef[name] += c
			numeric[name] = true
		case "CategoricalPredictor":
			f, ok := fields[name]
			if !ok || f.usage != "active" || f.kind != score.Categorical {
				return unsupported("CategoricalPredictor", name, "not an active categorical field")
			}
			v, ok := n.attr("value")
			if !ok {
				return malformedPMML("CategoricalPredictor", name, "no value")
			}
			c, err := parseNum("CategoricalPredictor", name, "coefficient", n.attrOr("coefficient", ""))
			if err != nil {
				return err
			}
			if levelEff[name] == nil {
				levelEff[name] = map[string]float64{}
			}
			levelEff[name][v] += c
		case "PredictorTerm":
			return unsupported("PredictorTerm", name, "interaction terms are not additive")
		case "Extension":
		default:
			return unsupported(n.XMLName.Local, name, "unknown RegressionTable element")
		}
	}
	for _, name := range active {
		f := fields[name]
		t := score.Term{Feature: name}
		if f.kind == score.Numeric {
			t.Kind, t.Coef = score.LinearTerm, coef[name]
			if f.replace != nil {
				x, err := parseNum("MiningField", name, "missingValueReplacement", *f.replace)
				if err != nil {
					return err
				}
				t.Fill = &x
			}
			spec.Terms = append(spec.Terms, t)
			continue
		}
		t.Kind = score.CategoricalTerm
		eff := levelEff[name]
		levels := slices.Clone(f.values)
		for _, v := range slices.Sorted(maps.Keys(eff)) {
			if !slices.Contains(levels, v) {
				if f.values != nil && f.invalid == "returnInvalid" {
					return unsupported("CategoricalPredictor", name, "value %q is not a valid value of the field", v)
				}
				levels = append(levels, v)
			}
		}
		for _, l := range levels {
			if _, ok := eff[l]; !ok && t.Reference == "" {
				t.Reference = l
			}
			t.Levels = append(t.Levels, score.Level{Label: l, Effect: eff[l]})
		}
		// An unknown label: an error when the field's values are closed,
		// otherwise it matches no predictor (effect 0), or is treated as missing.
		zero := 0.0
		switch {
		case f.values != nil && f.invalid == "returnInvalid":
		case f.values != nil && f.invalid == "asMissing":
			if f.replace != nil {
				e := eff[*f.replace]
				t.OtherEffect = &e
			}
		default:
			t.OtherEffect = &zero
		}
		if f.replace != nil {
			e := eff[*f.replace]
			t.MissingEffect = &e
		}
		spec.Terms = append(spec.Terms, t)
	}
	return nil
}

// ---- Scorecard import ----

// tri is three-valued logic for PMML predicates over a missing value.
type tri int8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

// probe is one value a characteristic's field can take: a number, a label,
// or missing.
type probe struct {
	missing bool
	num     float64
	label   string
}

func readScorecard(model *xnode, fields map[string]*pmmlField, spec *score.Spec, opts *Options) error {
	spec.Kind = score.ScorecardModel
	sc := opts.Scaling
	if sc == nil {
		s := score.NewScaling(0, 0, 0)
		sc = &s
	}
	spec.Scaling = sc
	init, err := parseNum("Scorecard", "", "initialScore", model.attrOr("initialScore", "0"))
	if err != nil {
		return err
	}
	spec.Intercept = init
	useRC := model.attrOr("useReasonCodes", "true") == "true"
	if useRC {
		rs := &score.ReasonSpec{Algorithm: model.attrOr("reasonCodeAlgorithm", "pointsBelow")}
		if rs.Algorithm != "pointsBelow" && rs.Algorithm != "pointsAbove" {
			return malformedPMML("Scorecard", "", "reasonCodeAlgorithm %q", rs.Algorithm)
		}
		if v, ok := model.attr("baselineScore"); ok {
			x, err := parseNum("Scorecard", "", "baselineScore", v)
			if err != nil {
				return err
			}
			rs.Baseline = &x
		}
		spec.Reasons = rs
	}
	chars := model.child("Characteristics")
	if chars == nil {
		return malformedPMML("Characteristics", "", "missing")
	}
	seen := map[string]bool{}
	for _, ch := range chars.children("Characteristic") {
		t, err := readCharacteristic(ch, fields, spec.Reasons)
		if err != nil {
			return err
		}
		if seen[t.Feature] {
			return unsupported("Characteristic", t.Feature, "two characteristics on one field")
		}
		seen[t.Feature] = true
		spec.Terms = append(spec.Terms, t)
	}
	if len(spec.Terms) == 0 {
		return malformedPMML("Characteristics", "", "no characteristic")
	}
	// Keep only features that have a term (active fields unused by any
	// characteristic still are inputs, with no effect, so drop them).
	spec.Features = slices.DeleteFunc(spec.Features, func(f score.Feature) bool { return !seen[f.Name] })
	return nil
}

// pmmlAttr is one Attribute of a characteristic: its partial score is
// score + slope*x, where slope is non-zero (or refs is true) only for a
// ComplexPartialScore of the characteristic's field. err is why its
// ComplexPartialScore cannot be held, reported only when a value reaches
// the attribute (an unreachable attribute is dropped).
type pmmlAttr struct {
	score      float64
	slope      float64
	refs       bool // the expression reads the field (a missing value makes it missing)
	err        error
	complex    *xnode
	reasonCode string
	pred       *xnode
}

func readCharacteristic(ch *xnode, fields map[string]*pmmlField, rs *score.ReasonSpec) (score.Term, error) {
	name := ch.attrOr("name", "")
	var t score.Term
	t.ReasonCode = ch.attrOr("reasonCode", "")
	if v, ok := ch.attr("baselineScore"); ok {
		x, err := parseNum("Characteristic", name, "baselineScore", v)
		if err != nil {
			return t, err
		}
		t.ReasonBaseline = &x
	}
	if rs != nil && t.ReasonBaseline == nil && rs.Baseline == nil {
		return t, malformedPMML("Characteristic", name, "reason codes are used but neither the characteristic nor the scorecard has a baselineScore")
	}
	var attrs []pmmlAttr
	field := ""
	for _, a := range ch.children("Attribute") {
		var pred *xnode
		for i := range a.Nodes {
			switch a.Nodes[i].XMLName.Local {
			case "Extension":
			case "ComplexPartialScore":
			default:
				if pred != nil {
					return t, malformedPMML("Attribute", name, "more than one predicate")
				}
				pred = &a.Nodes[i]
			}
		}
		if pred == nil {
			return t, malformedPMML("Attribute", name, "no predicate")
		}
		if err := predicateFields(pred, &field); err != nil {
			return t, err
		}
		pa := pmmlAttr{reasonCode: a.attrOr("reasonCode", ""), pred: pred}
		if c := a.child("ComplexPartialScore"); c != nil {
			// Read once the field is known; an error only if a value reaches it.
			pa.complex = c
		} else {
			x, err := parseNum("Attribute", field, "partialScore", a.attrOr("partialScore", ""))
			if err != nil {
				return t, err
			}
			pa.score = x
		}
		if rs != nil && pa.reasonCode == "" && t.ReasonCode == "" {
			return t, malformedPMML("Attribute", field, "reason codes are used but neither the attribute nor the characteristic has a reasonCode")
		}
		attrs = append(attrs, pa)
	}
	if len(attrs) == 0 {
		return t, malformedPMML("Characteristic", name, "no attributes")
	}
	if field == "" {
		return t, unsupported("Characteristic", name, "attributes name no field (constant predicates only)")
	}
	f, ok := fields[field]
	if !ok || f.usage != "active" {
		return t, unsupported("Characteristic", field, "predicates on a field that is not an active input")
	}
	t.Feature = field
	if t.ReasonCode == field {
		t.ReasonCode = ""
	}
	for k := range attrs {
		if c := attrs[k].complex; c != nil {
			attrs[k].readComplex(c, field)
		}
	}
	var err error
	if f.kind == score.Numeric {
		err = numericBins(&t, attrs, f)
	} else {
		err = categoricalBins(&t, attrs, f)
	}
	return t, err
}

// predicateFields checks that a predicate uses only supported elements and
// at most one field, recording it in *field.
func predicateFields(p *xnode, field *string) error {
	switch p.XMLName.Local {
	case "True", "False":
		return nil
	case "SimplePredicate", "SimpleSetPredicate":
		f := p.attrOr("field", "")
		if *field != "" && f != *field {
			return unsupported(p.XMLName.Local, f, "a characteristic's predicates use two fields (%q and %q)", *field, f)
		}
		*field = f
		return nil
	case "CompoundPredicate":
		switch op := p.attrOr("booleanOperator", ""); op {
		case "and", "or", "xor":
		case "surrogate":
			return unsupported("CompoundPredicate", *field, "booleanOperator surrogate")
		default:
			return malformedPMML("CompoundPredicate", *field, "booleanOperator %q", op)
		}
		n := 0
		for i := range p.Nodes {
			if p.Nodes[i].XMLName.Local == "Extension" {
				continue
			}
			n++
			if err := predicateFields(&p.Nodes[i], field); err != nil {
				return err
			}
		}
		if n < 2 {
			return malformedPMML("CompoundPredicate", *field, "needs two or more predicates")
		}
		return nil
	}
	return unsupported(p.XMLName.Local, *field, "unknown predicate")
}

// eval evaluates predicate p at probe v (for a numeric field when numeric).
func eval(p *xnode, v probe, numeric bool) (tri, error) {
	switch p.XMLName.Local {
	case "True":
		return triTrue, nil
	case "False":
		return triFalse, nil
	case "SimplePredicate":
		op := p.attrOr("operator", "")
		switch op {
		case "isMissing":
			return boolTri(v.missing), nil
		case "isNotMissing":
			return boolTri(!v.missing), nil
		}
		raw, ok := p.attr("value")
		if !ok {
			return triFalse, malformedPMML("SimplePredicate", p.attrOr("field", ""), "operator %s without a value", op)
		}
		if v.missing {
			return triUnknown, nil
		}
		var c int
		if numeric {
			x, err := parseNum("SimplePredicate", p.attrOr("field", ""), "value", raw)
			if err != nil {
				return triFalse, err
			}
			c = metric.Compare(v.num, x)
		} else {
			c = strings.Compare(v.label, raw)
			if op != "equal" && op != "notEqual" {
				return triFalse, unsupported("SimplePredicate", p.attrOr("field", ""), "ordering operator %s on a categorical field", op)
			}
		}
		switch op {
		case "equal":
			return boolTri(c == 0), nil
		case "notEqual":
			return boolTri(c != 0), nil
		case "lessThan":
			return boolTri(c < 0), nil
		case "lessOrEqual":
			return boolTri(c <= 0), nil
		case "greaterThan":
			return boolTri(c > 0), nil
		case "greaterOrEqual":
			return boolTri(c >= 0), nil
		}
		return triFalse, malformedPMML("SimplePredicate", p.attrOr("field", ""), "operator %q", op)
	case "SimpleSetPredicate":
		op := p.attrOr("booleanOperator", "")
		if op != "isIn" && op != "isNotIn" {
			return triFalse, malformedPMML("SimpleSetPredicate", p.attrOr("field", ""), "booleanOperator %q", op)
		}
		if v.missing {
			return triUnknown, nil
		}
		items, err := setItems(p, numeric)
		if err != nil {
			return triFalse, err
		}
		in := false
		for _, it := range items {
			if (numeric && it.num == v.num) || (!numeric && it.label == v.label) {
				in = true
				break
			}
		}
		return boolTri(in == (op == "isIn")), nil
	case "CompoundPredicate":
		op := p.attrOr("booleanOperator", "")
		var acc tri
		first := true
		for i := range p.Nodes {
			if p.Nodes[i].XMLName.Local == "Extension" {
				continue
			}
			r, err := eval(&p.Nodes[i], v, numeric)
			if err != nil {
				return triFalse, err
			}
			if first {
				acc, first = r, false
				continue
			}
			acc = combine(op, acc, r)
		}
		return acc, nil
	}
	return triFalse, unsupported(p.XMLName.Local, "", "unknown predicate")
}

func boolTri(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// combine applies PMML's three-valued and / or / xor.
func combine(op string, a, b tri) tri {
	switch op {
	case "and":
		if a == triFalse || b == triFalse {
			return triFalse
		}
		if a == triUnknown || b == triUnknown {
			return triUnknown
		}
		return triTrue
	case "or":
		if a == triTrue || b == triTrue {
			return triTrue
		}
		if a == triUnknown || b == triUnknown {
			return triUnknown
		}
		return triFalse
	}
	// xor
	if a == triUnknown || b == triUnknown {
		return triUnknown
	}
	return boolTri(a != b)
}

// setItems parses a SimpleSetPredicate's Array.
func setItems(p *xnode, numeric bool) ([]probe, error) {
	arr := p.child("Array")
	if arr == nil {
		return nil, malformedPMML("SimpleSetPredicate", p.attrOr("field", ""), "no Array")
	}
	words, err := splitPMMLArray(arr.Text)
	if err != nil {
		return nil, malformedPMML("Array", p.attrOr("field", ""), "%v", err)
	}
	out := make([]probe, len(words))
	for i, w := range words {
		if numeric {
			x, err := parseNum("Array", p.attrOr("field", ""), "item", w)
			if err != nil {
				return nil, err
			}
			out[i] = probe{num: x}
		} else {
			out[i] = probe{label: w}
		}
	}
	return out, nil
}

// splitPMMLArray splits a PMML Array's content: white-space separated
// items, double-quoted when they contain spaces, with \" and \\ escapes.
func splitPMMLArray(s string) ([]string, error) {
	var out []string
	i := 0
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		case '"':
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if c == '"' {
					closed = true
					i++
					break
				}
				b.WriteByte(c)
				i++
			}
			if !closed {
				return nil, fmt.Errorf("unterminated quoted item")
			}
			out = append(out, b.String())
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r", rune(s[j])) {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out, nil
}

// constants collects the numeric constants of a characteristic's predicates.
func constants(p *xnode, out map[float64]bool) error {
	switch p.XMLName.Local {
	case "SimplePredicate":
		if raw, ok := p.attr("value"); ok {
			x, err := parseNum("SimplePredicate", p.attrOr("field", ""), "value", raw)
			if err != nil {
				return err
			}
			out[x] = true
		}
	case "SimpleSetPredicate":
		items, err := setItems(p, true)
		if err != nil {
			return err
		}
		for _, it := range items {
			out[it.num] = true
		}
	case "CompoundPredicate":
		for i := range p.Nodes {
			if err := constants(&p.Nodes[i], out); err != nil {
				return err
			}
		}
	}
	return nil
}

// firstMatch returns the index of the first attribute whose predicate is
// TRUE at v, or -1 (the score is invalid there: candor reports an error).
func firstMatch(attrs []pmmlAttr, v probe, numeric bool) (int, error) {
	for k, a := range attrs {
		r, err := eval(a.pred, v, numeric)
		if err != nil {
			return -1, err
		}
		if r == triTrue {
			return k, nil
		}
	}
	return -1, nil
}

// affine is a ComplexPartialScore expression a + b*x of the
// characteristic's field x. hasA and hasB say whether a constant and a
// field part occur at all, so that adding a missing part leaves the other
// exactly as written (-0 stays -0: an exported sloped bin re-imports to
// the same bits).
type affine struct {
	a, b       float64
	hasA, hasB bool
}

func addPart(x float64, hx bool, y float64, hy bool) (float64, bool) {
	switch {
	case hx && hy:
		return x + y, true
	case hx:
		return x, true
	}
	return y, hy
}

// readComplex reads the attribute's ComplexPartialScore as an affine
// function of field, recording an ErrUnsupported (or ErrMalformed)
// error when it is not one.
func (pa *pmmlAttr) readComplex(c *xnode, field string) {
	var expr *xnode
	for i := range c.Nodes {
		if c.Nodes[i].XMLName.Local == "Extension" {
			continue
		}
		if expr != nil {
			pa.err = malformedPMML("ComplexPartialScore", field, "more than one expression")
			return
		}
		expr = &c.Nodes[i]
	}
	if expr == nil {
		pa.err = malformedPMML("ComplexPartialScore", field, "no expression")
		return
	}
	f, err := affineOf(expr, field, 0)
	if err != nil {
		// Name the ComplexPartialScore as the element; the detail says which part.
		if pe, ok := err.(*Error); ok && pe.Element != "ComplexPartialScore" {
			pe.Detail = "<" + pe.Element + ">: " + pe.Detail
			pe.Element = "ComplexPartialScore"
		}
		pa.err = err
		return
	}
	pa.score, pa.slope, pa.refs = f.a, f.b, f.hasB
}

// affineOf reads a PMML expression built from Constant, FieldRef of field
// and the binary Apply functions +, - and *, as long as it stays affine.
func affineOf(e *xnode, field string, depth int) (affine, error) {
	if depth > 64 {
		return affine{}, unsupported("ComplexPartialScore", field, "expression nested more than 64 deep")
	}
	for _, at := range e.Attrs {
		el, n := e.XMLName.Local, at.Name.Local
		switch {
		case at.Name.Space != "" || n == "xmlns":
		case el == "Constant" && n == "dataType" && slices.Contains([]string{"double", "float", "integer"}, at.Value):
		case el == "Apply" && n == "function", el == "FieldRef" && n == "field":
		case el == "Apply" && n == "invalidValueTreatment" && at.Value == "returnInvalid":
		default:
			return affine{}, unsupported(el, field, "%s=%q in a ComplexPartialScore (candor reads numeric constants, the field and + - *)", n, at.Value)
		}
	}
	switch e.XMLName.Local {
	case "Constant":
		x, err := parseNum("Constant", field, "value", e.Text)
		if err != nil {
			return affine{}, err
		}
		return affine{a: x, hasA: true}, nil
	case "FieldRef":
		if f := e.attrOr("field", ""); f != field {
			return affine{}, unsupported("FieldRef", field, "the partial score reads field %q, not the characteristic's own field", f)
		}
		return affine{b: 1, hasB: true}, nil
	case "Apply":
		var args []affine
		for i := range e.Nodes {
			if e.Nodes[i].XMLName.Local == "Extension" {
				continue
			}
			x, err := affineOf(&e.Nodes[i], field, depth+1)
			if err != nil {
				return affine{}, err
			}
			args = append(args, x)
		}
		fn := e.attrOr("function", "")
		switch fn {
		case "+", "-", "*":
		default:
			return affine{}, unsupported("Apply", field, "function %q in a ComplexPartialScore (candor reads + - * of constants and the field)", fn)
		}
		if len(args) != 2 {
			return affine{}, malformedPMML("Apply", field, "function %q with %d arguments (want 2)", fn, len(args))
		}
		p, q := args[0], args[1]
		switch fn {
		case "-":
			q.a, q.b = -q.a, -q.b
			fallthrough
		case "+":
			var r affine
			r.a, r.hasA = addPart(p.a, p.hasA, q.a, q.hasA)
			r.b, r.hasB = addPart(p.b, p.hasB, q.b, q.hasB)
			return r, nil
		}
		if p.hasB && q.hasB {
			return affine{}, unsupported("Apply", field, "a product of the field with itself is not affine")
		}
		if p.hasB {
			p, q = q, p
		}
		k := p.a // a constant times q
		return affine{a: k * q.a, hasA: q.hasA, b: k * q.b, hasB: q.hasB}, nil
	}
	return affine{}, unsupported(e.XMLName.Local, field, "expression element in a ComplexPartialScore (candor reads Constant, FieldRef and Apply + - *)")
}

// missingProbe is the value a missing input takes: the field's
// missingValueReplacement when it declares one.
func missingProbe(f *pmmlField) (probe, error) {
	if f.replace == nil {
		return probe{missing: true}, nil
	}
	if f.kind == score.Categorical {
		return probe{label: *f.replace}, nil
	}
	x, err := parseNum("MiningField", f.name, "missingValueReplacement", *f.replace)
	return probe{num: x}, err
}

// attrBin is the bin of kind that attribute a gives the values it is
// reached by: a RangeBin keeps a's slope; any other bin holds one value v
// (a special value, or the missing-value replacement), where a's partial
// score is a constant. A missing value or a label reaching an expression of
// the field is ErrUnsupported, as is an expression candor cannot read.
func attrBin(a pmmlAttr, kind score.BinKind, v probe, numeric bool, field string) (score.Bin, error) {
	b := score.Bin{Kind: kind, Effect: a.score, ReasonCode: a.reasonCode}
	switch {
	case a.err != nil:
		return b, a.err
	case !a.refs:
	case !numeric:
		return b, unsupported("ComplexPartialScore", field, "a partial score computes with a categorical field")
	case kind == score.RangeBin:
		b.Slope = a.slope
	case v.missing:
		return b, unsupported("ComplexPartialScore", field, "a missing value reaches a partial score computed from the field")
	case a.slope != 0:
		b.Effect = a.score + float64(a.slope*v.num)
	}
	return b, nil
}

// numericBins maps first-match attributes on a numeric field onto candor
// bins. Every predicate is constant between consecutive constants c_i, so
// the line is cut into the open intervals between them and the points
// c_i themselves; each piece takes the first attribute that matches it. A
// point whose attribute differs from both neighbours becomes a special bin
// (candor checks special values before ranges); adjacent pieces with the
// same attribute merge. A point c as a half-open range is
// [c, Nextafter(c, +Inf)), an open interval (a, b) is
// [Nextafter(a, +Inf), b): exact in float64.
func numericBins(t *score.Term, attrs []pmmlAttr, f *pmmlField) error {
	t.Kind = score.BinnedTerm
	set := map[float64]bool{}
	for _, a := range attrs {
		if err := constants(a.pred, set); err != nil {
			return err
		}
	}
	cs := make([]float64, 0, len(set))
	for c := range set {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	type piece struct {
		lo, hi *float64 // [lo, hi) in candor terms
		attr   int
		point  bool
	}
	var raw []piece
	ptr := func(x float64) *float64 { return &x }
	add := func(lo, hi *float64, rep float64, point bool) error {
		k, err := firstMatch(attrs, probe{num: rep}, true)
		if err != nil {
			return err
		}
		raw = append(raw, piece{lo: lo, hi: hi, attr: k, point: point})
		return nil
	}
	if len(cs) == 0 {
		if err := add(nil, nil, 0, false); err != nil {
			return err
		}
	} else {
		if err := add(nil, ptr(cs[0]), math.Nextafter(cs[0], math.Inf(-1)), false); err != nil {
			return err
		}
		for i, c := range cs {
			next := math.Nextafter(c, math.Inf(1))
			if err := add(ptr(c), ptr(next), c, true); err != nil {
				return err
			}
			var hi *float64
			if i+1 < len(cs) {
				hi = ptr(cs[i+1])
				if next == cs[i+1] {
					continue // no float64 strictly between
				}
			}
			if err := add(ptr(next), hi, next, false); err != nil {
				return err
			}
		}
	}
	var specials []score.Bin
	var pieces []piece
	for i, p := range raw {
		if p.point && p.attr >= 0 && i > 0 && i+1 < len(raw) && raw[i-1].attr != p.attr && raw[i+1].attr != p.attr {
			b, err := attrBin(attrs[p.attr], score.SpecialBin, probe{num: *p.lo}, true, f.name)
			if err != nil {
				return err
			}
			b.Special = ptr(*p.lo)
			specials = append(specials, b)
			raw[i+1].lo = p.lo // the next range starts at the point; the special bin wins there
			continue
		}
		if n := len(pieces); n > 0 && pieces[n-1].attr == p.attr {
			pieces[n-1].hi = p.hi
			continue
		}
		pieces = append(pieces, p)
	}
	var matched, unmatched int
	for _, p := range pieces {
		if p.attr < 0 {
			unmatched++
		} else {
			matched++
		}
	}
	if matched > 0 && unmatched > 0 {
		return unsupported("Characteristic", f.name, "the attributes leave numbers that match none of them between numbers that do (candor range bins cover every number)")
	}
	mp, err := missingProbe(f)
	if err != nil {
		return err
	}
	if k, err := firstMatch(attrs, mp, true); err != nil {
		return err
	} else if k >= 0 {
		b, err := attrBin(attrs[k], score.MissingBin, mp, true, f.name)
		if err != nil {
			return err
		}
		t.Bins = append(t.Bins, b)
	}
	t.Bins = append(t.Bins, specials...)
	if matched > 0 {
		for _, p := range pieces {
			b, err := attrBin(attrs[p.attr], score.RangeBin, probe{}, true, f.name)
			if err != nil {
				return err
			}
			b.Lower, b.Upper = p.lo, p.hi
			t.Bins = append(t.Bins, b)
		}
	}
	if len(t.Bins) == 0 {
		return unsupported("Characteristic", f.name, "no value matches any attribute")
	}
	return nil
}

// categoricalBins maps first-match attributes on a categorical field onto
// candor bins: the labels the predicates or the field's valid values name,
// grouped by the attribute they reach; any other label (when the field's
// values are open, or invalid values are scored as is) goes to an "other"
// bin; a missing value to a "missing" bin.
func categoricalBins(t *score.Term, attrs []pmmlAttr, f *pmmlField) error {
	t.Kind = score.BinnedTerm
	labels := map[string]bool{}
	var order []string
	addLabel := func(s string) {
		if !labels[s] {
			labels[s] = true
			order = append(order, s)
		}
	}
	var walk func(p *xnode) error
	walk = func(p *xnode) error {
		switch p.XMLName.Local {
		case "SimplePredicate":
			if raw, ok := p.attr("value"); ok {
				addLabel(raw)
			}
		case "SimpleSetPredicate":
			items, err := setItems(p, false)
			if err != nil {
				return err
			}
			for _, it := range items {
				addLabel(it.label)
			}
		case "CompoundPredicate":
			for i := range p.Nodes {
				if err := walk(&p.Nodes[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, a := range attrs {
		if err := walk(a.pred); err != nil {
			return err
		}
	}
	for _, v := range f.values {
		addLabel(v)
	}
	closed := f.values != nil && f.invalid != "asIs"
	binOf := map[int]int{} // attribute -> bin index
	mp, err := missingProbe(f)
	if err != nil {
		return err
	}
	var unmatched []string // labels that reach no attribute: an invalid score
	missAttr, err := firstMatch(attrs, mp, false)
	if err != nil {
		return err
	}
	if missAttr >= 0 {
		b, err := attrBin(attrs[missAttr], score.MissingBin, mp, false, f.name)
		if err != nil {
			return err
		}
		t.Bins = append(t.Bins, b)
	}
	for _, l := range order {
		if closed && !slices.Contains(f.values, l) {
			continue // an invalid value: an error (or missing) in PMML
		}
		k, err := firstMatch(attrs, probe{label: l}, false)
		if err != nil {
			return err
		}
		if k < 0 {
			unmatched = append(unmatched, l)
			continue
		}
		if bi, ok := binOf[k]; ok {
			t.Bins[bi].Categories = append(t.Bins[bi].Categories, l)
			continue
		}
		binOf[k] = len(t.Bins)
		b, err := attrBin(attrs[k], score.CategoryBin, probe{label: l}, false, f.name)
		if err != nil {
			return err
		}
		b.Categories = []string{l}
		t.Bins = append(t.Bins, b)
	}
	switch {
	case !closed:
		// A label no predicate names: probe with one that cannot occur in
		// the document (predicates compare by equality only).
		other := "\x00candor-other"
		for labels[other] {
			other += "\x00"
		}
		k, err := firstMatch(attrs, probe{label: other}, false)
		if err != nil {
			return err
		}
		if k >= 0 {
			if unmatched != nil {
				return unsupported("Characteristic", f.name, "label %q matches no attribute while other labels do (candor's other bin would take it)", unmatched[0])
			}
			b, err := attrBin(attrs[k], score.OtherBin, probe{label: other}, false, f.name)
			if err != nil {
				return err
			}
			t.Bins = append(t.Bins, b)
		}
	case f.invalid == "asMissing" && missAttr >= 0:
		b, err := attrBin(attrs[missAttr], score.OtherBin, mp, false, f.name)
		if err != nil {
			return err
		}
		t.Bins = append(t.Bins, b)
	}
	if len(t.Bins) == 0 {
		return unsupported("Characteristic", f.name, "no value matches any attribute")
	}
	return nil
}

// limit is a limit's value: def for 0, no limit for a negative value.
func limit(v, def int64) int64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 1<<63 - 1
	}
	return v
}

// checkShape reads the XML tokens of doc and refuses a document nested
// deeper than maxDepth or with more than maxElements elements.
func checkShape(doc []byte, maxDepth, maxElements int64) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var depth, elements int64
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return malformedPMML("", "", "XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			if depth > maxDepth {
				return &score.LimitError{Limit: "levels of nesting", Max: maxDepth, Where: "PMML element <" + boundedName(t.Name.Local) + ">", Setting: "pmml.Options.MaxDepth"}
			}
			if elements > maxElements {
				return &score.LimitError{Limit: "elements", Max: maxElements, Where: "PMML document", Setting: "pmml.Options.MaxElements"}
			}
		case xml.EndElement:
			depth--
		}
	}
}

func boundedName(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
