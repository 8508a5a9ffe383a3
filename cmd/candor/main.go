// Command candor fits, scores, explains and audits additive customer-scoring
// models from the command line. Machine output goes to stdout (or --out),
// human notes and progress to stderr. See DESIGN.md for the contract.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
)

// command is one subcommand: it parses its own flags from args and returns
// the process exit status.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() map[string]command {
	return map[string]command{
		"fit":        {"fit a model to a CSV file", runFit},
		"score":      {"score every row of a CSV file (JSON Lines)", runScore},
		"demo":       {"the whole loop on the built-in German credit data", runDemo},
		"keygen":     {"generate an ed25519 key pair for signing models", runKeygen},
		"sign":       {"sign a model file with an ed25519 private key", runSign},
		"verify-log": {"verify a decision log's hash chain; report overrides", runVerifyLog},
		"recourse":   {"cheapest changes that flip each row's outcome (JSON Lines)", runRecourse},
		"explain":    {"explain rows: contributions, reason codes, customer text (text or JSON)", runExplain},
		"convert":    {"convert a model between candor JSON and PMML 4.4 (reads sklearn JSON too)", runConvert},
		"monitor":    {"population stability and performance of a model: baseline vs current CSV", runMonitor},
		"audit":      {"fairness across groups: rates with intervals, disparities, four-fifths screen (JSON or text)", runAudit},
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
	return c.run(ctx, args[1:], stdout, stderr)
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
