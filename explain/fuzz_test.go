package explain_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// FuzzCatalogTemplate: any template text is either rejected with
// ErrTemplate or renders without panicking, and a sensitive feature's
// value never appears in what it renders.
func FuzzCatalogTemplate(f *testing.F) {
	for _, s := range []string{"Your {feature} ({value})", "{{", "}}", "{", "}", "{bin}{to}{from}{direction}{effect}{code}", "{{{value}}}", "ü{feature}€"} {
		f.Add(s)
	}
	base := explain.DefaultCatalog()
	f.Fuzz(func(t *testing.T, text string) {
		c, err := base.With(explain.Message{Lang: "en", Kind: explain.ReasonMessage, Key: "secret", Text: text})
		if err != nil {
			if !errors.Is(err, explain.ErrTemplate) {
				t.Fatalf("error %v is not ErrTemplate", err)
			}
			return
		}
		a := explain.Args{Feature: score.Feature{Name: "secret", Sensitive: true}, Value: score.Num(987654321),
			From: score.Num(987654321), To: score.Num(987654321), Bin: "987654321"}
		out, err := c.Text("en", explain.ReasonMessage, a)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "987654321") && !strings.Contains(text, "987654321") {
			t.Fatalf("sensitive value shown: %q from %q", out, text)
		}
	})
}

// FuzzReadMessages: arbitrary input is decoded or refused, never panics.
func FuzzReadMessages(f *testing.F) {
	f.Add([]byte(`[{"lang":"en","kind":"feature","key":"age","text":"your age"}]`))
	f.Add([]byte(`[{"lang":"xx","kind":"reason","text":"{feature"}]`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, b []byte) {
		msgs, err := explain.ReadMessages(bytes.NewReader(b))
		if err != nil {
			return
		}
		_, _ = explain.DefaultCatalog().With(msgs...)
	})
}
