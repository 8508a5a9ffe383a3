package modelfile

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/pmml"
	"github.com/candorscore/candor/score/sklearn"
)

// Format is the format a model file was read in.
type Format string

// The formats Read detects.
const (
	Candor  Format = "json"    // candor's JSON model file (score.FormatName)
	PMML    Format = "pmml"    // PMML 4.x Scorecard or RegressionModel
	Sklearn Format = "sklearn" // scikit-learn logistic regression (sklearn.Format)
)

// Options configure Read. The zero value (or nil) means: any format, no
// signature required, pmml.Read's defaults.
type Options struct {
	// PublicKey, when set, requires a valid ed25519 signature by this key
	// (score.LoadSigned): unsigned files, including every PMML and
	// scikit-learn file, are refused with score.ErrUnsigned.
	PublicKey ed25519.PublicKey
	// MinVersion, with PublicKey, refuses a validly signed model whose
	// signed version (score.Signature.Version) is below it: a
	// *score.VersionError (score.ErrRollback). Without PublicKey it is an
	// error to set it: an unsigned version means nothing.
	MinVersion uint64
	// PMML configures reading PMML files (e.g. the points scaling of a
	// scorecard without candor metadata); nil means pmml.Read's defaults.
	PMML *pmml.Options
}

// Detect reports the format of a model file's content: XML is PMML, JSON
// with "format": "sklearn-logistic" is scikit-learn, JSON with "format":
// "candor-model" is candor's own. A leading byte-order mark and white space
// are skipped.
func Detect(b []byte) (Format, error) {
	b = trim(b)
	switch {
	case bytes.HasPrefix(b, []byte("<")):
		return PMML, nil
	case bytes.HasPrefix(b, []byte("{")):
		var head struct {
			Format string `json:"format"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return "", fmt.Errorf("%w: not a model file: %v", score.ErrMalformed, err)
		}
		switch head.Format {
		case sklearn.Format:
			return Sklearn, nil
		case score.FormatName:
			return Candor, nil
		}
		return "", fmt.Errorf("%w: JSON with format %q (want %q or %q)", score.ErrMalformed, head.Format, score.FormatName, sklearn.Format)
	}
	return "", fmt.Errorf("%w: neither a PMML (XML) nor a JSON model file", score.ErrMalformed)
}

func trim(b []byte) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\ufeff")), " \t\r\n")
}

// MaxBytes is the largest model file Read accepts, in any format (64 MiB);
// past it Read returns a *score.LimitError. PMML documents are further
// bounded in depth and element count (pmml.Options).
var MaxBytes int64 = 64 << 20

// Read reads a whole model file from r, detects its format and returns the
// validated model and the format. opts may be nil.
func Read(r io.Reader, opts *Options) (*score.Model, Format, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	b, err := io.ReadAll(score.LimitReader(r, MaxBytes, "model file", "modelfile.MaxBytes"))
	if err != nil {
		return nil, "", err
	}
	format, err := Detect(b)
	if err != nil {
		return nil, "", err
	}
	if o.MinVersion > 0 && o.PublicKey == nil {
		return nil, "", fmt.Errorf("%w: a minimum version needs a public key to check the signed version against", score.ErrKey)
	}
	if o.PublicKey != nil && format != Candor {
		return nil, "", fmt.Errorf("%w: a %s model file carries no signature", score.ErrUnsigned, format)
	}
	b = trim(b)
	var m *score.Model
	switch format {
	case PMML:
		m, err = pmml.Read(bytes.NewReader(b), o.PMML)
	case Sklearn:
		m, err = sklearn.Parse(b)
	default:
		if o.PublicKey != nil {
			m, err = score.LoadSignedMin(bytes.NewReader(b), o.PublicKey, o.MinVersion)
		} else {
			m, err = score.Load(bytes.NewReader(b))
		}
	}
	if err != nil {
		return nil, "", err
	}
	return m, format, nil
}

// ReadFile is Read on a file path; errors begin with the path.
func ReadFile(path string, opts *Options) (*score.Model, Format, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer fh.Close()
	m, format, err := Read(fh, opts)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	return m, format, nil
}
