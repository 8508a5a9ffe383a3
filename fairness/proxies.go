package fairness

import (
	"fmt"
	"math"

	"github.com/candorscore/candor/internal/metric"
)

// Column is a model input for proxy detection: numeric or categorical.
// Exactly one of Numeric and Categories is non-nil. A NaN in Numeric is a
// missing value: the row is left out of that input's association and the
// input says nothing about the row in the predictability model. In
// Categories every string, including "", is a category.
type Column struct {
	Name       string
	Numeric    []float64
	Categories []string
}

// ProxyOptions configure Proxies. The zero value, and nil, mean the
// defaults.
type ProxyOptions struct {
	// AssociationLevel flags an input whose association with a protected
	// attribute exceeds it; 0 means 0.5, a common alarm level.
	AssociationLevel float64
	// AUCLevel flags a protected attribute that the inputs together predict
	// with a cross-validated AUC above it; 0 means 0.7.
	AUCLevel float64
	// Folds for cross-validation; 0 means 5. Row i is in fold i mod Folds.
	Folds int
}

// Association is one input's association with one protected attribute, on
// [0, 1] (0 none, 1 the input determines the group, or vice versa for V).
type Association struct {
	Input     string `json:"input"`
	Protected string `json:"protected"`
	// Measure is "cramers_v" for a categorical input and
	// "correlation_ratio" for a numeric one.
	Measure string `json:"measure"`
	Value   Value  `json:"value"`
	// Rows counts the rows used (numeric inputs leave out NaN).
	Rows    int  `json:"rows"`
	Flagged bool `json:"flagged"`
}

// ClassAUC is the one-vs-rest AUC for one group of a protected attribute.
type ClassAUC struct {
	Group string `json:"group"`
	Count int    `json:"count"`
	AUC   Value  `json:"auc"`
}

// Predictability says how well all inputs together predict a protected
// attribute.
type Predictability struct {
	Protected string `json:"protected"`
	// AUC is the mean of the defined one-vs-rest AUCs over the attribute's
	// groups (macro average; for two groups both are equal).
	AUC     Value      `json:"auc"`
	Classes []ClassAUC `json:"classes"`
	Flagged bool       `json:"flagged"`
}

// ProxyReport is the result of Proxies.
type ProxyReport struct {
	// Associations in input order, then protected attribute order.
	Associations     []Association    `json:"associations"`
	Predictability   []Predictability `json:"predictability"`
	AssociationLevel float64          `json:"association_level"`
	AUCLevel         float64          `json:"auc_level"`
	Folds            int              `json:"folds"`
}

// Flagged returns the flagged associations.
func (r *ProxyReport) Flagged() []Association {
	var out []Association
	for _, a := range r.Associations {
		if a.Flagged {
			out = append(out, a)
		}
	}
	return out
}

