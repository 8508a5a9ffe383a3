package fit

import (
	"fmt"
	"math"

	"github.com/candorscore/candor/score"
)

// IdentifierMinRows is the fewest values a numeric input must have before
// IdentifierInputs calls it an identifier: the same 20 rows as the
// categorical identifier refusal (checkLevels).
const IdentifierMinRows = 20

// Identifier is a numeric input that looks like a row or customer number;
// see IdentifierInputs.
type Identifier struct {
	Feature string
	Values  int // its non-blank cells, all distinct whole numbers
}

// String is the warning for an identifier, saying how to leave it out.
func (id Identifier) String() string {
	return fmt.Sprintf("%s: every value is a distinct whole number (%d of them: a row or customer number?): as an input it fits noise; "+
		"leave it out (--exclude %s, or {\"role\": \"ignored\"})", id.Feature, id.Values, shellWord(id.Feature))
}

// IdentifierInputs returns the numeric inputs of s that look like
// identifiers (a row number, a customer number): at least
// IdentifierMinRows non-blank cells, every one a whole number and no two
// alike. A count or an amount repeats its values over that many rows, and
// a measured quantity is not whole; a number that is unique to each row
// says which row it is, not anything about it, so as an input it fits
// noise. The categorical equivalent is refused by the fits (nearly all
// distinct labels); a numeric one is only named, since a whole-number
// quantity can be distinct on a small file. In schema order.
func IdentifierInputs(t *score.Table, s *score.Schema) []Identifier {
	var out []Identifier
	for _, f := range s.Features() {
		j := t.Column(f.Name)
		if f.Role != score.Input || f.Kind != score.Numeric || j < 0 {
			continue
		}
		seen := map[float64]struct{}{}
		ok := true
		for r := 0; r < t.Len() && ok; r++ {
			c := t.Cell(r, j)
			if c == "" {
				continue
			}
			x, err := score.ParseNumber(c)
			if _, dup := seen[x]; err != nil || dup || x != math.Trunc(x) {
				ok = false
			}
			seen[x] = struct{}{}
		}
		if ok && len(seen) >= IdentifierMinRows {
			out = append(out, Identifier{Feature: f.Name, Values: len(seen)})
		}
	}
	return out
}
