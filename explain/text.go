package explain

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/internal/words"
	"github.com/candorscore/candor/score"
)

// MessageKind names what a catalogue message says.
type MessageKind string

const (
	// ReasonMessage says that a feature counted against the outcome
	// ("Your {feature} ({value}) weighed against the result."). Keyed by
	// reason code, then feature name.
	ReasonMessage MessageKind = "reason"
	// ImproveMessage says which way a feature would have to move to help
	// ("A {direction} {feature} would improve the result.").
	ImproveMessage MessageKind = "improve"
	// ChangeMessage describes one counterfactual change
	// ("If your {feature} were {to} instead of {from}").
	ChangeMessage MessageKind = "change"
	// FeatureMessage is a feature's name for people in one language, keyed
	// by feature name ("duration_in_month" -> "Laufzeit"): the catalogue of
	// label translations. Without one, a feature is shown by its Label
	// (the features file's), its Description, or its name with underscores
	// as spaces.
	FeatureMessage MessageKind = "feature"
	// ValueMessage is a category label (or a special code's meaning) for
	// people, keyed "feature=label" ("purpose=car (new)" -> "new car") or
	// "feature=code" ("pdays=-1" -> "noch nie angerufen"). Without one the
	// label is shown, or the special code's declared meaning
	// (score.Feature.Special).
	ValueMessage MessageKind = "value"
	// UnitMessage is the unit of a numeric feature's values in one
	// language, keyed by feature name ("duration_in_month" -> "Monat|Monate");
	// without one the declared unit (score.Feature.Unit) is used. Numbers
	// are shown with their unit ("48 months"); "%" follows the number
	// without a space; "singular|plural" gives the singular for 1 ("1
	// month", "2 months"); an empty text shows no unit.
	UnitMessage MessageKind = "unit"
	// RangeMessage words a range bin, keyed RangeBelow, RangeFrom,
	// RangeBetween or RangeSpan, with the placeholders {lower}, {upper} and
	// {unit} (the unit with its leading space, or nothing): "less than
	// {upper}{unit}", "{lower}{unit} or more", "between {lower} and
	// {upper}{unit}" (whole numbers, both ends included) and "from {lower}
	// to less than {upper}{unit}". English and German are built in; a
	// language without them shows the bin's symbolic label ("[12, 24)").
	RangeMessage MessageKind = "range"
	// WordMessage holds the small words templates use, keyed by WordHigher,
	// WordLower, WordDifferent (for {direction}), WordWithheld (shown in
	// place of a sensitive feature's value) and, optionally, WordMissing
	// (shown for a missing value; "-" when absent).
	WordMessage MessageKind = "word"
)

// Keys of RangeMessage.
const (
	RangeBelow   = "below"   // (-inf, upper)
	RangeFrom    = "from"    // [lower, +inf)
	RangeBetween = "between" // [lower, upper) of a whole-valued feature, as lower..upper-1
	RangeSpan    = "span"    // [lower, upper)
	RangeEither  = "either"  // [lower, upper+1) of a whole-valued feature: two values
)

// Keys of WordMessage.
const (
	WordHigher    = "higher"
	WordLower     = "lower"
	WordDifferent = "different"
	WordWithheld  = "withheld"
	// WordOr joins the last two of Args.Levels; optional: a language
	// without it names no levels.
	WordOr      = "or"
	WordMissing = "missing"
)

// Direction says which way a feature would have to move to improve the
// outcome; it fills the {direction} placeholder.
type Direction int8

const (
	// AnyDirection: no single direction (shown as the WordDifferent word).
	AnyDirection Direction = iota
	// Higher: a larger number would help.
	Higher
	// Lower: a smaller number would help.
	Lower
)

func (d Direction) word() string {
	switch d {
	case Higher:
		return WordHigher
	case Lower:
		return WordLower
	}
	return WordDifferent
}

// Message is one catalogue entry: the Text template for a language, a kind
// and a key (a reason code or a feature name; "" is the kind's default).
// A message with Sensitive set is used only for features marked Sensitive,
// in preference to the plain message with the same key.
type Message struct {
	Lang      string      `json:"lang"`
	Kind      MessageKind `json:"kind"`
	Key       string      `json:"key,omitempty"`
	Sensitive bool        `json:"sensitive,omitempty"`
	Text      string      `json:"text"`
}

