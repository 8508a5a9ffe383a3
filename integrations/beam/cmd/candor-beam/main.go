// Command candor-beam runs candor's scoring, fairness audit or drift
// monitor as an Apache Beam pipeline, on any Beam runner: Prism in
// process (the default), Dataflow, Flink or any portable runner. Beam's
// own flags (--runner, --project, --region, --staging_location,
// --endpoint, --environment_type, ...) choose and configure the runner.
//
//	candor-beam --mode score   --model M --data GLOB --output PREFIX [--keep id]
//	candor-beam --mode audit   --model M --data GLOB --output FILE --label COL --favorable V --group C[,C]
//	candor-beam --mode monitor --model M --baseline GLOB --data GLOB --output FILE
//
// The model file is read where the pipeline is built and shipped to the
// workers; the data globs are read by the workers (a local path, or
// gs://... on Dataflow). Score writes the scores and the bad rows as JSON
// lines (PREFIX-scored*, PREFIX-bad*); audit and monitor write one JSON
// report, and their bad rows beside it (OUTPUT-bad.jsonl; no file when
// there are none).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/candorscore/candor/fairness"
	candorbeam "github.com/candorscore/candor/integrations/beam"
	"github.com/candorscore/candor/score"
)

var (
	mode      = flag.String("mode", "", "score, audit or monitor")
	modelPath = flag.String("model", "", "candor model file (JSON)")
	data      = flag.String("data", "", "CSV files to score or audit, or the current sample to monitor (a glob)")
	baseline  = flag.String("baseline", "", "monitor: the baseline sample's CSV files (a glob)")
	output    = flag.String("output", "", "output file or prefix")
	keep      = flag.String("keep", "", "score: columns to carry into the output, comma-separated")
	label     = flag.String("label", "", "audit: column of the observed outcome")
	favorable = flag.String("favorable", "", "audit: the favourable value of --label")
	group     = flag.String("group", "", "audit: protected attribute column(s), comma-separated")
	bootstrap = flag.Int("bootstrap", 0, "audit: bootstrap replicates (0 = none)")
	seed      = flag.Uint64("seed", 1, "audit: seed of the bootstrap")
)

func scoredJSON(x candorbeam.Scored) (string, error) { return marshal(x) }
func badJSON(x candorbeam.BadRow) (string, error)    { return marshal(x) }

func marshal(x any) (string, error) {
	b, err := json.Marshal(x)
	return string(b), err
}

func init() {
	register.Function1x2(scoredJSON)
	register.Function1x2(badJSON)
}

func main() {
	flag.Parse()
	beam.Init()
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "candor-beam:", err)
		os.Exit(1)
	}
}

func firstFile(ctx context.Context, glob string) (string, error) {
	if !strings.ContainsAny(glob, "*?[") {
		return glob, nil
	}
	return "", fmt.Errorf("%q: give the header's file: a glob's first match is not known while the pipeline is built (set --header_from)", glob)
}

var headerFrom = flag.String("header_from", "", "a file with the data's header, when --data is a glob (default: --data itself)")

func header(ctx context.Context, glob string) ([]string, error) {
	path := *headerFrom
	if path == "" {
		var err error
		if path, err = firstFile(ctx, glob); err != nil {
			return nil, err
		}
	}
	return candorbeam.ReadHeader(ctx, path, nil)
}

func run(ctx context.Context) error {
	if *modelPath == "" || *data == "" || *output == "" {
		return fmt.Errorf("--model, --data and --output are required")
	}
	m, err := score.LoadFile(*modelPath)
	if err != nil {
		return err
	}
	h, err := header(ctx, *data)
	if err != nil {
		return err
	}
	p, s := beam.NewPipelineWithRoot()
	rows, bad := candorbeam.ReadCSV(s, *data, h)
	switch *mode {
	case "score":
		var opts candorbeam.ScoreOptions
		for _, k := range strings.Split(*keep, ",") {
			if k = strings.TrimSpace(k); k != "" {
				opts.Keep = append(opts.Keep, k)
			}
		}
		scored, scoreBad := candorbeam.Score(s, m, h, rows, &opts)
		textio.Write(s, *output+"-scored.jsonl", beam.ParDo(s, scoredJSON, scored))
		bad = beam.Flatten(s, bad, scoreBad)
	case "audit":
		var groups []string
		for _, g := range strings.Split(*group, ",") {
			if g = strings.TrimSpace(g); g != "" {
				groups = append(groups, g)
			}
		}
		report, auditBad := candorbeam.Audit(s, h, rows, candorbeam.AuditOptions{Label: *label, Favorable: *favorable, Groups: groups,
			Model: m, Fairness: fairness.Options{Bootstrap: *bootstrap, Seed: *seed}})
		textio.Write(s, *output, report)
		bad = beam.Flatten(s, bad, auditBad)
	case "monitor":
		if *baseline == "" {
			return fmt.Errorf("--mode monitor needs --baseline")
		}
		base, baseBad := candorbeam.ReadCSV(s, *baseline, h)
		textio.Write(s, *output, candorbeam.Monitor(s, m, h, base, rows, nil))
		bad = beam.Flatten(s, bad, baseBad)
	default:
		return fmt.Errorf("--mode must be score, audit or monitor, got %q", *mode)
	}
	textio.Write(s, *output+"-bad.jsonl", beam.ParDo(s, badJSON, bad))
	return beamx.Run(ctx, p)
}
