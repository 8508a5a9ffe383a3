package report

import "testing"

func TestTrunc(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"housing", 10, "housing"},
		{"housing", 7, "housing"},
		{"housing", 5, "hous…"},
	} {
		if got := Trunc(c.s, c.n); got != c.want {
			t.Errorf("Trunc(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}

func TestCount(t *testing.T) {
	for x, want := range map[float64]string{1200: "1200", 17.5: "17.5", 1234567: "1.23457e+06", 0: "0"} {
		if got := Count(x); got != want {
			t.Errorf("Count(%g) = %q, want %q", x, got, want)
		}
	}
}
