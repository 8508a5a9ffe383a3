package main

// audit --proxies: which inputs stand in for a protected attribute
// (fairness.Proxies). The audit itself streams --data; the proxies need
// its rows, so --data is read a second time, into memory (readTable):
// the table's cells plus n rows × k inputs of values (a float64 per
// numeric cell, a string per categorical one). Standard input cannot be
// read twice, so --proxies needs --data to be a file.
//
// The inputs are --proxy-inputs COL1,COL2,... when given (a column whose
// every non-blank cell is a number is numeric, else categorical:
// score.Table.IsNumeric), else the columns the --model's terms read, of
// the model's kinds. A blank numeric cell, or one of the feature's
// special codes, is missing (NaN: fairness.Column); a blank categorical
// cell is the category "". A row with a cell not of its input's kind
// (text in a numeric model input) is left out and counted, as audit
// --model leaves out a row it cannot score. A --group column among the inputs is left out
// of them (a column is not its own proxy) and the report names it.
//
// The protected attributes are the --group columns, banded by --bands as
// the audit bands them, each one on its own (not their intersection).
// Rows with a blank cell in any of them are left out of the proxies and
// counted, as the audit counts its own.

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/score"
)

// proxyAudit is the "proxies" field of the audit report: the
// fairness.ProxyReport's fields, then the rows it was measured on.
type proxyAudit struct {
	*fairness.ProxyReport
	// Rows is how many rows the proxies were measured on: those read,
	// less Excluded and Unreadable.
	Rows int `json:"rows"`
	// Excluded counts the rows left out for a blank protected cell.
	Excluded fairness.Excluded `json:"excluded_rows"`
	// Unreadable counts the rows left out for an input cell that is not of
	// its kind (text in a numeric model input), as audit --model leaves
	// out the rows it cannot score; nil when there is none.
	Unreadable *unscoredRows `json:"unreadable_rows,omitempty"`
	// LeftOut are the inputs that are --group columns, not compared.
	LeftOut []string                  `json:"inputs_left_out,omitempty"`
	bands   map[string]fairness.Bands // --bands, for the text's order
}

// checkProxyArgs checks --proxies and --proxy-inputs, needing no data.
func checkProxyArgs(a auditArgs) []error {
	if !a.proxies {
		return nil
	}
	var errs []error
	inputs := splitList(a.proxyInputs)
	if a.modelPath == "" && len(inputs) == 0 {
		errs = append(errs, errors.New("--proxies needs the inputs to measure: --model M (its inputs) or --proxy-inputs COL1,COL2 (columns of --data)"))
	}
	if a.set["proxy-inputs"] && len(inputs) == 0 {
		errs = append(errs, errors.New("--proxy-inputs names no column"))
	}
	for i, c := range inputs {
		if slices.Contains(inputs[:i], c) {
			errs = append(errs, fmt.Errorf("--proxy-inputs: column %q given twice", c))
		}
	}
	if a.data == "-" {
		errs = append(errs, errors.New("--proxies needs --data to be a file: the audit streams the rows and the proxies read them again, into memory, which standard input (-) cannot give twice"))
	}
	return errs
}

// auditProxies reads --data into memory and measures its inputs (the
// --proxy-inputs columns, else m's inputs) against the --group columns.
func auditProxies(a auditArgs, m *score.Model) (*proxyAudit, error) {
	t, err := readTable(a.data, a.delim)
	if err != nil {
		return nil, err
	}
	feats, err := proxyFeatures(t, a, m)
	if err != nil {
		return nil, err
	}
	groups := splitList(a.groups)
	out := &proxyAudit{bands: a.bandEdges}
	var kept []score.Feature
	for _, f := range feats {
		if slices.Contains(groups, f.Name) {
			out.LeftOut = append(out.LeftOut, f.Name)
			continue
		}
		kept = append(kept, f)
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("--proxies: no input left to measure: %s are --group columns", strings.Join(out.LeftOut, ", "))
	}
	prot, rows, excl, err := proxyProtected(t, groups, a.bandEdges)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.data, err)
	}
	out.Excluded = excl
	inputs, keep, un := proxyColumns(t, kept, rows)
	if un.Count > 0 {
		out.Unreadable = un
		for k := range prot {
			prot[k].Values = keepAt(prot[k].Values, keep)
		}
	}
	if out.Rows = len(keep); out.Rows == 0 {
		return nil, fmt.Errorf("%s: --proxies: no row left to measure (%d with a blank --group cell, %d with an unreadable input)", a.data, excl.Count, un.Count)
	}
	if out.ProxyReport, err = fairness.Proxies(inputs, prot, nil); err != nil {
		return nil, fmt.Errorf("%s: --proxies: %w", a.data, err)
	}
	return out, nil
}

