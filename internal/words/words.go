// Package words splits a column name into the words it is made of, the one
// rule that customer text (explain) and the fit report's name checks
// (score/fit) both read names by.
package words

import "strings"

// Split returns the words of a column name as written: an underscore or a
// space separates words; a capital after a small letter starts a word
// (ApplicantIncome), and so does a digit after a small letter and a
// capital after a digit (Times90DaysLate). Runs of capitals stay together
// (ID, BALANCE).
func Split(name string) []string {
	b := make([]byte, 0, len(name)+8)
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '_' {
			c = ' '
		} else if i > 0 && (small(name[i-1]) && (capital(c) || digit(c)) || digit(name[i-1]) && capital(c)) {
			b = append(b, ' ')
		}
		b = append(b, c)
	}
	return strings.Fields(string(b))
}

func small(c byte) bool   { return 'a' <= c && c <= 'z' }
func capital(c byte) bool { return 'A' <= c && c <= 'Z' }
func digit(c byte) bool   { return '0' <= c && c <= '9' }