// Args are the facts a template can show. Feature decides masking: when
// Feature.Sensitive is set, {value}, {bin}, {from} and {to} are rendered as
// the language's WordWithheld word, whatever the template says.
type Args struct {
	Feature   score.Feature
	Code      string      // {code}: the reason code ("" shows the feature name)
	Value     score.Value // {value}: the customer's value
	Bin       string      // {bin}: the customer's bin or level label ("" or a missing Value shows {value})
	From, To  score.Value // {from}, {to}: a counterfactual change
	Direction Direction   // {direction}
	Effect    float64     // {effect}: in the model's score units, two decimals
	// Range is the definition of the customer's bin, when known: {bin} then
	// shows a range bin in words ("48 months or more"), a special bin by its
	// meaning, and a category, missing or other bin by the customer's value.
	// A ValueMessage keyed "feature=Bin" still wins.
	Range *score.Bin
	// Whole says the feature takes whole numbers, so that a range [12, 24)
	// reads "between 12 and 23".
	Whole bool
	// Decimals, when Whole is false and Decimals > 0, says the feature's
	// values are written with that many decimals: a range's edges are said
	// as the first such numbers at or above them (a boosted cut
	// 94.92500000000001 between 94.9 and 94.95 reads 94.93).
	Decimals int
	// AdviceWithheld is the reason's withholding code (Reason.
	// AdviceWithheld): when set, the ImproveMessage renders nothing.
	AdviceWithheld string
	// Pair, for a pair term's reason, holds its two features (Feature is
	// then the pair's, named "a × b" and labelled "A and B"); Value is the
	// first feature's value and PairValue the second's. {bin} and {value}
	// then show both values as the customer gave them, parted by "; " (a
	// level's label may hold commas): "Yes; 6", never the cell's interval
	// notation.
	Pair      *[2]score.Feature
	PairValue score.Value
	// Levels, for a categorical feature's "change" advice, are the labels
	// the customer could move to, best first (Explainer.AdviceLevels). When
	// set, the ImproveMessage is the one keyed ImproveLevelsKey, whose {to}
	// shows the first three joined by the language's WordOr ("One year or
	// Two year"), unless the reason's code or feature has an ImproveMessage
	// of its own, or the language lacks that message or word. Never used
	// for a sensitive feature.
	Levels []score.Value
}

// ImproveLevelsKey is the ImproveMessage key (Args.Code) of the advice to
// move a categorical feature to one of Args.Levels.
const ImproveLevelsKey = "levels"

// maxLevelsShown caps the labels an ImproveLevelsKey sentence names: the
// best three; each is a move that would improve the result, so naming fewer
// than all keeps the sentence true.
const maxLevelsShown = 3

// PairValueSeparator parts a pair term's two values in customer text.
const PairValueSeparator = "; "

// Placeholders a template may use. "{{" and "}}" are literal braces.
var placeholders = []string{"feature", "code", "value", "bin", "from", "to", "direction", "effect", "lower", "upper", "unit"}

type segment struct {
	lit  string
	hole string // placeholder name; "" for a literal
}

type msgKey struct {
	lang      string
	kind      MessageKind
	key       string
	sensitive bool
}

// Catalog renders explanations as text for customers. Build one with
// DefaultCatalog (English "en" and German "de") and add or replace messages
// with With. A Catalog is immutable and safe for concurrent use.
//
// Lookup for ReasonMessage, ImproveMessage and ChangeMessage tries, in
// order, the key Args.Code, the key Args.Feature.Name and the kind's
// default key "", each first as a Sensitive message when the feature is
// sensitive; so a developer can override the text of one reason code, one
// feature, or a whole kind. Every language must have a default for each of
// these kinds and the four words; With refuses a catalogue that lacks one.
//
// Templates use a tiny placeholder syntax, {name}, checked when the message
// is added (ErrTemplate); there is no logic and no escaping beyond "{{" and
// "}}". Numbers are printed in the shortest form that round-trips, with the
// language's decimal separator (a comma for "de").
type Catalog struct {
	msgs  map[msgKey][]segment
	langs []string
}

// DefaultCatalog returns the built-in catalogue in English ("en") and
// German ("de").
func DefaultCatalog() *Catalog {
	c, err := (&Catalog{msgs: map[msgKey][]segment{}}).With(builtinMessages...)
	if err != nil {
		panic("explain: built-in catalogue: " + err.Error()) // a bug in this file, caught by tests
	}
	return c
}

