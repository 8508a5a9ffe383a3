package explain

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
)

// Publishing sensitive terms.
//
// A model is additive, so an exact explanation gives a sensitive value
// back: a linear term's effect is coef*x, so x = effect/coef, and the
// score minus every other term is that effect too; a categorical term's
// level effects map back to levels one to one. So nothing is published
// from the exact effect of a sensitive term. Instead, every number that
// Publish and PublishRecourse hand out is computed as if each sensitive
// term had the effect of its band:
//
//   - a linear term on a numeric feature with a training range [lo, hi]
//     (Term.Stats): SensitiveBands equal-width bands of that range (values
//     outside it fall in the end bands), each published at the effect of
//     its midpoint; without a training range, one band at the term's
//     population baseline (Term.Baseline);
//   - a categorical or binned term: its levels or bins (and its missing and
//     other effects) sorted by effect and grouped into at most
//     SensitiveBands groups of SensitiveGroup or more (as equal in size as
//     they can be, in effect order), each group published at the mean of
//     its effects.
//
// The published score is the exact score with each sensitive term's effect
// replaced by its band's (summed afresh), kept on the exact score's side
// of the cutoffs published with it (PublishSide: the model's cutoff, a
// policy's cutoff and review band, a recourse target); the published
// contributions, reasons, log-odds, probability and counterfactual scores
// follow from it. The value, level,
// bin and position of a sensitive feature are never published, and a
// counterfactual's change of one gives only the band of the new value.
// Everything published is then a function of the customer's other values
// and of the sensitive values' bands alone: an attacker with the model file
// and every output learns which band each sensitive value is in, and no
// more, apart from what the decisions themselves imply (the exact score's
// side of the cutoff, and which counterfactuals the exact search found
// cheapest). Repeating outputs for the same customer narrows nothing.
const (
	// SensitiveBands is the number of equal-width bands of a sensitive
	// numeric feature's training range, and the most groups a sensitive
	// categorical or binned term is published in.
	SensitiveBands = 4
	// SensitiveGroup is the fewest levels or bins in one published group
	// of a sensitive categorical or binned term.
	SensitiveGroup = 2
)

// termBands is how one withheld term is published.
type termBands struct {
	kind score.TermKind
	// A linear term: bands of [lo, lo+n*width); constant when there is no
	// range (every value is published at effect).
	coef, lo, width float64
	constant        bool
	effect          float64
	// A categorical term: group of each label; a binned term: group of
	// each bin. missing and other are the groups of a missing value and of
	// an unknown label (-1 when the term has none).
	byLabel        map[string]int
	byBin          []int
	missing, other int
	groupEffect    []float64
	groupLabel     []string
}

// newBands prepares the bands of every withheld term of m.
func newBands(m *score.Model, withheld []bool) []*termBands {
	var out []*termBands
	for j, w := range withheld {
		if !w {
			continue
		}
		if out == nil {
			out = make([]*termBands, len(withheld))
		}
		out[j] = termBandsOf(m, j)
	}
	return out
}

type bandEntry struct {
	label  string
	effect float64
	bin    int // for a binned term, else -1
	key    int // 0 level, 1 missing, 2 other
}

