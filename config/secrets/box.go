// Package secrets encrypts small secrets at rest (OAuth tokens, the Outlook client secret) with
// AES-256-GCM under the program's secret key.
//
// Each sealed value binds a context string as additional data, so a value sealed for one
// purpose (say "outlook-token:user:7") cannot be copied into another row and opened there. The
// output is text: a version prefix and base64, so a later key rotation can add a version
// without guessing what old values are.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the key length that New accepts: AES-256.
const KeySize = 32

// version1 prefixes values sealed with AES-256-GCM, a random 96-bit nonce, and the context as
// additional data: "v1:" + base64url(nonce || ciphertext || tag).
const version1 = "v1:"

// ErrOpen means a sealed value could not be opened: a wrong key, a wrong context, or damage.
// The causes are deliberately not told apart.
var ErrOpen = errors.New("secrets: cannot open sealed value")

// Box seals and opens values under one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secrets: key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secrets: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secrets: gcm: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext bound to context; the same context must be given to Open.
func (b *Box) Seal(plaintext []byte, context string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secrets: nonce: %w", err)
	}
	sealed := b.aead.Seal(nonce, nonce, plaintext, []byte(context))
	return version1 + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// Open decrypts a value from Seal with the same context. Any failure is ErrOpen (wrapped).
func (b *Box) Open(sealed, context string) ([]byte, error) {
	rest, ok := strings.CutPrefix(sealed, version1)
	if !ok {
		return nil, fmt.Errorf("%w: unknown format", ErrOpen)
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("%w: not base64", ErrOpen)
	}
	n := b.aead.NonceSize()
	if len(raw) < n+b.aead.Overhead() {
		return nil, fmt.Errorf("%w: too short", ErrOpen)
	}
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(context))
	if err != nil {
		return nil, fmt.Errorf("%w: wrong key, wrong context or damaged", ErrOpen)
	}
	return plain, nil
}
