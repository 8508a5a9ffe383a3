package sklearn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/candorscore/candor/score"
)

// Format names the JSON format Read reads.
const Format = "sklearn-logistic"

// Logistic is the JSON a Python script writes from a fitted
// scikit-learn binary LogisticRegression whose inputs are numeric columns
// (optionally standardised) and one-hot encoded categorical columns:
//
//	{"format": "sklearn-logistic", "format_version": 1, "name": "churn",
//	 "target": "Churn", "classes": ["No", "Yes"],
//	 "features": ["tenure", "MonthlyCharges"],
//	 "center": [32.4, 64.8], "scale": [24.6, 30.1],
//	 "categorical": {"Contract": ["Month-to-month", "One year", "Two year"]},
//	 "drop": {"Contract": "Month-to-month"}, "handle_unknown": "error",
//	 "columns": ["tenure", "MonthlyCharges", "Contract=One year", "Contract=Two year"],
//	 "coef": [-0.03, 0.02, -0.9, -1.8], "intercept": -0.4,
//	 "means": [32.4, 64.8], "counts": {"Contract": [3875, 1473, 1695]}}
//
// The few lines of Python that write it from a Pipeline of a
// ColumnTransformer (StandardScaler on the numeric columns, OneHotEncoder on
// the categorical ones) and a LogisticRegression:
//
//	prep, clf = pipe.named_steps["prep"], pipe.named_steps["clf"]
//	scaler, onehot = prep.named_transformers_["num"], prep.named_transformers_["cat"]
//	columns = numeric + [f"{f}={lv}" for f, lvs in zip(categorical, onehot.categories_) for lv in lvs]
//	json.dump({"format": "sklearn-logistic", "format_version": 1, "target": target,
//	    "classes": [nonevent, event], "features": numeric,
//	    "center": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
//	    "categorical": {f: [str(lv) for lv in lvs] for f, lvs in zip(categorical, onehot.categories_)},
//	    "handle_unknown": onehot.handle_unknown, "columns": columns,
//	    "coef": clf.coef_[0].tolist(), "intercept": float(clf.intercept_[0])}, fh)
//
// (With drop="first", leave the dropped levels out of "columns" and list
// them in "drop"; score/sklearn/testdata/sklearn_german.py is a complete script.)
type Logistic struct {
	Format        string `json:"format"`
	FormatVersion int    `json:"format_version"`
	Name          string `json:"name,omitempty"`
	Target        string `json:"target,omitempty"`
	// Classes are the target labels of clf.classes_[0] and clf.classes_[1];
	// the event (whose log-odds the coefficients give) is Classes[1].
	Classes []string `json:"classes"`
	// Features are the numeric inputs; Center and Scale (optional, aligned
	// with Features) are a StandardScaler's mean_ and scale_: the model sees
	// (x - center) / scale.
	Features []string  `json:"features"`
	Center   []float64 `json:"center,omitempty"`
	Scale    []float64 `json:"scale,omitempty"`
	// Categorical maps each categorical input to its one-hot levels (the
	// encoder's categories_); Drop names a level with no column
	// (drop="first"); HandleUnknown is the encoder's "error" or "ignore".
	Categorical   map[string][]string `json:"categorical,omitempty"`
	Drop          map[string]string   `json:"drop,omitempty"`
	HandleUnknown string              `json:"handle_unknown,omitempty"`
	// Columns names the design columns in coefficient order: a numeric
	// feature's name, or "feature=level" for a one-hot column.
	Columns   []string  `json:"columns"`
	Coef      []float64 `json:"coef"`
	Intercept float64   `json:"intercept"`
	// Means (aligned with Features, raw units) and Counts (per level) are
	// optional training summaries; with them the model's terms get their
	// population-average baselines.
	Means  []float64            `json:"means,omitempty"`
	Counts map[string][]float64 `json:"counts,omitempty"`
}

// Read reads a Logistic JSON document and returns the
// equivalent candor logistic model: numeric features become linear terms
// with the standardisation folded in (coef/scale per unit, and
// -coef*center/scale moved into the intercept); categorical features become
// categorical terms. scikit-learn's default one-hot encoding keeps every
// level, so no level is a reference; candor's categorical terms have a
// reference level with effect 0, so the first level becomes the reference,
// its coefficient is moved into the intercept and subtracted from the
// others' (the scores are unchanged up to rounding, about 1e-15). With
// handle_unknown="ignore" an unseen label gets the all-zero encoding, which
// becomes the term's other effect; with "error" it is ErrUnknownCategory. A
// missing value is ErrMissing, as in scikit-learn. Malformed documents are
// ErrMalformed errors naming the problem; Read never panics.
func Read(r io.Reader) (*score.Model, error) {
	return read(r)
}

// MaxBytes is the largest sklearn JSON document Read accepts (64 MiB);
// past it Read returns a *score.LimitError.
var MaxBytes int64 = 64 << 20

