package fairness

import (
	"context"
	"encoding/json"
	"math"
	"testing"
)

// FuzzAudit feeds arbitrary rows to Audit: it must return a report or an
// error, never panic, and a report must encode to JSON.
func FuzzAudit(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(3), false, 0.5)
	f.Add([]byte{255, 0, 255, 0}, uint8(1), true, math.NaN())
	f.Fuzz(func(t *testing.T, raw []byte, groups uint8, scored bool, threshold float64) {
		n := len(raw)
		d := Data{Labels: make([]bool, n), Groups: []GroupColumn{{Name: "g", Values: make([]string, n)}, {Name: "h", Values: make([]string, n)}}}
		if scored {
			d.Scores = make([]float64, n)
			d.Threshold = threshold
		} else {
			d.Predictions = make([]bool, n)
		}
		d.Weights = make([]float64, n)
		for i, b := range raw {
			d.Labels[i] = b&1 == 1
			if scored {
				d.Scores[i] = float64(b>>1) / 64
				if b == 255 {
					d.Scores[i] = math.NaN()
				}
			} else {
				d.Predictions[i] = b&2 == 2
			}
			d.Weights[i] = float64(b >> 6)
			d.Groups[0].Values[i] = string(rune('a' + int(b)%max(int(groups), 1)))
			d.Groups[1].Values[i] = string(rune('x' + int(b>>4)%2))
			if groups == 0 && i == 0 {
				d.Groups[0].Values[i] = ""
			}
		}
		rep, err := Audit(context.Background(), d, &Options{Bootstrap: 5, Seed: 1})
		if err != nil {
			return
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatal(err)
		}
	})
}
