package score

// InferSchemaWith is InferSchema with the declarations applied (see
// Declarations.Apply): a column declared categorical gets its labels from
// the table, whatever InferSchema made of it, and a column declared
// numeric is read as numbers (a cell that is not one is then a row error
// naming the feature when records are read). Nil declarations give
// InferSchema's schema.
func (t *Table) InferSchemaWith(d *Declarations) (*Schema, error) {
	s, err := d.Apply(t.InferSchema())
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
		for i := range t.rows {
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
