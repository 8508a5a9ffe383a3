package chart

import (
	"fmt"
	"image/color"
	"io"
	"slices"

	"github.com/candorscore/candor/score/monitor"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// PSI draws a monitoring report as a horizontal bar chart of PSI per feature
// (the score first, then the features, largest first), coloured by band,
// with dashed lines at the 0.10 and 0.25 thresholds. format is "svg",
// "png" or "pdf".
func PSI(w io.Writer, r *monitor.Report, format string) error {
	if err := chartFormat(format); err != nil {
		return err
	}
	ranked := r.Ranked()
	items := append([]monitor.PSI{{Feature: "(score)", Value: r.ScorePSI, Band: r.ScoreBand}}, ranked...)
	// Bars are drawn bottom-up: reverse so the score is on top.
	slices.Reverse(items)
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Population stability of %q (%d bins, smoothing %g)", r.Model, r.Bins, r.Smoothing)
	p.X.Label.Text = "PSI"
	p.X.Min = 0
	names := make([]string, len(items))
	maxV := 0.3
	for i, it := range items {
		names[i] = it.Feature
		if it.Value > maxV {
			maxV = it.Value
		}
	}
	p.X.Max = maxV * 1.05
	colors := map[monitor.PSIBand]color.Color{
		monitor.Stable: color.RGBA{R: 0x4c, G: 0x9a, B: 0x55, A: 0xff},
		monitor.Watch:  color.RGBA{R: 0xe6, G: 0xa1, B: 0x1c, A: 0xff},
		monitor.Act:    color.RGBA{R: 0xc8, G: 0x3b, B: 0x2f, A: 0xff},
	}
	width := vg.Points(10)
	// One bar chart per band keeps each bar its band's colour.
	for _, band := range []monitor.PSIBand{monitor.Stable, monitor.Watch, monitor.Act} {
		vals := make(plotter.Values, len(items))
		has := false
		for i, it := range items {
			if it.Band == band {
				vals[i] = it.Value
				has = true
			}
		}
		if !has {
			continue
		}
		bc, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return err
		}
		bc.Horizontal = true
		bc.Color = colors[band]
		bc.LineStyle.Width = 0
		p.Add(bc)
		p.Legend.Add(string(band), bc)
	}
	for _, x := range []float64{0.10, 0.25} {
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: -0.5}, {X: x, Y: float64(len(items)) - 0.5}})
		if err != nil {
			return err
		}
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		l.Color = color.Gray{Y: 0x60}
		p.Add(l)
	}
	p.NominalY(names...)
	p.Legend.Top = false // bottom right, where the small bars are
	h := vg.Points(float64(60 + 18*len(items)))
	wt, err := p.WriterTo(vg.Points(640), h, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}
