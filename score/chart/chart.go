package chart

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

var (
	chartBarColor   = color.RGBA{R: 120, G: 160, B: 210, A: 255}
	chartEventColor = color.RGBA{R: 200, G: 50, B: 40, A: 255}
	chartOtherColor = color.RGBA{R: 40, G: 90, B: 170, A: 255}
)

// ErrFormat is returned for a chart format other than svg, png or pdf, and
// for a nil report.
var ErrFormat = errors.New("chart: bad request")

// chartFormat checks a format name: "svg", "png" or "pdf".
func chartFormat(format string) error {
	switch format {
	case "svg", "png", "pdf":
		return nil
	}
	return fmt.Errorf("%w: chart format %q (want svg, png or pdf)", ErrFormat, format)
}

// Binning draws a binning: bars of each bin's share of the rows
// and a line of each bin's event rate, both on one 0-1 axis, as "svg" or
// "png". Bins without training rows (an unseen missing or other bin) are
// left out.
func Binning(w io.Writer, b *fit.Binning, format string) error {
	if err := chartFormat(format); err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("%w: nil binning", score.ErrData)
	}
	total := b.Events + b.NonEvents
	var shares plotter.Values
	var rates plotter.XYs
	var names []string
	top := 0.0
	for k, bin := range b.Bins {
		if bin.Count == 0 {
			continue
		}
		x := float64(len(names))
		shares = append(shares, bin.Count/total)
		rates = append(rates, plotter.XY{X: x, Y: b.EventRate(k)})
		names = append(names, report.Trunc(bin.Label, 24))
		top = math.Max(top, math.Max(bin.Count/total, b.EventRate(k)))
	}
	if len(names) == 0 {
		return fmt.Errorf("%w: binning of %s has no rows", score.ErrData, b.Feature)
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: IV %.3f, %s", b.Feature, b.IV, b.TrendText())
	p.Y.Label.Text = "share of rows (bars), event rate (line)"
	p.Y.Min, p.Y.Max = 0, math.Min(1, top*1.15+0.02)
	bars, err := plotter.NewBarChart(shares, vg.Points(28))
	if err != nil {
		return err
	}
	bars.Color = chartBarColor
	bars.LineStyle.Width = 0
	line, pts, err := plotter.NewLinePoints(rates)
	if err != nil {
		return err
	}
	line.Color = chartEventColor
	line.Width = vg.Points(2)
	pts.Color = chartEventColor
	pts.Shape = draw.CircleGlyph{}
	p.Add(bars, line, pts)
	p.Legend.Add("share of rows", bars)
	p.Legend.Add("event rate", line, pts)
	p.Legend.Top, p.Legend.Left = true, true
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = -0.8
	width := vg.Length(math.Max(5, 0.9*float64(len(names)))) * vg.Inch
	return writePlot(w, p, width, 4*vg.Inch, format)
}

// Scores draws the distribution of scores (for example points) of
// the events and of the non-events, each as the share of its class per
// score band (30 bands over the range of the scores), as "svg" or "png".
// label names the score axis; weights nil means all ones.
func Scores(w io.Writer, scores []float64, events []bool, weights []float64, label, format string) error {
	if err := chartFormat(format); err != nil {
		return err
	}
	if len(events) != len(scores) || (weights != nil && len(weights) != len(scores)) {
		return fmt.Errorf("%w: %d scores, %d events, %d weights", score.ErrData, len(scores), len(events), len(weights))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, s := range scores {
		if !isFinite(s) {
			return fmt.Errorf("%w: score %d is %v", score.ErrNotFinite, i+1, s)
		}
		lo, hi = math.Min(lo, s), math.Max(hi, s)
	}
	if len(scores) == 0 {
		return fmt.Errorf("%w: no scores", score.ErrData)
	}
	const bands = 30
	if hi == lo {
		lo, hi = lo-0.5, hi+0.5
	}
	width := (hi - lo) / bands
	var cnt [2][bands]float64
	var tot [2]float64
	for i, s := range scores {
		k := min(int((s-lo)/width), bands-1)
		c := 0
		if events[i] {
			c = 1
		}
		cnt[c][k] += metric.Weight(weights, i)
		tot[c] += metric.Weight(weights, i)
	}
	p := plot.New()
	p.Title.Text = "Score distribution by outcome"
	p.X.Label.Text = label
	p.Y.Label.Text = "share of the outcome's rows"
	p.Y.Min = 0
	names := [2]string{"non-events", "events"}
	colors := [2]color.Color{chartOtherColor, chartEventColor}
	for c := 0; c < 2; c++ {
		if tot[c] == 0 {
			continue
		}
		xy := make(plotter.XYs, bands+1)
		for k := 0; k <= bands; k++ {
			xy[k].X = lo + float64(k)*width
			if k < bands {
				xy[k].Y = cnt[c][k] / tot[c]
			} else {
				xy[k].Y = xy[k-1].Y
			}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		l.StepStyle = plotter.PostStep
		l.Color = colors[c]
		l.Width = vg.Points(2)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s (%s)", names[c], report.Count(tot[c])), l)
	}
	p.Legend.Top = true
	return writePlot(w, p, 6*vg.Inch, 4*vg.Inch, format)
}

func writePlot(w io.Writer, p *plot.Plot, width, height vg.Length, format string) error {
	wt, err := p.WriterTo(width, height, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
