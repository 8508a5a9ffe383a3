package fairness

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// fmtRate prints a rate with three decimals, "undefined" when undefined.
func fmtRate(r Rate) string {
	if !r.Defined {
		return "undefined"
	}
	return fmt.Sprintf("%.3f", r.Value)
}

func fmtRateCI(r Rate) string {
	if !r.Defined {
		return "undefined"
	}
	return fmt.Sprintf("%.3f [%.3f, %.3f]", r.Value, r.Lo, r.Hi)
}

func fmtValue(v Value) string {
	if !v.Defined {
		return "undefined"
	}
	return fmt.Sprintf("%.3f", v.Value)
}

func fmtDisparity(d Disparity, ratio bool) string {
	if !d.Defined {
		return "undefined (" + d.Reason + ")"
	}
	s := fmt.Sprintf("%.3f", d.Value)
	if d.Replicates > 0 && d.Lo == d.Lo {
		s += fmt.Sprintf(" [%.3f, %.3f]", d.Lo, d.Hi)
	}
	if d.High != "" {
		if ratio {
			s += fmt.Sprintf("  (%s / %s)", d.Low, d.High)
		} else {
			s += fmt.Sprintf("  (%s - %s)", d.High, d.Low)
		}
	}
	return s
}

// WriteText writes the report as readable tables: for the summary
// partition and then each attribute, one line per group and the summary
// disparities, then the four-fifths screen, exclusions and warnings. Rates
// have three decimals and selection rates their Wilson interval; a rate
// with an empty denominator reads "undefined".
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "fairness audit: %d rows", r.Rows)
	if r.Predicted {
		fmt.Fprintf(ew, ", decisions from predictions")
	} else {
		fmt.Fprintf(ew, ", decisions from scores at threshold %g (%s)", r.Threshold, r.Direction)
	}
	if r.Weighted {
		fmt.Fprintf(ew, ", weighted")
	}
	fmt.Fprintf(ew, "\nintervals: Wilson %g%% for rates", 100*r.Level)
	if r.Bootstrap > 0 {
		fmt.Fprintf(ew, "; %d-replicate group-stratified bootstrap (seed %d) for disparities", r.Bootstrap, r.Seed)
	}
	fmt.Fprintln(ew)
	parts := []*Partition{&r.Partition}
	for i := range r.ByAttribute {
		parts = append(parts, &r.ByAttribute[i])
	}
	for _, p := range parts {
		r.writePartition(ew, p)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(ew, "\nwarnings:")
		for _, s := range r.Warnings {
			fmt.Fprintf(ew, "  - %s\n", s)
		}
	}
	return ew.err
}

func (r *Report) writePartition(w io.Writer, p *Partition) {
	fmt.Fprintf(w, "\n== %s (reference: %s) ==\n", p.Attribute, p.Reference)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	hdr := "group\tn\tbase\tselection [CI]\tTPR\tFPR\tPPV\tNPV"
	if r.Scored {
		hdr += "\tAUC\tECE"
	}
	hdr += "\tsel. ratio\tnote"
	fmt.Fprintln(tw, hdr)
	groups := append(slices.Clone(p.Groups), r.Overall)
	for _, g := range groups {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s", g.Name, g.Count, fmtRate(g.BaseRate), fmtRateCI(g.SelectionRate),
			fmtRate(g.TPR), fmtRate(g.FPR), fmtRate(g.PPV), fmtRate(g.NPV))
		if r.Scored {
			ece := "-"
			if g.Calibration != nil {
				ece = fmtValue(g.Calibration.ECE)
			}
			fmt.Fprintf(tw, "\t%s\t%s", fmtValue(g.AUC), ece)
		}
		ratio, note := "-", ""
		if g.Name != OverallName {
			ratio = fmtValue(g.Versus.SelectionRateRatio)
		}
		if g.Small {
			note = "small group"
		}
		fmt.Fprintf(tw, "\t%s\t%s\n", ratio, note)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, l := range []struct {
		name  string
		d     Disparity
		ratio bool
	}{
		{"demographic parity difference", p.DemographicParityDifference, false},
		{"demographic parity ratio", p.DemographicParityRatio, true},
		{"equal opportunity difference", p.EqualOpportunityDifference, false},
		{"equalized odds difference", p.EqualizedOddsDifference, false},
		{"average odds difference", p.AverageOddsDifference, false},
		{"predictive parity difference", p.PredictiveParityDifference, false},
	} {
		fmt.Fprintf(tw, "%s\t%s\n", l.name, fmtDisparity(l.d, l.ratio))
	}
	tw.Flush()
	ff := p.FourFifths
	fmt.Fprintf(w, "four-fifths screen, a %s: ", FourFifthsNote) // no parentheses in parentheses
	switch {
	case !ff.Defined:
		fmt.Fprintf(w, "not applicable: %s\n", ff.Reason)
	case len(ff.Flagged) == 0:
		fmt.Fprintf(w, "no group under %.2f of %s's selection rate\n", ff.Threshold, ff.Highest)
	default:
		fmt.Fprintf(w, "under %.2f of %s's selection rate: %s\n", ff.Threshold, ff.Highest, strings.Join(ff.Flagged, ", "))
	}
	for _, e := range p.Excluded {
		fmt.Fprintf(w, "left out of %s: %s: %s\n", e.Metric, e.Group, e.Reason) // the reason may end in parentheses
	}
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