func termBandsOf(m *score.Model, j int) *termBands {
	t := m.Term(j)
	tb := &termBands{kind: t.Kind, missing: -1, other: -1}
	var entries []bandEntry
	switch t.Kind {
	case score.PairTerm:
		// A pair with a sensitive feature is published at its training
		// average: its cells would tell the sensitive value back.
		tb.constant, tb.effect = true, t.Baseline
		return tb
	case score.LinearTerm:
		tb.coef = t.Coef
		lo, hi, ok := t.Stats.Range()
		if !ok || !(hi > lo) || t.Coef == 0 {
			tb.constant, tb.effect = true, t.Baseline
			if t.Coef == 0 {
				tb.effect = 0
			}
			return tb
		}
		tb.lo, tb.width = lo, (hi-lo)/SensitiveBands
		return tb
	case score.CategoricalTerm:
		f := m.Schema().Feature(m.TermFeature(j))
		labels := append([]string(nil), f.Categories...)
		for _, l := range t.Levels {
			labels = append(labels, l.Label)
		}
		if t.Reference != "" {
			labels = append(labels, t.Reference)
		}
		seen := map[string]bool{}
		for _, l := range labels {
			if seen[l] {
				continue
			}
			seen[l] = true
			if e, _, err := m.Effect(j, score.Cat(l)); err == nil {
				entries = append(entries, bandEntry{label: l, effect: e, bin: -1})
			}
		}
		if t.MissingEffect != nil {
			entries = append(entries, bandEntry{label: "missing", effect: *t.MissingEffect, bin: -1, key: 1})
		}
		if t.OtherEffect != nil {
			entries = append(entries, bandEntry{label: "other", effect: *t.OtherEffect, bin: -1, key: 2})
		}
	case score.BinnedTerm:
		for i, b := range t.Bins {
			lo, hi := b.EffectRange(t.Stats)
			e := (lo + hi) / 2
			if math.IsInf(e, 0) || math.IsNaN(e) {
				e = b.Effect
			}
			entries = append(entries, bandEntry{label: BinLabel(b), effect: e, bin: i})
		}
		tb.byBin = make([]int, len(t.Bins))
	}
	// Sorted through their indexes (ties keep their order), so that no
	// sort is instantiated for bandEntry.
	order := make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, k int) int {
		a, b := &entries[i], &entries[k]
		if c := cmp.Compare(a.effect, b.effect); c != 0 {
			return c
		}
		return strings.Compare(a.label, b.label)
	})
	sorted := make([]bandEntry, len(entries))
	for i, k := range order {
		sorted[i] = entries[k]
	}
	entries = sorted
	tb.byLabel = map[string]int{}
	// At most SensitiveBands groups, as a linear term's range has, of
	// SensitiveGroup or more: a boosted model's hundreds of fine bins in
	// pairs would name the value to a pair of narrow bins.
	n := len(entries)
	groups := min(SensitiveBands, max(1, n/SensitiveGroup))
	for g := range groups {
		lo, hi := g*n/groups, (g+1)*n/groups
		var sum float64
		var labels []string
		for _, en := range entries[lo:hi] {
			sum += en.effect
			labels = append(labels, en.label)
			switch {
			case en.bin >= 0:
				tb.byBin[en.bin] = g
			case en.key == 1:
				tb.missing = g
			case en.key == 2:
				tb.other = g
			default:
				tb.byLabel[en.label] = g
			}
		}
		tb.groupEffect = append(tb.groupEffect, sum/float64(max(1, hi-lo)))
		tb.groupLabel = append(tb.groupLabel, strings.Join(labels, " or "))
	}
	return tb
}

// band returns the published effect of value v at position pos (the
// level or bin Model.Effect reported) and its band: an index into the
// linear bands or the groups, -1 for the constant band and for a value the
// model could not score (which is never published).
func (tb *termBands) band(v score.Value, pos int) (effect float64, band int) {
	if tb.constant {
		return tb.effect, -1
	}
	switch tb.kind {
	case score.LinearTerm:
		// Compared with the edges that label writes (and BandEdges hands
		// to SQL), so that a value at an edge is in the band named for it
		// and a huge value is in the last band.
		x := v.Float()
		k := 0
		if v.IsNum() {
			for k < SensitiveBands-1 && x >= tb.edge(k+1) {
				k++
			}
		}
		return tb.coef * (tb.lo + (float64(k)+0.5)*tb.width), k
	case score.BinnedTerm:
		if pos >= 0 && pos < len(tb.byBin) {
			g := tb.byBin[pos]
			return tb.groupEffect[g], g
		}
	default:
		g := -1
		switch {
		case v.IsMissing():
			g = tb.missing
		case v.IsCat():
			var ok bool
			if g, ok = tb.byLabel[v.Label()]; !ok {
				g = tb.other
			}
		}
		if g >= 0 {
			return tb.groupEffect[g], g
		}
	}
	return 0, -1
}

// edge is the lower edge of a linear term's band k.
func (tb *termBands) edge(k int) float64 { return tb.lo + float64(k)*tb.width }

// PublishedEffect returns the effect Publish gives term j when its value
// is v at position pos (the level or bin Model.Effect reports, -1 for
// none), and true; or false when Publish shows term j as it is.
func (e *Explainer) PublishedEffect(j int, v score.Value, pos int) (float64, bool) {
	if j < 0 || j >= len(e.bands) || e.bands[j] == nil {
		return 0, false
	}
	eff, _ := e.bands[j].band(v, pos)
	return eff, true
}

// BandEdges returns the inner edges of the bands Publish puts a withheld
// linear term j's values in, ascending: a number below edges[0] is in the
// first band, one at or above edges[i-1] and below edges[i] in band i.
// It is nil for any other term (a withheld linear term without a
// training range has one band).
func (e *Explainer) BandEdges(j int) []float64 {
	if j < 0 || j >= len(e.bands) || e.bands[j] == nil || e.bands[j].kind != score.LinearTerm || e.bands[j].constant {
		return nil
	}
	out := make([]float64, SensitiveBands-1)
	for k := range out {
		out[k] = e.bands[j].edge(k + 1)
	}
	return out
}

