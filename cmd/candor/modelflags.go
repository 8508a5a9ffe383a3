package main

// The flags every command that loads a model has: --verify-key requires a
// valid signature by a public key, --min-version a signed version at least
// this high (a rollback to an older signed model is refused).

import (
	"errors"
	"flag"
	"fmt"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/modelfile"
)

// modelFlags are --verify-key and --min-version.
type modelFlags struct {
	verifyKey  *string
	minVersion *uint64
}

func addModelFlags(fs *flag.FlagSet) *modelFlags {
	return &modelFlags{
		verifyKey:  fs.String("verify-key", "", "require a valid signature on the model by this public key (PREFIX.pub); PMML and sklearn files carry none and are refused"),
		minVersion: fs.Uint64("min-version", 0, "with --verify-key: refuse a model whose signed version (candor sign --version) is below this"),
	}
}

// load reads the model at path in any format (opts, which may be nil,
// for PMML scaling), requiring a signature when --verify-key is set.
func (mf *modelFlags) load(path string, opts *modelfile.Options) (*score.Model, modelfile.Format, error) {
	var o modelfile.Options
	if opts != nil {
		o = *opts
	}
	if *mf.minVersion > 0 && *mf.verifyKey == "" {
		return nil, "", errors.New("--min-version needs --verify-key: only a signature makes a version trustworthy")
	}
	if *mf.verifyKey == "" {
		return loadAnyModel(path, &o)
	}
	pub, err := score.ReadPublicKeyFile(*mf.verifyKey)
	if err != nil {
		return nil, "", err
	}
	o.PublicKey, o.MinVersion = pub, *mf.minVersion
	m, format, err := loadAnyModel(path, &o)
	switch {
	case errors.Is(err, score.ErrUnsigned):
		return nil, "", fmt.Errorf("%w; refusing an unsigned model (sign it with candor sign)", err)
	case errors.Is(err, score.ErrBadSignature):
		return nil, "", fmt.Errorf("%w; refusing the model", err)
	case errors.Is(err, score.ErrFingerprint):
		return nil, "", fmt.Errorf("%w; the model was altered after signing, refusing it", err)
	case errors.Is(err, score.ErrRollback):
		return nil, "", fmt.Errorf("%w; refusing a rollback to an older model", err)
	}
	return m, format, err
}

// loadModel is load without PMML options.
func (mf *modelFlags) loadModel(path string) (*score.Model, error) {
	m, _, err := mf.load(path, nil)
	return m, err
}
