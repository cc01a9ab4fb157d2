package fakeoutlook

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// The identity platform's token signing keys, as Entra publishes them: ID tokens are RS256
// JWTs whose header names the key (kid); the keys are at each tenant's jwks_uri
// ({tenant}/discovery/v2.0/keys, the same set for every tenant), several at a time, since
// Entra rotates them and publishes the next before it signs with it. RotateSigningKey signs
// with a new key from then on, keeping the old ones published; RetireSigningKeys stops
// publishing all but the current one, so that tokens signed with them no longer verify.
//
// Access tokens stay opaque to the fake's clients (they are looked up, see tokens.go): only
// ID tokens, which a relying party validates itself, are signed.

type signingKey struct {
	kid string
	key *rsa.PrivateKey
}

// signingKeys are made on first use: an RSA key takes a moment, and most fakes in tests
// never issue an ID token.
type signingKeys struct {
	mu   sync.Mutex
	keys []signingKey // the current one first
}

func (k *signingKeys) currentLocked() (signingKey, error) {
	if len(k.keys) == 0 {
		if err := k.addLocked(); err != nil {
			return signingKey{}, err
		}
	}
	return k.keys[0], nil
}

func (k *signingKeys) addLocked() error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("fake outlook: make a signing key: %w", err)
	}
	k.keys = append([]signingKey{{kid: newOpaqueToken(16), key: key}}, k.keys...)
	return nil
}

// sign makes a signed JWT of the claims with the current key.
func (k *signingKeys) sign(claims map[string]any) (string, error) {
	k.mu.Lock()
	cur, err := k.currentLocked()
	k.mu.Unlock()
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: cur.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", cur.kid))
	if err != nil {
		return "", fmt.Errorf("fake outlook: signer: %w", err)
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}

// set is the published key set.
func (k *signingKeys) set() (jose.JSONWebKeySet, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, err := k.currentLocked(); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	var out jose.JSONWebKeySet
	for _, sk := range k.keys {
		out.Keys = append(out.Keys, jose.JSONWebKey{Key: &sk.key.PublicKey, KeyID: sk.kid, Algorithm: string(jose.RS256), Use: "sig"})
	}
	return out, nil
}

// RotateSigningKey makes ID tokens be signed with a new key from now on; the keys before
// stay published (tokens they signed still verify) until RetireSigningKeys.
func (s *Server) RotateSigningKey() error {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if _, err := s.keys.currentLocked(); err != nil {
		return err
	}
	return s.keys.addLocked()
}

// RetireSigningKeys stops publishing every key but the current one.
func (s *Server) RetireSigningKeys() {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if len(s.keys.keys) > 1 {
		s.keys.keys = s.keys.keys[:1]
	}
}

// serveKeys answers {tenant}/discovery/v2.0/keys with the key set.
func (s *Server) serveKeys(w http.ResponseWriter, ids requestIDs) {
	set, err := s.keys.set()
	if err != nil {
		s.write(w, errorResponse(http.StatusInternalServerError, "ServerError", err.Error()), ids)
		return
	}
	data, _ := json.Marshal(set)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=86400, private")
	_, _ = w.Write(data)
}
