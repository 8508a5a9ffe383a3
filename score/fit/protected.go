package fit

import (
	"fmt"
	"strings"

	"github.com/candorscore/candor/internal/words"
	"github.com/candorscore/candor/score"
)

// ProtectedLookalike is a model input whose name reads as a protected
// attribute; see ProtectedLookalikes.
type ProtectedLookalike struct {
	Feature string
	Word    string // the word or words of the name that matched ("marital")
	Basis   string // the protected ground they name ("marital status")
}

// String is the warning, saying how to declare the feature either way.
func (p ProtectedLookalike) String() string {
	reads := p.Basis
	if p.Word != p.Basis {
		reads += fmt.Sprintf(" (%q)", p.Word)
	}
	return fmt.Sprintf("%s: its name reads as %s, a ground protected by anti-discrimination or data protection law, "+
		"and the model scores customers by it; if it is one, declare it protected (--protected %s, or {\"role\": \"protected\"}: "+
		"audits only, never an input); to keep it as an input, declare {\"role\": \"input\"} in the features file",
		p.Feature, reads, shellWord(p.Feature))
}

// protectedWords maps a word of a column name (lowercased), or two
// consecutive words, to the protected ground it names. The grounds are
// those of the US Equal Credit Opportunity Act (15 U.S.C. 1691(a): race,
// color, religion, national origin, sex, marital status, age), of Article
// 21 of the EU Charter of Fundamental Rights (adding ethnic origin,
// genetic features, political opinion, disability, sexual orientation) and
// the special categories of GDPR Article 9 (adding health, trade union
// membership, biometric data; data concerning health includes a disease,
// a diagnosis, smoking and the body mass index). Only words that name the ground itself are
// listed: "color", "union", "partner" or "health", "medical" or "chronic"
// alone name other things in customer files too often (a product's colour,
// a union of sets, a business partner, a health or medical plan, a chronic
// late payer), so they need a second word.
var protectedWords = map[string]string{
	"age": "age", "birth": "age (date of birth)", "birthdate": "age (date of birth)", "birthday": "age (date of birth)",
	"dob": "age (date of birth)", "senior citizen": "age",
	"sex": "sex", "gender": "sex", "male": "sex", "female": "sex",
	"marital": "marital status", "married": "marital status", "marriage": "marital status", "spouse": "marital status",
	"race": "race or ethnic origin", "racial": "race or ethnic origin", "ethnic": "race or ethnic origin",
	"ethnicity": "race or ethnic origin", "skin color": "race or ethnic origin", "skin colour": "race or ethnic origin",
	"religion": "religion", "religious": "religion",
	"nationality": "national origin", "citizenship": "national origin", "foreign": "national origin",
	"native": "national origin", "immigrant": "national origin", "national origin": "national origin",
	"disability": "disability", "disabled": "disability", "handicap": "disability",
	"pregnant": "sex (pregnancy)", "pregnancy": "sex (pregnancy)",
	"sexual":    "sexual orientation",
	"political": "political opinion", "trade union": "trade union membership",
	"genetic": "genetic features", "biometric": "biometric data",
	"health condition": "health", "health status": "health", "medical condition": "health",
	"medical history": "health", "mental health": "health",
	"disease": "health", "diseases": "health", "illness": "health", "illnesses": "health",
	"diagnosis": "health", "diagnosed": "health", "diabetes": "health", "diabetic": "health",
	"smoker": "health (smoking)", "smoking": "health (smoking)", "bmi": "health (body mass index)",
}

// ProtectedLookalikes returns the inputs of s whose name reads as a
// protected attribute (protectedWords: age, sex, marital status, race,
// religion, national origin, disability and the like), in schema order,
// unless d declares the feature's role (a declared input is the user's
// word). A protected attribute is for audits only; a file whose sex or
// marital status column was not named --protected would otherwise become
// a model that scores customers by it without a word. The name is all
// that is read: a column that reveals a protected attribute under another
// name is a proxy, which the fairness audit measures (fairness.Proxies).
func ProtectedLookalikes(s *score.Schema, d *score.Declarations) []ProtectedLookalike {
	var out []ProtectedLookalike
	for _, f := range s.Features() {
		if f.Role != score.Input {
			continue
		}
		if roleDeclared(d, f.Name) {
			continue
		}
		if w, basis, ok := protectedWord(f.Name); ok {
			out = append(out, ProtectedLookalike{Feature: f.Name, Word: w, Basis: basis})
		}
	}
	return out
}

// roleDeclared says whether d declares the role of feature name: a
// declared role is the user's word, and the name-reading warnings
// (ProtectedLookalikes, TargetNamedInputs, PureValues) leave it alone.
func roleDeclared(d *score.Declarations, name string) bool {
	if d == nil {
		return false
	}
	fd, ok := d.Features[name]
	return ok && fd.Role != nil
}

// protectedWord is the first word, or pair of consecutive words, of name
// that protectedWords lists (pairs first, so "skin color" is found as a
// pair), with its ground.
func protectedWord(name string) (word, basis string, ok bool) {
	ws := nameWords(name)
	for k := 0; k+1 < len(ws); k++ {
		if b, found := protectedWords[ws[k]+" "+ws[k+1]]; found {
			return ws[k] + " " + ws[k+1], b, true
		}
	}
	for k, w := range ws {
		if w == "age" && !personsAge(ws, k) {
			continue
		}
		if b, found := protectedWords[w]; found {
			return w, b, true
		}
	}
	return "", "", false
}

// personWords are the words that name the customer before "age"
// (Customer_Age); another word there names the age of something else
// (Vehicle_Age, account_age).
var personWords = map[string]bool{
	"customer": true, "client": true, "applicant": true, "borrower": true, "person": true, "member": true,
	"driver": true, "holder": true, "owner": true, "insured": true, "policyholder": true, "user": true,
	"employee": true, "patient": true, "my": true, "your": true,
}

// personsAge reports whether "age", word k of ws, is a person's: it opens
// the name (age, age_in_years, age_of_customer, but not AgeOfCar) or follows a word that
// names the customer.
func personsAge(ws []string, k int) bool {
	if k == 0 {
		return len(ws) < 3 || ws[1] != "of" || personWords[ws[2]]
	}
	return personWords[ws[k-1]]
}

// nameWords are the words of a column name, lowercased: ASCII other than
// letters and digits separates words, and words.Split splits the rest
// (camel case, digits).
func nameWords(name string) []string {
	clean := strings.Map(func(r rune) rune {
		if r < 128 && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return '_'
		}
		return r
	}, name)
	ws := words.Split(clean)
	for k := range ws {
		ws[k] = strings.ToLower(ws[k])
	}
	return ws
}
