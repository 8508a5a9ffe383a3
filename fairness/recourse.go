package fairness

import (
	"fmt"
	"math"
	"slices"

	"github.com/candorscore/candor/internal/metric"
)

// BurdenOptions configure RecourseBurden. The zero value, and nil, mean the
// defaults.
type BurdenOptions struct {
	// Level of the intervals, in (0, 1); 0 means 0.95.
	Level float64
	// MinGroupSize: groups with fewer adverse rows are flagged; 0 means 30,
	// -1 flags nothing.
	MinGroupSize int
	// Bootstrap replicates for the interval on each group's difference to
	// the cheapest group; 0 means none.
	Bootstrap int
	// Seed seeds the bootstrap.
	Seed uint64
}

// BurdenGroup is one group's recourse burden.
type BurdenGroup struct {
	Group string
	// Adverse counts the group's rows with the adverse outcome; Feasible
	// those among them with a finite cost.
	Adverse, Feasible int
	// Infeasible is the share of adverse rows without recourse (cost +Inf
	// or NaN), with its Wilson interval.
	Infeasible Rate
	// MeanCost is the mean minimal recourse cost of the feasible adverse
	// rows, in the cost's own unit; undefined when there are none.
	MeanCost Value
	// Difference is MeanCost minus the cheapest group's, with a bootstrap
	// percentile interval when asked.
	Difference Disparity
	Small      bool
}

// Burden is the result of RecourseBurden.
type Burden struct {
	Attribute string
	// Cheapest names the group with the lowest defined mean cost.
	Cheapest string
	Groups   []BurdenGroup
	Warnings []string
	Level    float64
}

// RecourseBurden measures, per group, the mean minimal recourse cost among
// rows with the adverse outcome: does one group pay more to change its
// outcome? costs[i] is row i's minimal cost (from a recourse search);
// +Inf or NaN means no recourse exists and is counted separately, never
// averaged. Costs of rows that are not adverse are ignored. A negative or
// -Inf cost of an adverse row is an error.
//
// The bootstrap resamples adverse rows within each group (feasible and
// infeasible alike) and recomputes each group's mean over the feasible
// rows drawn; replicates where a group draws no feasible row are dropped
// and counted in Difference.Undefined.
func RecourseBurden(costs []float64, adverse []bool, groups GroupColumn, opts *BurdenOptions) (*Burden, error) {
	var o BurdenOptions
	if opts != nil {
		o = *opts
	}
	if o.Level == 0 {
		o.Level = defaultLevel
	}
	if o.MinGroupSize == 0 {
		o.MinGroupSize = defaultMinGroupSize
	}
	var errs []error
	if !(o.Level > 0 && o.Level < 1) {
		errs = append(errs, optionError("level %v is not in (0, 1)", o.Level))
	}
	if o.Bootstrap < 0 || o.MinGroupSize < -1 {
		errs = append(errs, optionError("negative bootstrap or minimum group size"))
	}
	name := groups.Name
	if name == "" {
		errs = append(errs, columnError("groups", ErrNoGroups, "group column has no name"))
		name = "groups"
	}
	if err := checkLabelsGroups(adverse, groups.Values, name); err != nil {
		errs = append(errs, err)
	}
	if len(costs) != len(adverse) {
		errs = append(errs, columnError("costs", ErrLength, "%d values for %d rows", len(costs), len(adverse)))
	} else {
		neg := rowChecker{column: "costs", err: ErrNegative, detail: "cost is negative"}
		for i, c := range costs {
			if adverse[i] && (c < 0) {
				neg.bad(i)
			}
		}
		if err := neg.result(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	codes, levels := encodeColumn(groups.Values)
	z := normalQuantile(o.Level)
	b := &Burden{Attribute: groups.Name, Level: o.Level}
	// Per group: costs of adverse rows, +Inf for infeasible.
	rowCosts := make([][]float64, len(levels))
	for i, a := range adverse {
		if !a {
			continue
		}
		c := costs[i]
		if math.IsNaN(c) {
			c = math.Inf(1)
		}
		rowCosts[codes[i]] = append(rowCosts[codes[i]], c)
	}
	cheapest := -1
	for gi, g := range levels {
		bg := BurdenGroup{Group: g, Adverse: len(rowCosts[gi])}
		sum := 0.0
		for _, c := range rowCosts[gi] {
			if !math.IsInf(c, 1) {
				bg.Feasible++
				sum += c
			}
		}
		inf := float64(bg.Adverse - bg.Feasible)
		bg.Infeasible = newRate(inf, float64(bg.Adverse), float64(bg.Adverse), z, "no rows with the adverse outcome in group")
		switch {
		case bg.Adverse == 0:
			bg.MeanCost = undefined("no rows with the adverse outcome in group")
		case bg.Feasible == 0:
			bg.MeanCost = undefined("no adverse row in group has a feasible recourse")
		default:
			bg.MeanCost = defined(sum / float64(bg.Feasible))
			if cheapest < 0 || bg.MeanCost.Value < b.Groups[cheapest].MeanCost.Value {
				cheapest = gi
			}
		}
		bg.Small = o.MinGroupSize > 0 && bg.Adverse < o.MinGroupSize
		if bg.Small {
			b.Warnings = append(b.Warnings, fmt.Sprintf("group %q has %s, below the minimum group size %d", g, plural(bg.Adverse, "adverse row"), o.MinGroupSize))
		}
		b.Groups = append(b.Groups, bg)
	}
	if cheapest < 0 {
		for gi := range b.Groups {
			b.Groups[gi].Difference = Disparity{Value: math.NaN(), Reason: "no group has a defined mean cost", Lo: math.NaN(), Hi: math.NaN()}
		}
		return b, nil
	}
	b.Cheapest = levels[cheapest]
	for gi := range b.Groups {
		g := &b.Groups[gi]
		g.Difference = Disparity{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), High: g.Group, Low: b.Cheapest}
		if !g.MeanCost.Defined {
			g.Difference.Reason = g.MeanCost.Reason
			g.Difference.High, g.Difference.Low = "", ""
			continue
		}
		g.Difference.Value = g.MeanCost.Value - b.Groups[cheapest].MeanCost.Value
		g.Difference.Defined = true
	}
	if o.Bootstrap == 0 {
		return b, nil
	}
	diffs := make([][]float64, len(levels))
	means := make([]float64, len(levels))
	for r := 0; r < o.Bootstrap; r++ {
		src := replicateSource(o.Seed, r)
		for gi, cs := range rowCosts {
			n := uint64(len(cs))
			sum, k := 0.0, 0
			for j := uint64(0); j < n; j++ {
				c := cs[bounded(src, n)]
				if !math.IsInf(c, 1) {
					sum += c
					k++
				}
			}
			means[gi] = math.NaN()
			if k > 0 {
				means[gi] = sum / float64(k)
			}
		}
		for gi := range levels {
			d := means[gi] - means[cheapest]
			if math.IsNaN(d) {
				b.Groups[gi].Difference.Undefined++
				continue
			}
			diffs[gi] = append(diffs[gi], d)
		}
	}
	alpha := (1 - o.Level) / 2
	for gi := range b.Groups {
		g := &b.Groups[gi]
		g.Difference.Replicates = len(diffs[gi])
		if g.Difference.Defined && len(diffs[gi]) > 0 {
			slices.Sort(diffs[gi])
			g.Difference.Lo, g.Difference.Hi = metric.Quantile(diffs[gi], alpha), metric.Quantile(diffs[gi], 1-alpha)
		}
	}
	return b, nil
}
