package fit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/candorscore/candor/score"
)

// TargetNamed is an input whose name holds the words of the target's name
// (see TargetNamedInputs).
type TargetNamed struct {
	Feature, Target string
	Words           []string // the target's words found in the name
}

// String is the warning, with the way out.
func (n TargetNamed) String() string {
	return fmt.Sprintf("%s: its name holds the target's %s (%q), as a column recorded with the outcome often does (another model's score of it, "+
		"its reason, a copy); if it is, leave it out (--exclude %s, or {\"role\": \"ignored\"}); if it is a customer attribute known before the outcome, "+
		"declare {\"role\": \"input\"}", n.Feature, wordOrWords(len(n.Words)), strings.Join(n.Words, " "), shellWord(n.Feature))
}

func wordOrWords(n int) string {
	if n == 1 {
		return "word"
	}
	return "words"
}

// targetGenericWords are words of a target's name that name no outcome
// (a "Churn Label", an "Attrition_Flag", a "Status"): they are not looked
// for in the inputs' names.
var targetGenericWords = map[string]bool{"label": true, "flag": true, "value": true, "status": true, "target": true,
	"class": true, "outcome": true, "result": true, "y": true, "is": true, "has": true, "the": true, "of": true, "yes": true, "no": true}

// TargetNamedInputs returns the inputs of s whose name holds every word of
// the target's name but the generic ones (targetGenericWords; words as
// ProtectedLookalikes splits them), in schema order, unless d declares the
// feature's role. A public telecom churn file with target "Churn Label"
// ships "Churn Score" (another model's prediction, kept by the scorecard
// at a training AUC of 0.97), "Churn Value" and "Churn Reason"; a card-churn
// file with target "Attrition_Flag" ships two naive-Bayes scores named
// after it. A target with no word but generic ones (y, Status) names none.
func TargetNamedInputs(s *score.Schema, d *score.Declarations, target string) []TargetNamed {
	var core []string
	for _, w := range nameWords(target) {
		if !targetGenericWords[w] && !slices.Contains(core, w) {
			core = append(core, w)
		}
	}
	if len(core) == 0 {
		return nil
	}
	var out []TargetNamed
	for _, f := range s.Features() {
		if f.Role != score.Input || f.Name == target {
			continue
		}
		if roleDeclared(d, f.Name) {
			continue
		}
		ws := nameWords(f.Name)
		all := true
		for _, w := range core {
			all = all && slices.Contains(ws, w)
		}
		if all {
			out = append(out, TargetNamed{Feature: f.Name, Target: target, Words: core})
		}
	}
	return out
}
