package fairness

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
// It is a BurdenTally over the rows (row i has Index i): the mean costs are
// exact sums rounded once, and the bootstrap is the Poisson bootstrap (each
// feasible adverse row drawn Poisson(1) times per replicate, from a hash of
// the seed, the row and the replicate); replicates where a group draws no
// feasible row are dropped and counted in Difference.Undefined. Before the
// tally, the bootstrap drew each group's adverse rows with replacement, so
// intervals differ from those of earlier versions.
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
	t, err := NewBurdenTally([]string{name}, &o)
	if err != nil {
		return nil, err
	}
	row := []string{""}
	for i, a := range adverse {
		row[0] = groups.Values[i]
		if err := t.Add(BurdenRow{Index: uint64(i), Adverse: a, Cost: costs[i], Groups: row}); err != nil {
			return nil, err
		}
	}
	bs, err := t.Burdens()
	if err != nil {
		return nil, err
	}
	return bs[0], nil
}
