package words

import (
	"reflect"
	"testing"
)

// TestSplit: the boundaries by hand, one case per rule.
func TestSplit(t *testing.T) {
	for name, want := range map[string][]string{
		"ApplicantIncome":         {"Applicant", "Income"},
		"NumberOfTimes90DaysLate": {"Number", "Of", "Times", "90", "Days", "Late"},
		"Year_Birth":              {"Year", "Birth"},
		"personal_status_and_sex": {"personal", "status", "and", "sex"},
		"CustomerID":              {"Customer", "ID"},
		"BALANCE":                 {"BALANCE"},
		"Q4 revenue":              {"Q4", "revenue"},
		"_x__y_":                  {"x", "y"},
		"":                        nil,
		"SeniorCitizen":           {"Senior", "Citizen"},
		"MSinceMostRecentDelq":    {"MSince", "Most", "Recent", "Delq"},
		"Months_Inactive_12_mon":  {"Months", "Inactive", "12", "mon"},
	} {
		if got := Split(name); !reflect.DeepEqual(got, want) && (len(got) > 0 || len(want) > 0) {
			t.Errorf("Split(%q) = %q, want %q", name, got, want)
		}
	}
}
