package explain

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/candorscore/candor/score"
)

// CheckOptions control CheckAdvice. The zero value (or nil) explains with
// the default options (population baseline, DefaultMaxReasons reasons) and
// answers recourse with the default options (the model's cutoff, supported
// changes only).
type CheckOptions struct {
	// Explain configures the explanations (baseline, MaxReasons, ...).
	// Its Actions is replaced by Actions below.
	Explain Options
	// Actions adds to and overrides the actions declared in the model's
	// schema, for explanations and recourse alike.
	Actions *Actions
	// Train is the training data for recourse's candidate values and
	// percentiles (NewActionSpace); nil uses the model's statistics.
	Train *score.Table
	// Recourse configures the counterfactual search (target, margin,
	// max changes, objective); K and AllowUnsupported are the check's own.
	Recourse RecourseOptions
	// Rows are the 0-based table rows to check; nil means all.
	Rows []int
}

// AdviceCheck is the advice audit of a file: over its adverse-outcome
// customers, how many get advice and counterfactuals, how many have advice
// withheld (and why), how many have only counterfactuals the training data
// do not support, how many have no recourse at all, per feature; and a
// re-check of every piece of advice and every counterfactual against the
// rules, from the model's own numbers (Violations, which must be zero).
type AdviceCheck struct {
	Model string `json:"model"`
	// Rows checked, Skipped (could not be scored: the first few errors are
	// in Errors), Adverse (event probability at or above the target).
	Rows    int      `json:"rows"`
	Skipped int      `json:"skipped,omitempty"`
	Errors  []string `json:"errors,omitempty"`
	Adverse int      `json:"adverse"`
	Target  float64  `json:"target"`
	Margin  float64  `json:"margin,omitempty"`
	// Advised: adverse customers with at least one reason that carries
	// advice. WithheldAdvice: with at least one reason whose advice is
	// withheld. NoAdvice: none of whose reasons carries advice.
	Advised        int `json:"advised"`
	WithheldAdvice int `json:"withheld_advice"`
	NoAdvice       int `json:"no_advice"`
	// Recourse: adverse customers with a supported counterfactual.
	// UnsupportedOnly: with counterfactuals only when unsupported ones
	// are allowed (left out by default). NoRecourse: with none at all.
	// The three add up to Adverse.
	Recourse        int `json:"recourse"`
	UnsupportedOnly int `json:"unsupported_only"`
	NoRecourse      int `json:"no_recourse"`
	// AgainstTrend: adverse customers with a reason whose slope runs
	// against its feature's trend (Reason.AgainstTrend).
	AgainstTrend int `json:"against_trend"`
	// Features are the model's terms, in model order.
	Features []FeatureCheck `json:"features"`
	// Violations counts advice and changes that break a rule (expected
	// zero: the rules are enforced when advice is made; this re-checks
	// them independently).
	Violations Violations `json:"violations"`
}

// FeatureCheck is one feature's line of the advice audit; every count is
// of adverse-outcome customers.
type FeatureCheck struct {
	Feature    string `json:"feature"`
	Actionable bool   `json:"actionable"`
	// Reasons: customers for whom the feature is a reason; Advised: of
	// those, how many get advice on it; Withheld: how many do not, by
	// withholding code.
	Reasons  int            `json:"reasons"`
	Advised  int            `json:"advised"`
	Withheld map[string]int `json:"withheld,omitempty"`
	// AgainstTrend: of the Reasons, how many run against the feature's
	// trend (Reason.AgainstTrend).
	AgainstTrend int `json:"against_trend,omitempty"`
	// Changed: customers whose cheapest supported counterfactual changes
	// the feature. Unsupported: customers with only unsupported
	// counterfactuals whose cheapest one changes this feature without
	// support. Limiting: customers with no recourse at all for whom a
	// constraint on this feature stands in the way (Recourse.Limits).
	Changed     int `json:"changed"`
	Unsupported int `json:"unsupported,omitempty"`
	Limiting    int `json:"limiting,omitempty"`
	// MinChange is the smallest numeric change proposed (explicit or the
	// default); absent for categories and immutable features.
	MinChange *float64 `json:"min_change,omitempty"`
}

