package score

import (
	"fmt"
	"math"
)

// Encoded is a record resolved against one model, for scoring the same
// customer fast: per term, the number a linear or sloped term multiplies
// and the position (level or bin index) a categorical or binned term looks
// up. Labels are matched, bins found, and missing, special and unseen
// values resolved once, by Model.Encode or Binding.Encode; ScoreEncoded is
// then arithmetic over indexes, with no string compared.
//
// An Encoded belongs to the model that made it (or one with the same
// fingerprint, which compiles the same way); ScoreEncoded refuses any other
// model's with an *EncodingError. The zero Encoded holds no encoding and is
// refused too. Reuse one Encoded per goroutine: once grown to the model's
// size, encoding into it allocates nothing. Encoding writes an Encoded;
// scoring and explaining only read it, so goroutines may score one
// encoding at the same time but not while it is encoded again. A copy of an
// Encoded shares its buffers.
type Encoded struct {
	m     *Model
	err   error // the record's problems, when Encode failed
	slots []slot
	vals  []Value // vals[j]: term j's value as given, for Value
	vals2 []Value // vals2[j]: a pair term's second value, for PairValue
}

// slot is one term's encoding: the term's effect is
// enc[i].effect + enc[i].slope*x, rounded as Model.Effect rounds it.
type slot struct {
	x float64 // the number a linear or sloped term multiplies; 0 for the others
	i int32   // the term's entry in the model's effect table
}

// EncodingError is returned by ScoreEncoded for an Encoded that another
// model made (or that holds no encoding). It unwraps to ErrModel.
type EncodingError struct {
	// Model is the fingerprint of the model asked to score; Encoder that of
	// the model that made the encoding ("" for none).
	Model, Encoder string
}

func (e *EncodingError) Error() string {
	if e.Encoder == "" {
		return fmt.Sprintf("%v: the record was never encoded (model %s)", ErrModel, e.Model)
	}
	return fmt.Sprintf("%v: record encoded by model %s, scored by model %s", ErrModel, e.Encoder, e.Model)
}

func (e *EncodingError) Unwrap() error { return ErrModel }

// encEntry is one entry of a model's effect table: a term at one position
// has effect = effect + slope*x. A linear term's one entry is (-0, Coef):
// -0 + y is y for every y, so the sum is exactly Coef*x. An entry without
// a slope has slope -0 and is used with x = +0: e + (-0*0) is e for every e.
type encEntry struct {
	effect, slope float64
}

var negZero = math.Copysign(0, -1)

// encLayout places term j's entries in the model's effect table: from
// off, npos of them level or bin positions. A CategoricalTerm's entries are
// its levels, then missing, then other (effect 0 when the term declares
// none: encoding refuses those values first); a BinnedTerm's are its bins.
type encLayout struct {
	off, npos int32
}

// layoutEncoding builds the effect table of the compiled terms.
func (m *Model) layoutEncoding() {
	m.encAt = make([]encLayout, len(m.terms))
	for j := range m.terms {
		ct := &m.terms[j]
		t := ct.t
		l := encLayout{off: int32(len(m.encTab))}
		switch ct.kind {
		case termLinear:
			m.encTab = append(m.encTab, encEntry{effect: negZero, slope: ct.coef})
		case termCategorical:
			l.npos = int32(len(t.Levels))
			for _, lv := range t.Levels {
				m.encTab = append(m.encTab, encEntry{effect: lv.Effect, slope: negZero})
			}
			m.encTab = append(m.encTab, encEntry{effect: bound(t.MissingEffect, 0), slope: negZero},
				encEntry{effect: bound(t.OtherEffect, 0), slope: negZero})
		case termPair:
			l.npos = int32(len(t.Pair.Effects))
			for _, e := range t.Pair.Effects {
				m.encTab = append(m.encTab, encEntry{effect: e, slope: negZero})
			}
		default:
			l.npos = int32(len(t.Bins))
			for _, b := range t.Bins {
				e := encEntry{effect: b.Effect, slope: negZero}
				if b.Slope != 0 {
					e.slope = b.Slope
				}
				m.encTab = append(m.encTab, e)
			}
		}
		m.encAt[j] = l
	}
}

// Encode resolves r (in schema order) against the model into dst, growing
// dst's buffers if needed; with dst reused it allocates nothing unless the
// record is bad. A record that cannot be scored returns the same error as
// Score would (a *RecordError with every bad field), and dst keeps that
// error: ScoreEncoded returns it again.
func (m *Model) Encode(r Record, dst *Encoded) error {
	if m.schema == nil {
		return errZeroModel
	}
	m.reset(dst)
	if len(r) != m.schema.Len() {
		for j := range dst.slots {
			dst.slots[j], dst.vals[j] = slot{i: -1}, Value{}
		}
		dst.err = m.recordLenErr(r)
		return dst.err
	}
	var errs []*FieldError
	for j := range m.terms {
		ct := &m.terms[j]
		var w *Value
		if ct.kind == termPair {
			w = &r[ct.feature2]
		}
		if err := m.encodeTerm(j, &r[ct.feature], w, dst); err != nil {
			errs = m.appendTermErr(errs, ct, r[ct.feature], w, err)
		}
	}
	return dst.fail(errs)
}