// proxyFeatures are the inputs to measure, with their kinds: the
// --proxy-inputs columns of t, else the features m's terms read, in the
// model's order.
func proxyFeatures(t *score.Table, a auditArgs, m *score.Model) ([]score.Feature, error) {
	if names := splitList(a.proxyInputs); len(names) > 0 {
		header := t.Header()
		var errs []error
		var out []score.Feature
		for _, name := range names {
			j := t.Column(name)
			if j < 0 {
				near := ""
				if c := score.CloseMatches(name, header); len(c) > 0 {
					near = fmt.Sprintf(" (did you mean %q?)", c[0])
				}
				errs = append(errs, fmt.Errorf("--proxy-inputs: no column %q in %s%s", name, a.data, near))
				continue
			}
			kind := score.Categorical
			if t.IsNumeric(j) {
				kind = score.Numeric
			}
			out = append(out, score.Feature{Name: name, Kind: kind})
		}
		return out, errors.Join(errs...)
	}
	s := m.Schema()
	used := make([]bool, s.Len())
	for j := range m.NumTerms() {
		used[m.TermFeature(j)] = true
		if k := m.PairFeature(j); k >= 0 {
			used[k] = true
		}
	}
	var out []score.Feature
	for i, u := range used {
		if !u {
			continue
		}
		f := s.Feature(i)
		if t.Column(f.Name) < 0 {
			return nil, fmt.Errorf("%s: --proxies: model input %q is not a column", a.data, f.Name)
		}
		out = append(out, f)
	}
	return out, nil
}

// proxyProtected reads the --group columns of t, banded, for the rows
// whose cells there are all present (rows, 0-based), and counts the rows
// left out. A banded cell that is not a number is an error naming the
// column and the 1-based row.
func proxyProtected(t *score.Table, groups []string, bands map[string]fairness.Bands) ([]fairness.GroupColumn, []int, fairness.Excluded, error) {
	excl := fairness.Excluded{Policy: fairness.DropBlank, RowsRead: t.Len(), BlankCells: []fairness.BlankCount{}}
	cols := make([]int, len(groups))
	for k, g := range groups {
		if cols[k] = t.Column(g); cols[k] < 0 {
			return nil, nil, excl, fmt.Errorf("--group: no column %q", g)
		}
	}
	blank := make([]fairness.BlankCount, len(groups))
	for k, g := range groups {
		blank[k].Column = g
	}
	prot := make([]fairness.GroupColumn, len(groups))
	for k, g := range groups {
		prot[k].Name = g
	}
	var rows []int
	cells := make([]string, len(groups))
	for i := range t.Len() {
		if err := t.RowError(i); err != nil {
			return nil, nil, excl, score.WithRow(err, i+1)
		}
		present := true
		for k, j := range cols {
			cells[k] = strings.TrimSpace(t.Cell(i, j))
			if cells[k] == "" {
				present = false
				if blank[k].Count == 0 {
					blank[k].FirstRow = i + 1
				}
				blank[k].Count++
			}
		}
		if !present {
			excl.Count++
			continue
		}
		for k, g := range groups {
			v := cells[k]
			if b, ok := bands[g]; ok {
				x, err := score.ParseNumber(v)
				if err != nil {
					return nil, nil, excl, fmt.Errorf("column %q, row %d: %q is not a number (the column is banded)", g, i+1, v)
				}
				v = b.Name(b.Of(x))
			}
			prot[k].Values = append(prot[k].Values, v)
		}
		rows = append(rows, i)
	}
	for _, b := range blank {
		if b.Count > 0 {
			excl.BlankCells = append(excl.BlankCells, b)
		}
	}
	return prot, rows, excl, nil
}

// proxyColumns reads the inputs feats of t at rows (0-based) as
// fairness columns: numeric with blanks and special codes as NaN, or
// categorical. A row with a cell that is not of its input's kind is left
// out and counted; keep are the positions in rows of the rows kept.
func proxyColumns(t *score.Table, feats []score.Feature, rows []int) (cols []fairness.Column, keep []int, un *unscoredRows) {
	cols = make([]fairness.Column, len(feats))
	for k, f := range feats {
		cols[k].Name = f.Name
		if f.Kind == score.Categorical {
			cols[k].Categories = make([]string, 0, len(rows))
		} else {
			cols[k].Numeric = make([]float64, 0, len(rows))
		}
	}
	idx := make([]int, len(feats))
	for k, f := range feats {
		idx[k] = t.Column(f.Name)
	}
	vals := make([]score.Value, len(feats))
	un = &unscoredRows{Rows: []int{}}
	for r, i := range rows {
		var bad error
		for k, f := range feats {
			cell := t.Cell(i, idx[k])
			v, err := score.ParseValue(f.Kind, strings.Trim(cell, " \t"))
			if err != nil {
				bad = score.NewFieldError(f, cell, err)
				break
			}
			vals[k] = v
		}
		if bad != nil {
			un.add(i+1, bad)
			continue
		}
		keep = append(keep, r)
		for k, f := range feats {
			v := vals[k]
			switch {
			case f.Kind == score.Categorical:
				cols[k].Categories = append(cols[k].Categories, v.Label()) // "" when blank
			case v.IsMissing():
				cols[k].Numeric = append(cols[k].Numeric, math.NaN())
			default:
				x := v.Float()
				if _, special := f.SpecialMeaning(x); special {
					x = math.NaN()
				}
				cols[k].Numeric = append(cols[k].Numeric, x)
			}
		}
	}
	return cols, keep, un
}