var builtinMessages = []Message{
	{Lang: "en", Kind: ReasonMessage, Text: "Your {feature} ({bin}) weighed against the result."},
	{Lang: "en", Kind: ReasonMessage, Sensitive: true, Text: "Your {feature} weighed against the result."},
	{Lang: "en", Kind: ImproveMessage, Text: "A {direction} value for your {feature} would improve the result."},
	{Lang: "en", Kind: ImproveMessage, Sensitive: true, Text: "A different value for your {feature} would improve the result."},
	{Lang: "en", Kind: ImproveMessage, Key: ImproveLevelsKey, Text: "Your {feature} being {to} would improve the result."},
	{Lang: "en", Kind: ChangeMessage, Text: "If your {feature} were {to} instead of {from}"},
	{Lang: "en", Kind: ChangeMessage, Sensitive: true, Text: "If your {feature} were {direction}"},
	{Lang: "en", Kind: ChangeMessage, Key: ChangeDerivedKey, Text: "so your {feature} would be {to} instead of {from}"},
	{Lang: "en", Kind: ChangeMessage, Key: ChangeDerivedKey, Sensitive: true, Text: "so your {feature} would be different"},
	{Lang: "en", Kind: WordMessage, Key: WordHigher, Text: "higher"},
	{Lang: "en", Kind: WordMessage, Key: WordLower, Text: "lower"},
	{Lang: "en", Kind: WordMessage, Key: WordDifferent, Text: "different"},
	{Lang: "en", Kind: WordMessage, Key: WordWithheld, Text: "not shown"},
	{Lang: "en", Kind: WordMessage, Key: WordMissing, Text: "not given"},
	{Lang: "en", Kind: WordMessage, Key: WordOr, Text: "or"},
	{Lang: "en", Kind: RangeMessage, Key: RangeBelow, Text: "less than {upper}{unit}"},
	{Lang: "en", Kind: RangeMessage, Key: RangeFrom, Text: "{lower}{unit} or more"},
	{Lang: "en", Kind: RangeMessage, Key: RangeBetween, Text: "between {lower} and {upper}{unit}"},
	{Lang: "en", Kind: RangeMessage, Key: RangeSpan, Text: "from {lower} to less than {upper}{unit}"},
	{Lang: "en", Kind: RangeMessage, Key: RangeEither, Text: "{lower} or {upper}{unit}"},

	{Lang: "de", Kind: ReasonMessage, Text: "Ihr Merkmal „{feature}“ ({bin}) wirkte sich nachteilig auf das Ergebnis aus."},
	{Lang: "de", Kind: ReasonMessage, Sensitive: true, Text: "Ihr Merkmal „{feature}“ wirkte sich nachteilig auf das Ergebnis aus."},
	{Lang: "de", Kind: ImproveMessage, Text: "Ein {direction} Wert bei „{feature}“ würde das Ergebnis verbessern."},
	{Lang: "de", Kind: ImproveMessage, Sensitive: true, Text: "Ein anderer Wert bei „{feature}“ würde das Ergebnis verbessern."},
	{Lang: "de", Kind: ImproveMessage, Key: ImproveLevelsKey, Text: "Ein Wert wie {to} bei „{feature}“ würde das Ergebnis verbessern."},
	{Lang: "de", Kind: ChangeMessage, Text: "Wenn Ihr Merkmal „{feature}“ {to} statt {from} wäre"},
	{Lang: "de", Kind: ChangeMessage, Sensitive: true, Text: "Wenn Ihr Merkmal „{feature}“ anders wäre"},
	{Lang: "de", Kind: ChangeMessage, Key: ChangeDerivedKey, Text: "also wäre Ihr Merkmal „{feature}“ {to} statt {from}"},
	{Lang: "de", Kind: ChangeMessage, Key: ChangeDerivedKey, Sensitive: true, Text: "also wäre Ihr Merkmal „{feature}“ anders"},
	{Lang: "de", Kind: WordMessage, Key: WordHigher, Text: "höherer"},
	{Lang: "de", Kind: WordMessage, Key: WordLower, Text: "niedrigerer"},
	{Lang: "de", Kind: WordMessage, Key: WordDifferent, Text: "anderer"},
	{Lang: "de", Kind: WordMessage, Key: WordWithheld, Text: "nicht angezeigt"},
	{Lang: "de", Kind: WordMessage, Key: WordMissing, Text: "keine Angabe"},
	{Lang: "de", Kind: WordMessage, Key: WordOr, Text: "oder"},
	{Lang: "de", Kind: RangeMessage, Key: RangeBelow, Text: "weniger als {upper}{unit}"},
	{Lang: "de", Kind: RangeMessage, Key: RangeFrom, Text: "{lower}{unit} oder mehr"},
	{Lang: "de", Kind: RangeMessage, Key: RangeBetween, Text: "zwischen {lower} und {upper}{unit}"},
	{Lang: "de", Kind: RangeMessage, Key: RangeSpan, Text: "von {lower} bis unter {upper}{unit}"},
	{Lang: "de", Kind: RangeMessage, Key: RangeEither, Text: "{lower} oder {upper}{unit}"},
}

