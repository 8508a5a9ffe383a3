package glm

import (
	"bytes"
	"encoding/gob"
	"fmt"
)

// sumsWire is Sums in a form encoding/gob can write.
type sumsWire struct {
	Beta, H, G     []float64
	Hessian        bool
	LogLik, Sat    float64
	Rows, Extreme  int64
	Weight, Events float64
}

// MarshalBinary encodes the sums, so that a worker can ship them to the
// one that merges (a Beam combiner's accumulator, say). Equal sums encode
// to equal bytes.
func (s *Sums) MarshalBinary() ([]byte, error) {
	w := sumsWire{Beta: s.beta, Hessian: s.hessian, LogLik: s.loglik, Sat: s.sat,
		Rows: s.rows, Extreme: s.extreme, Weight: s.weight, Events: s.events}
	if s.hessian {
		w.H, w.G = s.h, s.g
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary wrote into s, replacing it.
func (s *Sums) UnmarshalBinary(b []byte) error {
	var w sumsWire
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&w); err != nil {
		return fmt.Errorf("glm: decoding sums: %w", err)
	}
	q := len(w.Beta)
	if w.Hessian && (len(w.H) != q*q || len(w.G) != q) {
		return fmt.Errorf("glm: decoding sums: %d coefficients but a %d-entry Hessian and a %d-entry gradient", q, len(w.H), len(w.G))
	}
	if !w.Hessian && (len(w.H) != 0 || len(w.G) != 0) {
		return fmt.Errorf("glm: decoding sums: a Hessian in sums without one")
	}
	if w.Rows < 0 || w.Extreme < 0 || w.Extreme > w.Rows {
		return fmt.Errorf("glm: decoding sums: %d rows, %d extreme", w.Rows, w.Extreme)
	}
	*s = *NewSums(w.Beta, w.Hessian)
	copy(s.h, w.H)
	copy(s.g, w.G)
	s.loglik, s.sat, s.rows, s.extreme, s.weight, s.events = w.LogLik, w.Sat, w.Rows, w.Extreme, w.Weight, w.Events
	return nil
}