// Share is n as a share of of (0 when of is 0).
func (FeatureCheck) Share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Violations counts breaks of the advice rules found by CheckAdvice.
type Violations struct {
	AdviceNotActionable    int `json:"advice_not_actionable"`
	AdviceAgainstDirection int `json:"advice_against_direction"`
	AdviceAgainstTrend     int `json:"advice_against_trend"`
	AdviceSpecial          int `json:"advice_special"`
	// AdviceShapeTurns and ChangeShapeTurns: a direction advised, or a
	// change proposed, on a feature whose undeclared shape turns twice or
	// more (WithheldShapeTurns).
	AdviceShapeTurns       int `json:"advice_shape_turns"`
	ChangeShapeTurns       int `json:"change_shape_turns"`
	ChangeNotActionable    int `json:"change_not_actionable"`
	ChangeAgainstDirection int `json:"change_against_direction"`
	ChangeAgainstTrend     int `json:"change_against_trend"`
	ChangeSpecialTarget    int `json:"change_special_target"`
	ChangeUnsupported      int `json:"change_unsupported"`
	ChangeBelowMinChange   int `json:"change_below_min_change"`
	// ChangeDerivedMismatch: a counterfactual leaves a derived input at a
	// value its sources do not give (recomputed when a source changed,
	// else unchanged), or marks as derived a change of another feature.
	ChangeDerivedMismatch int `json:"change_derived_mismatch"`
	// AdviceLevelUnsupported: a level named by a categorical "change"
	// advice (Explainer.AdviceLevels) whose effect is not better than the
	// customer's, whose training event rate is not lower, or that is a
	// special code.
	AdviceLevelUnsupported int `json:"advice_level_unsupported"`
}

// Total is the number of violations of every kind.
func (v Violations) Total() int {
	return v.AdviceNotActionable + v.AdviceAgainstDirection + v.AdviceAgainstTrend + v.AdviceSpecial +
		v.AdviceShapeTurns + v.ChangeShapeTurns + v.ChangeNotActionable + v.ChangeAgainstDirection + v.ChangeAgainstTrend + v.ChangeSpecialTarget +
		v.ChangeUnsupported + v.ChangeBelowMinChange + v.ChangeDerivedMismatch + v.AdviceLevelUnsupported
}

// maxCheckErrors is how many row errors AdviceCheck keeps.
const maxCheckErrors = 5