// With returns a new catalogue with msgs added; a message with the same
// language, kind, key and Sensitive flag replaces the old one. A new
// language must bring a default for every sentence kind and every word.
func (c *Catalog) With(msgs ...Message) (*Catalog, error) {
	n := &Catalog{msgs: make(map[msgKey][]segment, len(c.msgs)+len(msgs)), langs: slices.Clone(c.langs)}
	for k, v := range c.msgs {
		n.msgs[k] = v
	}
	for i, m := range msgs {
		switch m.Kind {
		case ReasonMessage, ImproveMessage, ChangeMessage, FeatureMessage, ValueMessage, WordMessage, UnitMessage, RangeMessage:
		default:
			return nil, fmt.Errorf("%w: message %d has kind %q", ErrTemplate, i, m.Kind)
		}
		if m.Lang == "" {
			return nil, fmt.Errorf("%w: message %d (%s %q) has no language", ErrTemplate, i, m.Kind, m.Key)
		}
		segs, err := parseTemplate(m.Text)
		if err != nil {
			return nil, fmt.Errorf("%w: message %d (%s %s %q): %v", ErrTemplate, i, m.Lang, m.Kind, m.Key, err)
		}
		if (m.Kind == WordMessage || m.Kind == FeatureMessage || m.Kind == ValueMessage || m.Kind == UnitMessage) && hasHole(segs) {
			return nil, fmt.Errorf("%w: message %d (%s %s %q): %s messages take no placeholders", ErrTemplate, i, m.Lang, m.Kind, m.Key, m.Kind)
		}
		n.msgs[msgKey{m.Lang, m.Kind, m.Key, m.Sensitive}] = segs
		if !slices.Contains(n.langs, m.Lang) {
			n.langs = append(n.langs, m.Lang)
		}
	}
	slices.Sort(n.langs)
	for _, lang := range n.langs {
		for _, k := range []MessageKind{ReasonMessage, ImproveMessage, ChangeMessage} {
			if _, ok := n.msgs[msgKey{lang, k, "", false}]; !ok {
				return nil, fmt.Errorf("%w: language %q has no default %s message", ErrTemplate, lang, k)
			}
		}
		for _, w := range []string{WordHigher, WordLower, WordDifferent, WordWithheld} {
			if _, ok := n.msgs[msgKey{lang, WordMessage, w, false}]; !ok {
				return nil, fmt.Errorf("%w: language %q has no word %q", ErrTemplate, lang, w)
			}
		}
	}
	return n, nil
}

// Languages lists the catalogue's languages, sorted.
func (c *Catalog) Languages() []string { return slices.Clone(c.langs) }

// HasLanguage reports whether the catalogue speaks lang.
func (c *Catalog) HasLanguage(lang string) bool { return slices.Contains(c.langs, lang) }

// Text renders the message of the given kind for a, in lang. Kinds are
// ReasonMessage, ImproveMessage and ChangeMessage; FeatureMessage returns
// the feature's display name. Unknown languages are ErrUnknownLanguage.
func (c *Catalog) Text(lang string, kind MessageKind, a Args) (string, error) {
	b, err := c.AppendText(nil, lang, kind, a)
	return string(b), err
}

// AppendText is Text appending to dst.
func (c *Catalog) AppendText(dst []byte, lang string, kind MessageKind, a Args) ([]byte, error) {
	if !c.HasLanguage(lang) {
		return dst, fmt.Errorf("%w: %q (have %s)", ErrUnknownLanguage, lang, strings.Join(c.langs, ", "))
	}
	switch kind {
	case FeatureMessage:
		return append(dst, c.FeatureName(lang, a.Feature)...), nil
	case ReasonMessage, ImproveMessage, ChangeMessage:
	default:
		return dst, fmt.Errorf("%w: cannot render kind %q", ErrTemplate, kind)
	}
	if kind == ImproveMessage && a.AdviceWithheld != "" {
		return dst, nil // no advice to give
	}
	segs := c.lookup(lang, kind, a.Code, a.Feature)
	if kind == ImproveMessage {
		if ls, ok := c.levelsMessage(lang, a); ok {
			segs = ls
		} else {
			a.Levels = nil
		}
	}
	for _, s := range segs {
		if s.hole == "" {
			dst = append(dst, s.lit...)
			continue
		}
		if s.hole == "feature" && english(lang) {
			dst = c.appendOwnDeterminer(dst, lang, a.Feature)
			continue
		}
		dst = c.appendHole(dst, lang, s.hole, a)
	}
	return dst, nil
}

