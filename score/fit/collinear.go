package fit

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/candorscore/candor/internal/metric"
)

// VIFLimit is the variance inflation factor from which Collinearity
// reports a design column: 10, the textbook rule (Kutner, Nachtsheim,
// Neter and Li, Applied Linear Statistical Models, 5th ed., section 10.5:
// "a maximum VIF value in excess of 10 is frequently taken as an
// indication that multicollinearity may be unduly influencing the least
// squares estimates"). It is the point where the other inputs explain 90%
// of the column's variance (R^2 = 1 - 1/VIF).
const VIFLimit = 10

// Collinear is an input whose coefficients the other inputs make
// unstable: its variance inflation factor, and the column it is most
// correlated with. Two such inputs typically get large coefficients of
// opposite signs whose contributions cancel (+210 and -209 log-odds for
// evening minutes and evening charges, which are one quantity in two
// units), so a reason code on either is meaningless for the customer.
//
// A categorical feature with several design columns in the fit is judged
// whole, by the generalized variance inflation factor of its columns
// together (Fox and Monette, "Generalized collinearity diagnostics", JASA
// 87, 1992): GVIF = det(R11) det(R22) / det(R), R the correlation matrix of
// the design columns, R11 that of the feature's columns and R22 that of the
// others. Unlike the VIF of each of its columns, it does not depend on
// which level is the reference: a rare reference level makes the other
// levels' columns nearly sum to one, so each has a large VIF whatever the
// other inputs are, and a per-column warning ("segment=b ... most
// correlated with segment=c") names no input one could leave out. GVIF^(1/d)
// for d columns is compared with VIFLimit (the usual rule GVIF^(1/(2d)) >=
// sqrt(10), Fox and Monette's scale comparable to the square root of a
// VIF); for one column it is that column's VIF.
type Collinear struct {
	// Column is a numeric feature, a categorical feature's one column
	// ("feature=level") when it has one in the fit, or the feature's name
	// when it has several.
	Column string
	// Columns counts the design columns judged together (1 for a numeric
	// feature; a categorical feature's non-aliased level columns).
	Columns int
	// GVIF is the generalized variance inflation factor of those columns;
	// for one column it is that column's VIF, 1 / (1 - R^2) of it on all
	// the others. +Inf when they are aliased with the others.
	GVIF float64
	// VIF is GVIF^(1/Columns): the column's VIF when there is one, and the
	// figure compared with VIFLimit.
	VIF     float64
	Partner string  // the column outside them with the largest |correlation| with one of them
	R       float64 // that correlation (weighted Pearson)
}

// String describes the finding for reports and warnings. It names no way
// out: which one is open (leaving a column out, a sign-constrained fit)
// depends on the fit, so the caller says it.
func (c Collinear) String() string {
	num := func(x float64) string {
		if math.IsInf(x, 1) {
			return "inf"
		}
		return fmt.Sprintf("%.1f", x)
	}
	tail := fmt.Sprintf("most correlated with %s (r %+.4f); "+
		"their coefficients are unstable and their contributions may offset each other", c.Partner, c.R)
	if c.Columns > 1 {
		return fmt.Sprintf("%s (%d columns): generalized variance inflation factor %s, %s per column (GVIF^(1/%d)), %s",
			c.Column, c.Columns, num(c.GVIF), num(c.VIF), c.Columns, tail)
	}
	return fmt.Sprintf("%s: variance inflation factor %s (R^2 %.4f on the other inputs), %s",
		c.Column, num(c.VIF), 1-1/c.VIF, tail)
}

