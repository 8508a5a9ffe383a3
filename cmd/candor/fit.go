package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// fitArgs are the flags shared by every model family of `candor fit`.
type fitArgs struct {
	data, delim, target, event, model, exclude, protected, missing, out, report, name string
	nonevent, constrain                                                               string
	l2                                                                                float64
	features, weights                                                                 string
	sc                                                                                scorecardArgs
	maxLevels                                                                         int
	interactions                                                                      interactionsFlag
}

func runFit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("fit", stderr)
	var a fitArgs
	fs.StringVar(&a.data, "data", "", "training CSV with a header row")
	fs.StringVar(&a.delim, "delimiter", "", "field separator (default ',')")
	fs.StringVar(&a.target, "target", "", "target column")
	fs.StringVar(&a.event, "event", "", "target value that is the event (e.g. bad, Yes)")
	fs.StringVar(&a.nonevent, "nonevent", "", "target value that is the other class; rows with any other value are skipped and counted (default: the target must have exactly two values)")
	fs.StringVar(&a.constrain, "constrain", "", "logistic: fit under sign constraints, data (each input's univariate training trend) or declared (the features file's trends)")
	fs.IntVar(&a.maxLevels, "max-levels", fit.DefaultMaxLevels, "refuse a categorical input with more levels than this (-1: no cap)")
	fs.StringVar(&a.model, "model", "logistic", "model family: logistic, scorecard, boosted (a boosted additive model) or linear (a continuous target; no --event)")
	fs.StringVar(&a.exclude, "exclude", "", "comma-separated columns not to use")
	fs.StringVar(&a.protected, "protected", "", "comma-separated protected attributes (kept for audits, never inputs)")
	fs.Float64Var(&a.l2, "l2", 0, "L2 penalty (0 = unpenalised maximum likelihood)")
	fs.StringVar(&a.missing, "missing", "error", "blank cells in used columns: error, drop, or indicator (logistic and linear: a blank input gets an indicator term and a neutral fill)")
	fs.StringVar(&a.out, "out", "", "model file to write (default stdout)")
	fs.StringVar(&a.report, "report", "", "write the fit report to this file instead of stderr")
	fs.StringVar(&a.name, "name", "", "model name (default: the model family)")
	fs.StringVar(&a.features, "features", "", featuresUsage)
	fs.StringVar(&a.weights, "weights", "", "column of non-negative sample weights (default all 1; never an input)")
	addScorecardFlags(fs, &a.sc)
	fs.Var(&a.interactions, "interactions", "boosted: add this many pair terms (interactions of two features), chosen by the FAST screen on each bag's main-effect residuals; auto: InterpretML's default, 3 per feature (default 0: none)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if a.interactions != 0 && a.model != "boosted" {
		return fmt.Errorf("--interactions applies to --model boosted only")
	}
	if err := a.sc.check(a.model); err != nil {
		return err
	}
	if a.target == "" || (a.event == "" && a.model != "linear") {
		return fmt.Errorf("--target and --event are required (--event is not used with --model linear)")
	}
	if a.event != "" && a.model == "linear" {
		return fmt.Errorf("--event does not apply to --model linear: its target is a number")
	}
	switch {
	case a.constrain != "" && a.constrain != "data" && a.constrain != "declared":
		return fmt.Errorf("--constrain must be data or declared, got %q", a.constrain)
	case a.constrain != "" && a.model == "linear":
		return fmt.Errorf("--constrain applies to --model logistic (a scorecard's sign check already keeps points in line with its bins' event rates)")
	case a.constrain != "" && a.model == "scorecard":
		return fmt.Errorf("--constrain applies to --model logistic: a scorecard's sign check (--sign drop|refuse) already keeps its points in line with its bins' event rates")
	case a.constrain != "" && a.model == "boosted":
		return fmt.Errorf("--constrain applies to --model logistic: a boosted model's shapes follow its bins' data; declare a feature's \"trend\" in the features file to hold its shape monotone")
	}
	policy := fit.MissingError
	switch a.missing {
	case "error":
	case "drop":
		policy = fit.MissingDrop
	case "indicator":
		if a.model != "logistic" && a.model != "linear" {
			return fmt.Errorf("--missing indicator applies to --model logistic and linear: a %s model already gives a blank input a missing bin of its own", a.model)
		}
		policy = fit.MissingIndicator
	default:
		return fmt.Errorf("--missing must be error, drop or indicator, got %q", a.missing)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft heap limit under the 1 GB bound: past it the collector
		// runs sooner instead of letting the heap double (fitMemoryLimit).
		debug.SetMemoryLimit(fitMemoryLimit)
	}
	t, err := readTable(a.data, a.delim)
	if err != nil {
		return err
	}
	if err := wholeRows(t, a.data); err != nil {
		return err
	}
	schema, decl, err := fitSchema(t, a)
	if err != nil {
		return err
	}
	var m *score.Model
	var report string
	switch a.model {
	case "logistic":
		m, report, err = fitLogisticCmd(ctx, t, schema, a, policy)
	default:
		if f, ok := extraFitters[a.model]; ok {
			m, report, err = f(ctx, t, schema, a, policy)
		} else {
			err = fmt.Errorf("--model must be logistic, scorecard, boosted or linear, got %q", a.model)
		}
	}
	if err != nil {
		return err
	}
	if err := checkDeclaredActions(m, a.features); err != nil {
		return err
	}
	near := fit.NearLeaks(t, schema, a.target, a.event, a.nonevent)
	report += derivedLines(t, schema, m) + warningLines("identifier", fit.IdentifierInputs(t, schema)) +
		warningLines("near leak", near) +
		warningLines("one outcome only?", pureValues(t, schema, decl, a, near)) +
		warningLines("heavy tail", fit.HeavyTails(m)) +
		warningLines("protected attribute?", fit.ProtectedLookalikes(m.Schema(), decl)) +
		warningLines("named after the target?", fit.TargetNamedInputs(m.Schema(), decl, a.target)) +
		warningLines("code read as a number?", fit.CodeLookalikes(schema, decl)) +
		warningLines("missing marker?", fit.MarkerLevels(t, schema)) + duplicateLines(t)
	if a.report != "" {
		w, closeFn, err := output(a.report, stdout)
		if err != nil {
			return err
		}
		w.WriteString(report)
		if err := closeFn(); err != nil {
			return err
		}
		// Warnings reach stderr even when the report goes to a file.
		for line := range strings.Lines(report) {
			if strings.HasPrefix(line, "warning: ") {
				io.WriteString(stderr, "candor fit: "+line)
			}
		}
	} else {
		io.WriteString(stderr, report)
	}
	w, closeFn, err := output(a.out, stdout)
	if err != nil {
		return err
	}
	if err := m.Save(w); err != nil {
		closeFn()
		return err
	}
	if err := closeFn(); err != nil {
		return err
	}
	return nil
}

