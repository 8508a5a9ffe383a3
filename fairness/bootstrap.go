package fairness

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/candorscore/candor/internal/metric"
)

// The bootstrap needs only each intersection group's (the finest
// partition's) confusion counts (TP, FP, TN, FN) per replicate:
//
//   - Unweighted data: resampling n rows with replacement within a group
//     with cell counts c, keeping every group's size fixed (so stratified
//     for every attribute at once), gives cell counts distributed
//     Multinomial(n, c/n), so a replicate draws those four counts
//     directly, by conditional binomials (binomial.go). This is exact in
//     distribution, not an approximation, costs a few draws per group, and
//     needs the group's counts only, so it is the same for any split of
//     the rows (Tally).
//   - Weighted data: the Poisson bootstrap (Tally's doc comment): each
//     row's multiplicity in replicate r is Poisson(1), drawn from a hash of
//     (Seed, row index, r) while the row is added, and its weight times that
//     multiplicity is summed into its cell. Group sizes vary between
//     replicates. Before the accumulators, weighted data drew n row
//     indices per group and replicate, which needs the rows in memory.
//
// Replicate r draws from its own PCG generator seeded from (Seed, r), so
// the result does not depend on how replicates are spread over workers.
//
// Within a replicate the set of groups entering each summary is the set
// from the point estimate; when a group's rate loses its denominator in a
// replicate, that replicate's value is undefined and is counted in
// Disparity.Undefined rather than used. The interval is the percentile
// interval of the defined replicates (linear interpolation between order
// statistics, "type 7").

const nStats = 6

const (
	sDPD = iota
	sDPR
	sEOD
	sEqOdds
	sAvgOdds
	sPPD
)

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// replicateSource returns the generator of replicate r.
func replicateSource(seed uint64, r int) *rand.PCG {
	h1 := splitmix64(seed ^ splitmix64(uint64(r)))
	h2 := splitmix64(h1 ^ 0xda942042e4dd58b5)
	return rand.NewPCG(h1, h2)
}

// resample fills conf with replicate r's draw of each intersection group:
// multinomial counts from the group's cells, or the Poisson bootstrap's
// sums for weighted data.
func resample(src *rand.PCG, r int, fines []*fineAcc, conf [][4]float64) {
	for f, fa := range fines {
		if fa.boot != nil {
			conf[f] = fa.boot[r]
			continue
		}
		multinomial4(src, fa.t.n, &conf[f])
	}
}

// stats computes the summary disparities from per-group counts over fixed
// sets of groups; NaN where undefined.
func stats(conf [][4]float64, s *sets, out *[nStats]float64) {
	sel := func(c *[4]float64) float64 {
		return ratio(c[cTP]+c[cFP], c[cTP]+c[cFP]+c[cTN]+c[cFN])
	}
	tpr := func(c *[4]float64) float64 { return ratio(c[cTP], c[cTP]+c[cFN]) }
	fpr := func(c *[4]float64) float64 { return ratio(c[cFP], c[cFP]+c[cTN]) }
	ppv := func(c *[4]float64) float64 { return ratio(c[cTP], c[cTP]+c[cFP]) }
	lo, hi := minMax(conf, s.sel, sel)
	out[sDPD] = hi - lo
	out[sDPR] = ratio(lo, hi)
	lo, hi = minMax(conf, s.tpr, tpr)
	tprS := hi - lo
	lo, hi = minMax(conf, s.fpr, fpr)
	fprS := hi - lo
	out[sEOD] = tprS
	out[sEqOdds] = math.Max(tprS, fprS)
	if math.IsNaN(tprS) || math.IsNaN(fprS) {
		out[sEqOdds] = math.NaN()
	}
	out[sAvgOdds] = (tprS + fprS) / 2
	lo, hi = minMax(conf, s.ppv, ppv)
	out[sPPD] = hi - lo
}

func ratio(num, den float64) float64 {
	if !(den > 0) {
		return math.NaN()
	}
	return num / den
}

func minMax(conf [][4]float64, set []int, f func(*[4]float64) float64) (lo, hi float64) {
	if len(set) < 2 {
		return math.NaN(), math.NaN()
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, g := range set {
		v := f(&conf[g])
		if math.IsNaN(v) {
			return math.NaN(), math.NaN()
		}
		lo = min(lo, v)
		hi = max(hi, v)
	}
	return lo, hi
}

func (a *audit) bootstrap(ctx context.Context, parts []Partition) error {
	reps := a.opts.Bootstrap
	fines := a.fines
	// res[pi][stat][r]
	res := make([][nStats][]float64, len(parts))
	for pi := range res {
		for s := 0; s < nStats; s++ {
			res[pi][s] = make([]float64, reps)
		}
	}
	workers := a.opts.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, reps)
	var next atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fineConf := make([][4]float64, len(fines))
			partConf := make([][][4]float64, len(parts))
			for pi := range parts {
				partConf[pi] = make([][4]float64, len(parts[pi].Groups))
			}
			var out [nStats]float64
			for !stop.Load() {
				r := int(next.Add(1) - 1)
				if r >= reps {
					return
				}
				if r%64 == 0 && ctx.Err() != nil {
					stop.Store(true)
					return
				}
				resample(replicateSource(a.opts.Seed, r), r, fines, fineConf)
				for pi := range parts {
					pc := partConf[pi]
					clear(pc)
					fineTo := a.parts[pi].fineTo
					for f := range fineConf {
						g := fineTo[f]
						for c := 0; c < 4; c++ {
							pc[g][c] += fineConf[f][c]
						}
					}
					stats(pc, &a.partSets[pi], &out)
					for s := 0; s < nStats; s++ {
						res[pi][s][r] = out[s]
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	alpha := (1 - a.opts.Level) / 2
	for pi := range parts {
		p := &parts[pi]
		for s, d := range []*Disparity{&p.DemographicParityDifference, &p.DemographicParityRatio,
			&p.EqualOpportunityDifference, &p.EqualizedOddsDifference, &p.AverageOddsDifference,
			&p.PredictiveParityDifference} {
			vals := res[pi][s][:0:0]
			for _, v := range res[pi][s] {
				if !math.IsNaN(v) {
					vals = append(vals, v)
				}
			}
			d.Replicates = len(vals)
			d.Undefined = reps - len(vals)
			if !d.Defined || len(vals) == 0 {
				continue
			}
			slices.Sort(vals)
			d.Lo = metric.Quantile(vals, alpha)
			d.Hi = metric.Quantile(vals, 1-alpha)
		}
	}
	return nil
}
