package candorbeam

import (
	"context"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
)

func TestSmoke(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	c := beam.Create(s, 1, 2, 3)
	passert.Equals(s, stats.Sum(s, c), 6)
	if _, err := prism.Execute(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}
