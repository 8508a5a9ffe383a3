package fit

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/candorscore/candor/score"
)

// MarkerLevel is a level of a categorical input that reads as a
// missing-value marker; see MarkerLevels.
type MarkerLevel struct {
	Feature string
	Marker  string // the level as written ("?")
	Rows    int    // training rows with it
	Of      int    // training rows read
}

// String is the warning, saying how to read the marker as missing or to
// declare what it means.
func (m MarkerLevel) String() string {
	how := ""
	if !strings.ContainsAny(m.Marker, "',") {
		how = fmt.Sprintf("read it as missing: CANDOR_MISSING='%s' (score.CSVOptions.Missing), so that it scores as a blank (a bin of its own, never advice), or ", m.Marker)
	}
	return fmt.Sprintf("%s: level %q on %d of %d rows has no letter or digit, as a missing-value marker does: as a level, advice "+
		"may tell a customer with it to move to a recorded value, and a missing record is nothing to act on; if it marks a missing value, "+
		"%sdeclare its meaning ({%q: {\"special\": {%q: \"not recorded\"}}} in the features file: a special value, never advised on)",
		m.Feature, m.Marker, m.Rows, m.Of, how, m.Feature, m.Marker)
}

// MarkerLevels returns, in schema order, the levels of the categorical
// inputs of s in t that hold no letter or digit ("?", "-", "."), the marks
// files use for a value not recorded (an insurance claims file writes "?"
// in three columns, trial23's follow-up), unless the feature declares the
// level as a special value. A blank cell is missing already and is not a
// level. Cells are compared trimmed of spaces, as the schema reads them.
func MarkerLevels(t *score.Table, s *score.Schema) []MarkerLevel {
	var out []MarkerLevel
	for _, f := range s.Features() {
		if f.Role != score.Input || f.Kind != score.Categorical {
			continue
		}
		j := t.Column(f.Name)
		if j < 0 {
			continue
		}
		counts := map[string]int{}
		var order []string
		n := 0
		for i := 0; i < t.Len(); i++ {
			if t.RowError(i) != nil {
				continue
			}
			n++
			c := strings.TrimSpace(t.Cell(i, j))
			if c == "" || strings.ContainsFunc(c, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
				continue
			}
			if _, special := f.Special[c]; special {
				continue
			}
			if counts[c] == 0 {
				order = append(order, c)
			}
			counts[c]++
		}
		for _, c := range order {
			out = append(out, MarkerLevel{Feature: f.Name, Marker: c, Rows: counts[c], Of: n})
		}
	}
	return out
}
