package explain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candorscore/candor/score"
)

// Word keys (WordMessage) used to join a counterfactual's changes into one
// sentence. Catalog.With can replace them or add them for a new language;
// a catalogue without them uses RecourseMessages.
const (
	// WordRecourseAnd joins two changes ("and").
	WordRecourseAnd = "recourse_and"
	// WordRecourseOutcome ends the sentence (", the decision would change.").
	WordRecourseOutcome = "recourse_outcome"
)

// RecourseMessages are the built-in words of CounterfactualText, in English
// and German, as catalogue messages (pass them to Catalog.With to change
// them, or copy them for a new language).
var RecourseMessages = []Message{
	{Lang: "en", Kind: WordMessage, Key: WordRecourseAnd, Text: "and"},
	{Lang: "en", Kind: WordMessage, Key: WordRecourseOutcome, Text: ", the decision would change."},
	{Lang: "de", Kind: WordMessage, Key: WordRecourseAnd, Text: "und"},
	{Lang: "de", Kind: WordMessage, Key: WordRecourseOutcome, Text: ", würde sich die Entscheidung ändern."},
}

// CounterfactualText renders a counterfactual as one sentence in lang, each
// change through the catalogue's ChangeMessage ("If your loan duration were
// 24 instead of 48 and if your savings were ..., the decision would
// change."). Features marked Sensitive in schema never show their values.
// Features not in schema are shown by name.
func CounterfactualText(c *Catalog, lang string, schema *score.Schema, cf Counterfactual) (string, error) {
	var b strings.Builder
	for i, ch := range cf.Changes {
		f, ok := schema.Lookup(ch.Feature)
		if !ok {
			f = score.Feature{Name: ch.Feature}
		}
		dir := AnyDirection
		if ch.FromVal.IsNum() && ch.ToVal.IsNum() {
			if ch.ToVal.Float() > ch.FromVal.Float() {
				dir = Higher
			} else {
				dir = Lower
			}
		}
		clause, err := c.Text(lang, ChangeMessage, Args{Feature: f, Value: ch.FromVal, From: ch.FromVal, To: ch.ToVal, Direction: dir, Effect: ch.Effect})
		if err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteByte(' ')
			b.WriteString(recourseWord(c, lang, WordRecourseAnd))
			b.WriteByte(' ')
			r, size := utf8.DecodeRuneInString(clause)
			clause = string(unicode.ToLower(r)) + clause[size:]
		}
		b.WriteString(clause)
	}
	b.WriteString(recourseWord(c, lang, WordRecourseOutcome))
	return b.String(), nil
}

// recourseWord looks key up in c, then in RecourseMessages for lang, then
// in English.
func recourseWord(c *Catalog, lang, key string) string {
	if segs, ok := c.msgs[msgKey{lang, WordMessage, key, false}]; ok {
		return literal(segs)
	}
	for _, l := range []string{lang, "en"} {
		for _, m := range RecourseMessages {
			if m.Lang == l && m.Key == key {
				return m.Text
			}
		}
	}
	return ""
}
