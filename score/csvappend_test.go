package score_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// readAll reads every row with Next (append false) or AppendNext (true):
// each row's cells or its error text, and the row numbers.
func readRows(t *testing.T, in []byte, opts *score.CSVOptions, appendMode bool) (rows []string, err error) {
	t.Helper()
	cr, err := score.NewCSVReader(bytes.NewReader(in), opts)
	if err != nil {
		return nil, err
	}
	defer cr.Close()
	var text []byte
	var ends []int
	for {
		var cells []string
		var err error
		if appendMode {
			// Rows pile up in one buffer, as in a batch.
			n, at := len(ends), len(text)
			text, ends, err = cr.AppendNext(text, ends)
			if err == nil {
				start := at
				for _, e := range ends[n:] {
					cells = append(cells, string(text[start:e]))
					start = e
				}
			} else if len(text) != at || len(ends) != n {
				t.Fatalf("a bad row left bytes in the buffer")
			}
		} else {
			cells, err = cr.Next()
		}
		if err == io.EOF {
			return rows, nil
		}
		var re *score.RecordError
		if err != nil && !errors.As(err, &re) {
			return rows, err
		}
		if err != nil {
			rows = append(rows, fmt.Sprintf("%d: %v", cr.Row(), err))
			continue
		}
		rows = append(rows, fmt.Sprintf("%d: %q", cr.Row(), cells))
	}
}

// AppendNext reads the rows, bad rows and errors Next reads, on tricky
// files and on random noise of quotes, delimiters and line ends, with
// default and tiny limits and a decimal comma.
func TestCSVReaderAppendNextMatchesNext(t *testing.T) {
	inputs := []string{
		"a,b\n1,x\n2,\"y, z\"\n\n3,\"multi\nline\"\n4,\"bad\"x\n5,\"never closed\n6,ok\n",
		"a;b\r\n1,5;2\r\n\"q\"\"q\";  padded  \r\n",
		"a,b\n1,2,3\n4\n\"x\" ,y\n a\"b,c\n",
	}
	rng := rand.New(rand.NewPCG(7, 8))
	alphabet := []byte("ab,\"\n\r;| 1.e-")
	for range 300 {
		b := []byte("h1,h2,h3\n")
		for range rng.IntN(400) {
			b = append(b, alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		for _, opts := range []*score.CSVOptions{nil, {Delimiter: ';', DecimalComma: true},
			{Limits: &score.Limits{CellBytes: 3, RowBytes: 12, Columns: 3}}} {
			want, wantErr := readRows(t, []byte(in), opts, false)
			got, gotErr := readRows(t, []byte(in), opts, true)
			require.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(gotErr), "%q", in)
			require.Equal(t, want, got, "%q", in)
		}
	}
}
