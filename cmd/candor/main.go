// Command candor fits, scores, explains and audits additive customer-scoring
// models from the command line. Machine output goes to stdout (or --out),
// human notes and progress to stderr. See DESIGN.md for the contract.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
)

// command is one subcommand: it parses its own flags from args, does its
// work through library calls, writes machine output to stdout (or --out)
// and notes to stderr, and returns an error: nil (exit status 0),
// flag.ErrHelp (0), an exitStatus already reported, or any other error,
// which run prints as "candor CMD: ERR" (exit status 1).
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"fit":        {"fit a model to a CSV file", runFit},
		"score":      {"score every row of a CSV file (JSON Lines)", runScore},
		"demo":       {"the whole loop on the built-in German credit data", runDemo},
		"keygen":     {"generate an ed25519 key pair for signing models", runKeygen},
		"sign":       {"sign a model file with an ed25519 private key", runSign},
		"verify-log": {"verify a decision log's hash chain; report overrides", statusCommand(runVerifyLog)},
		"recourse":   {"cheapest changes that flip each row's outcome (JSON Lines)", runRecourse},
		"explain":    {"explain rows: contributions, reason codes, customer text (text or JSON)", runExplain},
		"convert":    {"convert a model between candor JSON and PMML 4.4 (reads sklearn JSON too)", runConvert},
		"monitor":    {"population stability and performance of a model: baseline vs current CSV", runMonitor},
		"audit":      {"fairness across groups: rates with intervals, disparities, four-fifths screen (JSON or text)", runAudit},
		"check":      {"advice audit: withheld advice, unsupported counterfactuals and no recourse, per feature", runCheck},
		"sql":        {"one SQL SELECT that scores a table in PostgreSQL, DuckDB, SQLite, BigQuery or Spark", runSQL},
		"shapes":     {"each term's shape function as a table (bin -> effect; pairs as 2-D tables), one as a chart", runShapes},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "candor: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	err := c.run(ctx, args[1:], stdout, stderr)
	var status exitStatus
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &status):
		return int(status)
	}
	fmt.Fprintf(stderr, "candor %s: %v\n", args[0], err)
	return 1
}

// statusCommand adapts a command that reports its own errors and returns
// an exit status.
func statusCommand(f func(ctx context.Context, args []string, stdout, stderr io.Writer) int) func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if code := f(ctx, args, stdout, stderr); code != 0 {
			return exitStatus(code)
		}
		return nil
	}
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: candor <command> [flags]   (candor <command> -h for its flags)")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
}