// checkDeclaredActions checks the features file's actions against the
// fitted model as recourse will (a transition or order must name levels
// the model has), so that a mistake fails the fit, naming the file, and is
// not written into a model on which every recourse would fail.
func checkDeclaredActions(m *score.Model, features string) error {
	if features == "" || (m.Kind() != score.LogisticModel && m.Kind() != score.ScorecardModel) {
		return nil
	}
	if _, err := explain.NewActionSpace(m, nil, nil); err != nil && !errors.Is(err, explain.ErrNothingActionable) {
		return fmt.Errorf("%s: its actions do not fit the model (nothing written): %w", features, err)
	}
	return nil
}

// wholeRows refuses a table with rows that could not be read whole (a
// cell count other than the header's, a quote never closed): a fit reads
// every row, so it names the file, how many there are and the first 20,
// as the fit lists rows with problems.
func wholeRows(t *score.Table, file string) error {
	var errs []error
	n := 0
	for i := range t.Len() {
		if err := t.RowError(i); err != nil {
			if n++; n <= 20 {
				errs = append(errs, score.WithRow(err, i+1))
			}
		}
	}
	if n == 0 {
		return nil
	}
	if n > 20 {
		errs = append(errs, fmt.Errorf("... and %d more rows that are not whole", n-20))
	}
	verb := "rows are"
	if n == 1 {
		verb = "row is"
	}
	return fmt.Errorf("%s: %d of %d %s not whole (a fit reads every row: fix or remove those lines):\n%w", file, n, t.Len(), verb, errors.Join(errs...))
}

