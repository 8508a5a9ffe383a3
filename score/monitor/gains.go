package monitor

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
)

// GainsRow is one group of a gains table. Groups run from the riskiest
// (highest event log-odds, lowest points) to the safest.
type GainsRow struct {
	Group int // 1-based
	// MinScore and MaxScore bound the group's scores in the scores' own
	// units (log-odds, or points for a scorecard through Assess).
	MinScore, MaxScore float64
	Count, Events      float64 // weighted rows and events in the group
	EventRate          float64 // Events / Count
	CumShare           float64 // share of all rows in this and riskier groups
	CumEventShare      float64 // share of all events captured so far (the gain)
	CumNonEventShare   float64 // share of all non-events so far
	KS                 float64 // CumEventShare - CumNonEventShare
	Lift               float64 // EventRate / overall event rate
}

// Gains builds a gains table of up to groups groups (10 when groups <= 0)
// of about equal weight, from risk scores that rise with the event
// (log-odds, probability, or minus points). Rows with equal scores always
// share a group, so a group may be larger than 1/groups and there may be
// fewer groups; empty groups are left out. The table's MinScore and
// MaxScore are in the units of the scores given.
func Gains(risk []float64, events []bool, weights []float64, groups int) ([]GainsRow, error) {
	if len(events) != len(risk) || (weights != nil && len(weights) != len(risk)) {
		return nil, fmt.Errorf("%w: %d scores, %d events, %d weights", score.ErrData, len(risk), len(events), len(weights))
	}
	if groups <= 0 {
		groups = 10
	}
	var tot, totEv float64
	for i, x := range risk {
		if !isFinite(x) {
			return nil, fmt.Errorf("%w: score %d is %v", score.ErrNotFinite, i+1, x)
		}
		w := metric.Weight(weights, i)
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("%w: weight %d is %v", score.ErrData, i+1, w)
		}
		tot += w
		if events[i] {
			totEv += w
		}
	}
	if tot == 0 || totEv == 0 || totEv == tot {
		return nil, fmt.Errorf("%w: gains need events and non-events", score.ErrData)
	}
	idx := metric.SortedByScore(risk)
	slices.Reverse(idx) // riskiest first
	rows := make([]GainsRow, groups)
	for g := range rows {
		rows[g] = GainsRow{Group: g + 1, MinScore: math.Inf(1), MaxScore: math.Inf(-1)}
	}
	before := 0.0
	for a := 0; a < len(idx); {
		b := a
		var w, ev float64
		for ; b < len(idx) && risk[idx[b]] == risk[idx[a]]; b++ {
			wi := metric.Weight(weights, idx[b])
			w += wi
			if events[idx[b]] {
				ev += wi
			}
		}
		g := min(int(before*float64(groups)/tot), groups-1)
		r := &rows[g]
		r.Count += w
		r.Events += ev
		r.MinScore = math.Min(r.MinScore, risk[idx[a]])
		r.MaxScore = math.Max(r.MaxScore, risk[idx[a]])
		before += w
		a = b
	}
	out := rows[:0]
	var cum, cumEv float64
	for _, r := range rows {
		if r.Count == 0 {
			continue
		}
		cum += r.Count
		cumEv += r.Events
		r.Group = len(out) + 1
		r.EventRate = r.Events / r.Count
		r.CumShare = cum / tot
		r.CumEventShare = cumEv / totEv
		r.CumNonEventShare = (cum - cumEv) / (tot - totEv)
		r.KS = r.CumEventShare - r.CumNonEventShare
		r.Lift = r.EventRate / (totEv / tot)
		out = append(out, r)
	}
	return out, nil
}

// Performance measures how well a model separates events from non-events
// on labelled data.
type Performance struct {
	Rows   int
	Events float64
	AUC    float64 // probability that a random event is riskier than a random non-event
	Gini   float64 // 2*AUC - 1
	KS     float64 // largest gap between the events' and non-events' score distributions
	// Gains is the decile gains table, riskiest first, with scores in the
	// model's units (points for a scorecard: MinScore/MaxScore are points,
	// group 1 holds the lowest).
	Gains []GainsRow
}

// Assess scores every row of t with m and measures AUC, Gini, KS and the
// decile gains table against the target column (event when it equals
// event; a blank target is an error). Rows that cannot be scored are
// errors, reported together (the first 20).
func Assess(m *score.Model, t *score.Table, target, event string) (*Performance, error) {
	if m.Kind() == score.LinearModel {
		return nil, fmt.Errorf("%w: a linear model has no event to assess", score.ErrModel)
	}
	tc := t.Column(target)
	if tc < 0 {
		return nil, &score.FieldError{Feature: target, Err: fmt.Errorf("%w: target column not in the data", score.ErrUnknownFeature)}
	}
	risk := make([]float64, 0, t.Len())
	events := make([]bool, 0, t.Len())
	var errs []error
	for i := 0; i < t.Len(); i++ {
		y := t.Cell(i, tc)
		if y == "" {
			errs = append(errs, &score.FieldError{Row: i + 1, Feature: target, Err: score.ErrMissing})
			continue
		}
		rec, err := t.Record(m.Schema(), i)
		var res score.Result
		if err == nil {
			res, err = m.Score(rec)
		}
		if err != nil {
			errs = append(errs, score.WithRow(err, i+1))
			continue
		}
		risk = append(risk, float64(res.LogOdds))
		events = append(events, y == event)
	}
	if errs != nil {
		if len(errs) > 20 {
			errs = append(errs[:20], fmt.Errorf("... and %d more rows with problems", len(errs)-20))
		}
		return nil, errors.Join(errs...)
	}
	p, err := AssessScores(risk, events, nil)
	if err != nil {
		return nil, err
	}
	if m.Kind() == score.ScorecardModel {
		for g := range p.Gains {
			r := &p.Gains[g]
			r.MinScore, r.MaxScore = m.ScoreFor(score.LogOdds(r.MaxScore)), m.ScoreFor(score.LogOdds(r.MinScore))
		}
	}
	return p, nil
}

// AssessScores measures AUC, Gini, KS and the decile gains table of risk
// scores that rise with the event (weights nil = all ones).
func AssessScores(risk []float64, events []bool, weights []float64) (*Performance, error) {
	g, err := Gains(risk, events, weights, 10)
	if err != nil {
		return nil, err
	}
	p := &Performance{Rows: len(risk), AUC: metric.AUC(risk, events, weights), KS: metric.KS(risk, events, weights), Gains: g}
	p.Gini = 2*p.AUC - 1
	for i, e := range events {
		if e {
			p.Events += metric.Weight(weights, i)
		}
	}
	return p, nil
}

// Format renders the measures and the gains table.
func (p *Performance) Format() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rows %d, events %s, AUC %.4f, Gini %.4f, KS %.4f\n", p.Rows, report.Count(p.Events), p.AUC, p.Gini, p.KS)
	fmt.Fprintf(&b, "%5s %10s %10s %9s %9s %7s %8s %8s %7s %6s\n", "group", "min", "max", "rows", "events", "rate", "cum.rows", "cum.evt", "ks", "lift")
	for _, r := range p.Gains {
		fmt.Fprintf(&b, "%5d %10.4g %10.4g %9s %9s %7.4f %8.4f %8.4f %7.4f %6.3f\n", r.Group, r.MinScore, r.MaxScore,
			report.Count(r.Count), report.Count(r.Events), r.EventRate, r.CumShare, r.CumEventShare, r.KS, r.Lift)
	}
	return b.String()
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
