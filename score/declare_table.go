package score

import "errors"

// InferSchemaWith is InferSchema with the declarations applied (see
// Declarations.Apply): a column declared categorical gets its labels from
// the table, whatever InferSchema made of it, and a column declared
// numeric is read as numbers (a cell that is not one is then a row error
// naming the feature when records are read). Nil declarations give
// InferSchema's schema.
//
// Columns are inferred with Infer's checks (the number grammar, decimal
// commas, the level limit), except columns the declarations mark ignored or
// protected, or whose kind they declare: the declaration says what those are.
func (t *Table) InferSchemaWith(d *Declarations) (*Schema, error) {
	fs0 := make([]Feature, len(t.header))
	var errs []error
	for j, name := range t.header {
		check := true
		if d != nil {
			if fd, ok := d.Features[name]; ok && (fd.Kind != nil || (fd.Role != nil && *fd.Role != Input)) {
				check = false
			}
		}
		f, err := t.inferColumn(j, check)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f.Name = name
		fs0[j] = f
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...) // every column that fails, as Infer
	}
	inferred, err := NewSchema(fs0...)
	if err != nil {
		return nil, err
	}
	s, err := d.Apply(inferred)
	if err != nil {
		return nil, err
	}
	fs := s.Features()
	changed := false
	for k := range fs {
		f := &fs[k]
		if f.Kind != Categorical || f.Categories != nil {
			continue
		}
		j := t.Column(f.Name)
		if j < 0 {
			continue
		}
		set := map[string]bool{}
		for i := range t.Len() {
			if c := t.Cell(i, j); c != "" {
				set[c] = true
			}
		}
		f.Categories = sortedKeys(set)
		changed = true
	}
	if !changed {
		return s, nil
	}
	return NewSchema(fs...)
}
