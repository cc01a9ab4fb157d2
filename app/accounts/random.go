package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// RandomToken returns 32 random bytes as URL-safe text: session cookies, CSRF tokens, API
// tokens and generated passwords.
func RandomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenHash is what the database keeps of a bearer secret (session cookie, API token): a
// stolen copy of the table does not let anyone sign in.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