// label names band k for people: "< b", "[a, b)" or ">= a" for a linear
// term (the end bands are open: they hold the values outside the training
// range), the group's labels joined by " or ", or Withheld.
func (tb *termBands) label(k int) string {
	if k < 0 {
		return Withheld
	}
	if tb.kind != score.LinearTerm {
		return tb.groupLabel[k]
	}
	a, b := tb.edge(k), tb.edge(k+1)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	switch k {
	case 0:
		return "< " + f(b)
	case SensitiveBands - 1:
		return ">= " + f(a)
	}
	return "[" + f(a) + ", " + f(b) + ")"
}

// toLabel is how the published change of a withheld numeric term to band
// k reads, dir being the way the value moves: for a linear term "at
// least" the band's lower edge when it rises, "less than" its upper edge
// when it falls (its effect is monotone, so going further is as good);
// for a binned term, whose groups need not be contiguous, the direction
// alone ("higher", "lower"); for a categorical term the group's levels.
func (tb *termBands) toLabel(k int, dir Direction) string {
	switch {
	case k < 0 || dir == AnyDirection:
		return tb.label(k)
	case tb.kind == score.LinearTerm && dir == Higher:
		return "at least " + strconv.FormatFloat(tb.edge(k), 'g', 6, 64)
	case tb.kind == score.LinearTerm:
		return "less than " + strconv.FormatFloat(tb.edge(k+1), 'g', 6, 64)
	}
	return dir.word()
}

// Withholds reports whether the explainer withholds sensitive terms: some
// term's feature is Sensitive and the explainer was built without
// Options.ShowSensitive. Then Publish and PublishRecourse change what they
// are given; otherwise they copy it.
func (e *Explainer) Withholds() bool { return e.bands != nil }

// Publish writes into dst the explanation of ex that may be shown to
// anyone: ex as it is when the explainer withholds nothing, else with each
// sensitive term at its band's effect (see SensitiveBands): its Effect and
// Contribution are the band's, its Value missing and its Position -1; the
// Result is the exact score with those effects replaced, kept on the side
// of the model's cutoff (score.Model.Cutoff) that the exact score is on
// (see PublishSide); and the reasons are ranked anew on the published
// contributions (a sensitive term reports its term's code, never a
// level's). ex must have been filled by this explainer; dst may not be ex.
// Once dst's slices have grown to size it allocates nothing.
func (e *Explainer) Publish(dst, ex *Explanation) {
	e.PublishSide(dst, ex, ex.Result.Score, e.cutoff)
}

// ShownDecimals are the decimals a published score is moved to when
// PublishSide must put it strictly on one side of a cut: an event
// probability to 4 (as the customer texts and the review band's referral
// write it), a scorecard's points to 2.
const (
	ShownProbabilityDecimals = 4
	ShownPointsDecimals      = 2
)

// A Cut is a threshold of the score scale whose side an outcome published
// beside the score discloses: a decision's cutoff, an edge of its review
// band, a recourse target. A score is above the cut when its event
// probability (or, with Points, its score in model units: a scorecard's
// points) is at or above At when Closed, above At when not.
type Cut struct {
	At     float64
	Points bool
	Closed bool
}

// Above reports whether score s of model m (model units) is above the cut.
func (c Cut) Above(m *score.Model, s float64) bool {
	x := s
	if !c.Points {
		x = float64(m.Link(s).Probability)
	}
	if c.Closed {
		return x >= c.At
	}
	return x > c.At
}

