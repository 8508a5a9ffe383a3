package fit

import (
	"fmt"
	"math"
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

// Collinear is a design column whose coefficient the other columns make
// unstable: its variance inflation factor, and the column it is most
// correlated with. Two such columns typically get large coefficients of
// opposite signs whose contributions cancel (+210 and -209 log-odds for
// evening minutes and evening charges, which are one quantity in two
// units), so a reason code on either is meaningless for the customer.
type Collinear struct {
	Column  string  // the design column: a numeric feature or "feature=level"
	VIF     float64 // 1 / (1 - R^2) of the column on all the others (+Inf when aliased)
	Partner string  // the column with the largest |correlation| with it
	R       float64 // that correlation (weighted Pearson)
}

// String describes the finding for reports and warnings. It names no way
// out: which one is open (leaving a column out, a sign-constrained fit)
// depends on the fit, so the caller says it.
func (c Collinear) String() string {
	vif := "inf"
	if !math.IsInf(c.VIF, 1) {
		vif = fmt.Sprintf("%.1f", c.VIF)
	}
	return fmt.Sprintf("%s: variance inflation factor %s (R^2 %.4f on the other inputs), most correlated with %s (r %+.4f); "+
		"their coefficients are unstable and their contributions may offset each other",
		c.Column, vif, 1-1/c.VIF, c.Partner, c.R)
}

// collinearity returns the design columns (all but the intercept, column
// 0) whose variance inflation factor is at least VIFLimit, largest first.
// The VIFs are the diagonal of the inverse of the columns' weighted
// correlation matrix, which equals 1 / (1 - R^2) of the regression of each
// column on the others with an intercept; aliased columns (fixed at 0) are
// left out (the definition statsmodels'
// variance_inflation_factor uses when the design holds a constant). A
// constant column has no VIF and is skipped; a singular correlation matrix
// (an exact linear combination) gives +Inf for the columns involved.
func collinearity(cols [][]float64, names []string, aliased []bool, weights []float64) []Collinear {
	var idx []int
	for j := 1; j < len(cols); j++ {
		if aliased != nil && aliased[j] {
			continue
		}
		if sd := wstd(cols[j], weights); sd > 0 && !math.IsNaN(sd) {
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
	vif := make([]float64, p)
	var inv mat.Dense
	if err := inv.Inverse(corr); err != nil {
		for a := range vif {
			vif[a] = math.Inf(1)
		}
	} else {
		for a := range vif {
			vif[a] = inv.At(a, a)
			if vif[a] > 1e12 || vif[a] < 0 {
				vif[a] = math.Inf(1)
			}
		}
	}
	var out []Collinear
	for a, v := range vif {
		if v < VIFLimit {
			continue
		}
		best, r := -1, 0.0
		for b := 0; b < p; b++ {
			if b != a {
				if c := corr.At(a, b); best < 0 || math.Abs(c) > math.Abs(r) {
					best, r = b, c
				}
			}
		}
		out = append(out, Collinear{Column: names[idx[a]], VIF: v, Partner: names[idx[best]], R: r})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].VIF > out[j].VIF })
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