// unreadableText says how many rows were left out for an unreadable
// input cell, and the first.
func (p *proxyAudit) unreadableText() string {
	noun := "rows"
	if p.Unreadable.Count == 1 {
		noun = "row"
	}
	return fmt.Sprintf("left out %d %s with an input cell not of its kind (first: %s)", p.Unreadable.Count, noun, p.Unreadable.FirstError)
}

// writeProxiesText writes the proxies section of audit --format text:
// the associations, largest first, then each protected attribute's
// predictability, each flagged above its level, with a banded
// attribute's groups in band order.
func writeProxiesText(w io.Writer, p *proxyAudit) {
	fmt.Fprintf(w, "\n== Proxies for protected attributes ==\n")
	fmt.Fprintf(w, "%d rows", p.Rows)
	if p.Excluded.Count > 0 {
		fmt.Fprintf(w, " (%s)", p.Excluded)
	}
	if p.Unreadable != nil {
		fmt.Fprintf(w, " (%s)", p.unreadableText())
	}
	fmt.Fprintln(w)
	if len(p.LeftOut) > 0 {
		fmt.Fprintf(w, "left out of the inputs, as --group columns: %s\n", strings.Join(p.LeftOut, ", "))
	}
	fmt.Fprintf(w, "association of each input alone (Cramér's V for a categorical input, correlation ratio for a numeric one), flagged above %s:\n", fmtLevel(p.AssociationLevel))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "input\tprotected\tmeasure\tvalue\trows")
	for _, as := range sortedAssociations(p.Associations) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d%s\n", as.Input, as.Protected, as.Measure, fmtProxyValue(as.Value), as.Rows, flagNote(as.Flagged))
	}
	tw.Flush()
	fmt.Fprintf(w, "predictability from all inputs together (naive Bayes, %d-fold cross-fitted AUC, one group against the rest), flagged above %s:\n", p.Folds, fmtLevel(p.AUCLevel))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "protected\tgroup\tn\tAUC")
	for _, pr := range p.Predictability {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s%s\n", pr.Protected, "all (mean)", p.Rows, fmtProxyValue(pr.AUC), flagNote(pr.Flagged))
		classes := pr.Classes
		if b, ok := p.bands[pr.Protected]; ok {
			classes = slices.Clone(classes)
			slices.SortStableFunc(classes, func(x, y fairness.ClassAUC) int { return bandIndex(b, x.Group) - bandIndex(b, y.Group) })
		}
		for _, c := range classes {
			fmt.Fprintf(tw, "\t%s\t%d\t%s\n", c.Group, c.Count, fmtProxyValue(c.AUC))
		}
	}
	tw.Flush()
	fmt.Fprintln(w, "naive Bayes ignores the correlation between inputs, so it can understate what a stronger model would find: a low AUC means not found by a simple model, not absent")
}

// bandIndex is the band that b names name, or len(b)+1 when none does.
func bandIndex(b fairness.Bands, name string) int {
	for k := range len(b) + 1 {
		if b.Name(k) == name {
			return k
		}
	}
	return len(b) + 1
}

// sortedAssociations orders associations by value, largest first
// (undefined last), then by input and protected attribute.
func sortedAssociations(as []fairness.Association) []fairness.Association {
	out := slices.Clone(as)
	slices.SortStableFunc(out, func(a, b fairness.Association) int {
		switch {
		case a.Value.Defined && !b.Value.Defined:
			return -1
		case !a.Value.Defined && b.Value.Defined:
			return 1
		case a.Value.Defined && a.Value.Value != b.Value.Value:
			if a.Value.Value > b.Value.Value {
				return -1
			}
			return 1
		}
		if c := strings.Compare(a.Input, b.Input); c != 0 {
			return c
		}
		return strings.Compare(a.Protected, b.Protected)
	})
	return out
}

// flagNote is a table row's last cell: "flagged", or nothing (no cell,
// so that the row has no trailing padding).
func flagNote(flagged bool) string {
	if flagged {
		return "\tflagged"
	}
	return ""
}

// fmtProxyValue writes a value at three decimals, or why it is undefined.
func fmtProxyValue(v fairness.Value) string {
	if !v.Defined {
		return "undefined (" + v.Reason + ")"
	}
	return fmt.Sprintf("%.3f", v.Value)
}

// fmtLevel writes a level in its shortest form (0.5, 0.7).
func fmtLevel(x float64) string { return fmt.Sprintf("%g", x) }
