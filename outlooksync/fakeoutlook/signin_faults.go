package fakeoutlook

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// IDTokenFault spoils the next ID token the fake issues in one way, so that a relying party's
// checks can be tried: each is a token a real attacker or a misdirected response could bring.
type IDTokenFault string

const (
	IDTokenForged        IDTokenFault = "forged"   // signed with a key the tenant does not publish, under a published kid
	IDTokenExpired       IDTokenFault = "expired"  // issued two hours ago, expired one hour ago
	IDTokenWrongAudience IDTokenFault = "audience" // for another app
	IDTokenWrongIssuer   IDTokenFault = "issuer"   // issued by another tenant (tid unchanged)
	IDTokenWrongNonce    IDTokenFault = "nonce"    // another sign-in's nonce
	IDTokenReplayed      IDTokenFault = "replayed" // the ID token issued last, sent again
)

// SetIDTokenFault spoils the next ID token issued ("" clears a fault not yet used).
func (s *Server) SetIDTokenFault(f IDTokenFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idFault = f
}

// DisableAccount disables or enables a mailbox's account at the identity platform, as an
// Entra administrator blocking sign-in does: its interactive sign-ins end on Microsoft's
// error page (AADSTS50057) and never come back to the app.
func (s *Server) DisableAccount(email string, disabled bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.mailboxLocked(email)
	if err != nil {
		return err
	}
	if disabled {
		s.disabled[m.id] = true
	} else {
		delete(s.disabled, m.id)
	}
	return nil
}

// idTokenLocked signs an ID token of claims, spoiled by the fault set, if any.
func (s *Server) idTokenLocked(claims map[string]any) (string, error) {
	fault := s.idFault
	s.idFault = ""
	switch fault {
	case IDTokenReplayed:
		if s.lastIDToken != "" {
			return s.lastIDToken, nil
		}
	case IDTokenExpired:
		past := s.now().Add(-2 * time.Hour)
		claims["iat"], claims["nbf"], claims["exp"] = past.Unix(), past.Unix(), past.Add(time.Hour).Unix()
	case IDTokenWrongAudience:
		claims["aud"] = newGUID()
	case IDTokenWrongIssuer:
		if iss, ok := claims["iss"].(string); ok {
			tid, _ := claims["tid"].(string)
			claims["iss"] = strings.Replace(iss, tid, newGUID(), 1)
		}
	case IDTokenWrongNonce:
		claims["nonce"] = newOpaqueToken(32)
	case IDTokenForged:
		return s.keys.forge(claims)
	}
	tok, err := s.keys.sign(claims)
	if err == nil {
		s.lastIDToken = tok
	}
	return tok, err
}

// forge signs claims with a fresh key that is never published, naming the current key's kid.
func (k *signingKeys) forge(claims map[string]any) (string, error) {
	k.mu.Lock()
	cur, err := k.currentLocked()
	k.mu.Unlock()
	if err != nil {
		return "", err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", fmt.Errorf("fake outlook: make a forger's key: %w", err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", cur.kid))
	if err != nil {
		return "", fmt.Errorf("fake outlook: signer: %w", err)
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}