// levelsMessage is the ImproveLevelsKey message for a, when a has Levels,
// its feature is not sensitive, the language has the message and WordOr,
// and neither a.Code nor the feature has an ImproveMessage of its own.
func (c *Catalog) levelsMessage(lang string, a Args) ([]segment, bool) {
	if len(a.Levels) == 0 || a.Feature.Sensitive {
		return nil, false
	}
	for _, key := range [...]string{a.Code, a.Feature.Name} {
		if _, own := c.msgs[msgKey{lang, ImproveMessage, key, false}]; own && key != "" {
			return nil, false
		}
	}
	segs, ok := c.msgs[msgKey{lang, ImproveMessage, ImproveLevelsKey, false}]
	if _, or := c.msgs[msgKey{lang, WordMessage, WordOr, false}]; !ok || !or {
		return nil, false
	}
	return segs, true
}

// appendLevels appends the first maxLevelsShown of a.Levels, the last two
// joined by the language's WordOr and the others by ", ".
func (c *Catalog) appendLevels(dst []byte, lang string, a Args) []byte {
	ls := a.Levels[:min(len(a.Levels), maxLevelsShown)]
	for i, l := range ls {
		switch {
		case i == 0:
		case i == len(ls)-1:
			dst = append(dst, ' ')
			dst = append(dst, c.word(lang, WordOr)...)
			dst = append(dst, ' ')
		default:
			dst = append(dst, ", "...)
		}
		dst = c.appendValue(dst, lang, a.Feature, l)
	}
	return dst
}

// english: lang is English ("en", "en-GB").
func english(lang string) bool {
	return lang == "en" || strings.HasPrefix(lang, "en-") || strings.HasPrefix(lang, "en_")
}

// determiners are the words an English label may begin with that make a
// template's "your" before {feature} redundant: "your yearly income", "the
// interest rate offered", "a default on file".
var determiners = [...]string{"your ", "the ", "a ", "an ", "my ", "our ", "their ", "this ", "any "}

// appendOwnDeterminer appends f's name for an English template's {feature}.
// A label that begins with its own determiner ("your yearly income", "the
// interest rate offered") replaces the "your " that the template put just
// before it ("Your {feature} ..." reads "Your yearly income ...", "The
// interest rate offered ..."; "... for your {feature}" reads "... for the
// interest rate offered"), keeping the capital of whichever word starts the
// sentence. Any other name follows the template's words unchanged.
func (c *Catalog) appendOwnDeterminer(dst []byte, lang string, f score.Feature) []byte {
	name := c.FeatureName(lang, f)
	own := false
	for _, d := range determiners {
		if len(name) > len(d) && strings.EqualFold(name[:len(d)], d) {
			own = true
			break
		}
	}
	const your = "your "
	n := len(dst) - len(your)
	if !own || n < 0 || (string(dst[n:]) != your && string(dst[n:]) != "Your ") || (n > 0 && dst[n-1] != ' ') {
		return append(dst, name...)
	}
	upper := dst[n] == 'Y'
	dst = dst[:n]
	first := name[0]
	switch {
	case upper && 'a' <= first && first <= 'z':
		first -= 'a' - 'A'
	case !upper && 'A' <= first && first <= 'Z':
		first += 'a' - 'A'
	}
	return append(append(dst, first), name[1:]...)
}

func (c *Catalog) lookup(lang string, kind MessageKind, code string, f score.Feature) []segment {
	for i, key := range [...]string{code, f.Name, ""} {
		if key == "" && i < 2 {
			continue // an empty code or name is not the kind's default
		}
		if f.Sensitive {
			if s, ok := c.msgs[msgKey{lang, kind, key, true}]; ok {
				return s
			}
		}
		if s, ok := c.msgs[msgKey{lang, kind, key, false}]; ok {
			return s
		}
	}
	return c.msgs[msgKey{lang, kind, "", false}] // present by construction
}

