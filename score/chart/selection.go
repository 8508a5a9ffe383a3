package chart

import (
	"fmt"
	"io"
	"math"

	"github.com/candorscore/candor/fairness"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Selection draws the selection rate of each group of the
// report's summary partition with its Wilson interval as an error bar, and
// the overall rate as a dashed line, as "svg" or "png". Groups whose
// selection rate is undefined are left out and named in the title.
func Selection(w io.Writer, r *fairness.Report, format string) error {
	if err := chartFormat(format); err != nil {
		return err
	}
	if r == nil {
		return fmt.Errorf("%w: nil report", ErrFormat)
	}
	p := plot.New()
	p.Title.Text = "Selection rate by " + r.Attribute
	p.Y.Label.Text = fmt.Sprintf("selection rate (%g%% Wilson interval)", 100*r.Level)
	p.Y.Min, p.Y.Max = 0, 1
	var pts plotter.XYs
	var errs plotter.YErrors
	var names []string
	var left int
	for _, g := range r.Groups {
		s := g.SelectionRate
		if !s.Defined {
			left++
			continue
		}
		x := float64(len(names))
		pts = append(pts, plotter.XY{X: x, Y: s.Value})
		errs = append(errs, struct{ Low, High float64 }{s.Value - s.Lo, s.Hi - s.Value})
		names = append(names, g.Name)
	}
	if left > 0 {
		p.Title.Text += fmt.Sprintf(" (%d groups with undefined rate left out)", left)
	}
	if len(pts) > 0 {
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{pts, errs})
		if err != nil {
			return err
		}
		p.Add(sc, eb)
	}
	if o := r.Overall.SelectionRate; o.Defined {
		line, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: o.Value}, {X: math.Max(float64(len(names))-0.5, 0.5), Y: o.Value}})
		if err != nil {
			return err
		}
		line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(line)
		p.Legend.Add("overall", line)
		p.Legend.Top = true
	}
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YTop
	p.X.Min, p.X.Max = -0.5, math.Max(float64(len(names))-0.5, 0.5)
	width := vg.Length(math.Max(4, 0.9*float64(len(names)))) * vg.Inch
	wt, err := p.WriterTo(width, 4*vg.Inch, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}