// PublishSide is Publish with the published score kept on the side of
// each cut that exact (the score decided on, in model units; normally
// ex.Result.Score) is on. When the sensitive terms' bands put it on the
// other side of a cut, it is moved to the nearest score on exact's side:
// At itself when that side includes At (an adverse outcome is at or above
// a probability cutoff: a score at the cutoff reads as adverse), else the
// nearest value past At of ShownProbabilityDecimals (or
// ShownPointsDecimals) decimals (0.4999 below a cutoff 0.5), or, where
// cuts are closer than that, the nearest score past At. The move is added
// to the first sensitive term's published effect and contribution, so that
// the contributions still add up to the score shown, and the reasons are
// ranked on them. The outcome itself discloses which side of its cuts the
// exact score is on, so the moved score discloses nothing more.
func (e *Explainer) PublishSide(dst, ex *Explanation, exact float64, cuts []Cut) {
	e.prepare(dst)
	dst.public = true
	copy(dst.Effects, ex.Effects)
	copy(dst.Positions, ex.Positions)
	copy(dst.Values, ex.Values)
	copy(dst.PairValues, ex.PairValues)
	copy(dst.Contributions, ex.Contributions)
	dst.Baseline = ex.Baseline
	if e.bands == nil {
		dst.Result = ex.Result
		dst.Reasons = append(dst.Reasons, ex.Reasons...)
		return
	}
	first := -1
	for j, tb := range e.bands {
		if tb == nil || j >= len(ex.Effects) {
			continue
		}
		if first < 0 {
			first = j
		}
		pe, _ := tb.band(ex.Values[j], ex.Positions[j])
		dst.Effects[j], dst.Contributions[j] = pe, pe-e.base.Terms[j]
		dst.Values[j], dst.Positions[j] = score.Missing(), -1
		dst.PairValues[j] = score.Value{}
	}
	// Summed afresh, as Explain sums, rather than by correcting the exact
	// score: a huge sensitive effect would swamp the others in a
	// correction.
	s := e.m.Intercept()
	for _, eff := range dst.Effects {
		s += eff
	}
	if t := OnSide(e.m, s, exact, cuts); t != s && first >= 0 {
		dst.Effects[first] += t - s
		dst.Contributions[first] += t - s
		s = t
	}
	dst.Result = e.m.Link(s)
	dst.Reasons = e.appendReasons(dst.Reasons, nil, dst)
	for i := range dst.Reasons {
		dst.Reasons[i].public = true
	}
}

// OnSide returns shown (a score of m in model units) moved, if it must be,
// to the side of each cut that exact is on, as PublishSide moves a
// published score; shown itself when it is on exact's side of every cut.
func OnSide(m *score.Model, shown, exact float64, cuts []Cut) float64 {
	s, n := shown, 2*len(cuts)+2
	for i := range 2 * n {
		moved := false
		for _, c := range cuts {
			if want := c.Above(m, exact); c.Above(m, s) != want {
				// After n rounds the decimals do not fit between the
				// cuts: the nearest scores past them do.
				s, moved = c.nearest(m, want, i >= n), true
			}
		}
		if !moved {
			return s
		}
	}
	return shown // cuts closer than a score apart: cannot happen for exact's own side
}

// nearest returns the score nearest At that is above the cut (want) or
// not: At itself on its closed side, else (unless fine) the nearest value
// past At in the shown decimals, and then the nearest score past it.
func (c Cut) nearest(m *score.Model, want, fine bool) float64 {
	d := 1.0 // the way the cut's scale goes to the wanted side
	if !want {
		d = -1
	}
	x := c.At
	if !fine && want != c.Closed {
		p := 1e4 // 10^ShownProbabilityDecimals
		if c.Points {
			p = 1e2 // 10^ShownPointsDecimals
		}
		// The next decimal past At: up above an open cut, down below a
		// closed one.
		if x = d * (math.Floor(d*c.At*p) + 1) / p; !c.Points && !(x > 0 && x < 1) {
			x = c.At
		}
	}
	s := x
	if !c.Points {
		s = m.ScoreFor(score.Probability(x).LogOdds())
		if m.Kind() == score.ScorecardModel {
			d = -d // points fall as the probability rises
		}
	}
	// Nudged, in growing steps, until the cut's own test agrees: x
	// converted to a score and back need not land on x's side.
	step := 1e-16 * math.Max(1, math.Abs(s))
	for i := 0; i < 64 && c.Above(m, s) != want; i++ {
		s += d * step
		step *= 2
	}
	return s
}

