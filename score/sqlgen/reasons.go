package sqlgen

import (
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/explain"
)

// reasons holds the SQL of the reason-code layers.
type reasons struct {
	layer3 []string   // per code: total, reach, lead, order key
	later  [][]string // per reason, four layers: values, best, least order, winner
	final  func() []string
}

// codeInfo is what the statement computes for one reason code k: the
// terms that can report it (in term order), which of them always do, and
// the SQL of its total, order key and lead term.
type codeInfo struct {
	k                     int
	terms                 []int
	static                []bool
	total, order, lead    string
	orderConst, leadConst int // >= 0 when the order key or lead is a constant
}

// reasons compiles explain's appendReasons: per code, the gaps summed in
// term order; a code qualifies with a positive total (or zero, with
// KeepZero); codes rank by total, ties by the order in which the row's
// terms first reach them (or by the lead feature's name, with TiesByName);
// the lead term is the earliest with the largest gap.
func (g *gen) reasons() *reasons {
	s, e, m := g.s, g.e, g.m
	sign := e.Algorithm() == explain.PointsAbove
	opts := e.Options()
	gap := func(j int) string {
		if sign {
			return "s." + g.col("c", j)
		}
		return "(-s." + g.col("c", j) + ")"
	}
	static := make([]bool, m.NumTerms())
	for j := range static {
		_, static[j] = g.codeCase(j)
	}
	reach := func(j, k int) string { return "s." + g.col("k", j) + " = " + strconv.Itoa(k) }
	// The rank of each feature name, for TiesByName.
	names := make([]string, m.NumTerms())
	for j := range names {
		names[j] = m.Schema().Feature(m.TermFeature(j)).Name
	}
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	nameRank := func(j int) int { return slices.Index(sorted, names[j]) }

	var infos []*codeInfo
	for k := range e.Codes() {
		ci := &codeInfo{k: k, orderConst: -1, leadConst: -1}
		for j := range m.NumTerms() {
			if slices.Contains(g.codes(j), k) {
				ci.terms = append(ci.terms, j)
				ci.static = append(ci.static, static[j])
			}
		}
		if len(ci.terms) == 0 {
			continue
		}
		// The total, in term order from the first gap, as appendReasons sums.
		for i, j := range ci.terms {
			part := gap(j)
			if !ci.static[i] {
				part = "(CASE WHEN " + reach(j, k) + " THEN " + gap(j) + " ELSE " + s.num(0) + " END)"
			}
			if i == 0 {
				ci.total = part
			} else {
				ci.total = "(" + ci.total + " + " + part + ")"
			}
		}
		// The first term to reach the code: its place in document order.
		first, firstConst := "", -1
		if ci.static[0] {
			firstConst = ci.terms[0]
		} else {
			var b strings.Builder
			b.WriteString("CASE")
			for i, j := range ci.terms {
				if ci.static[i] {
					b.WriteString(" ELSE " + strconv.Itoa(j))
					break
				}
				b.WriteString(" WHEN " + reach(j, k) + " THEN " + strconv.Itoa(j))
			}
			b.WriteString(" END")
			first = b.String()
		}
		// The lead: the earliest term with the largest gap.
		if len(ci.terms) == 1 {
			ci.leadConst = ci.terms[0]
		} else {
			var b strings.Builder
			b.WriteString("CASE")
			r := func(i int) string {
				if ci.static[i] {
					return "1 = 1"
				}
				return reach(ci.terms[i], k)
			}
			for i, j := range ci.terms {
				conds := []string{r(i)}
				for i2, j2 := range ci.terms {
					switch {
					case i2 < i:
						conds = append(conds, "NOT ("+r(i2)+" AND "+gap(j2)+" >= "+gap(j)+")")
					case i2 > i:
						conds = append(conds, "NOT ("+r(i2)+" AND "+gap(j2)+" > "+gap(j)+")")
					}
				}
				b.WriteString(" WHEN " + strings.Join(conds, " AND ") + " THEN " + strconv.Itoa(j))
			}
			b.WriteString(" END")
			ci.lead = b.String()
		}
		if opts.TiesByName {
			if ci.leadConst >= 0 {
				ci.orderConst = nameRank(ci.leadConst)
			} else {
				var b strings.Builder
				b.WriteString("CASE s." + g.s.ident(prefix+"L"+strconv.Itoa(k)))
				for _, j := range ci.terms {
					b.WriteString(" WHEN " + strconv.Itoa(j) + " THEN " + strconv.Itoa(nameRank(j)))
				}
				b.WriteString(" END")
				ci.order = b.String() // computed a layer later, from the lead
			}
		} else {
			ci.orderConst, ci.order = firstConst, first
		}
		infos = append(infos, ci)
	}
	col := func(kind string, k int) string { return g.s.ident(prefix + kind + strconv.Itoa(k)) }
	rs := &reasons{}
	// Layer 3: totals, reach (for codes no term always reports), leads, and
	// order keys that do not depend on the lead.
	for _, ci := range infos {
		rs.layer3 = append(rs.layer3, ci.total+" AS "+col("T", ci.k))
		if !slices.Contains(ci.static, true) {
			var rr []string
			for _, j := range ci.terms {
				rr = append(rr, reach(j, ci.k))
			}
			rs.layer3 = append(rs.layer3, "CASE WHEN "+strings.Join(rr, " OR ")+" THEN 1 ELSE 0 END AS "+col("R", ci.k))
		}
		if ci.leadConst < 0 {
			rs.layer3 = append(rs.layer3, ci.lead+" AS "+col("L", ci.k))
		}
		if ci.orderConst < 0 && !opts.TiesByName {
			rs.layer3 = append(rs.layer3, ci.order+" AS "+col("O", ci.k))
		}
	}
	// Then the reasons one at a time, each the best of the codes left:
	// every code's value V (its total when it qualifies, -1 when it does
	// not or was already reported: qualifying totals are >= 0), the best
	// value M, the least order key W among the codes whose value is M (the
	// ties rule: order keys differ between codes within a row), and the
	// winning code K. That is a few CASEs a code a reason, where ranking
	// every code against every other costs codes² a row.
	ok := "s." + s.ident(prefix+"s") + " IS NOT NULL"
	qual := func(ci *codeInfo) string {
		c := "s." + col("T", ci.k) + " > " + s.num(0)
		if opts.KeepZero {
			c = "s." + col("T", ci.k) + " >= " + s.num(0)
		}
		if !slices.Contains(ci.static, true) {
			c = "s." + col("R", ci.k) + " = 1 AND " + c
		}
		return c
	}
	order := func(ci *codeInfo) string {
		if ci.orderConst >= 0 {
			return strconv.Itoa(ci.orderConst)
		}
		if opts.TiesByName {
			return ci.order // the CASE on the lead column
		}
		return "s." + col("O", ci.k)
	}
	// extreme is GREATEST or LEAST of xs, or the one x (SQLite's MAX of
	// one argument is the aggregate).
	extreme := func(fn string, xs []string) string {
		if len(xs) == 1 {
			return xs[0]
		}
		return fn + "(" + strings.Join(xs, ", ") + ")"
	}
	minusOne := s.num(-1)
	noOrder := strconv.Itoa(m.NumTerms() + 1) // above every order key
	rounds := min(e.MaxReasons(), len(infos))
	if e.MaxReasons() < 0 {
		rounds = len(infos)
	}
	rc := func(kind string, r int, k int) string {
		name := prefix + kind + strconv.Itoa(r)
		if k >= 0 {
			name += "_" + strconv.Itoa(k)
		}
		return s.ident(name)
	}
	for r := 1; r <= rounds; r++ {
		var vs, ms, ws []string
		for _, ci := range infos {
			v := "CASE WHEN " + ok + " AND " + qual(ci) + " THEN s." + col("T", ci.k) + " ELSE " + minusOne + " END"
			if r > 1 {
				v = "CASE WHEN s." + rc("K", r-1, -1) + " = " + strconv.Itoa(ci.k) + " THEN " + minusOne + " ELSE s." + rc("V", r-1, ci.k) + " END"
			}
			vs = append(vs, v+" AS "+rc("V", r, ci.k))
			ms = append(ms, "s."+rc("V", r, ci.k))
			ws = append(ws, "CASE WHEN s."+rc("V", r, ci.k)+" = s."+rc("M", r, -1)+" THEN "+order(ci)+" ELSE "+noOrder+" END")
		}
		var kb strings.Builder
		kb.WriteString("CASE WHEN s." + rc("M", r, -1) + " < " + s.num(0) + " THEN NULL")
		for _, ci := range infos {
			kb.WriteString(" WHEN s." + rc("V", r, ci.k) + " = s." + rc("M", r, -1) + " AND " + order(ci) + " = s." + rc("W", r, -1) + " THEN " + strconv.Itoa(ci.k))
		}
		kb.WriteString(" END")
		rs.later = append(rs.later,
			vs,
			[]string{extreme(s.greatest, ms) + " AS " + rc("M", r, -1)},
			[]string{extreme(s.least, ws) + " AS " + rc("W", r, -1)},
			[]string{kb.String() + " AS " + rc("K", r, -1)})
	}
	codes := e.Codes()
	maxR := e.MaxReasons()
	rs.final = func() []string {
		var out []string
		for i := 1; i <= maxR; i++ {
			cname, fname, ename := ReasonColumns(i)
			if i > rounds {
				out = append(out, "CAST(NULL AS "+s.text+") AS "+s.ident(cname), "CAST(NULL AS "+s.text+") AS "+s.ident(fname),
					"CAST(NULL AS "+s.double+") AS "+s.ident(ename))
				continue
			}
			var code, feat, eff strings.Builder
			for _, b := range []*strings.Builder{&code, &feat, &eff} {
				b.WriteString("CASE s." + rc("K", i, -1))
			}
			for _, ci := range infos {
				when := " WHEN " + strconv.Itoa(ci.k) + " THEN "
				code.WriteString(when + s.str(codes[ci.k]))
				if ci.leadConst >= 0 {
					feat.WriteString(when + s.str(names[ci.leadConst]))
				} else {
					var b strings.Builder
					b.WriteString("CASE s." + col("L", ci.k))
					for _, j := range ci.terms {
						b.WriteString(" WHEN " + strconv.Itoa(j) + " THEN " + s.str(names[j]))
					}
					b.WriteString(" END")
					feat.WriteString(when + b.String())
				}
				t := "s." + col("T", ci.k)
				if !sign {
					t = "(-" + t + ")"
				}
				eff.WriteString(when + t)
			}
			for _, b := range []*strings.Builder{&code, &feat, &eff} {
				b.WriteString(" END")
			}
			out = append(out, code.String()+" AS "+s.ident(cname), feat.String()+" AS "+s.ident(fname), eff.String()+" AS "+s.ident(ename))
		}
		return out
	}
	return rs
}
