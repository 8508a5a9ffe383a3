package glm_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/candorscore/candor/internal/glm"
)

// The values agree with statsmodels GLM(Binomial) to the digits shown.
func ExampleFitLogistic() {
	x := [][]float64{
		{1, 1, 1, 1, 1, 1, 1, 1}, // intercept
		{0, 1, 2, 3, 4, 5, 6, 7}, // a covariate
	}
	y := []float64{0, 0, 1, 0, 1, 0, 1, 1}
	res, err := glm.FitLogistic(context.Background(), glm.Problem{X: x, Y: y, Names: []string{"const", "x"}}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("coef %.4f %.4f\n", res.Coef[0], res.Coef[1])
	fmt.Printf("se   %.4f %.4f\n", res.StdErr[0], res.StdErr[1])
	fmt.Printf("loglik %.4f converged %v after %d steps\n", res.LogLik, res.Converged, res.Iterations)
	// Output:
	// coef -2.0793 0.5941
	// se   1.7329 0.4322
	// loglik -4.2248 converged true after 5 steps
}

func ExampleFitLogistic_separation() {
	x := [][]float64{
		{1, 1, 1, 1, 1, 1},
		{1, 2, 3, 4, 5, 6},
	}
	y := []float64{0, 0, 0, 1, 1, 1}
	res, err := glm.FitLogistic(context.Background(), glm.Problem{X: x, Y: y, Names: []string{"const", "x"}}, nil)
	var se *glm.SeparationError
	if errors.As(err, &se) {
		fmt.Println(errors.Is(err, glm.ErrSeparation), se.Complete, se.Names, res.Converged)
	}
	// Output:
	// true true [const x] false
}

func ExampleFitLogistic_aliased() {
	x := [][]float64{
		{1, 1, 1, 1, 1, 1},
		{0, 1, 0, 1, 1, 0},
		{1, 0, 1, 0, 0, 1}, // = intercept - column 1
	}
	y := []float64{0, 1, 0, 1, 0, 1}
	res, err := glm.FitLogistic(context.Background(), glm.Problem{X: x, Y: y}, nil)
	fmt.Println(err, res.Aliased, res.Coef[2], res.StdErr[2])
	// Output:
	// <nil> [false false true] 0 NaN
}
