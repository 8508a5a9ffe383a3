package fairness

import (
	"bytes"
	"encoding/json"
	"math"

	"github.com/candorscore/candor/internal/metric"
)

// Rate is a weighted proportion Num/Den with its Wilson score interval.
//
// A rate whose denominator is zero is undefined: Defined is false, Value, Lo
// and Hi are NaN, and Reason says which denominator was empty. An undefined
// rate is never reported as 0. In JSON an undefined value is null and the
// reason is given beside it.
//
// The zero Rate is undefined with an empty reason.
type Rate struct {
	// Value is Num/Den, a proportion in [0, 1]; NaN when undefined.
	Value float64
	// Defined is false when Den is zero.
	Defined bool
	// Reason says why the rate is undefined; empty when defined.
	Reason string
	// Num and Den are the weighted counts (sums of weights; plain counts
	// when the data has no weights).
	Num, Den float64
	// Lo and Hi bound the Wilson score interval at the audit's level
	// (default 95%); NaN when undefined. With weights the interval uses
	// Kish's effective sample size (sum w)^2 / sum w^2 of the denominator
	// rows in place of the count.
	Lo, Hi float64
}

// MarshalJSON encodes a rate as {"value":v,"num":..,"den":..,"lo":..,"hi":..},
// or {"value":null,"reason":"...","num":..,"den":..} when undefined.
func (r Rate) MarshalJSON() ([]byte, error) {
	var o object
	if r.Defined {
		o.add("value", r.Value)
	} else {
		o.add("value", nil)
		o.add("reason", r.Reason)
	}
	o.add("num", r.Num)
	o.add("den", r.Den)
	if r.Defined && !math.IsNaN(r.Lo) {
		o.add("lo", r.Lo)
		o.add("hi", r.Hi)
	}
	return o.bytes()
}

// Value is a number that may be undefined, such as an AUC, a mean or a
// difference of rates. The zero Value is undefined with an empty reason.
type Value struct {
	// Value is the number; NaN when undefined. Its scale is given where the
	// Value is used.
	Value float64
	// Defined is false when the number cannot be computed from the data.
	Defined bool
	// Reason says why the value is undefined; empty when defined.
	Reason string
}

// MarshalJSON encodes a defined value as a number and an undefined one as
// {"value":null,"reason":"..."}.
func (v Value) MarshalJSON() ([]byte, error) {
	if v.Defined {
		return json.Marshal(v.Value)
	}
	var o object
	o.add("value", nil)
	o.add("reason", v.Reason)
	return o.bytes()
}

func defined(x float64) Value       { return Value{Value: x, Defined: true} }
func undefined(reason string) Value { return Value{Value: math.NaN(), Reason: reason} }

// newRate returns num/den with its Wilson interval for effective size neff at
// normal quantile z; reason is used when den is zero.
func newRate(num, den, neff, z float64, reason string) Rate {
	if !(den > 0) {
		return Rate{Value: math.NaN(), Reason: reason, Num: num, Den: den, Lo: math.NaN(), Hi: math.NaN()}
	}
	p := num / den
	if p > 1 { // rounding in weighted sums
		p = 1
	}
	lo, hi := metric.Wilson(p, neff, z)
	return Rate{Value: p, Defined: true, Num: num, Den: den, Lo: lo, Hi: hi}
}

// normalQuantile returns z with P(|Z| <= z) = level for a standard normal Z.
func normalQuantile(level float64) float64 {
	return math.Sqrt2 * math.Erfinv(level)
}

// object builds a JSON object with fields in insertion order.
type object struct {
	buf bytes.Buffer
	err error
}

func (o *object) add(key string, v any) {
	if o.err != nil {
		return
	}
	if o.buf.Len() == 0 {
		o.buf.WriteByte('{')
	} else {
		o.buf.WriteByte(',')
	}
	k, _ := json.Marshal(key)
	o.buf.Write(k)
	o.buf.WriteByte(':')
	if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		v = nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		o.err = err
		return
	}
	o.buf.Write(b)
}

func (o *object) bytes() ([]byte, error) {
	if o.err != nil {
		return nil, o.err
	}
	if o.buf.Len() == 0 {
		return []byte("{}"), nil
	}
	o.buf.WriteByte('}')
	return o.buf.Bytes(), nil
}

// nullable returns the number, or nil when undefined, for JSON.
func nullable(x float64, ok bool) any {
	if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}