// FeatureName is the feature's name for people in lang: its FeatureMessage
// (the catalogue's translation), else its Label (the features file's),
// else its Description, else its name as words (nameWords: underscores
// and camel case split, less a leading word that names the customer, as
// person_home_ownership reads "home ownership": the text already
// addresses them as "your").
func (c *Catalog) FeatureName(lang string, f score.Feature) string {
	if s, ok := c.msgs[msgKey{lang, FeatureMessage, f.Name, false}]; ok {
		return literal(s)
	}
	if f.Label != "" {
		return f.Label
	}
	if f.Description != "" {
		return f.Description
	}
	return nameWords(f.Name)
}

// nameWords is a column name as words (words.Split: an underscore is a
// space; a capital after a small letter starts a word, ApplicantIncome, and
// so does a digit after a small letter and a capital after a digit,
// Times90DaysLate); less a leading word that names the customer (person,
// customer, client, applicant, borrower) when something follows it. A word
// of one capital and small letters is written small (every message puts
// the name mid-sentence: "Your monthly charges"); acronyms, words in
// capitals and words with digits stay as written (ID, BALANCE, Q4).
func nameWords(name string) string {
	w := words.Split(name)
	if len(w) > 1 {
		switch strings.ToLower(w[0]) {
		case "person", "customer", "client", "applicant", "borrower":
			w = w[1:]
		}
	}
	for k, word := range w {
		if len(word) > 1 && 'A' <= word[0] && word[0] <= 'Z' && strings.IndexFunc(word[1:], func(r rune) bool { return r < 'a' || r > 'z' }) < 0 {
			w[k] = strings.ToLower(word)
		}
	}
	return strings.Join(w, " ")
}

// ValueText is how v of feature f is shown in lang: the WordWithheld word
// for a sensitive feature; a category label through its ValueMessage, else
// its declared special meaning, else as it is; a special code through its
// ValueMessage ("feature=code"), else its declared meaning; any other
// number in the shortest form with the language's decimal separator and
// the feature's unit (UnitMessage, else score.Feature.Unit); a missing
// value as the WordMissing word (or "-").
func (c *Catalog) ValueText(lang string, f score.Feature, v score.Value) string {
	return string(c.appendValue(nil, lang, f, v))
}

func (c *Catalog) appendValue(dst []byte, lang string, f score.Feature, v score.Value) []byte {
	if f.Sensitive {
		return append(dst, c.word(lang, WordWithheld)...)
	}
	switch {
	case v.IsCat():
		if s, ok := c.msgs[msgKey{lang, ValueMessage, f.Name + "=" + v.Label(), false}]; ok {
			return append(dst, literal(s)...)
		}
		if meaning, ok := f.Special[v.Label()]; ok && meaning != "" {
			return append(dst, meaning...)
		}
		return append(dst, v.Label()...)
	case v.IsNum():
		if meaning, ok := f.SpecialMeaning(v.Float()); ok {
			if s, ok := c.msgs[msgKey{lang, ValueMessage, f.Name + "=" + strconv.FormatFloat(v.Float(), 'f', -1, 64), false}]; ok {
				return append(dst, literal(s)...)
			}
			if meaning != "" {
				return append(dst, meaning...)
			}
		}
		dst = appendNumber(dst, lang, v.Float(), -1)
		return c.appendUnit(dst, lang, f, v.Float())
	}
	if w, ok := c.msgs[msgKey{lang, WordMessage, WordMissing, false}]; ok {
		return append(dst, literal(w)...)
	}
	return append(dst, '-')
}

func (c *Catalog) word(lang, key string) string {
	return literal(c.msgs[msgKey{lang, WordMessage, key, false}])
}