// fitMemoryLimit is the soft heap limit of `candor fit` (GOMEMLIMIT
// overrides it): a fit of score.DefaultLimitDesign cells at
// fit.BytesPerDesignCell each, beside its table, stays under 1 GB.
const fitMemoryLimit = 800 << 20

// extraFitters holds the model families beyond logistic, keyed by --model.
var extraFitters = map[string]func(context.Context, *score.Table, *score.Schema, fitArgs, fit.MissingPolicy) (*score.Model, string, error){
	"scorecard": fitScorecardCmd,
	"linear":    fitLinearCmd,
	"boosted":   fitBoostedCmd,
}

// fitSchema infers the schema, applies the features file (--features),
// then --target, --weights, --exclude and --protected (shorthands for
// role ignored and protected, combined with the file's roles); it also
// returns the features file's declarations (nil without one).
func fitSchema(t *score.Table, a fitArgs) (*score.Schema, *score.Declarations, error) {
	d, err := readFeatures(a.features)
	if err != nil {
		return nil, nil, err
	}
	s, err := t.InferSchemaWith(withShorthandRoles(d, t, a))
	if err != nil {
		if a.features == "" {
			return nil, nil, fmt.Errorf("%s: %w", a.data, err)
		}
		return nil, nil, fmt.Errorf("%s with --features %s: %w", a.data, a.features, err)
	}
	if s.Index(a.target) < 0 {
		return nil, nil, notAColumn("--target", a.target, a.data, t)
	}
	for _, fl := range []struct{ flag, list string }{{"--exclude", a.exclude}, {"--protected", a.protected}} {
		for _, name := range splitList(fl.list) {
			if t.Column(name) < 0 {
				return nil, nil, notAColumn(fl.flag, name, a.data, t)
			}
		}
	}
	ignored := append([]string{a.target}, splitList(a.exclude)...)
	if a.weights != "" {
		if t.Column(a.weights) < 0 {
			return nil, nil, notAColumn("--weights", a.weights, a.data, t)
		}
		if _, err := weightsColumn(t, a.weights); err != nil {
			return nil, nil, err
		}
		ignored = append(ignored, a.weights)
	}
	s, err = s.WithRoles(score.Ignored, ignored...)
	if err != nil {
		return nil, nil, fmt.Errorf("--exclude: %w", err)
	}
	s, err = s.WithRoles(score.Protected, splitList(a.protected)...)
	if err != nil {
		return nil, nil, fmt.Errorf("--protected: %w", err)
	}
	return s, d, nil
}

// notAColumn is the error for a column named by flag that is not a column
// of the table read from file, with its close match.
func notAColumn(flag, name, file string, t *score.Table) error {
	msg := fmt.Sprintf("%s %q is not a column of %s", flag, name, file)
	if near := score.CloseMatches(name, t.Header()); len(near) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", near[0])
	}
	return errors.New(msg)
}

// withShorthandRoles is d with --exclude and --protected (and the target)
// as the roles they are shorthands for, on columns of t the file gives no
// role, so that inference leaves their cells unchecked as it does a
// declared role's (a column of numbers with "NA" cells that is left out is
// no error). fitSchema applies the same roles again after inference.
func withShorthandRoles(d *score.Declarations, t *score.Table, a fitArgs) *score.Declarations {
	out := &score.Declarations{Features: map[string]score.Declaration{}}
	if d != nil {
		maps.Copy(out.Features, d.Features)
	}
	set := func(role score.Role, names []string) {
		for _, name := range names {
			if fd := out.Features[name]; fd.Role == nil && t.Column(name) >= 0 {
				fd.Role = &role
				out.Features[name] = fd
			}
		}
	}
	set(score.Ignored, append([]string{a.target, a.weights}, splitList(a.exclude)...))
	set(score.Protected, splitList(a.protected))
	return out
}