// PublishRecourse makes r, the answer of an ActionSpace over the
// explainer's model for the customer whose exact explanation is ex, fit to
// show as Publish does: its score and probability are Publish's; a
// counterfactual's score is its exact score with every sensitive term at
// the band of its value in the counterfactual, and its probability follows
// from that; a change of a sensitive feature is Withheld (From is Withheld,
// To the new value's band said as a move the customer can read, Direction
// the way a number moves, Effect the change between the bands' effects,
// FromVal and ToVal missing) and its counterfactual's cost is withheld
// (CostWithheld); a change within the current band or group (published
// effect 0) is not listed, nor a counterfactual (or Best) left with no
// change; the limits' probabilities and the reason are those of the
// published score. The customer's score and every counterfactual's are
// kept on the exact score's side of r.Target (PublishSide), so that the
// probability shown agrees with Already and each counterfactual is shown
// below the target. opts are the options r was found with (nil for the
// defaults). With nothing withheld r is left as it is.
func (e *Explainer) PublishRecourse(ex *Explanation, r *Recourse, opts *RecourseOptions) {
	if e.bands == nil || r == nil {
		return
	}
	// Shown on the exact score's side of the target, as Already and the
	// counterfactuals (each below the target) say it is.
	target := []Cut{{At: float64(r.Target), Closed: true}}
	var pub Explanation
	e.PublishSide(&pub, ex, 0, nil)
	shift := pub.Result.Score - ex.Result.Score
	e.PublishSide(&pub, ex, r.Score, target)
	r.Score, r.Probability = pub.Result.Score, pub.Result.Probability
	cf := func(c *Counterfactual) {
		s := c.Score
		for j, tb := range e.bands {
			if tb == nil {
				continue
			}
			cur, _ := tb.band(ex.Values[j], ex.Positions[j])
			at := slices.IndexFunc(c.Changes, func(ch Change) bool { return ch.Feature == e.names[j] })
			if at < 0 {
				s += cur - ex.Effects[j]
				continue
			}
			ch := &c.Changes[at]
			exact, pos, err := e.m.Effect(j, ch.ToVal)
			if err != nil {
				exact, pos = ex.Effects[j]+ch.Effect, -1
			}
			to, k := tb.band(ch.ToVal, pos)
			s += to - exact
			c.Cost, c.CostWithheld = 0, true
			if to == cur {
				// A move within the current band or group changes nothing
				// that is published: it is not listed (its band would read
				// as no direction at all).
				c.Changes = slices.Delete(c.Changes, at, at+1)
				continue
			}
			dir := AnyDirection
			if ch.FromVal.IsNum() && ch.ToVal.IsNum() {
				dir = Lower
				if ch.ToVal.Float() > ch.FromVal.Float() {
					dir = Higher
				}
			}
			ch.From, ch.To, ch.FromVal, ch.ToVal = Withheld, tb.toLabel(k, dir), score.Missing(), score.Missing()
			ch.Effect, ch.Cost, ch.Withheld, ch.Direction = to-cur, 0, true, dir
			ch.Support = nil // its cells would narrow the value down
		}
		c.Score = OnSide(e.m, s, c.Score, target)
		c.Probability = e.m.Link(c.Score).Probability
	}
	kept := r.Counterfactuals[:0]
	for i := range r.Counterfactuals {
		cf(&r.Counterfactuals[i])
		if len(r.Counterfactuals[i].Changes) > 0 {
			kept = append(kept, r.Counterfactuals[i])
		}
	}
	r.Counterfactuals = kept
	if r.Best != nil {
		if cf(r.Best); len(r.Best.Changes) == 0 {
			r.Best = nil // its only change was within a band
		}
	}
	for i := range r.Limits {
		l := &r.Limits[i]
		l.Probability = e.m.Link(e.m.ScoreFor(l.Probability.LogOdds()) + shift).Probability
	}
	if r.Infeasible {
		maxC := 0
		if opts != nil {
			maxC = opts.MaxChanges
		}
		r.Reason = r.infeasibleReason(maxC)
	}
}

// changeJSON is a Change as marshalled.
type changeJSON struct {
	Feature  string   `json:"feature"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Cost     *float64 `json:"cost,omitempty"`
	Effect   float64  `json:"effect"`
	Withheld bool     `json:"withheld,omitempty"`
	// Support and Unsupported: see Change (advice.go).
	Support     *Support `json:"support,omitempty"`
	Unsupported bool     `json:"unsupported,omitempty"`
	Derived     bool     `json:"derived,omitempty"`
}

// MarshalJSON encodes the change; a Withheld change has no cost (and no
// support, whose cells would narrow down the value).
func (c Change) MarshalJSON() ([]byte, error) {
	out := changeJSON{Feature: c.Feature, From: c.From, To: c.To, Effect: c.Effect, Withheld: c.Withheld, Unsupported: c.Unsupported, Derived: c.Derived}
	if !c.Withheld {
		out.Support = c.Support
	}
	if !c.Withheld {
		out.Cost = &c.Cost
	}
	return json.Marshal(out)
}

type counterfactualJSON struct {
	Changes      []Change          `json:"changes"`
	Cost         *float64          `json:"cost,omitempty"`
	Score        float64           `json:"score"`
	Probability  score.Probability `json:"probability"`
	CostWithheld bool              `json:"cost_withheld,omitempty"`
	Unsupported  bool              `json:"unsupported,omitempty"`
}

// MarshalJSON encodes the counterfactual; one whose cost is withheld has
// no cost.
func (c Counterfactual) MarshalJSON() ([]byte, error) {
	out := counterfactualJSON{Changes: c.Changes, Score: c.Score, Probability: c.Probability, CostWithheld: c.CostWithheld, Unsupported: c.Unsupported}
	if !c.CostWithheld {
		out.Cost = &c.Cost
	}
	return json.Marshal(out)
}
