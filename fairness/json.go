package fairness

// JSON encoding. Field names are snake_case and stable: scripts depend on
// them. Rates are numbers; an undefined rate is null with a sibling
// "<name>_reason"; Wilson intervals are "<name>_interval": [lo, hi].
// Summary disparities are numbers (or null with "<name>_reason"), with
// "<name>_between": [high group, low group] and, after a bootstrap,
// "<name>_interval": [lo, hi] and "<name>_replicates".

func addRate(o *object, key string, r Rate, interval bool) {
	o.add(key, nullable(r.Value, r.Defined))
	if !r.Defined {
		o.add(key+"_reason", r.Reason)
		return
	}
	if interval {
		o.add(key+"_interval", []any{nullable(r.Lo, true), nullable(r.Hi, true)})
	}
}

func addValue(o *object, key string, v Value) {
	o.add(key, nullable(v.Value, v.Defined))
	if !v.Defined {
		o.add(key+"_reason", v.Reason)
	}
}

func addDisparity(o *object, key string, d Disparity, ratio bool) {
	o.add(key, nullable(d.Value, d.Defined))
	if !d.Defined {
		o.add(key+"_reason", d.Reason)
		return
	}
	if d.High != "" {
		if ratio {
			o.add(key+"_between", []string{d.Low, d.High})
		} else {
			o.add(key+"_between", []string{d.High, d.Low})
		}
	}
	if d.Replicates+d.Undefined > 0 {
		o.add(key+"_interval", []any{nullable(d.Lo, true), nullable(d.Hi, true)})
		o.add(key+"_replicates", d.Replicates)
		if d.Undefined > 0 {
			o.add(key+"_undefined_replicates", d.Undefined)
		}
	}
}

// MarshalJSON encodes the group with the field names of the audit report.
func (g Group) MarshalJSON() ([]byte, error) {
	var o object
	o.add("group", g.Name)
	if len(g.Values) > 0 {
		o.add("values", g.Values)
	}
	o.add("count", g.Count)
	o.add("weight", g.Weight)
	o.add("small_group", g.Small)
	addRate(&o, "base_rate", g.BaseRate, true)
	addRate(&o, "selection_rate", g.SelectionRate, true)
	addRate(&o, "true_positive_rate", g.TPR, true)
	addRate(&o, "false_positive_rate", g.FPR, true)
	addRate(&o, "positive_predictive_value", g.PPV, true)
	addRate(&o, "negative_predictive_value", g.NPV, true)
	var c object
	c.add("tp", g.Confusion.TP)
	c.add("fp", g.Confusion.FP)
	c.add("tn", g.Confusion.TN)
	c.add("fn", g.Confusion.FN)
	cb, err := c.bytes()
	if err != nil {
		return nil, err
	}
	o.add("confusion", rawJSON(cb))
	if g.AUC.Reason != reasonNoScores {
		addValue(&o, "auc", g.AUC)
	}
	if g.Calibration != nil {
		o.add("calibration", g.Calibration)
	}
	if g.Versus.Reference != "" {
		o.add("versus", g.Versus)
	}
	return o.bytes()
}

// MarshalJSON encodes the comparison with a group's reference.
func (c Comparison) MarshalJSON() ([]byte, error) {
	var o object
	o.add("reference", c.Reference)
	addValue(&o, "selection_rate_difference", c.SelectionRateDifference)
	addValue(&o, "selection_rate_ratio", c.SelectionRateRatio)
	addValue(&o, "true_positive_rate_difference", c.TPRDifference)
	addValue(&o, "false_positive_rate_difference", c.FPRDifference)
	addValue(&o, "positive_predictive_value_difference", c.PPVDifference)
	return o.bytes()
}

// MarshalJSON encodes the calibration table.
func (c Calibration) MarshalJSON() ([]byte, error) {
	var o object
	addValue(&o, "mean_score", c.MeanScore)
	addValue(&o, "observed_rate", c.ObservedRate)
	addValue(&o, "expected_calibration_error", c.ECE)
	bins := make([]map[string]any, len(c.Bins))
	for i, b := range c.Bins {
		bins[i] = map[string]any{"lo": b.Lo, "hi": b.Hi, "count": b.Count, "weight": b.Weight,
			"mean_score": nullable(b.MeanScore, true), "observed_rate": nullable(b.ObservedRate, true)}
	}
	if len(bins) > 0 {
		o.add("bins", bins)
	}
	return o.bytes()
}

// MarshalJSON encodes the four-fifths screen.
func (f FourFifths) MarshalJSON() ([]byte, error) {
	var o object
	o.add("note", FourFifthsNote)
	o.add("threshold", f.Threshold)
	o.add("defined", f.Defined)
	if !f.Defined {
		o.add("reason", f.Reason)
		return o.bytes()
	}
	o.add("highest_group", f.Highest)
	groups, err := objects(f.Groups, func(go_ *object, g FourFifthsGroup) {
		go_.add("group", g.Group)
		go_.add("selection_rate", g.SelectionRate)
		go_.add("ratio_to_highest", g.Ratio)
		go_.add("flagged", g.Flagged)
	})
	if err != nil {
		return nil, err
	}
	o.add("groups", groups)
	flagged := f.Flagged
	if flagged == nil {
		flagged = []string{}
	}
	o.add("flagged", flagged)
	return o.bytes()
}

type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }

// objects encodes each element of xs as a JSON object whose fields add
// writes, in order, for a JSON array.
func objects[T any](xs []T, add func(o *object, x T)) ([]any, error) {
	out := make([]any, len(xs))
	for i, x := range xs {
		var o object
		add(&o, x)
		b, err := o.bytes()
		if err != nil {
			return nil, err
		}
		out[i] = rawJSON(b)
	}
	return out, nil
}