func fitLogisticCmd(ctx context.Context, t *score.Table, s *score.Schema, a fitArgs, policy fit.MissingPolicy) (*score.Model, string, error) {
	w, err := weightsColumn(t, a.weights)
	if err != nil {
		return nil, "", err
	}
	fitted, err := fit.Logistic(ctx, t, s, a.target, a.event, &fit.LogisticOptions{L2: a.l2, Missing: policy, Name: a.name, Weights: w, NonEvent: a.nonevent, MaxLevels: a.maxLevels,
		Constrain: fit.Constraint(a.constrain), Unseen: a.sc.unseenPolicy()})
	if errors.Is(err, score.ErrMissing) {
		return nil, "", fmt.Errorf("%s: %w", a.data, err) // blank cells: the file's, as every other data error of fit names it
	}
	if err != nil {
		return nil, "", err
	}
	inputs := 0
	for _, f := range s.Features() {
		if f.Role == score.Input {
			inputs++
		}
	}
	rep := fmt.Sprintf("candor fit: logistic regression of %s=%s\n", a.target, a.event) +
		fmt.Sprintf("rows used %d, dropped %d, events %s\n", fitted.Rows, fitted.Dropped, strconv.FormatFloat(fitted.Events, 'g', -1, 64)) +
		otherTargetLine(fitted.OtherTarget, a) +
		fmt.Sprintf("features %d, columns %d, aliased %d\n", inputs, len(fitted.Coefficients), len(fitted.Aliased())) +
		fmt.Sprintf("iterations %d, converged %v\n", fitted.Iterations, fitted.Converged) +
		fmt.Sprintf("log-likelihood %.6f\nAUC %.4f\n", fitted.LogLik, fitted.AUC)
	for _, name := range fitted.Aliased() {
		rep += fmt.Sprintf("aliased (NA, fixed at 0): %s\n", name)
	}
	for _, c := range fitted.Contradictions {
		rep += "warning: sign contradiction: " + c.String() + "\n"
	}
	if len(fitted.Contradictions) == 0 {
		rep += "sign contradictions: none\n"
	}
	rep += collinearLines(fitted.Collinear, a.constrain == "")
	if a.constrain != "" {
		rep += fmt.Sprintf("sign constraints (%s): %d coefficients held at 0: %s\n", a.constrain, len(fitted.AtBound), strings.Join(fitted.AtBound, ", "))
	}
	rep += fitted.FormatCoefficients()
	rep += blankLines(fitted.Blanks)
	rep += "unseen categories (at scoring time; --unseen):\n" + fit.FormatUnseen(fitted.Model)
	rep += logisticSuspects(t, s, a, w)
	return fitted.Model, rep, nil
}

// blankLines says, under --missing indicator, what each blank input was
// filled with; "" when none was.
func blankLines(bs []fit.BlankFill) string {
	var b strings.Builder
	for _, f := range bs {
		what := "the lower median of its other training values"
		if f.Level {
			what = "its reference level"
		}
		fmt.Fprintf(&b, "missing indicator: %s: %d blank training rows, filled with %q (%s); %s[missing] is a blank's effect beyond that\n",
			f.Feature, f.Rows, f.Fill, what, f.Feature)
	}
	return b.String()
}

// collinearLines reports the collinear design columns of a logistic or
// linear fit, one warning each with the ways out open to it (--constrain
// data only when constrain: an unconstrained logistic fit), or that there
// are none.
func collinearLines(cs []fit.Collinear, constrain bool) string {
	if len(cs) == 0 {
		return fmt.Sprintf("collinearity: none (every variance inflation factor below %d)\n", fit.VIFLimit)
	}
	way := ": leave one out (--exclude)"
	if constrain {
		way += " or fit with --constrain data"
	}
	var b strings.Builder
	for _, c := range cs {
		b.WriteString("warning: collinear: " + c.String() + way + "\n")
	}
	return b.String()
}

// pureValues are fit.PureValues but for the inputs named as near leaks
// (near), whose warning already says more.
func pureValues(t *score.Table, s *score.Schema, d *score.Declarations, a fitArgs, near []fit.NearLeak) []fit.PureValue {
	var out []fit.PureValue
	for _, p := range fit.PureValues(t, s, d, a.target, a.event, a.nonevent) {
		if !slices.ContainsFunc(near, func(n fit.NearLeak) bool { return n.Feature == p.Feature }) {
			out = append(out, p)
		}
	}
	return out
}

