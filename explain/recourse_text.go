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

// ChangeDerivedKey is the ChangeMessage key (Args.Code) of the change of a
// derived input (Change.Derived), shown in parentheses after the change of
// its source ("(so the loan as a share of your income would be 0.44
// instead of 0.59)"). English and German are built in; a catalogue
// language without it uses its default ChangeMessage.
const ChangeDerivedKey = "derived"

// CounterfactualText renders a counterfactual as one sentence in lang, each
// change through the catalogue's ChangeMessage ("If your loan duration were
// 24 instead of 48 and if your savings were ..., the decision would
// change."). The change of a derived input follows, in parentheses, the
// last change of its sources (ChangeDerivedKey: "If your yearly income
// were 80000 dollars instead of 59000 dollars (so the loan as a share of
// your income would be 0.44 instead of 0.59), the decision would
// change."). Features marked Sensitive in schema never show their values.
// Features not in schema are shown by name.
func CounterfactualText(c *Catalog, lang string, schema *score.Schema, cf Counterfactual) (string, error) {
	type clause struct {
		feature, text string
		follow        []string
	}
	var clauses []clause
	var derived []clause
	for _, ch := range cf.Changes {
		f, ok := schema.Lookup(ch.Feature)
		if !ok {
			f = score.Feature{Name: ch.Feature}
		}
		dir := ch.Direction // a withheld change's
		if ch.FromVal.IsNum() && ch.ToVal.IsNum() {
			if ch.ToVal.Float() > ch.FromVal.Float() {
				dir = Higher
			} else {
				dir = Lower
			}
		}
		a := Args{Feature: f, Value: ch.FromVal, From: ch.FromVal, To: ch.ToVal, Direction: dir, Effect: ch.Effect}
		if ch.Derived {
			a.Code = ChangeDerivedKey
		}
		text, err := c.Text(lang, ChangeMessage, a)
		if err != nil {
			return "", err
		}
		if ch.Derived {
			derived = append(derived, clause{feature: ch.Feature, text: text})
		} else {
			clauses = append(clauses, clause{feature: ch.Feature, text: text})
		}
	}
	// Each derived change after the last change of one of its sources (the
	// last clause when none is listed).
	for _, d := range derived {
		at := len(clauses) - 1
		if f, ok := schema.Lookup(d.feature); ok {
			if fm, ok := f.DerivedFrom(); ok {
				for i, cl := range clauses {
					if cl.feature == fm.Left || cl.feature == fm.Right {
						at = i
					}
				}
			}
		}
		if at < 0 {
			clauses = append(clauses, clause{})
			at = 0
		}
		clauses[at].follow = append(clauses[at].follow, d.text)
	}
	var b strings.Builder
	for i, cl := range clauses {
		text := cl.text
		if i > 0 {
			b.WriteByte(' ')
			b.WriteString(recourseWord(c, lang, WordRecourseAnd))
			b.WriteByte(' ')
			r, size := utf8.DecodeRuneInString(text)
			text = string(unicode.ToLower(r)) + text[size:]
		}
		b.WriteString(text)
		for _, f := range cl.follow {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteByte('(')
			b.WriteString(f)
			b.WriteByte(')')
		}
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
