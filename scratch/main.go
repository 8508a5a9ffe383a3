package main

import (
	"context"
	"fmt"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

func main() {
	tab, s, _ := datasets.LoadSchema(datasets.BankMarketing)
	s, _ = s.WithRoles(score.Ignored, "duration", "day", "month", "poutcome")
	f, err := fit.Scorecard(context.Background(), tab, s, "y", "no", &fit.ScorecardOptions{Cutoff: 0.9, FeatureBinning: map[string]fit.BinningOptions{"pdays": {Special: []float64{-1}}}})
	if err != nil { panic(err) }
	fmt.Println(f.Selection.Kept)
	fmt.Printf("%+v\n", f.Selection)
	fmt.Println(f.Binning("pdays").Format())
}