// collinearity returns the inputs whose variance inflation factor
// (GVIF^(1/d) for a group of d columns, see Collinear) is at least
// VIFLimit, largest first. groups lists, per input, its name and design
// columns (a numeric input has one; column 0, the intercept, is in none). The VIFs are
// the diagonal of the inverse of the columns' weighted correlation matrix,
// which equals 1 / (1 - R^2) of the regression of each column on the
// others with an intercept; aliased columns (fixed at 0) are left out (the
// definition statsmodels' variance_inflation_factor uses when the design
// holds a constant). For a group, GVIF = det(R11) det((R^-1)11), the same
// quantity as Fox and Monette's ratio of determinants (the inverse's block
// is the inverse of the Schur complement det(R) / det(R22)). A constant
// column has no VIF and is skipped; a singular correlation matrix (an exact
// linear combination) gives +Inf for the columns involved.
func collinearity(cols [][]float64, names []string, aliased []bool, weights []float64, groups []colGroup) []Collinear {
	var idx []int
	at := make(map[int]int) // design column -> position in idx
	for j := 1; j < len(cols); j++ {
		if aliased != nil && aliased[j] {
			continue
		}
		if sd := wstd(cols[j], weights); sd > 0 && !math.IsNaN(sd) {
			at[j] = len(idx)
			idx = append(idx, j)
		}
	}
	p := len(idx)
	if p < 2 {
		return nil
	}
	corr := mat.NewSymDense(p, nil)
	for a := 0; a < p; a++ {
		corr.SetSym(a, a, 1)
		for b := a + 1; b < p; b++ {
			corr.SetSym(a, b, wcorr(cols[idx[a]], cols[idx[b]], weights))
		}
	}
	var inv mat.Dense
	singular := inv.Inverse(corr) != nil
	var out []Collinear
	for _, g := range groups {
		var in []int // positions in idx of the group's kept columns
		for _, j := range g.cols {
			if a, ok := at[j]; ok {
				in = append(in, a)
			}
		}
		d := len(in)
		if d == 0 || d == p {
			continue
		}
		gvif := math.Inf(1)
		if !singular {
			r11, i11 := mat.NewDense(d, d, nil), mat.NewDense(d, d, nil)
			for u, a := range in {
				for v, b := range in {
					r11.Set(u, v, corr.At(a, b))
					i11.Set(u, v, inv.At(a, b))
				}
			}
			gvif = mat.Det(r11) * mat.Det(i11)
			if gvif > 1e12 || gvif < 0 || math.IsNaN(gvif) {
				gvif = math.Inf(1)
			}
		}
		vif := gvif
		if d > 1 && !math.IsInf(gvif, 1) {
			vif = math.Pow(gvif, 1/float64(d))
		}
		if vif < VIFLimit {
			continue
		}
		best, r := -1, 0.0
		for _, a := range in {
			for b := 0; b < p; b++ {
				if slices.Contains(in, b) {
					continue
				}
				if c := corr.At(a, b); best < 0 || math.Abs(c) > math.Abs(r) {
					best, r = b, c
				}
			}
		}
		c := Collinear{Column: names[idx[in[0]]], Columns: d, GVIF: gvif, VIF: vif, Partner: names[idx[best]], R: r}
		if d > 1 {
			c.Column = g.name
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].VIF > out[j].VIF })
	return out
}

// colGroup is one input's design columns.
type colGroup struct {
	name string
	cols []int
}

// groups returns each input's design columns, in input order.
func (o *oneHot) groups(d *Design) []colGroup {
	out := make([]colGroup, len(o.blocks))
	for k, b := range o.blocks {
		end := len(o.cols)
		if k+1 < len(o.blocks) {
			end = o.blocks[k+1].first
		}
		g := colGroup{name: d.Schema.Feature(d.Inputs[k]).Name}
		for j := b.first; j < end; j++ {
			g.cols = append(g.cols, j)
		}
		out[k] = g
	}
	return out
}

// wstd is the weighted standard deviation of x.
func wstd(x, w []float64) float64 {
	m, sw := wmean(x, w)
	var ss float64
	for r, v := range x {
		d := v - m
		ss += metric.Weight(w, r) * d * d
	}
	return math.Sqrt(ss / sw)
}

func wmean(x, w []float64) (mean, sw float64) {
	var s float64
	for r, v := range x {
		wr := metric.Weight(w, r)
		s += wr * v
		sw += wr
	}
	return s / sw, sw
}

// wcorr is the weighted Pearson correlation of x and y.
func wcorr(x, y, w []float64) float64 {
	mx, _ := wmean(x, w)
	my, _ := wmean(y, w)
	var sxy, sxx, syy float64
	for r := range x {
		wr := metric.Weight(w, r)
		dx, dy := x[r]-mx, y[r]-my
		sxy += wr * dx * dy
		sxx += wr * dx * dx
		syy += wr * dy * dy
	}
	return sxy / math.Sqrt(sxx*syy)
}
