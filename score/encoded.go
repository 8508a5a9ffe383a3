package score

import "fmt"

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
// size, encoding into it allocates nothing.
type Encoded struct {
	m      *Model
	err    error // the record's problems, when Encode failed
	slots  []slot
	labels []string // labels[j]: term j's label, for Value
}

// slot is one term's encoding.
type slot struct {
	x    float64   // the number (a LinearTerm's fill for a missing value)
	k    int32     // position in the term's effect table; -1 for a linear term
	kind valueKind // the kind of the value given
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

// encTerm is what ScoreEncoded reads of one term.
type encTerm struct {
	kind    uint8     // encLinear, encTable or encSloped
	npos    int32     // positions below npos are level or bin indexes (Explanation positions)
	coef    float64   // encLinear: the coefficient
	effects []float64 // encTable, encSloped: the effect at each position
	slopes  []float64 // encSloped: the slope at each position (0 but for sloped range bins)
}

const (
	encLinear uint8 = iota
	encTable
	encSloped
)

// newEncTerm lays out a compiled term's effect table. A CategoricalTerm's
// positions are its levels, then missing, then other (effect 0 when the
// term declares none: encoding refuses those values first); a BinnedTerm's
// are its bins.
func newEncTerm(ct *compiledTerm) encTerm {
	t := ct.t
	switch ct.kind {
	case termLinear:
		return encTerm{kind: encLinear, coef: ct.coef, npos: 0}
	case termCategorical:
		e := encTerm{kind: encTable, npos: int32(len(t.Levels)), effects: make([]float64, len(t.Levels)+2)}
		for k, l := range t.Levels {
			e.effects[k] = l.Effect
		}
		if t.MissingEffect != nil {
			e.effects[len(t.Levels)] = *t.MissingEffect
		}
		if t.OtherEffect != nil {
			e.effects[len(t.Levels)+1] = *t.OtherEffect
		}
		return e
	}
	e := encTerm{kind: encTable, npos: int32(len(t.Bins)), effects: make([]float64, len(t.Bins))}
	for k, b := range t.Bins {
		e.effects[k] = b.Effect
		if b.Slope != 0 {
			if e.slopes == nil {
				e.slopes = make([]float64, len(t.Bins))
			}
			e.kind = encSloped
			e.slopes[k] = b.Slope
		}
	}
	return e
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
		dst.err = m.recordLenErr(r)
		return dst.err
	}
	var errs []*FieldError
	for j := range m.terms {
		ct := &m.terms[j]
		if err := m.encodeTerm(j, &r[ct.feature], dst); err != nil {
			errs = append(errs, m.valueErr(ct.feature, r[ct.feature], err))
		}
	}
	return dst.fail(errs)
}

// reset ties dst to m, with room for every term.
func (m *Model) reset(dst *Encoded) {
	n := len(m.terms)
	if cap(dst.slots) < n {
		dst.slots = make([]slot, n)
		dst.labels = make([]string, n)
	}
	dst.m, dst.err, dst.slots, dst.labels = m, nil, dst.slots[:n], dst.labels[:n]
}

// fail records the problems of the record encoded, if any.
func (e *Encoded) fail(errs []*FieldError) error {
	if errs != nil {
		e.err = &RecordError{Fields: errs}
	}
	return e.err
}

// encodeTerm encodes v, term j's value, into dst. Positions and errors are
// those of compiledTerm.eval, the one definition of a term's semantics.
func (m *Model) encodeTerm(j int, v *Value, dst *Encoded) error {
	ct := &m.terms[j]
	s := &dst.slots[j]
	s.x, s.kind, dst.labels[j] = v.num, v.kind, v.str
	_, pos, err := ct.eval(v)
	if err != nil {
		s.k = -1
		return err
	}
	switch ct.kind {
	case termLinear:
		if v.kind == missingValue {
			s.x = *ct.t.Fill // eval succeeded: the term has a fill
		}
	case termCategorical:
		if pos < 0 { // missing or other
			pos = len(ct.t.Levels)
			if v.kind == labelValue {
				pos++
			}
		}
	}
	s.k = int32(pos)
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
	if terms != nil && len(terms) < len(m.enc) {
		return Result{}, fmt.Errorf("%w: terms buffer has %d elements, model %d terms", ErrModel, len(terms), len(m.enc))
	}
	s := m.spec.Intercept
	slots := e.slots[:len(m.enc)]
	for j := range m.enc {
		t, sl := &m.enc[j], &slots[j]
		var v float64
		switch t.kind {
		case encLinear:
			v = float64(t.coef * sl.x)
		case encTable:
			v = t.effects[sl.k]
		default:
			v = t.effects[sl.k]
			if b := t.slopes[sl.k]; b != 0 {
				v += float64(b * sl.x) // as Bin.EffectAt: no fused multiply-add
			}
		}
		if terms != nil {
			terms[j] = v
		}
		s += v
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
	k := e.slots[j].k
	if k >= e.m.enc[j].npos {
		return -1
	}
	return int(k)
}

// Value returns term j's value as given to Encode.
func (e *Encoded) Value(j int) Value {
	s := &e.slots[j]
	switch s.kind {
	case numberValue:
		return Num(s.x)
	case labelValue:
		return Cat(e.labels[j])
	}
	return Missing()
}
