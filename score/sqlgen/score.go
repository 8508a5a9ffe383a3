package sqlgen

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/score"
)

// DefaultTable is the table Score reads when Options.Table is empty.
const DefaultTable = "customers"

// Options configure Score. The zero value (or nil) means PostgreSQL, the
// table customers, no kept columns and explain's default reasons (four,
// from the population baseline, or the model's declared reason codes).
type Options struct {
	// Dialect is the engine to write for; "" means Postgres.
	Dialect Dialect
	// Table is written as given after FROM: a name, a qualified name or a
	// parenthesised query; "" means DefaultTable. Its columns are the
	// model's features by name: numeric features as numbers, categorical
	// ones as text (other types are cast).
	Table string
	// Keep lists columns of the table passed through unchanged, first, so
	// that the result can be joined back (an id) or ordered.
	Keep []string
	// Explainer defines the reason codes (baseline, algorithm, number,
	// ties); nil means explain.NewExplainer(m, nil). It must explain m.
	Explainer *explain.Explainer
	// NoReasons leaves the reason columns out.
	NoReasons bool
	// Bands, for AuditCounts only, audits each numeric group column it
	// names by band (fairness.Bands): the group value is the band's name,
	// "< 25", "[25, 35)", ">= 65", as candor audit --bands makes it.
	Bands map[string]fairness.Bands

	// exact scores sensitive terms at their exact effects, for the
	// aggregates of ScoreBins and AuditCounts (which, like candor monitor
	// and audit, count the exact scores and decisions).
	exact bool
}

// Column names of the statement's result, besides the kept columns and
// the per-term and per-reason columns below.
const (
	ColProbability = "probability" // event probability (logistic, scorecard)
	ColLogOdds     = "log_odds"    // event log-odds (logistic, scorecard)
	ColPoints      = "points"      // scorecard points
	ColScore       = "score"       // linear models: the response
	ColError       = "error"       // NULL, or why the row has no score
)

// EffectColumn is the name of the column holding the effect of term j (on
// feature), in model units: the intercept plus every effect is the score.
// It is "effect_" and the feature name, cut to 63 bytes for PostgreSQL
// (its longest name) with "_" and the 1-based term number at the end.
func EffectColumn(d Dialect, j int, feature string) string {
	return columnName(d, "effect_", j, feature)
}

// ContributionColumn is the name of the column holding the contribution of
// term j (on feature): its effect minus the explainer's baseline for the
// term. It is "contribution_" and the feature name, cut as EffectColumn's.
func ContributionColumn(d Dialect, j int, feature string) string {
	return columnName(d, "contribution_", j, feature)
}

// maxPostgresName is PostgreSQL's longest identifier, in bytes (NAMEDATALEN - 1).
const maxPostgresName = 63

func columnName(d Dialect, prefix string, j int, feature string) string {
	name := prefix + feature
	if (d != Postgres && d != "") || len(name) <= maxPostgresName {
		return name
	}
	tail := "_" + strconv.Itoa(j+1)
	cut := maxPostgresName - len(tail)
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return name[:cut] + tail
}

// ReasonColumns are the names of the i-th reason's (1-based) code, lead
// feature and effect columns (effect as explain.Reason.Effect).
func ReasonColumns(i int) (code, feature, effect string) {
	n := strconv.Itoa(i)
	return "reason_code_" + n, "reason_feature_" + n, "reason_effect_" + n
}

// arm is one WHEN of a term's CASE: a condition ("" for ELSE), the
// effect (SQL; "" when the value is an error), the error text (SQL, ""
// when none) and the level or bin position (-1 for none).
type arm struct {
	cond, effect, err string
	pos               int
	levels            []string // a categorical term's levels the arm matches
}

// gen holds what Score builds.
type gen struct {
	s    syntax
	m    *score.Model
	e    *explain.Explainer
	arms [][]arm
	// exact: no term is published (Options.exact).
	exact bool
	// ctes are the layers written so far as common table expressions
	// (SQLite: see layer).
	ctes []string
}

const prefix = "_candor_"

func (g *gen) col(kind string, j int) string { return g.s.ident(prefix + kind + strconv.Itoa(j)) }