// CheckAdvice audits the advice a model gives over the rows of t (a table
// with the model's columns): for every customer on the adverse side, the
// explanation's reasons and their advice (Explainer), and the cheapest
// counterfactual (ActionSpace.Recourse), first with the default support
// rule, then, if none, allowing unsupported changes. Rows that cannot be
// scored are skipped and counted. A model with no actionable input is
// checked for its explanations alone (every customer then has no
// recourse).
func CheckAdvice(ctx context.Context, m *score.Model, t *score.Table, opts *CheckOptions) (*AdviceCheck, error) {
	if m == nil {
		return nil, ErrNotBuilt
	}
	if err := m.RefusePairs("the advice check"); err != nil {
		return nil, err
	}
	var o CheckOptions
	if opts != nil {
		o = *opts
	}
	eo := o.Explain
	eo.Actions = o.Actions
	e, err := NewExplainer(m, &eo)
	if err != nil {
		return nil, err
	}
	space, err := NewActionSpace(m, o.Actions, o.Train)
	if err != nil && !errors.Is(err, ErrNothingActionable) {
		return nil, err
	}
	ro := o.Recourse
	ro.K, ro.AllowUnsupported = 1, false
	target := ro.Target
	if target == 0 {
		target = m.Cutoff()
	}
	rep := &AdviceCheck{Model: m.Name(), Target: float64(target), Margin: ro.Margin}
	idx := map[string]int{}
	for j := range e.facts {
		tf := &e.facts[j]
		fc := FeatureCheck{Feature: tf.feat.Name, Actionable: tf.action != nil}
		if space != nil && tf.action != nil && tf.numeric {
			mc := space.feats[j].minChange
			fc.MinChange = &mc
		}
		idx[fc.Feature] = len(rep.Features)
		rep.Features = append(rep.Features, fc)
	}
	rows := o.Rows
	if rows == nil {
		rows = make([]int, t.Len())
		for i := range rows {
			rows[i] = i
		}
	}
	var ex Explanation
	for _, i := range rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rep.Rows++
		skip := func(err error) {
			rep.Skipped++
			if len(rep.Errors) < maxCheckErrors {
				rep.Errors = append(rep.Errors, score.WithRow(err, i+1).Error())
			}
		}
		if i < 0 || i >= t.Len() {
			return nil, fmt.Errorf("row %d is past the last row of the table (%d)", i+1, t.Len())
		}
		rec, err := t.Record(m.Schema(), i)
		if err != nil {
			skip(err)
			continue
		}
		if err := e.Explain(rec, &ex); err != nil {
			skip(err)
			continue
		}
		if !(ex.Result.Probability >= target) {
			continue
		}
		rep.Adverse++
		advised, withheld, against := false, false, false
		for _, r := range ex.Reasons {
			if r.Term < 0 {
				continue
			}
			fc := &rep.Features[idx[r.Feature]]
			fc.Reasons++
			if r.AgainstTrend {
				fc.AgainstTrend++
				against = true
			}
			if r.Advice != "" {
				fc.Advised++
				advised = true
				rep.Violations.checkAdvice(m, o.Actions, r)
				rep.Violations.checkLevels(m, r, e.AdviceLevels(r, ex.Positions[r.Term]), -e.sign)
				continue
			}
			withheld = true
			if fc.Withheld == nil {
				fc.Withheld = map[string]int{}
			}
			fc.Withheld[r.AdviceWithheld]++
		}
		if advised {
			rep.Advised++
		} else {
			rep.NoAdvice++
		}
		if withheld {
			rep.WithheldAdvice++
		}
		if against {
			rep.AgainstTrend++
		}
		if space == nil {
			rep.NoRecourse++
			continue
		}
		r, err := space.Recourse(ctx, rec, &ro)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			return nil, score.WithRow(err, i+1)
		}
		if len(r.Counterfactuals) > 0 {
			rep.Recourse++
			for _, ch := range r.Counterfactuals[0].Changes {
				rep.Features[idx[ch.Feature]].Changed++
				if !ch.Derived {
					rep.Violations.checkChange(space, m, o.Actions, ch)
				}
			}
			rep.Violations.checkDerived(m, rec, r.Counterfactuals[0])
			continue
		}
		limits := r.Limits
		loose := ro
		loose.AllowUnsupported = true
		r2, err := space.Recourse(ctx, rec, &loose)
		if err != nil {
			return nil, score.WithRow(err, i+1)
		}
		if len(r2.Counterfactuals) > 0 {
			rep.UnsupportedOnly++
			for _, ch := range r2.Counterfactuals[0].Changes {
				if ch.Unsupported {
					rep.Features[idx[ch.Feature]].Unsupported++
				}
			}
			continue
		}
		rep.NoRecourse++
		seen := map[string]bool{}
		for _, l := range limits {
			if k, ok := idx[l.Feature]; ok && !seen[l.Feature] {
				seen[l.Feature] = true
				rep.Features[k].Limiting++
			}
		}
	}
	return rep, nil
}

// trendFromModel is the trend advice must respect, read from the term and
// feature directly: the declared trend when ascending or descending, else
// the training data's, unless the term's shape turns (see turns).
func trendFromModel(t *score.Term, f score.Feature) int {
	switch f.Trend {
	case score.Ascending:
		return 1
	case score.Descending:
		return -1
	}
	if t.Stats != nil && turns(t) == 0 {
		return t.Stats.DataTrend
	}
	return 0
}

