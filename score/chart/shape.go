package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Shape draws term j's shape function: for a binned numeric term the
// effect of each range bin as a step over the training range (the missing
// and special bins as points at the right, labelled), for a categorical
// or binned categorical term one bar per level or bin, and for a pair term
// a heat map of the table (rows: the first feature's bins, columns: the
// second's, in bin order). Effects are in the model's score units (points
// for scorecards, log-odds for logistic models). Format is "svg", "png" or
// "pdf". A linear term is a line through the training range.
func Shape(w io.Writer, m *score.Model, j int, format string) error {
	if err := chartFormat(format); err != nil {
		return err
	}
	if m == nil || j < 0 || j >= m.NumTerms() {
		return fmt.Errorf("%w: no term %d", ErrFormat, j)
	}
	t := m.Term(j)
	units := "log-odds"
	switch m.Kind() {
	case score.ScorecardModel:
		units = "points"
	case score.LinearModel:
		units = "response"
	}
	p := plot.New()
	p.Y.Label.Text = units
	if t.Kind == score.PairTerm {
		return pairHeatMap(w, p, t, units, format)
	}
	p.Title.Text = fmt.Sprintf("%s: shape function", t.Feature)
	f := m.Schema().Feature(m.TermFeature(j))
	var lo, hi float64
	var ok bool
	if t.Stats != nil {
		lo, hi, ok = t.Stats.Range()
	}
	if f.Kind == score.Numeric && (t.Kind == score.LinearTerm || t.Kind == score.BinnedTerm) && ok && hi > lo {
		var xy plotter.XYs
		if t.Kind == score.LinearTerm {
			xy = plotter.XYs{{X: lo, Y: t.Coef * lo}, {X: hi, Y: t.Coef * hi}}
		} else {
			for _, b := range t.Bins {
				if b.Kind != score.RangeBin {
					continue
				}
				x0, x1 := b.Extent(t.Stats)
				if x0 > hi || x1 < lo {
					continue
				}
				x0, x1 = math.Max(x0, lo), math.Min(x1, hi)
				xy = append(xy, plotter.XY{X: x0, Y: b.EffectAt(x0)}, plotter.XY{X: x1, Y: b.EffectAt(x1)})
			}
		}
		if len(xy) == 0 {
			return fmt.Errorf("%w: %s has no range bin in its training range", score.ErrData, t.Feature)
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		line.Color = chartOtherColor
		line.Width = vg.Points(2)
		p.Add(line, plotter.NewGrid())
		p.X.Label.Text = t.Feature
		if f.Unit != "" {
			p.X.Label.Text += " (" + f.Unit + ")"
		}
		return writePlot(w, p, 6*vg.Inch, 4*vg.Inch, format)
	}
	// One bar per level or bin.
	var vals plotter.Values
	var names []string
	switch t.Kind {
	case score.CategoricalTerm:
		for _, l := range t.Levels {
			vals = append(vals, l.Effect)
			names = append(names, report.Trunc(l.Label, 24))
		}
	case score.BinnedTerm:
		for _, b := range t.Bins {
			if b.Count == 0 && (b.Kind == score.MissingBin || b.Kind == score.OtherBin) {
				continue // a bin no training row fell in
			}
			vals = append(vals, b.Effect)
			names = append(names, report.Trunc(explain.BinLabel(b), 24))
		}
	}
	if len(vals) == 0 {
		return fmt.Errorf("%w: %s has no levels or bins to draw", score.ErrData, t.Feature)
	}
	bars, err := plotter.NewBarChart(vals, vg.Points(20))
	if err != nil {
		return err
	}
	bars.Color = chartBarColor
	bars.LineStyle.Width = 0
	p.Add(bars, plotter.NewGrid())
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = -0.8
	width := vg.Length(math.Max(5, 0.7*float64(len(names)))) * vg.Inch
	return writePlot(w, p, width, 4*vg.Inch, format)
}

// pairGrid is a pair table as a plotter.GridXYZ: column c, row r.
type pairGrid struct {
	rows, cols int
	z          []float64
}

func (g pairGrid) Dims() (c, r int)   { return g.cols, g.rows }
func (g pairGrid) Z(c, r int) float64 { return g.z[r*g.cols+c] }
func (g pairGrid) X(c int) float64    { return float64(c) }
func (g pairGrid) Y(r int) float64    { return float64(r) }

func pairHeatMap(w io.Writer, p *plot.Plot, t score.Term, units, format string) error {
	nr, nc := len(t.Bins), len(t.Pair.Bins)
	g := pairGrid{rows: nr, cols: nc, z: t.Pair.Effects}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, z := range g.z {
		lo, hi = math.Min(lo, z), math.Max(hi, z)
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	pal := moreland.SmoothBlueRed()
	pal.SetMin(lo)
	pal.SetMax(hi)
	hm := plotter.NewHeatMap(g, pal.Palette(64))
	hm.Min, hm.Max = lo, hi
	p.Add(hm)
	p.Title.Text = fmt.Sprintf("%s × %s (%s, from %.3g blue to %.3g red)", t.Feature, t.Pair.Feature, units, lo, hi)
	p.Y.Label.Text = t.Feature
	p.X.Label.Text = t.Pair.Feature
	ticks := func(bins []score.Bin) plot.ConstantTicks {
		var out plot.ConstantTicks
		step := max(1, len(bins)/12)
		for k, b := range bins {
			label := ""
			if k%step == 0 || b.Kind == score.MissingBin {
				label = report.Trunc(explain.BinLabel(b), 16)
			}
			out = append(out, plot.Tick{Value: float64(k), Label: label})
		}
		return out
	}
	p.Y.Tick.Marker = ticks(t.Bins)
	p.X.Tick.Marker = ticks(t.Pair.Bins)
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = -0.8
	p.BackgroundColor = color.White
	return writePlot(w, p, 7*vg.Inch, 6*vg.Inch, format)
}
