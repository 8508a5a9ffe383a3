package main

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/candorscore/candor/score"
)

// Append-style JSON for the score lines: the bytes encoding/json writes
// for the same values (jsonw_test.go checks it on every kind of line),
// without reflection or an allocation per line.

// appendJSONStrings appends key and ss as a JSON array of strings, or
// nothing when ss is empty (an omitempty []string field).
func appendJSONStrings(b []byte, key string, ss []string) []byte {
	if len(ss) == 0 {
		return b
	}
	b = append(b, key...)
	b = append(b, '[')
	for k, s := range ss {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s, false)
	}
	return append(b, ']')
}

// appendJSONFloat appends x as encoding/json writes a float64. A NaN or
// an infinity is an error, as there.
func appendJSONFloat(b []byte, x float64) ([]byte, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return b, fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(x, 'g', -1, 64))
	}
	f := byte('f')
	if a := math.Abs(x); a != 0 && (a < 1e-6 || a >= 1e21) {
		f = 'e'
	}
	b = strconv.AppendFloat(b, x, f, -1, 64)
	if f == 'e' {
		// e-07 to e-7, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json writes a string:
// with <, > and & escaped when html is set (json.Marshal and a default
// Encoder), invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string, html bool) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!html || (c != '<' && c != '>' && c != '&')) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendScoreLine appends one line of `candor score` without a decision,
// as json.Encoder writes line (a scoreLine) and its newline.
func appendScoreLine(b []byte, line *scoreLine) ([]byte, error) {
	b = append(b, `{"row":`...)
	b = strconv.AppendInt(b, int64(line.Row), 10)
	var err error
	num := func(key string, x *float64) {
		if x == nil || err != nil {
			return
		}
		b = append(b, key...)
		b, err = appendJSONFloat(b, *x)
	}
	num(`,"probability":`, line.Probability)
	num(`,"log_odds":`, line.LogOdds)
	num(`,"points":`, line.Points)
	num(`,"score":`, line.Score)
	if err != nil {
		return b, err
	}
	if len(line.Reasons) > 0 {
		b = append(b, `,"reasons":[`...)
		for k, r := range line.Reasons {
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if r.Code != "" {
				b = append(b, `"code":`...)
				b = appendJSONString(b, r.Code, true)
				b = append(b, ',')
			}
			b = append(b, `"feature":`...)
			b = appendJSONString(b, r.Feature, true)
			b = append(b, `,"effect":`...)
			if b, err = appendJSONFloat(b, r.Effect); err != nil {
				return b, err
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if line.Decision != nil {
		return b, fmt.Errorf("appendScoreLine: a line with a decision is encoded by encoding/json")
	}
	if line.Error != "" {
		b = append(b, `,"error":`...)
		b = appendJSONString(b, line.Error, true)
	}
	return append(b, '}', '\n'), nil
}

// resultFloats fills line's numbers from res, as fillScore does, pointing
// into nums (so that a reused line allocates nothing).
func resultFloats(line *scoreLine, m *score.Model, res score.Result, nums *[4]float64) {
	nums[0], nums[1], nums[2] = res.Score, float64(res.Probability), float64(res.LogOdds)
	switch m.Kind() {
	case score.LinearModel:
		line.Score = &nums[0]
		return
	case score.ScorecardModel:
		line.Points = &nums[0]
	}
	if !math.IsNaN(nums[1]) {
		line.Probability = &nums[1]
		line.LogOdds = &nums[2]
	}
}

// appendJSONAny appends a value of explain's JSONValue (a float64, a
// string or nil) as a json.Encoder without HTML escaping writes it.
func appendJSONAny(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case float64:
		return appendJSONFloat(b, x)
	case string:
		return appendJSONString(b, x, false), nil
	}
	return b, fmt.Errorf("appendJSONAny: a value of type %T", v)
}

// appendExplainLine appends one line of `candor explain --format json`,
// as a json.Encoder with SetEscapeHTML(false) writes line and its
// newline.
func appendExplainLine(b []byte, line *explainLine) ([]byte, error) {
	b = append(b, `{"row":`...)
	b = strconv.AppendInt(b, int64(line.Row), 10)
	str := func(key, s string) {
		if s != "" {
			b = append(b, key...)
			b = appendJSONString(b, s, false)
		}
	}
	var err error
	num := func(key string, x *float64) {
		if x != nil && err == nil {
			b = append(b, key...)
			b, err = appendJSONFloat(b, *x)
		}
	}
	str(`,"units":`, line.Units)
	str(`,"baseline_kind":`, line.BaselineKind)
	num(`,"baseline":`, line.Baseline)
	num(`,"total":`, line.Total)
	num(`,"probability":`, line.Probability)
	num(`,"baseline_probability":`, line.BaselineProbability)
	if len(line.Contributions) > 0 {
		b = append(b, `,"contributions":[`...)
		for k := range line.Contributions {
			c := &line.Contributions[k]
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"feature":`...)
			b = appendJSONString(b, c.Feature, false)
			b = append(b, `,"value":`...)
			if b, err = appendJSONAny(b, c.Value); err != nil {
				return b, err
			}
			num(`,"effect":`, &c.Effect)
			num(`,"probability_effect":`, c.ProbabilityEffect)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(line.Reasons) > 0 {
		b = append(b, `,"reasons":[`...)
		for k := range line.Reasons {
			r := &line.Reasons[k]
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"code":`...)
			b = appendJSONString(b, r.Code, false)
			b = append(b, `,"feature":`...)
			b = appendJSONString(b, r.Feature, false)
			b = append(b, `,"value":`...)
			if b, err = appendJSONAny(b, r.Value); err != nil {
				return b, err
			}
			str(`,"bin":`, r.Bin)
			num(`,"effect":`, &r.Effect)
			str(`,"advice":`, r.Advice)
			str(`,"advice_withheld":`, r.AdviceWithheld)
			b = appendJSONStrings(b, `,"advice_to":`, r.AdviceTo)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendJSONStrings(b, `,"text":`, line.Text)
	str(`,"error":`, line.Error)
	if err != nil {
		return b, err
	}
	return append(b, '}', '\n'), nil
}
