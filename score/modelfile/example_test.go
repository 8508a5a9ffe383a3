package modelfile_test

import (
	"fmt"

	"github.com/candorscore/candor/score/modelfile"
)

// One call loads candor JSON, PMML and scikit-learn files alike.
func ExampleReadFile() {
	for _, path := range []string{
		"../pmml/testdata/pmml_dmg_sample_scorecard.xml",
		"../sklearn/testdata/sklearn_german.json",
	} {
		m, format, err := modelfile.ReadFile(path, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(format, m.Kind(), m.NumTerms())
	}
	// Output:
	// pmml scorecard 3
	// sklearn logistic 19
}
