// Package signing creates what a model's signature needs: ed25519 key pairs
// in PEM files and signatures over a model file's fingerprint. It is for the
// release step (the "candor keygen" and "candor sign" commands, a build
// pipeline); services that only load and verify signed models need nothing
// from it: verification is score.LoadSigned and score.File.VerifySignature.
//
// Keys are PEM text readable by OpenSSL: a private key is PKCS #8 ("PRIVATE
// KEY"), a public key PKIX ("PUBLIC KEY"). Errors wrap score.ErrKey for bad
// keys and carry the file name for file operations.
package signing
