package fit

import (
	"fmt"

	"github.com/candorscore/candor/score"
)

// CodeLookalike is a numeric input whose name says it holds codes; see
// CodeLookalikes.
type CodeLookalike struct {
	Feature string
	Word    string // the word of the name that matched ("code")
}

// String is the warning, saying how to declare the feature either way.
func (c CodeLookalike) String() string {
	return fmt.Sprintf("%s: its name reads as a code (%q), but its values are read as numbers, so a scorecard bins "+
		"ranges of them and a logistic model gives them a slope, joining codes by their number, not by what they name; "+
		"if they are codes, declare {%q: {\"kind\": \"categorical\"}} in the features file (with --max-levels above "+
		"their count if they are many); if they are quantities, declare {\"kind\": \"numeric\"}",
		c.Feature, c.Word, c.Feature)
}

// codeWords are the words of a column name that say its values are codes
// (labels written as digits): a region or product code, a zip or postal
// code. Words that can also count or measure ("number", "id", "channel",
// "type") are left out; identifiers have a warning of their own
// (IdentifierInputs).
var codeWords = map[string]bool{"code": true, "codes": true, "zip": true, "zipcode": true, "postcode": true, "postal": true}

// CodeLookalikes returns the numeric inputs of s whose name has a word of
// codeWords, in schema order, unless d declares the feature's kind. The
// kind of a column is inferred from its cells (digits are a number), and a
// code written in digits (Region_Code 28.0, a zip code) is then binned as
// ranges of codes; nothing in the cells tells a code from a quantity, but
// its name does.
func CodeLookalikes(s *score.Schema, d *score.Declarations) []CodeLookalike {
	var out []CodeLookalike
	for _, f := range s.Features() {
		if f.Role != score.Input || f.Kind != score.Numeric {
			continue
		}
		if d != nil {
			if fd, ok := d.Features[f.Name]; ok && fd.Kind != nil {
				continue
			}
		}
		for _, w := range nameWords(f.Name) {
			if codeWords[w] {
				out = append(out, CodeLookalike{Feature: f.Name, Word: w})
				break
			}
		}
	}
	return out
}