func (p *Partition) addFields(o *object) {
	o.add("attribute", p.Attribute)
	o.add("columns", p.Columns)
	o.add("reference", p.Reference)
	groups := p.Groups
	if groups == nil {
		groups = []Group{}
	}
	o.add("groups", groups)
	addDisparity(o, "demographic_parity_difference", p.DemographicParityDifference, false)
	addDisparity(o, "demographic_parity_ratio", p.DemographicParityRatio, true)
	addDisparity(o, "equal_opportunity_difference", p.EqualOpportunityDifference, false)
	addDisparity(o, "equalized_odds_difference", p.EqualizedOddsDifference, false)
	addDisparity(o, "average_odds_difference", p.AverageOddsDifference, false)
	addDisparity(o, "predictive_parity_difference", p.PredictiveParityDifference, false)
	o.add("four_fifths_screen", p.FourFifths)
	ex := make([]map[string]string, len(p.Excluded))
	for i, e := range p.Excluded {
		ex[i] = map[string]string{"group": e.Group, "metric": e.Metric, "reason": e.Reason}
	}
	o.add("excluded", ex)
}

// MarshalJSON encodes the partition.
func (p Partition) MarshalJSON() ([]byte, error) {
	var o object
	p.addFields(&o)
	return o.bytes()
}

// MarshalJSON encodes the report: the summary partition's fields at the top
// level (attribute, groups, the disparities, four_fifths_screen, excluded),
// then overall, by_attribute, warnings and settings.
func (r Report) MarshalJSON() ([]byte, error) {
	var o object
	r.Partition.addFields(&o)
	o.add("overall", r.Overall)
	by := r.ByAttribute
	if by == nil {
		by = []Partition{}
	}
	o.add("by_attribute", by)
	w := r.Warnings
	if w == nil {
		w = []string{}
	}
	o.add("warnings", w)
	var s object
	s.add("rows", r.Rows)
	s.add("level", r.Level)
	s.add("min_group_size", r.MinGroupSize)
	s.add("bootstrap", r.Bootstrap)
	s.add("seed", r.Seed)
	if r.Predicted {
		s.add("decisions", "predictions")
	} else {
		s.add("decisions", "scores")
		s.add("threshold", r.Threshold)
	}
	if r.Scored {
		s.add("direction", r.Direction.String())
	}
	s.add("weighted", r.Weighted)
	b, err := s.bytes()
	if err != nil {
		return nil, err
	}
	o.add("settings", rawJSON(b))
	return o.bytes()
}

// MarshalJSON encodes a disparity standing alone:
// {"value":v,"between":[..],"interval":[lo,hi],"replicates":n}, or
// {"value":null,"reason":"..."}.
func (d Disparity) MarshalJSON() ([]byte, error) {
	var o object
	o.add("value", nullable(d.Value, d.Defined))
	if !d.Defined {
		o.add("reason", d.Reason)
		return o.bytes()
	}
	if d.High != "" {
		o.add("between", []string{d.High, d.Low})
	}
	if d.Replicates+d.Undefined > 0 {
		o.add("interval", []any{nullable(d.Lo, true), nullable(d.Hi, true)})
		o.add("replicates", d.Replicates)
		o.add("undefined_replicates", d.Undefined)
	}
	return o.bytes()
}

// MarshalJSON encodes the thresholds with snake_case names.
func (t Thresholds) MarshalJSON() ([]byte, error) {
	var o object
	o.add("target", t.Target.String())
	o.add("direction", t.Direction.String())
	o.add("base_threshold", t.Base)
	o.add("target_rate", t.Rate)
	groups, err := objects(t.Groups, func(go_ *object, g GroupThreshold) {
		go_.add("group", g.Group)
		go_.add("threshold", g.Threshold)
		go_.add("count", g.Count)
		if g.Reason != "" {
			go_.add("reason", g.Reason)
		}
		go_.add("selection_rate_before", g.SelectionRateBefore)
		go_.add("selection_rate_after", g.SelectionRateAfter)
		go_.add("true_positive_rate_before", g.TPRBefore)
		go_.add("true_positive_rate_after", g.TPRAfter)
	})
	if err != nil {
		return nil, err
	}
	o.add("groups", groups)
	o.add("accuracy_before", t.AccuracyBefore)
	o.add("accuracy_after", t.AccuracyAfter)
	o.add("spread_before", nullable(t.SpreadBefore, true))
	o.add("spread_after", nullable(t.SpreadAfter, true))
	return o.bytes()
}

// MarshalJSON encodes the recourse burden with snake_case names.
func (b Burden) MarshalJSON() ([]byte, error) {
	var o object
	o.add("attribute", b.Attribute)
	o.add("cheapest_group", b.Cheapest)
	groups, err := objects(b.Groups, func(go_ *object, g BurdenGroup) {
		go_.add("group", g.Group)
		go_.add("adverse", g.Adverse)
		go_.add("feasible", g.Feasible)
		go_.add("small_group", g.Small)
		go_.add("infeasible_share", g.Infeasible)
		addValue(go_, "mean_cost", g.MeanCost)
		go_.add("difference_to_cheapest", g.Difference)
	})
	if err != nil {
		return nil, err
	}
	o.add("groups", groups)
	w := b.Warnings
	if w == nil {
		w = []string{}
	}
	o.add("warnings", w)
	o.add("level", b.Level)
	return o.bytes()
}