// reset ties dst to m, with room for every term.
func (m *Model) reset(dst *Encoded) {
	n := len(m.terms)
	if cap(dst.slots) < n || cap(dst.vals) < n || cap(dst.vals2) < n {
		dst.slots = make([]slot, n)
		dst.vals = make([]Value, n)
		dst.vals2 = make([]Value, n)
	}
	dst.m, dst.err, dst.slots, dst.vals, dst.vals2 = m, nil, dst.slots[:n], dst.vals[:n], dst.vals2[:n]
}

// fail records the problems of the record encoded, if any.
func (e *Encoded) fail(errs []*FieldError) error {
	if errs != nil {
		e.err = &RecordError{Fields: errs}
	}
	return e.err
}

// encodeTerm encodes v, term j's value (and w, a pair term's second
// value; nil otherwise), into dst. Positions and errors are those of
// compiledTerm.eval, the one definition of a term's semantics.
func (m *Model) encodeTerm(j int, v, w *Value, dst *Encoded) error {
	ct := &m.terms[j]
	dst.vals[j] = *v
	dst.vals2[j] = Value{}
	if w != nil {
		dst.vals2[j] = *w
	}
	s := &dst.slots[j]
	var pos int
	var err error
	if ct.kind == termPair {
		_, pos, err = ct.evalPair(v, w)
	} else {
		_, pos, err = ct.eval(v)
	}
	if err != nil {
		*s = slot{i: -1} // never scored: ScoreEncoded returns the error first
		return err
	}
	x := 0.0
	switch ct.kind {
	case termLinear:
		pos, x = 0, v.num
		if v.kind == missingValue {
			x = *ct.t.Fill // eval succeeded: the term has a fill
		}
	case termCategorical:
		if pos < 0 { // missing or other
			pos = len(ct.t.Levels)
			if v.kind == labelValue {
				pos++
			}
		}
	case termBinned:
		if ct.t.Bins[pos].Slope != 0 {
			x = v.num
		}
	}
	*s = slot{x: x, i: m.encAt[j].off + int32(pos)}
	return nil
}

// ScoreEncoded scores an encoding made by Encode (or Binding.Encode) and
// writes each term's effect into terms[j] (when terms is not nil it must
// have NumTerms elements). It returns the same Result and terms, bit for
// bit, as ScoreTerms on the record encoded, and for a record that could
// not be encoded the same error. An Encoded of another model is an
// *EncodingError. It allocates nothing.
func (m *Model) ScoreEncoded(e *Encoded, terms []float64) (Result, error) {
	if e.m != m {
		if err := m.foreign(e); err != nil {
			return Result{}, err
		}
	}
	if e.err != nil {
		return Result{}, e.err
	}
	if terms != nil && len(terms) < len(m.encAt) {
		return Result{}, fmt.Errorf("%w: terms buffer has %d elements, model %d terms", ErrModel, len(terms), len(m.encAt))
	}
	s := m.spec.Intercept
	tab := m.encTab
	for j, sl := range e.slots[:len(m.encAt)] {
		p := &tab[sl.i]
		v := p.effect + float64(p.slope*sl.x) // rounded as Model.Effect: no fused multiply-add
		if terms != nil {
			terms[j] = v
		}
		s += v
	}
	if s-s != 0 { // overflow: the same error as ScoreTerms
		r := make(Record, m.schema.Len())
		for j := range m.terms {
			r[m.terms[j].feature] = e.vals[j]
		}
		return Result{}, m.overflowErr(r)
	}
	return m.Link(s), nil
}

// foreign returns nil when e was made by a model with m's fingerprint
// (compiled alike, so e's positions are valid for m), else an
// *EncodingError.
func (m *Model) foreign(e *Encoded) error {
	if e.m == nil {
		return &EncodingError{Model: m.fp}
	}
	if m.schema == nil || e.m.fp != m.fp {
		return &EncodingError{Model: m.fp, Encoder: e.m.fp}
	}
	return nil
}

// Len is the number of terms encoded (0 for the zero Encoded).
func (e *Encoded) Len() int { return len(e.slots) }

// Position returns the position term j matched, as Model.Effect does: the
// level index of a CategoricalTerm, the bin index of a BinnedTerm, -1 for
// a linear term, a categorical missing or other value, or a value that
// failed to encode.
func (e *Encoded) Position(j int) int {
	l := e.m.encAt[j]
	if i := e.slots[j].i; i >= 0 && i-l.off < l.npos {
		return int(i - l.off)
	}
	return -1
}

// Value returns term j's value as given to Encode (a pair term's first).
func (e *Encoded) Value(j int) Value { return e.vals[j] }

// PairValue returns pair term j's second value as given to Encode; the
// zero Value (missing) for a term of one feature.
func (e *Encoded) PairValue(j int) Value { return e.vals2[j] }
