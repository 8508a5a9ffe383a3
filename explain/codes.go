package explain

// Code returns the reason code term j reports when its value falls in
// level or bin pos: the level's or bin's own code, else the term's, else
// the feature name (pos -1: a linear term, or a categorical missing or
// other value). It returns "" for j or pos out of range, and for pos -1 on
// a binned term whose every bin has its own code. Together with Codes (the
// document order ties keep) it is the whole mapping appendReasons uses, for
// code generators that rank reasons elsewhere (score/sqlgen).
func (e *Explainer) Code(j, pos int) string {
	if j < 0 || j >= len(e.termCod) {
		return ""
	}
	c := e.termCod[j]
	if pos >= 0 {
		if pos >= len(e.posCod[j]) {
			return ""
		}
		c = e.posCod[j][pos]
	}
	if c < 0 {
		return ""
	}
	return e.codes[c]
}

// MaxReasons is the most reasons Explain returns: Options.MaxReasons with
// 0 taken as DefaultMaxReasons and a negative or too large number as the
// number of terms (unless Options.Pad).
func (e *Explainer) MaxReasons() int { return e.maxR }

// Options returns the options the explainer was built with (Baseline
// left nil: see Baseline).
func (e *Explainer) Options() Options {
	o := e.opts
	o.Baseline = nil
	return o
}