func (c *Catalog) appendHole(dst []byte, lang, hole string, a Args) []byte {
	switch hole {
	case "feature":
		return append(dst, c.FeatureName(lang, a.Feature)...)
	case "code":
		if a.Code == "" {
			return append(dst, a.Feature.Name...)
		}
		return append(dst, a.Code...)
	case "value":
		if a.Pair != nil {
			return c.appendPairValues(dst, lang, a)
		}
		return c.appendValue(dst, lang, a.Feature, a.Value)
	case "bin":
		if a.Pair != nil && !a.Feature.Sensitive {
			if a.Bin != "" {
				if s, ok := c.msgs[msgKey{lang, ValueMessage, a.Feature.Name + "=" + a.Bin, false}]; ok {
					return append(dst, literal(s)...)
				}
			}
			return c.appendPairValues(dst, lang, a)
		}
		if a.Feature.Sensitive || a.Value.IsMissing() || (a.Bin == "" && a.Range == nil) {
			return c.appendValue(dst, lang, a.Feature, a.Value)
		}
		if a.Bin != "" {
			if s, ok := c.msgs[msgKey{lang, ValueMessage, a.Feature.Name + "=" + a.Bin, false}]; ok {
				return append(dst, literal(s)...)
			}
		}
		if a.Range == nil {
			return append(dst, a.Bin...)
		}
		if a.Range.Kind == score.RangeBin {
			if a.Range.Label != "" && !symbolicLabel(a.Range.Label) {
				return append(dst, a.Range.Label...) // the model's own words for the bin
			}
			dec := -1
			switch {
			case a.Whole:
				dec = 0
			case a.Decimals > 0:
				dec = a.Decimals
			}
			if dec >= 0 && a.Value.IsNum() {
				dec = max(dec, decimals(a.Value.Float())) // the words must hold the customer's value
			}
			return c.appendRange(dst, lang, a.Feature, *a.Range, dec)
		}
		return c.appendValue(dst, lang, a.Feature, a.Value)
	case "from":
		return c.appendValue(dst, lang, a.Feature, a.From)
	case "to":
		if len(a.Levels) > 0 {
			return c.appendLevels(dst, lang, a)
		}
		return c.appendValue(dst, lang, a.Feature, a.To)
	case "direction":
		return append(dst, c.word(lang, a.Direction.word())...)
	case "effect":
		return appendNumber(dst, lang, a.Effect, 2)
	case "unit":
		return c.appendUnit(dst, lang, a.Feature, a.Value.Float())
	}
	return dst
}

// appendPairValues appends a pair term's two values, each as ValueText
// shows it (a sensitive feature's as the withheld word).
func (c *Catalog) appendPairValues(dst []byte, lang string, a Args) []byte {
	dst = c.appendValue(dst, lang, a.Pair[0], a.Value)
	dst = append(dst, PairValueSeparator...)
	return c.appendValue(dst, lang, a.Pair[1], a.PairValue)
}

// appendUnit appends the feature's unit in lang for the number x, with a
// space before it (none before "%"), or nothing. A unit written
// "singular|plural" ("month|months", "Monat|Monate") takes its singular
// form for exactly 1.
func (c *Catalog) appendUnit(dst []byte, lang string, f score.Feature, x float64) []byte {
	u := f.Unit
	if s, ok := c.msgs[msgKey{lang, UnitMessage, f.Name, false}]; ok {
		u = literal(s)
	}
	if one, many, ok := strings.Cut(u, "|"); ok {
		u = many
		if x == 1 {
			u = one
		}
	}
	if u == "" {
		return dst
	}
	if u != "%" {
		dst = append(dst, ' ')
	}
	return append(dst, u...)
}

// RangeText words a range bin of feature f in lang ("48 months or more",
// "between 12 and 23 months"); whole says the feature takes whole numbers.
// A bin of another kind, or a language without RangeMessages, gives the
// bin's symbolic label (BinLabel).
func (c *Catalog) RangeText(lang string, f score.Feature, b score.Bin, whole bool) string {
	dec := -1
	if whole {
		dec = 0
	}
	return string(c.appendRange(nil, lang, f, b, dec))
}

