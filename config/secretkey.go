package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SecretKeySize is the size of the secret key in bytes (AES-256).
const SecretKeySize = 32

// SecretKeyFileName is the file in the data directory that holds a generated key.
const SecretKeyFileName = "secret.key"

// SecretKey is the key that encrypts secrets at rest. It prints as "[redacted]" in every fmt
// verb and in slog so that it cannot leak through a log line or an error message.
type SecretKey [SecretKeySize]byte

// Bytes returns a copy of the key for a cipher.
func (k SecretKey) Bytes() []byte { b := k; return b[:] }

// IsZero reports whether no key was set.
func (k SecretKey) IsZero() bool { return k == SecretKey{} }

func (SecretKey) String() string { return "[redacted]" }

// GoString covers %#v, which would otherwise print the bytes.
func (SecretKey) GoString() string { return "config.SecretKey([redacted])" }

// Format covers every other verb (%x, %d, %q, ...).
func (SecretKey) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("[redacted]")) }

// MarshalText covers encoders such as JSON.
func (SecretKey) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }

// loadSecretKey resolves the key from the variable, the file it names, or the generated file in
// the data directory (creating it on first use). It returns where the key came from.
func loadSecretKey(value, file, dataDir string) (SecretKey, string, error) {
	switch {
	case value != "" && file != "":
		return SecretKey{}, "", fmt.Errorf("%s and %s are both set: keep one", EnvSecretKey, EnvSecretKeyFile)
	case value != "":
		k, err := decodeKey(value)
		if err != nil {
			return SecretKey{}, "", fmt.Errorf("%s: %w", EnvSecretKey, err)
		}
		return k, "from " + EnvSecretKey, nil
	case file != "":
		k, err := readKeyFile(file)
		if err != nil {
			return SecretKey{}, "", fmt.Errorf("%s: %w", EnvSecretKeyFile, err)
		}
		return k, "from " + EnvSecretKeyFile, nil
	}
	path := filepath.Join(dataDir, SecretKeyFileName)
	k, created, err := generatedKey(path)
	if err != nil {
		return SecretKey{}, "", fmt.Errorf("%s is unset and the generated key cannot be used: %w", EnvSecretKey, err)
	}
	if created {
		return k, "generated into " + path, nil
	}
	return k, "generated earlier in " + path, nil
}

func decodeKey(s string) (SecretKey, error) {
	s = strings.TrimSpace(s)
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(s); err == nil {
			break
		}
	}
	if err != nil {
		return SecretKey{}, errors.New("not base64 (generate one with: head -c 32 /dev/urandom | base64)")
	}
	if len(raw) != SecretKeySize {
		return SecretKey{}, fmt.Errorf("decodes to %d bytes, want %d", len(raw), SecretKeySize)
	}
	var k SecretKey
	copy(k[:], raw)
	return k, nil
}

func readKeyFile(path string) (SecretKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return SecretKey{}, fmt.Errorf("read key file: %w", err)
	}
	k, err := decodeKey(string(b))
	if err != nil {
		return SecretKey{}, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}

// generatedKey reads the key at path, or creates it with 0600 permissions. O_EXCL makes two
// processes starting at once agree on one key: the loser reads the winner's file.
func generatedKey(path string) (SecretKey, bool, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return SecretKey{}, false, fmt.Errorf("create data directory: %w", err)
	}
	var k SecretKey
	_, _ = rand.Read(k[:]) // never fails (crypto/rand panics instead)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		k, err := readExistingKey(path)
		return k, false, err
	}
	if err != nil {
		return SecretKey{}, false, fmt.Errorf("create %s: %w", path, err)
	}
	_, werr := f.WriteString(base64.StdEncoding.EncodeToString(k[:]) + "\n")
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(path) // a half-written key would fail every later start
		return SecretKey{}, false, fmt.Errorf("write %s: %w", path, err)
	}
	return k, true, nil
}

// readExistingKey refuses a key file that others can read, as ssh does with private keys.
func readExistingKey(path string) (SecretKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return SecretKey{}, fmt.Errorf("stat %s: %w", path, err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return SecretKey{}, fmt.Errorf("%s is readable by others (mode %o): run chmod 600 on it", path, info.Mode().Perm())
	}
	return readKeyFile(path)
}