// Score returns one SELECT statement that scores every row of the table in
// opts (see the package documentation). opts may be nil.
func Score(m *score.Model, opts *Options) (string, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	s, err := syntaxOf(o.Dialect)
	if err != nil {
		return "", err
	}
	if m == nil || m.Schema().Len() == 0 && m.NumTerms() == 0 && m.Name() == "" {
		return "", fmt.Errorf("%w: no model", ErrUnsupported)
	}
	if err := m.RefusePairs("SQL generation"); err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	e := o.Explainer
	if e == nil {
		if e, err = explain.NewExplainer(m, nil); err != nil {
			return "", err
		}
	} else if e.Model() != m {
		return "", fmt.Errorf("%w: the explainer explains another model", ErrUnsupported)
	}
	g := &gen{s: s, m: m, e: e, exact: o.exact}
	if err := g.compile(); err != nil {
		return "", err
	}
	table := o.Table
	if table == "" {
		table = DefaultTable
	}
	if err := g.checkKeep(o); err != nil {
		return "", err
	}

	// Layer 0: the kept columns and the model's inputs, cast.
	var sel []string
	for _, k := range o.Keep {
		sel = append(sel, "c."+s.ident(k)+" AS "+s.ident(k))
	}
	for j := range m.NumTerms() {
		f := m.Schema().Feature(m.TermFeature(j))
		sel = append(sel, g.input(f)+" AS "+g.col("x", j))
	}
	if len(sel) == 0 {
		sel = append(sel, "1 AS "+g.s.ident(prefix+"one"))
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + table + " AS c"

	// Layer 1: each term's effect (NULL when the value is an error) and,
	// when it varies, its reason code.
	sel = []string{"s.*"}
	for j := range m.NumTerms() {
		sel = append(sel, g.effectCase(j)+" AS "+g.col("e", j))
		if kc, ok := g.codeCase(j); !ok {
			sel = append(sel, kc+" AS "+g.col("k", j))
		}
	}
	q = g.layer(sel, q)

	// Layer 2: the score in term order (NULL when any term's effect is),
	// the contributions, and the errors' text. The text is built only for
	// rows with an error (a CASE evaluates its result for the rows that
	// reach it): each failing term's error CASE runs there and nowhere
	// else, so a row that scores costs one CASE a term.
	base := e.Baseline()
	sum := s.num(m.Intercept())
	var failed, etxt []string
	sel = []string{"s.*"}
	for j := range m.NumTerms() {
		sum = "(" + sum + " + s." + g.col("e", j) + ")"
		if g.canFail(j) {
			failed = append(failed, "s."+g.col("e", j)+" IS NULL")
			etxt = append(etxt, "COALESCE("+g.errorCase(j)+", '')")
		}
		sel = append(sel, "(s."+g.col("e", j)+" - "+s.num(base.Terms[j])+") AS "+g.col("c", j))
	}
	sel = append(sel, sum+" AS "+s.ident(prefix+"s"))
	if len(failed) == 0 {
		sel = append(sel, "CAST(NULL AS "+s.text+") AS "+s.ident(prefix+"t"))
	} else {
		sel = append(sel, "CASE WHEN "+strings.Join(failed, " OR ")+" THEN ("+strings.Join(etxt, " || ")+") END AS "+s.ident(prefix+"t"))
	}
	q = g.layer(sel, q)

	// Layers 3 and 4: the link, and the reason codes' totals and ranks.
	sel = []string{"s.*"}
	switch m.Kind() {
	case score.ScorecardModel:
		sc, _ := m.Scaling()
		sel = append(sel, "(("+s.num(sc.Offset)+" - s."+s.ident(prefix+"s")+") / "+s.num(sc.Factor)+") AS "+s.ident(prefix+"l"))
	case score.LogisticModel:
		sel = append(sel, "s."+s.ident(prefix+"s")+" AS "+s.ident(prefix+"l"))
	}
	var rs *reasons
	if !o.NoReasons {
		rs = g.reasons()
		sel = append(sel, rs.layer3...)
	}
	q = g.layer(sel, q)
	if rs != nil {
		for _, l := range rs.later {
			q = g.layer(append([]string{"s.*"}, l...), q)
		}
	}

	// The result.
	ok := "s." + s.ident(prefix+"s") + " IS NOT NULL"
	sel = nil
	for _, k := range o.Keep {
		sel = append(sel, "s."+s.ident(k)+" AS "+s.ident(k))
	}
	if m.Kind() != score.LinearModel {
		l := "s." + s.ident(prefix+"l")
		one := s.num(1)
		sel = append(sel, "CASE WHEN "+l+" IS NULL THEN NULL WHEN "+l+" >= 0 THEN "+one+" / ("+one+" + EXP(-"+s.least+"("+l+", "+s.num(700)+")))"+
			" ELSE EXP("+s.greatest+"("+l+", "+s.num(-700)+")) / ("+one+" + EXP("+s.greatest+"("+l+", "+s.num(-700)+"))) END AS "+s.ident(ColProbability),
			l+" AS "+s.ident(ColLogOdds))
	}
	switch m.Kind() {
	case score.ScorecardModel:
		sel = append(sel, "s."+s.ident(prefix+"s")+" AS "+s.ident(ColPoints))
	case score.LinearModel:
		sel = append(sel, "s."+s.ident(prefix+"s")+" AS "+s.ident(ColScore))
	}
	for j := range m.NumTerms() {
		f := m.Schema().Feature(m.TermFeature(j)).Name
		sel = append(sel, "CASE WHEN "+ok+" THEN s."+g.col("e", j)+" END AS "+s.ident(EffectColumn(o.Dialect, j, f)),
			"CASE WHEN "+ok+" THEN s."+g.col("c", j)+" END AS "+s.ident(ContributionColumn(o.Dialect, j, f)))
	}
	if rs != nil {
		sel = append(sel, rs.final()...)
	}
	// The error: the count of failing terms (counted only for rows with
	// an error) and their text.
	t := "s." + s.ident(prefix+"t")
	var count []string
	for j := range m.NumTerms() {
		if g.canFail(j) {
			count = append(count, "CASE WHEN s."+g.col("e", j)+" IS NULL THEN 1 ELSE 0 END")
		}
	}
	if len(count) == 0 {
		sel = append(sel, "CAST(NULL AS "+s.text+") AS "+s.ident(ColError))
	} else {
		n := "(" + strings.Join(count, " + ") + ")"
		sel = append(sel, "CASE WHEN "+t+" IS NULL THEN NULL WHEN "+n+" = 1 THEN SUBSTR("+t+", 3) ELSE CAST("+n+" AS "+s.text+") || "+
			s.str(" problems: ")+" || SUBSTR("+t+", 3) END AS "+s.ident(ColError))
	}
	q = g.layer(sel, q)
	if len(g.ctes) > 0 {
		q = "WITH " + strings.Join(g.ctes, ",\n") + "\n" + q
	}
	return q, nil
}

// input is SQL for the value of feature f's column, cast to its kind. A
// cell that is blank once spaces and tabs are trimmed is missing, as
// candor's CSV reader reads it (loaders such as sqlite3's .import store a
// blank cell as an empty string, not NULL), and a label is trimmed as the reader trims
// it. The text is looked at only where it can be blank: a label is
// trimmed only when it starts or ends with a space or tab (cheap prefix
// and suffix tests), and a number is read as text only when its column is
// text, which DuckDB decides once for the column (typeof is folded).
func (g *gen) input(f score.Feature) string {
	s := g.s
	c := "c." + s.ident(f.Name)
	t := "CAST(" + c + " AS " + s.text + ")"
	if f.Kind == score.Categorical {
		var edges []string
		for _, w := range []string{" ", "\t"} {
			edges = append(edges, t+" LIKE "+s.str(w+"%"), t+" LIKE "+s.str("%"+w))
		}
		return "CASE WHEN " + t + " = '' THEN NULL WHEN " + strings.Join(edges, " OR ") + " THEN NULLIF(" + s.trim(t) + ", '') ELSE " + t + " END"
	}
	blank := s.trim(t) + " = ''"
	if s.isText != "" {
		blank = strings.ReplaceAll(s.isText, "%s", c) + " AND " + blank
	}
	return "CASE WHEN " + blank + " THEN NULL ELSE CAST(" + c + " AS " + s.double + ") END"
}

// layer wraps the query from in one that selects sel. For PostgreSQL the
// inner query ends in OFFSET 0, which keeps the planner from pulling it up
// and copying each column's expression into every use of it (the reason
// ranks use each total dozens of times).
//
// For SQLite the layers are a chain of materialized common table
// expressions instead: its parser overflows its stack on a score's
// twenty-odd nested subqueries, and its query flattener copies each
// layer's expressions into every use of them (the reason ranks use each
// total dozens of times), which grows the work a row exponentially with
// the reasons. The chain is as long as the layers, nested nowhere, and
// each layer is computed once (MATERIALIZED, SQLite 3.35 or later).
func (g *gen) layer(sel []string, from string) string {
	if g.s.cte {
		name := g.s.ident(prefix + "layer" + strconv.Itoa(len(g.ctes)))
		g.ctes = append(g.ctes, name+" AS MATERIALIZED ("+from+")")
		return "SELECT " + strings.Join(sel, ",\n  ") + "\nFROM " + name + " AS s"
	}
	fence := ""
	if g.s.fence {
		fence = " OFFSET 0"
	}
	return "SELECT " + strings.Join(sel, ",\n  ") + "\nFROM (" + from + fence + ") AS s"
}

// checkKeep checks the kept columns against the result's own.
func (g *gen) checkKeep(o Options) error {
	names := []string{ColProbability, ColLogOdds, ColPoints, ColScore, ColError}
	for j := range g.m.NumTerms() {
		f := g.m.Schema().Feature(g.m.TermFeature(j)).Name
		names = append(names, EffectColumn(o.Dialect, j, f), ContributionColumn(o.Dialect, j, f))
	}
	if !o.NoReasons {
		for i := 1; i <= g.e.MaxReasons(); i++ {
			a, b, c := ReasonColumns(i)
			names = append(names, a, b, c)
		}
	}
	seen := map[string]bool{}
	for _, k := range o.Keep {
		switch {
		case k == "":
			return fmt.Errorf("%w: an empty name in the kept columns", ErrColumn)
		case strings.HasPrefix(k, prefix):
			return fmt.Errorf("%w: kept column %q: names starting %q are the statement's own", ErrColumn, k, prefix)
		case slices.Contains(names, k):
			return fmt.Errorf("%w: kept column %q is also a result column", ErrColumn, k)
		case seen[k]:
			return fmt.Errorf("%w: kept column %q listed twice", ErrColumn, k)
		}
		seen[k] = true
	}
	return nil
}

// errText is the SQL text of one field error, as score.FieldError
// prints it, behind the "; " that separates the errors of a record.
func (g *gen) errText(feature string, sentinel error, value string) string {
	lit := g.s.str("; feature " + strconv.Quote(feature) + ": " + sentinel.Error())
	if value == "" {
		return lit
	}
	return lit + " || " + g.s.str(" (") + " || " + value + " || " + g.s.str(")")
}

// quoted is SQL that quotes a label as strconv.Quote does for printable
// text: backslashes and double quotes escaped, in double quotes.
func (g *gen) quoted(x string) string {
	return g.s.str(`"`) + " || REPLACE(REPLACE(" + x + ", " + g.s.str(`\`) + ", " + g.s.str(`\\`) + "), " +
		g.s.str(`"`) + ", " + g.s.str(`\"`) + ") || " + g.s.str(`"`)
}

// nonFinite is SQL for the text of a non-finite number as Go formats it.
func (g *gen) nonFinite(x string) string {
	inf := "CAST('inf' AS " + g.s.double + ")"
	if g.s.double == "REAL" { // SQLite reads 'inf' as 0; 9e999 overflows to infinity
		inf = "9e999"
	}
	return "CASE WHEN " + x + " = " + inf + " THEN " + g.s.str(`"+Inf"`) + " WHEN " + x + " = -" + inf +
		" THEN " + g.s.str(`"-Inf"`) + " ELSE " + g.s.str(`"NaN"`) + " END"
}

// numText is SQL for the text of a finite number (the engine's own
// format, which may differ from Go's in the exponent form).
func (g *gen) numText(x string) string {
	return g.s.str(`"`) + " || CAST(" + x + " AS " + g.s.text + ") || " + g.s.str(`"`)
}

// compile turns every term into its arms.
func (g *gen) compile() error {
	m := g.m
	g.arms = make([][]arm, m.NumTerms())
	for j := range m.NumTerms() {
		t := m.Term(j)
		f := m.Schema().Feature(m.TermFeature(j))
		v := "s." + g.col("x", j)
		value := func(sql string) string {
			if f.Sensitive {
				return ""
			}
			return sql
		}
		isNull := v + " IS NULL"
		notFinite := "NOT (" + v + " BETWEEN " + g.s.num(-math.MaxFloat64) + " AND " + g.s.num(math.MaxFloat64) + ")"
		missing := arm{cond: isNull, err: g.errText(f.Name, score.ErrMissing, ""), pos: -1}
		nonFinite := arm{cond: notFinite, err: g.errText(f.Name, score.ErrNotFinite, value(g.nonFinite(v))), pos: -1}
		unknown := arm{err: g.errText(f.Name, score.ErrUnknownCategory, value(g.quoted(v))), pos: -1}
		var arms []arm
		switch t.Kind {
		case score.LinearTerm:
			if t.Fill != nil {
				missing = arm{cond: isNull, effect: g.s.num(t.Coef * *t.Fill), pos: -1}
			}
			arms = []arm{missing, nonFinite, {effect: "(" + g.s.num(t.Coef) + " * " + v + ")", pos: -1}}
		case score.CategoricalTerm:
			if t.MissingEffect != nil {
				missing = arm{cond: isNull, effect: g.s.num(*t.MissingEffect), pos: -1}
			}
			arms = []arm{missing}
			// Levels with the same effect and code share one IN list.
			type key struct {
				effect float64
				code   string
			}
			var order []key
			groups := map[key][]int{}
			for k, l := range t.Levels {
				kk := key{l.Effect, g.e.Code(j, k)}
				if _, ok := groups[kk]; !ok {
					order = append(order, kk)
				}
				groups[kk] = append(groups[kk], k)
			}
			for _, kk := range order {
				var labels []string
				for _, k := range groups[kk] {
					labels = append(labels, t.Levels[k].Label)
				}
				arms = append(arms, arm{cond: g.in(v, labels), effect: g.s.num(kk.effect), pos: groups[kk][0], levels: labels})
			}
			if t.OtherEffect != nil {
				unknown = arm{effect: g.s.num(*t.OtherEffect), pos: -1}
			}
			arms = append(arms, unknown)
		case score.BinnedTerm:
			var err error
			if arms, err = g.binArms(t, f, v, missing, nonFinite, unknown); err != nil {
				return &score.FieldError{Feature: f.Name, Err: err}
			}
		default:
			return &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: term kind %q", ErrUnsupported, t.Kind)}
		}
		g.arms[j] = g.published(j, t, v, arms)
	}
	return nil
}

// published returns term j's arms as Publish shows the term when the
// explainer withholds it (explain.Explainer.PublishedEffect): every
// effect that of the value's band or group, and no level's or bin's
// code (the term's own). Else it returns arms as they are.
func (g *gen) published(j int, t score.Term, v string, arms []arm) []arm {
	if _, ok := g.e.PublishedEffect(j, score.Missing(), -1); !ok || g.exact {
		return arms
	}
	pub := func(x score.Value, pos int) string {
		eff, _ := g.e.PublishedEffect(j, x, pos)
		return g.s.num(eff)
	}
	var out []arm
	for _, a := range arms {
		if a.effect == "" {
			out = append(out, a)
			continue
		}
		switch {
		case t.Kind == score.LinearTerm && a.cond != "":
			// The fill of a missing value.
			a.effect = pub(score.Missing(), -1)
		case t.Kind == score.LinearTerm:
			// The number: its band, by the edges Publish compares with.
			x := math.Inf(-1)
			for _, edge := range g.e.BandEdges(j) {
				out = append(out, arm{cond: v + " < " + g.s.num(edge), effect: pub(score.Num(x), -1), pos: -1})
				x = edge
			}
			a.effect = pub(score.Num(x), -1)
		case t.Kind == score.CategoricalTerm && a.pos >= 0:
			// An IN list of levels with one exact effect: one arm a level,
			// each at its group's effect.
			for _, l := range a.levels {
				out = append(out, arm{cond: v + " = " + g.s.str(l), effect: pub(score.Cat(l), -1), pos: -1})
			}
			continue
		case t.Kind == score.CategoricalTerm && a.cond != "":
			a.effect = pub(score.Missing(), -1)
		case t.Kind == score.CategoricalTerm:
			a.effect = pub(score.Cat(""), -1) // no level is labelled "": the other effect
		default:
			a.effect = pub(score.Missing(), a.pos)
		}
		a.pos = -1
		out = append(out, a)
	}
	return out
}

func (g *gen) binArms(t score.Term, f score.Feature, v string, missing, nonFinite, unknown arm) ([]arm, error) {
	var ranges, specials []int
	other := -1
	for k, b := range t.Bins {
		switch b.Kind {
		case score.MissingBin:
			missing = arm{cond: missing.cond, effect: g.s.num(b.Effect), pos: k}
		case score.OtherBin:
			other = k
		case score.RangeBin:
			ranges = append(ranges, k)
		case score.SpecialBin:
			specials = append(specials, k)
		case score.CategoryBin:
		default:
			return nil, fmt.Errorf("%w: bin kind %q", ErrUnsupported, b.Kind)
		}
	}
	arms := []arm{missing}
	if f.Kind == score.Categorical {
		for k, b := range t.Bins {
			if b.Kind == score.CategoryBin && len(b.Categories) > 0 {
				arms = append(arms, arm{cond: g.in(v, b.Categories), effect: g.s.num(b.Effect), pos: k})
			}
		}
		if other >= 0 {
			unknown = arm{effect: g.s.num(t.Bins[other].Effect), pos: other}
		}
		return append(arms, unknown), nil
	}
	arms = append(arms, nonFinite)
	for _, k := range specials {
		b := t.Bins[k]
		arms = append(arms, arm{cond: v + " = " + g.s.num(*b.Special), effect: g.s.num(b.Effect), pos: k})
	}
	// The range bins in ascending order, as the model validated them.
	slices.SortStableFunc(ranges, func(a, b int) int {
		la, lb := math.Inf(-1), math.Inf(-1)
		if p := t.Bins[a].Lower; p != nil {
			la = *p
		}
		if p := t.Bins[b].Lower; p != nil {
			lb = *p
		}
		switch {
		case la < lb:
			return -1
		case la > lb:
			return 1
		}
		return 0
	})
	for r, k := range ranges {
		b := t.Bins[k]
		eff := g.s.num(b.Effect)
		if b.Slope != 0 {
			eff = "(" + eff + " + (" + g.s.num(b.Slope) + " * " + v + "))"
		}
		cond := ""
		if r < len(ranges)-1 {
			cond = v + " < " + g.s.num(*b.Upper)
		}
		arms = append(arms, arm{cond: cond, effect: eff, pos: k})
	}
	if len(ranges) == 0 {
		// Only missing and special values are declared: any other number
		// is of the wrong kind.
		value := g.numText(v)
		if f.Sensitive {
			value = ""
		}
		arms = append(arms, arm{err: g.errText(f.Name, score.ErrWrongKind, value), pos: -1})
	}
	return arms, nil
}

// in is "v IN (labels)", or "v = label" for one.
func (g *gen) in(v string, labels []string) string {
	if len(labels) == 1 {
		return v + " = " + g.s.str(labels[0])
	}
	q := make([]string, len(labels))
	for i, l := range labels {
		q[i] = g.s.str(l)
	}
	return v + " IN (" + strings.Join(q, ", ") + ")"
}

// cases writes a CASE over term j's arms with then(a) as each result
// ("" for NULL); trailing NULL arms are left out.
func (g *gen) cases(j int, then func(a arm) string) string {
	arms := g.arms[j]
	last := len(arms) - 1
	for last >= 0 && then(arms[last]) == "" {
		last--
	}
	if last < 0 {
		return "NULL"
	}
	if arms[0].cond == "" {
		return then(arms[0])
	}
	var b strings.Builder
	b.WriteString("CASE")
	for _, a := range arms[:last+1] {
		r := then(a)
		if r == "" {
			r = "NULL"
		}
		if a.cond == "" {
			b.WriteString(" ELSE " + r)
			break
		}
		b.WriteString(" WHEN " + a.cond + " THEN " + r)
	}
	b.WriteString(" END")
	return b.String()
}

func (g *gen) effectCase(j int) string { return g.cases(j, func(a arm) string { return a.effect }) }

func (g *gen) canFail(j int) bool {
	return slices.ContainsFunc(g.arms[j], func(a arm) bool { return a.err != "" })
}

func (g *gen) errorCase(j int) string {
	if !g.canFail(j) {
		return ""
	}
	return g.cases(j, func(a arm) string { return a.err })
}

// codeIndex is the index in the explainer's Codes of term j's code at
// position pos, -1 for none.
func (g *gen) codeIndex(j, pos int) int {
	c := g.e.Code(j, pos)
	if c == "" {
		return -1
	}
	return slices.Index(g.e.Codes(), c)
}

// codes returns the codes term j can report (in arm order, distinct).
func (g *gen) codes(j int) []int {
	var out []int
	for _, a := range g.arms[j] {
		if a.effect == "" {
			continue
		}
		if k := g.codeIndex(j, a.pos); k >= 0 && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// codeCase is SQL for term j's code index, and true when it is the same
// for every value the term scores (then the SQL is that constant).
func (g *gen) codeCase(j int) (string, bool) {
	cs := g.codes(j)
	if len(cs) <= 1 {
		if len(cs) == 0 {
			return "-1", true
		}
		return strconv.Itoa(cs[0]), true
	}
	return g.cases(j, func(a arm) string {
		if a.effect == "" {
			return ""
		}
		return strconv.Itoa(g.codeIndex(j, a.pos))
	}), false
}