// Proxies measures how much each input reveals about each protected
// attribute, alone and together.
//
// Alone: Cramér's V for a categorical input, V = sqrt(chi² / (n (min(r, c)
// - 1))) over the r x c contingency table, without the bias correction of
// Bergsma (2013), so it is biased upward for small n and many categories;
// the correlation ratio eta = sqrt(SS_between / SS_total) for a numeric
// input, grouping its values by the protected attribute.
//
// Together: a naive Bayes classifier (Gaussian for numeric inputs, with
// variances floored at 1e-9 times the input's overall variance as
// scikit-learn does; categorical with add-one smoothing) predicts the
// protected attribute from all inputs, cross-fitted over Folds folds so
// each row is scored by a model that did not see it; the AUC is one group
// against the rest. Naive Bayes was chosen because it is closed-form
// (deterministic, no iterations to converge, fast); because it ignores
// correlation between inputs it can understate what a stronger model would
// find, so treat a low AUC as "not found by a simple model", not as proof
// of absence.
func Proxies(inputs []Column, protected []GroupColumn, opts *ProxyOptions) (*ProxyReport, error) {
	var o ProxyOptions
	if opts != nil {
		o = *opts
	}
	if o.AssociationLevel == 0 {
		o.AssociationLevel = 0.5
	}
	if o.AUCLevel == 0 {
		o.AUCLevel = 0.7
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	var errs []error
	if o.Folds < 2 {
		errs = append(errs, optionError("folds %d is under 2", o.Folds))
	}
	if len(protected) == 0 {
		errs = append(errs, columnError("protected", ErrNoGroups, "no protected attribute given"))
	}
	if len(inputs) == 0 {
		errs = append(errs, columnError("inputs", ErrEmpty, "no input given"))
	}
	n := -1
	if len(protected) > 0 {
		n = len(protected[0].Values)
	} else if len(inputs) > 0 {
		n = max(len(inputs[0].Numeric), len(inputs[0].Categories))
	}
	if n == 0 {
		errs = append(errs, columnError("protected", ErrEmpty, "no rows"))
	}
	for k, g := range protected {
		name := g.Name
		if name == "" {
			name = fmt.Sprintf("protected[%d]", k)
			errs = append(errs, columnError(name, ErrNoGroups, "protected attribute has no name"))
		}
		if len(g.Values) != n {
			errs = append(errs, columnError(name, ErrLength, "%d values for %d rows", len(g.Values), n))
			continue
		}
		c := rowChecker{column: name, err: ErrMissingGroup, detail: "empty group value"}
		for i, v := range g.Values {
			if v == "" {
				c.bad(i)
			}
		}
		if err := c.result(); err != nil {
			errs = append(errs, err)
		}
	}
	for k, in := range inputs {
		name := in.Name
		if name == "" {
			name = fmt.Sprintf("inputs[%d]", k)
		}
		switch {
		case (in.Numeric == nil) == (in.Categories == nil):
			errs = append(errs, columnError(name, ErrColumnKind, "give exactly one of Numeric and Categories"))
		case in.Numeric != nil && len(in.Numeric) != n, in.Categories != nil && len(in.Categories) != n:
			errs = append(errs, columnError(name, ErrLength, "%d values for %d rows", max(len(in.Numeric), len(in.Categories)), n))
		case in.Numeric != nil:
			c := rowChecker{column: name, err: ErrNotFinite, detail: "value is infinite"}
			for i, x := range in.Numeric {
				if math.IsInf(x, 0) {
					c.bad(i)
				}
			}
			if err := c.result(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := joinErrors(errs); err != nil {
		return nil, err
	}

	rep := &ProxyReport{AssociationLevel: o.AssociationLevel, AUCLevel: o.AUCLevel, Folds: o.Folds}
	type enc struct {
		codes  []int32
		levels []string
	}
	prot := make([]enc, len(protected))
	for k, g := range protected {
		prot[k].codes, prot[k].levels = encodeColumn(g.Values)
	}
	cats := make([]enc, len(inputs))
	for j, in := range inputs {
		if in.Categories != nil {
			cats[j].codes, cats[j].levels = encodeColumn(in.Categories)
		}
	}
	for j, in := range inputs {
		for k, g := range protected {
			a := Association{Input: in.Name, Protected: g.Name}
			if in.Categories != nil {
				a.Measure = "cramers_v"
				a.Value, a.Rows = cramersV(cats[j].codes, len(cats[j].levels), prot[k].codes, len(prot[k].levels))
			} else {
				a.Measure = "correlation_ratio"
				a.Value, a.Rows = correlationRatio(in.Numeric, prot[k].codes, len(prot[k].levels))
			}
			a.Flagged = a.Value.Defined && a.Value.Value > o.AssociationLevel
			rep.Associations = append(rep.Associations, a)
		}
	}
	for k, g := range protected {
		nb := naiveBayes{inputs: inputs, cats: make([][]int32, len(inputs)), nlev: make([]int, len(inputs)),
			y: prot[k].codes, classes: len(prot[k].levels)}
		for j := range inputs {
			nb.cats[j], nb.nlev[j] = cats[j].codes, len(cats[j].levels)
		}
		post := nb.crossFit(o.Folds)
		p := Predictability{Protected: g.Name}
		var sum float64
		var m int
		for c, lv := range prot[k].levels {
			ca := ClassAUC{Group: lv}
			score := make([]float64, n)
			pos := make([]bool, n)
			for i := 0; i < n; i++ {
				score[i] = post[i*nb.classes+c]
				pos[i] = prot[k].codes[i] == int32(c)
				if pos[i] {
					ca.Count++
				}
			}
			if v := metric.AUC(score, pos, nil); math.IsNaN(v) {
				ca.AUC = undefined("group or its complement is empty")
			} else {
				ca.AUC = defined(v)
			}
			if ca.AUC.Defined {
				sum += ca.AUC.Value
				m++
			}
			p.Classes = append(p.Classes, ca)
		}
		if m == 0 {
			p.AUC = undefined("protected attribute has a single group")
		} else {
			p.AUC = defined(sum / float64(m))
			p.Flagged = p.AUC.Value > o.AUCLevel
		}
		rep.Predictability = append(rep.Predictability, p)
	}
	return rep, nil
}

func cramersV(x []int32, nx int, g []int32, ng int) (Value, int) {
	n := len(x)
	if nx < 2 {
		return undefined("input has a single category"), n
	}
	if ng < 2 {
		return undefined("protected attribute has a single group"), n
	}
	tab := make([]float64, nx*ng)
	rs := make([]float64, nx)
	cs := make([]float64, ng)
	for i := range x {
		tab[int(x[i])*ng+int(g[i])]++
		rs[x[i]]++
		cs[g[i]]++
	}
	chi2 := 0.0
	for a := 0; a < nx; a++ {
		for b := 0; b < ng; b++ {
			e := rs[a] * cs[b] / float64(n)
			d := tab[a*ng+b] - e
			chi2 += d * d / e
		}
	}
	v := math.Sqrt(chi2 / (float64(n) * float64(min(nx, ng)-1)))
	return defined(min(v, 1)), n
}

func correlationRatio(x []float64, g []int32, ng int) (Value, int) {
	sum := make([]float64, ng)
	cnt := make([]float64, ng)
	var tot float64
	var n int
	for i, v := range x {
		if math.IsNaN(v) {
			continue
		}
		sum[g[i]] += v
		cnt[g[i]]++
		tot += v
		n++
	}
	if n == 0 {
		return undefined("input has no values"), 0
	}
	groups := 0
	for _, c := range cnt {
		if c > 0 {
			groups++
		}
	}
	if groups < 2 {
		return undefined("fewer than two groups have values of the input"), n
	}
	mean := tot / float64(n)
	var ssT, ssB float64
	for i, v := range x {
		if !math.IsNaN(v) {
			ssT += (v - mean) * (v - mean)
		}
		_ = i
	}
	for k := range sum {
		if cnt[k] > 0 {
			d := sum[k]/cnt[k] - mean
			ssB += cnt[k] * d * d
		}
	}
	if ssT == 0 {
		return undefined("input is constant"), n
	}
	return defined(math.Sqrt(min(ssB/ssT, 1))), n
}

// naiveBayes predicts a class from numeric (Gaussian) and categorical
// (add-one smoothed) inputs.
type naiveBayes struct {
	inputs  []Column
	cats    [][]int32
	nlev    []int
	y       []int32
	classes int
}

// crossFit returns the out-of-fold posterior probabilities, row-major
// (row i, class c at i*classes+c).
func (nb *naiveBayes) crossFit(folds int) []float64 {
	n := len(nb.y)
	K := nb.classes
	post := make([]float64, n*K)
	// Overall variance per numeric input, for the variance floor.
	floor := make([]float64, len(nb.inputs))
	for j, in := range nb.inputs {
		if in.Numeric == nil {
			continue
		}
		var s, s2, m float64
		for _, v := range in.Numeric {
			if !math.IsNaN(v) {
				s += v
				s2 += v * v
				m++
			}
		}
		if m > 0 {
			mu := s / m
			floor[j] = 1e-9 * max(s2/m-mu*mu, 0)
		}
		if floor[j] == 0 {
			floor[j] = 1e-9
		}
	}
	logp := make([]float64, K)
	for f := 0; f < folds; f++ {
		train := func(i int) bool { return i%folds != f }
		prior := make([]float64, K)
		var ntrain float64
		for i := 0; i < n; i++ {
			if train(i) {
				prior[nb.y[i]]++
				ntrain++
			}
		}
		if ntrain == 0 {
			continue
		}
		type gauss struct{ mean, vr []float64 }
		gs := make([]gauss, len(nb.inputs))
		cat := make([][]float64, len(nb.inputs)) // log P(level | class), [level*K+class]
		for j, in := range nb.inputs {
			if in.Numeric != nil {
				s, s2, m := make([]float64, K), make([]float64, K), make([]float64, K)
				var S, S2, M float64
				for i := 0; i < n; i++ {
					v := in.Numeric[i]
					if !train(i) || math.IsNaN(v) {
						continue
					}
					c := nb.y[i]
					s[c] += v
					s2[c] += v * v
					m[c]++
					S += v
					S2 += v * v
					M++
				}
				g := gauss{mean: make([]float64, K), vr: make([]float64, K)}
				for c := 0; c < K; c++ {
					switch {
					case m[c] > 0:
						g.mean[c] = s[c] / m[c]
						g.vr[c] = max(s2[c]/m[c]-g.mean[c]*g.mean[c], 0) + floor[j]
					case M > 0: // class unseen in training: use the pooled values
						g.mean[c] = S / M
						g.vr[c] = max(S2/M-g.mean[c]*g.mean[c], 0) + floor[j]
					default:
						g.vr[c] = math.NaN() // no information
					}
				}
				gs[j] = g
				continue
			}
			L := nb.nlev[j]
			cnt := make([]float64, L*K)
			for i := 0; i < n; i++ {
				if train(i) {
					cnt[int(nb.cats[j][i])*K+int(nb.y[i])]++
				}
			}
			lp := make([]float64, L*K)
			for c := 0; c < K; c++ {
				den := prior[c] + float64(L)
				for l := 0; l < L; l++ {
					lp[l*K+c] = math.Log((cnt[l*K+c] + 1) / den)
				}
			}
			cat[j] = lp
		}
		for i := f; i < n; i += folds {
			for c := 0; c < K; c++ {
				logp[c] = math.Log((prior[c] + 1) / (ntrain + float64(K)))
			}
			for j, in := range nb.inputs {
				if in.Numeric != nil {
					v := in.Numeric[i]
					if math.IsNaN(v) || math.IsNaN(gs[j].vr[0]) {
						continue
					}
					for c := 0; c < K; c++ {
						d := v - gs[j].mean[c]
						logp[c] += -0.5*math.Log(2*math.Pi*gs[j].vr[c]) - d*d/(2*gs[j].vr[c])
					}
					continue
				}
				l := int(nb.cats[j][i])
				for c := 0; c < K; c++ {
					logp[c] += cat[j][l*K+c]
				}
			}
			mx := math.Inf(-1)
			for _, v := range logp {
				mx = max(mx, v)
			}
			var z float64
			for c := range logp {
				logp[c] = math.Exp(logp[c] - mx)
				z += logp[c]
			}
			for c := range logp {
				post[i*K+c] = logp[c] / z
			}
		}
	}
	return post
}