func read(r io.Reader) (*score.Model, error) {
	dec := json.NewDecoder(score.LimitReader(r, MaxBytes, "sklearn JSON", "sklearn.MaxBytes"))
	dec.DisallowUnknownFields()
	var sk Logistic
	if err := dec.Decode(&sk); err != nil {
		var le *score.LimitError
		if errors.As(err, &le) {
			return nil, le
		}
		return nil, fmt.Errorf("%w: sklearn JSON: %v", score.ErrMalformed, err)
	}
	spec, err := sk.Spec()
	if err != nil {
		return nil, err
	}
	return score.NewModel(spec)
}

// Parse is Read over a byte slice.
func Parse(b []byte) (*score.Model, error) { return Read(bytes.NewReader(b)) }

func skErr(format string, args ...any) error {
	return fmt.Errorf("%w: sklearn JSON: %s", score.ErrMalformed, fmt.Sprintf(format, args...))
}

// Spec converts the document into a candor model specification.
func (sk *Logistic) Spec() (score.Spec, error) {
	if sk.Format != Format {
		return score.Spec{}, skErr("format %q, want %q", sk.Format, Format)
	}
	if sk.FormatVersion != 1 {
		return score.Spec{}, fmt.Errorf("%w: sklearn JSON version %d (this build reads 1)", score.ErrFormatVersion, sk.FormatVersion)
	}
	if len(sk.Classes) != 2 || sk.Classes[0] == sk.Classes[1] {
		return score.Spec{}, skErr("classes must name two different labels, got %q", sk.Classes)
	}
	if len(sk.Columns) != len(sk.Coef) {
		return score.Spec{}, skErr("%d columns but %d coefficients", len(sk.Columns), len(sk.Coef))
	}
	for _, a := range []struct {
		name string
		xs   []float64
	}{{"center", sk.Center}, {"scale", sk.Scale}, {"means", sk.Means}} {
		if a.xs != nil && len(a.xs) != len(sk.Features) {
			return score.Spec{}, skErr("%s has %d values for %d features", a.name, len(a.xs), len(sk.Features))
		}
	}
	finite := func(what string, xs ...float64) error {
		for _, x := range xs {
			if !isFinite(x) {
				return skErr("%s is not finite", what)
			}
		}
		return nil
	}
	if err := finite("a coefficient or the intercept", append(slices.Clone(sk.Coef), sk.Intercept)...); err != nil {
		return score.Spec{}, err
	}
	if err := finite("center or means", append(slices.Clone(sk.Center), sk.Means...)...); err != nil {
		return score.Spec{}, err
	}
	for _, s := range sk.Scale {
		if !isFinite(s) || s == 0 {
			return score.Spec{}, skErr("scale %v (must be finite and non-zero)", s)
		}
	}
	switch sk.HandleUnknown {
	case "", "error", "ignore", "infrequent_if_exist":
	default:
		return score.Spec{}, skErr("handle_unknown %q", sk.HandleUnknown)
	}
	if sk.HandleUnknown == "infrequent_if_exist" {
		return score.Spec{}, skErr("handle_unknown infrequent_if_exist (infrequent categories) is not supported")
	}
	// Categorical feature names, longest first, to split "feature=level"
	// columns whose names may themselves contain "=".
	catNames := slices.Sorted(maps.Keys(sk.Categorical))
	byLen := slices.Clone(catNames)
	slices.SortStableFunc(byLen, func(a, b string) int { return len(b) - len(a) })
	numIdx := map[string]int{}
	for i, f := range sk.Features {
		if f == "" {
			return score.Spec{}, skErr("feature %d has no name", i)
		}
		if _, dup := numIdx[f]; dup {
			return score.Spec{}, skErr("feature %q listed twice", f)
		}
		if _, dup := sk.Categorical[f]; dup {
			return score.Spec{}, skErr("feature %q is both numeric and categorical", f)
		}
		numIdx[f] = i
	}
	for f, levels := range sk.Categorical {
		seen := map[string]bool{}
		for _, l := range levels {
			if seen[l] {
				return score.Spec{}, &score.FieldError{Feature: f, Err: skErr("level %q listed twice", l)}
			}
			seen[l] = true
		}
		if d, ok := sk.Drop[f]; ok && !seen[d] {
			return score.Spec{}, &score.FieldError{Feature: f, Err: skErr("dropped level %q is not a level", d)}
		}
		if c, ok := sk.Counts[f]; ok && len(c) != len(levels) {
			return score.Spec{}, &score.FieldError{Feature: f, Err: skErr("%d counts for %d levels", len(c), len(levels))}
		}
	}
	for f := range sk.Drop {
		if _, ok := sk.Categorical[f]; !ok {
			return score.Spec{}, &score.FieldError{Feature: f, Err: skErr("drop names a feature that is not categorical")}
		}
	}
	numCoef := make([]float64, len(sk.Features))
	numSeen := make([]bool, len(sk.Features))
	catCoef := map[string]map[string]float64{}
	var order []string // features in order of first column
	for c, col := range sk.Columns {
		if i, ok := numIdx[col]; ok {
			if numSeen[i] {
				return score.Spec{}, skErr("column %q appears twice", col)
			}
			numSeen[i], numCoef[i] = true, sk.Coef[c]
			order = append(order, col)
			continue
		}
		f := ""
		for _, name := range byLen {
			if strings.HasPrefix(col, name+"=") {
				f = name
				break
			}
		}
		if f == "" {
			return score.Spec{}, skErr("column %q is neither a numeric feature nor feature=level", col)
		}
		level := col[len(f)+1:]
		if !slices.Contains(sk.Categorical[f], level) {
			return score.Spec{}, &score.FieldError{Feature: f, Err: skErr("column %q names a level the encoder does not list", col)}
		}
		if d, ok := sk.Drop[f]; ok && d == level {
			return score.Spec{}, &score.FieldError{Feature: f, Err: skErr("column %q is the dropped level", col)}
		}
		if catCoef[f] == nil {
			catCoef[f] = map[string]float64{}
			order = append(order, f)
		}
		if _, dup := catCoef[f][level]; dup {
			return score.Spec{}, skErr("column %q appears twice", col)
		}
		catCoef[f][level] = sk.Coef[c]
	}
	for i, f := range sk.Features {
		if !numSeen[i] {
			return score.Spec{}, &score.FieldError{Feature: f, Err: skErr("numeric feature has no column")}
		}
	}
	for _, f := range catNames {
		want := len(sk.Categorical[f])
		if _, ok := sk.Drop[f]; ok {
			want--
		}
		if len(catCoef[f]) != want || want < 0 {
			return score.Spec{}, &score.FieldError{Feature: f, Err: skErr("%d one-hot columns for %d levels", len(catCoef[f]), len(sk.Categorical[f]))}
		}
	}
	event := sk.Classes[1]
	spec := score.Spec{Name: sk.Name, Version: "1", Kind: score.LogisticModel, Target: sk.Target, Event: event, Intercept: sk.Intercept}
	if spec.Name == "" {
		spec.Name = "sklearn"
	}
	for _, f := range order {
		if i, ok := numIdx[f]; ok {
			coef := numCoef[i]
			if sk.Scale != nil {
				coef /= sk.Scale[i]
			}
			if sk.Center != nil {
				spec.Intercept -= coef * sk.Center[i]
			}
			t := score.Term{Feature: f, Kind: score.LinearTerm, Coef: coef}
			if sk.Means != nil {
				t.Baseline = coef * sk.Means[i]
				t.Stats = &score.Stats{Mean: sk.Means[i]}
			}
			spec.Features = append(spec.Features, score.Feature{Name: f, Kind: score.Numeric})
			spec.Terms = append(spec.Terms, t)
			continue
		}
		levels := sk.Categorical[f]
		t := score.Term{Feature: f, Kind: score.CategoricalTerm}
		eff := catCoef[f] // a dropped level has no column: effect 0
		shift := 0.0
		if d, ok := sk.Drop[f]; ok {
			t.Reference = d
		} else if len(levels) > 0 {
			t.Reference = levels[0]
			shift = eff[levels[0]]
			spec.Intercept += shift
		}
		var total float64
		for k, l := range levels {
			lv := score.Level{Label: l, Effect: eff[l] - shift}
			if l == t.Reference {
				lv.Effect = 0
			}
			if c := sk.Counts[f]; c != nil {
				lv.Count = c[k]
				total += c[k]
			}
			t.Levels = append(t.Levels, lv)
		}
		if total > 0 {
			for _, lv := range t.Levels {
				t.Baseline += lv.Effect * lv.Count / total
			}
			t.Stats = &score.Stats{Count: total}
		}
		if sk.HandleUnknown == "ignore" {
			o := -shift
			if o == 0 {
				o = 0 // no negative zero
			}
			t.OtherEffect = &o
		}
		spec.Features = append(spec.Features, score.Feature{Name: f, Kind: score.Categorical, Categories: slices.Clone(levels)})
		spec.Terms = append(spec.Terms, t)
	}
	if !isFinite(spec.Intercept) || math.IsNaN(spec.Intercept) {
		return score.Spec{}, skErr("intercept overflows after folding the standardisation")
	}
	for _, t := range spec.Terms {
		if !isFinite(t.Coef) {
			return score.Spec{}, &score.FieldError{Feature: t.Feature, Err: skErr("coefficient overflows after folding the scale")}
		}
	}
	if err := spec.CheckOverflow(); err != nil {
		var fe *score.FieldError
		if errors.As(err, &fe) {
			return score.Spec{}, &score.FieldError{Feature: fe.Feature, Err: fmt.Errorf("%w: %w", score.ErrMalformed, fe.Err)}
		}
		return score.Spec{}, fmt.Errorf("%w: %w", score.ErrMalformed, err)
	}
	return spec, nil
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