// appendRange words range bin b; dec >= 0 says the values are written with
// dec decimals (at most 6: decimals), so that each edge is said as the
// first such value at or above it (the same cut for every such value), a
// whole-valued span as its first and last values, and a span holding one
// such value as that value.
func (c *Catalog) appendRange(dst []byte, lang string, f score.Feature, b score.Bin, dec int) []byte {
	if b.Kind != score.RangeBin || (b.Lower == nil && b.Upper == nil) {
		return append(dst, BinLabel(b)...)
	}
	whole := dec == 0
	grid := dec > 0 && dec < 6
	snap := func(x float64) float64 {
		if !grid {
			return x
		}
		return ceilDecimals(x, dec)
	}
	key := RangeSpan
	var lo, hi float64
	switch {
	case b.Lower == nil:
		key, hi = RangeBelow, snap(*b.Upper)
	case b.Upper == nil:
		key, lo = RangeFrom, snap(*b.Lower)
		if whole {
			lo = math.Ceil(lo)
		}
	default:
		lo, hi = snap(*b.Lower), snap(*b.Upper)
		if p := math.Pow(10, float64(dec)); grid && math.Round(hi*p)-math.Round(lo*p) == 1 {
			// One value of dec decimals in the span: say it.
			dst = appendNumber(dst, lang, lo, -1)
			return c.appendUnit(dst, lang, f, lo)
		}
		if whole {
			l, h := math.Ceil(lo), math.Ceil(hi)-1
			switch {
			case l == h:
				dst = appendNumber(dst, lang, l, -1)
				return c.appendUnit(dst, lang, f, l)
			case l+1 == h:
				key, lo, hi = RangeEither, l, h
				if _, ok := c.msgs[msgKey{lang, RangeMessage, key, false}]; !ok {
					key = RangeBetween // a catalogue language without the word
				}
			case l < h:
				key, lo, hi = RangeBetween, l, h
			}
		}
	}
	segs, ok := c.msgs[msgKey{lang, RangeMessage, key, false}]
	if !ok || lo != tidy(lo) || hi != tidy(hi) {
		// No words in this language, or an edge such as the float just
		// above 18 (a left-open PMML interval) that words would round.
		return append(dst, BinLabel(b)...)
	}
	for _, s := range segs {
		switch s.hole {
		case "":
			dst = append(dst, s.lit...)
		case "lower":
			dst = appendNumber(dst, lang, lo, -1)
		case "upper":
			dst = appendNumber(dst, lang, hi, -1)
		case "unit":
			x := hi
			if key == RangeFrom {
				x = lo
			}
			dst = c.appendUnit(dst, lang, f, x)
		}
	}
	return dst
}

// symbolicLabel reports whether a bin label is the generated notation
// ("[25, 40)", "< 25", ">= 40", as BinLabel and fit write them) rather
// than a model's own words ("19 to 29"), which are shown as they are.
func symbolicLabel(l string) bool {
	return strings.HasPrefix(l, "[") && strings.HasSuffix(l, ")") ||
		strings.HasPrefix(l, "< ") || strings.HasPrefix(l, ">= ") || strings.HasPrefix(l, "= ")
}

// tidy rounds x to 12 significant digits (an edge stored as the float
// just above 18, from a left-open PMML interval, becomes 18).
func tidy(x float64) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	y, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	if err != nil {
		return x
	}
	return y
}

// appendNumber formats x with prec decimals (-1: shortest round-trip, no
// exponent) and the decimal separator of lang.
func appendNumber(dst []byte, lang string, x float64, prec int) []byte {
	start := len(dst)
	dst = strconv.AppendFloat(dst, x, 'f', prec, 64)
	if lang == "de" || lang == "fr" {
		for i := start; i < len(dst); i++ {
			if dst[i] == '.' {
				dst[i] = ','
			}
		}
	}
	return dst
}

func literal(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.lit)
	}
	return b.String()
}

func hasHole(segs []segment) bool {
	for _, s := range segs {
		if s.hole != "" {
			return true
		}
	}
	return false
}

// parseTemplate splits a template into literals and {placeholders}.
func parseTemplate(t string) ([]segment, error) {
	var segs []segment
	var lit strings.Builder
	for i := 0; i < len(t); i++ {
		switch ch := t[i]; {
		case ch == '{' && i+1 < len(t) && t[i+1] == '{':
			lit.WriteByte('{')
			i++
		case ch == '}' && i+1 < len(t) && t[i+1] == '}':
			lit.WriteByte('}')
			i++
		case ch == '{':
			end := strings.IndexByte(t[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("unclosed { at byte %d", i)
			}
			name := t[i+1 : i+end]
			if !slices.Contains(placeholders, name) {
				return nil, fmt.Errorf("unknown placeholder {%s} (known: %s)", name, strings.Join(placeholders, ", "))
			}
			if lit.Len() > 0 {
				segs = append(segs, segment{lit: lit.String()})
				lit.Reset()
			}
			segs = append(segs, segment{hole: name})
			i += end
		case ch == '}':
			return nil, fmt.Errorf("stray } at byte %d (write }} for a brace)", i)
		default:
			lit.WriteByte(ch)
		}
	}
	if lit.Len() > 0 {
		segs = append(segs, segment{lit: lit.String()})
	}
	return segs, nil
}

// ReadMessages decodes a JSON array of Messages (the format a developer
// keeps overrides in), for Catalog.With.
func ReadMessages(r io.Reader) ([]Message, error) {
	var msgs []Message
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&msgs); err != nil {
		return nil, fmt.Errorf("%w: messages: %v", ErrTemplate, err)
	}
	return msgs, nil
}