// specialValue reports whether v is a special code of f or falls in a
// special bin of t, read from the model directly.
func specialValue(m *score.Model, j int, t *score.Term, f score.Feature, v score.Value) bool {
	switch {
	case v.IsNum():
		if _, ok := f.SpecialMeaning(v.Float()); ok {
			return true
		}
		if t.Kind == score.BinnedTerm {
			_, pos, err := m.Effect(j, v)
			return err == nil && pos >= 0 && t.Bins[pos].Kind == score.SpecialBin
		}
	case v.IsCat():
		_, ok := f.Special[v.Label()]
		return ok
	}
	return false
}

// cellFromModel is the training event rate of the cell holding v, read
// from the term directly (bins pooled into cells, levels, or Stats.Cells
// for a linear term or a sloped range bin).
func cellFromModel(m *score.Model, j int, t *score.Term, v score.Value) (float64, bool) {
	_, pos, err := m.Effect(j, v)
	sloped := t.Kind == score.BinnedTerm && err == nil && pos >= 0 && t.Bins[pos].Kind == score.RangeBin &&
		t.Bins[pos].Slope != 0 && t.Stats != nil && len(t.Stats.Cells) > 0
	switch {
	case (t.Kind == score.BinnedTerm || t.Kind == score.CategoricalTerm) && !sloped:
		if err != nil || pos < 0 {
			return 0, false
		}
		if t.Kind == score.BinnedTerm {
			cells, _ := binCells(t.Bins) // range bins pooled into cells of MinCellShare
			return cells[pos].rate, cells[pos].ok
		}
		n, ev := t.Levels[pos].Count, t.Levels[pos].Events
		return ev / n, n > 0
	}
	if t.Stats == nil || !v.IsNum() {
		return 0, false
	}
	x := v.Float()
	for _, c := range t.Stats.Cells {
		if (c.Lower == nil || x >= *c.Lower) && (c.Upper == nil || x < *c.Upper) {
			return c.Events / c.Count, c.Count > 0
		}
	}
	return 0, false
}

// declaredActionable reports, from the schema and the actions file alone,
// whether the feature may change: named in actions (not immutable), or
// declared actionable in the schema and not made immutable by actions.
func declaredActionable(f score.Feature, actions *Actions) bool {
	if f.Role != score.Input {
		return false
	}
	if actions != nil {
		if slices.Contains(actions.Immutable, f.Name) {
			return false
		}
		if fa, ok := actions.Features[f.Name]; ok {
			return !fa.Immutable
		}
	}
	return f.Actionable()
}

// checkAdvice re-checks one reason's advice against the rules, from the
// model and the actions file.
func (v *Violations) checkAdvice(m *score.Model, actions *Actions, r Reason) {
	j := r.Term
	t := m.Term(j)
	f := m.Schema().Feature(m.TermFeature(j))
	if !declaredActionable(f, actions) {
		v.AdviceNotActionable++
		return
	}
	dir := BothWays
	if f.Action != nil {
		dir = f.Action.Direction
	}
	if actions != nil {
		if fa, ok := actions.Features[f.Name]; ok {
			dir = fa.Direction
		}
	}
	if specialValue(m, j, &t, f, r.Value) {
		v.AdviceSpecial++
	}
	if (r.Advice == AdviceIncrease || r.Advice == AdviceDecrease) && shapeTurns(&t, f) {
		v.AdviceShapeTurns++
	}
	tr := trendFromModel(&t, f)
	switch r.Advice {
	case AdviceIncrease:
		if dir == DecreaseOnly {
			v.AdviceAgainstDirection++
		}
		if tr > 0 {
			v.AdviceAgainstTrend++
		}
	case AdviceDecrease:
		if dir == IncreaseOnly {
			v.AdviceAgainstDirection++
		}
		if tr < 0 {
			v.AdviceAgainstTrend++
		}
	}
}

