package score

import "fmt"

// Field binds one feature of the schema to a getter on the caller's own
// customer type T. Build fields with NumField, OptNumField and CatField.
type Field[T any] struct {
	name string
	num  func(*T) float64
	opt  func(*T) (float64, bool)
	cat  func(*T) string
}

// NumField binds a numeric feature to a getter.
func NumField[T any](name string, get func(*T) float64) Field[T] {
	return Field[T]{name: name, num: get}
}

// OptNumField binds a numeric feature whose value may be absent: the getter
// returns false for missing.
func OptNumField[T any](name string, get func(*T) (float64, bool)) Field[T] {
	return Field[T]{name: name, opt: get}
}

// CatField binds a categorical feature to a getter; an empty label is missing.
func CatField[T any](name string, get func(*T) string) Field[T] {
	return Field[T]{name: name, cat: get}
}

// Binding turns values of the caller's customer type T into Records without
// reflection: one getter call per feature. A Binding is immutable and safe
// for concurrent use.
type Binding[T any] struct {
	schema *Schema
	fields []Field[T] // indexed by schema position; zero Field = unbound
}

// Bind checks each field against the schema (known name, matching kind, no
// feature bound twice) and returns the binding. Features left unbound are
// missing in every record.
func Bind[T any](s *Schema, fields ...Field[T]) (*Binding[T], error) {
	b := &Binding[T]{schema: s, fields: make([]Field[T], s.Len())}
	for _, f := range fields {
		i := s.Index(f.name)
		if i < 0 {
			return nil, &FieldError{Feature: f.name, Err: ErrUnknownFeature}
		}
		if b.fields[i].name != "" {
			return nil, fmt.Errorf("%w: feature %q bound twice", ErrSchema, f.name)
		}
		want := s.features[i].Kind
		if (f.cat != nil) != (want == Categorical) {
			return nil, &FieldError{Feature: f.name, Err: fmt.Errorf("%w: bound as %s, schema says %s", ErrWrongKind, kindOfField(f), want)}
		}
		b.fields[i] = f
	}
	return b, nil
}

func kindOfField[T any](f Field[T]) Kind {
	if f.cat != nil {
		return Categorical
	}
	return Numeric
}

// Schema returns the schema the binding was built for.
func (b *Binding[T]) Schema() *Schema { return b.schema }

// Record fills dst (grown if needed) with c's values and returns it. With a
// dst of sufficient capacity it does not allocate.
func (b *Binding[T]) Record(dst Record, c *T) Record {
	n := len(b.fields)
	if cap(dst) < n {
		dst = make(Record, n)
	}
	dst = dst[:n]
	for i := range b.fields {
		dst[i] = b.value(i, c)
	}
	return dst
}

// Encode calls c's getters and encodes the values for m into dst, as
// m.Encode(b.Record(nil, c), dst) would but without building the record:
// the same encoding, the same errors. The binding's schema must be m's
// (m.Schema(), the fast path) or have the same feature names and kinds in
// the same order; otherwise the error wraps ErrSchema. With dst reused it
// allocates nothing unless the customer's data is bad.
func (b *Binding[T]) Encode(m *Model, dst *Encoded, c *T) error {
	if m.schema == nil {
		return errZeroModel
	}
	if b.schema != m.schema && !sameLayout(b.schema, m.schema) {
		return fmt.Errorf("%w: binding and model have different schemas", ErrSchema)
	}
	m.reset(dst)
	var errs []*FieldError
	for j := range m.terms {
		ct := &m.terms[j]
		v := b.value(ct.feature, c)
		var w *Value
		if ct.kind == termPair {
			wv := b.value(ct.feature2, c)
			w = &wv
		}
		if err := m.encodeTerm(j, &v, w, dst); err != nil {
			errs = m.appendTermErr(errs, ct, v, w, err)
		}
	}
	return dst.fail(errs)
}

// value is c's value of schema feature i, as Record puts it.
func (b *Binding[T]) value(i int, c *T) Value {
	f := &b.fields[i]
	switch {
	case f.num != nil:
		return Num(f.num(c))
	case f.opt != nil:
		if x, ok := f.opt(c); ok {
			return Num(x)
		}
	case f.cat != nil:
		if l := f.cat(c); l != "" {
			return Cat(l)
		}
	}
	return Missing()
}

// sameLayout reports whether two schemas have the same feature names and
// kinds in the same order, so that a record of one is a record of the other.
func sameLayout(a, b *Schema) bool {
	if len(a.features) != len(b.features) {
		return false
	}
	for i := range a.features {
		if a.features[i].Name != b.features[i].Name || a.features[i].Kind != b.features[i].Kind {
			return false
		}
	}
	return true
}