// warningLines is one "warning: kind: ..." line per finding: the
// identifier inputs (fit.IdentifierInputs), the near leaks (fit.NearLeaks;
// none for a linear fit, which has no event), the heavy tails of
// straight-line terms (fit.HeavyTails), the inputs named like a protected
// attribute (fit.ProtectedLookalikes), the model inputs named after the
// target (fit.TargetNamedInputs), the numeric inputs named like codes
// (fit.CodeLookalikes: every input of the fit, kept or not, since a code
// binned as ranges can be dropped for a lack of evidence it has as a
// category).
func warningLines[T fmt.Stringer](kind string, found []T) string {
	var b strings.Builder
	for _, f := range found {
		b.WriteString("warning: " + kind + ": " + f.String() + "\n")
	}
	return b.String()
}

// derivedLines warns about each input of m that is a function of two other
// inputs in the training data (fit.DerivedInputs), or says there is none
// undeclared (naming the declared ones), and checks each declared
// derivation against the rows (fit.DeclaredDerived), warning when it holds
// on under 90% of them.
func derivedLines(t *score.Table, s *score.Schema, m *score.Model) string {
	var b strings.Builder
	ms := m.Schema()
	inModel := func(name string) bool {
		i := ms.Index(name)
		return i >= 0 && ms.Feature(i).Role == score.Input
	}
	var declared []string
	for _, d := range fit.DeclaredDerived(t, s) {
		if !inModel(d.Feature) {
			continue
		}
		declared = append(declared, d.Formula())
		if d.Share >= fit.DerivedMinShare {
			fmt.Fprintf(&b, "derived input (declared): %s\n", d)
			continue
		}
		hint := ""
		if d.Written > 0 && d.Decimals != d.Written {
			hint = fmt.Sprintf("; the column is written with %d decimals (\"decimals\": %d?)", d.Written, d.Written)
		}
		fmt.Fprintf(&b, "warning: derived input: the declared %s: under %.0f%%, so the declaration is probably wrong%s; "+
			"recourse recomputes %s from it\n", d, 100*fit.DerivedMinShare, hint, d.Feature)
	}
	found := false
	for _, d := range fit.DerivedInputs(t, s) {
		if !inModel(d.Feature) {
			continue // not in the model
		}
		found = true
		decimals := ""
		if d.Decimals > 0 {
			decimals = fmt.Sprintf(", \"decimals\": %d", d.Decimals)
		}
		fmt.Fprintf(&b, "warning: derived input: %s: it cannot change apart from %s and %s, so advice that moves it alone "+
			"is not true in the data; declare it derived in the features file "+
			"({\"%s\": {\"derived\": {\"formula\": \"%s %s %s\"%s}}}: recourse then recomputes it from them) or leave it out (--exclude %s)\n",
			d, d.Left, d.Right, d.Feature, d.Left, d.Op, d.Right, decimals, d.Feature)
	}
	for _, d := range fit.ScaledInputs(t, s) {
		if !inModel(d.Feature) || !inModel(d.Source) {
			continue // one of the two alone moves as the customer does
		}
		found = true
		fmt.Fprintf(&b, "warning: derived input: %s: the two cannot change apart, so advice that moves one alone "+
			"is not true in the data, and a model that scores both counts one quantity twice; leave one out (%s)\n",
			d, d.Exclude())
	}
	switch {
	case found:
	case len(declared) > 0:
		// The declared ones are checked above; the search found no other.
		fmt.Fprintf(&b, "derived inputs: none undeclared (declared: %s)\n", strings.Join(declared, "; "))
	default:
		b.WriteString("derived inputs: none (no input is the sum, difference, product or ratio of two others, or a multiple of one)\n")
	}
	return b.String()
}

// otherTargetLine reports the rows skipped for a target value that is
// neither --event nor --nonevent ("" when none was).
func otherTargetLine(n int, a fitArgs) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("rows skipped: %d with %s neither %q nor %q\n", n, a.target, a.event, a.nonevent)
}