// checkLevels re-checks, from the model alone, the levels a categorical
// "change" advice names to the customer: each must have a better effect
// than the customer's value (want times the difference positive: want is
// +1 when a larger effect helps), a lower training event rate, and be no
// special code. The allowed transitions are the explainer's to apply and
// are not re-checked here.
func (v *Violations) checkLevels(m *score.Model, r Reason, levels []string, want float64) {
	if len(levels) == 0 {
		return
	}
	j := r.Term
	t := m.Term(j)
	f := m.Schema().Feature(m.TermFeature(j))
	e0, _, err0 := m.Effect(j, r.Value)
	rate0, ok0 := cellFromModel(m, j, &t, r.Value)
	for _, l := range levels {
		to := score.Cat(l)
		e, _, err := m.Effect(j, to)
		rate, ok := cellFromModel(m, j, &t, to)
		if err0 != nil || err != nil || !ok0 || !ok || !(want*(e-e0) > 0) || !(rate < rate0) || specialValue(m, j, &t, f, to) {
			v.AdviceLevelUnsupported++
		}
	}
}

// checkChange re-checks one counterfactual change against the rules, from
// the model and the actions file (and the action space's min_change).
// checkDerived re-checks the derived inputs of counterfactual cf of rec,
// from the schema's declarations: with its changes applied, each derived
// input has the value its formula gives when one of its sources changed,
// and its own value otherwise; only derived inputs are marked Derived.
func (v *Violations) checkDerived(m *score.Model, rec score.Record, cf Counterfactual) {
	sch := m.Schema()
	after := slices.Clone(rec)
	for _, ch := range cf.Changes {
		i := sch.Index(ch.Feature)
		if i < 0 || (ch.Derived && sch.Feature(i).Derived == nil) {
			v.ChangeDerivedMismatch++
			continue
		}
		after[i] = ch.ToVal
	}
	for i, f := range sch.Features() {
		fm, ok := f.DerivedFrom()
		if !ok || m.TermOf(f.Name) < 0 {
			continue
		}
		l, r := sch.Index(fm.Left), sch.Index(fm.Right)
		want := rec[i]
		if after[l] != rec[l] || after[r] != rec[r] {
			want = score.Num(f.Derived.Value(fm, after[l].Float(), after[r].Float()))
		}
		if after[i] != want {
			v.ChangeDerivedMismatch++
		}
	}
}

func (v *Violations) checkChange(s *ActionSpace, m *score.Model, actions *Actions, ch Change) {
	j := m.TermOf(ch.Feature)
	if j < 0 {
		v.ChangeNotActionable++
		return
	}
	t := m.Term(j)
	f := m.Schema().Feature(m.TermFeature(j))
	rf := &s.feats[j]
	if !declaredActionable(f, actions) {
		v.ChangeNotActionable++
		return
	}
	if specialValue(m, j, &t, f, ch.ToVal) || specialValue(m, j, &t, f, ch.FromVal) {
		v.ChangeSpecialTarget++
	}
	if ch.FromVal.IsNum() && ch.ToVal.IsNum() {
		if shapeTurns(&t, f) {
			v.ChangeShapeTurns++
		}
		d := ch.ToVal.Float() - ch.FromVal.Float()
		if (d > 0 && rf.dir == DecreaseOnly) || (d < 0 && rf.dir == IncreaseOnly) {
			v.ChangeAgainstDirection++
		}
		if tr := trendFromModel(&t, f); (tr > 0 && d > 0) || (tr < 0 && d < 0) {
			v.ChangeAgainstTrend++
		}
		if math.Abs(d) < rf.minChange {
			v.ChangeBelowMinChange++
		}
	}
	cur, ok1 := cellFromModel(m, j, &t, ch.FromVal)
	pro, ok2 := cellFromModel(m, j, &t, ch.ToVal)
	if !ok1 || !ok2 || !(pro < cur) {
		v.ChangeUnsupported++
	}
}
