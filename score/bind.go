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
	for i, f := range b.fields {
		switch {
		case f.num != nil:
			dst[i] = Num(f.num(c))
		case f.opt != nil:
			if x, ok := f.opt(c); ok {
				dst[i] = Num(x)
			} else {
				dst[i] = Missing()
			}
		case f.cat != nil:
			if l := f.cat(c); l != "" {
				dst[i] = Cat(l)
			} else {
				dst[i] = Missing()
			}
		default:
			dst[i] = Missing()
		}
	}
	return dst
}
