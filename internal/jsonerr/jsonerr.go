// Package jsonerr says where a JSON file's decoding error is: the line and
// column of a syntax error, and which key of an object a struct does not
// know. The features file (score) and the actions file (explain) use it so
// that their errors name the place to fix. It imports no public package.
package jsonerr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Where returns err with the line and column (1-based, in bytes) of a
// *json.SyntaxError in b prefixed ("line 3, column 17: invalid character
// ..."), and err unchanged otherwise.
func Where(b []byte, err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) || len(b) == 0 {
		return err
	}
	off := min(max(se.Offset, 1), int64(len(b)))
	line := 1 + bytes.Count(b[:off-1], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(b[:off-1], '\n')) - 1
	return fmt.Errorf("line %d, column %d: %w", line, col, err)
}

// UnknownKey returns the first key of the JSON object raw (in sorted
// order) that is no field of the struct type t, with t's keys to match it
// against; an object held by a field of struct type (or pointer to one)
// is searched too, and its keys are returned for a key found there. Keys
// are compared ignoring case, as encoding/json matches them. "" when every
// key is known or raw is no object.
func UnknownKey(raw json.RawMessage, t reflect.Type) (key string, known []string) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return "", nil
	}
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		fields[strings.ToLower(name)] = ft
		known = append(known, name)
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		ft, ok := fields[strings.ToLower(k)]
		if !ok {
			return k, known
		}
		if ft.Kind() == reflect.Struct {
			if key, inner := UnknownKey(obj[k], ft); key != "" {
				return key, inner
			}
		}
	}
	return "", known
}

// UnknownKeyText words a key that is no field, with the close matches the
// caller found: `unknown key "diretion" (did you mean "direction"?)`.
func UnknownKeyText(key string, near []string) string {
	msg := fmt.Sprintf("unknown key %q", key)
	if len(near) > 0 {
		q := make([]string, len(near))
		for i, n := range near {
			q[i] = fmt.Sprintf("%q", n)
		}
		msg += " (did you mean " + strings.Join(q, " or ") + "?)"
	}
	return msg
}
