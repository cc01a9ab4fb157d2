package secrets

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func TestSealOpenRoundTrip(t *testing.T) {
	box, err := New(testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	for _, plain := range [][]byte{nil, []byte("x"), []byte(strings.Repeat("refresh-token ", 500))} {
		sealed, err := box.Seal(plain, "outlook-token:user:7")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(sealed, "v1:") {
			t.Errorf("sealed value %q has no version prefix", sealed)
		}
		if len(plain) > 8 && strings.Contains(sealed, string(plain)) { // a short one may appear by chance
			t.Errorf("sealed value contains the plaintext")
		}
		got, err := box.Open(sealed, "outlook-token:user:7")
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if !bytes.Equal(got, plain) {
			t.Errorf("Open = %q, want %q", got, plain)
		}
	}
}

func TestSealUsesFreshNonces(t *testing.T) {
	box, _ := New(testKey(1))
	a, _ := box.Seal([]byte("same"), "c")
	b, _ := box.Seal([]byte("same"), "c")
	if a == b {
		t.Error("two seals of the same value are identical: the nonce is not random")
	}
}

func TestOpenRefuses(t *testing.T) {
	box, _ := New(testKey(1))
	other, _ := New(testKey(2))
	sealed, _ := box.Seal([]byte("client secret"), "property:OutlookApiClientSecret")
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 0x01
	flipped := "v1:" + base64.RawURLEncoding.EncodeToString(raw)

	tests := []struct {
		name    string
		box     *Box
		sealed  string
		context string
	}{
		{"wrong context", box, sealed, "outlook-token:user:7"},
		{"wrong key", other, sealed, "property:OutlookApiClientSecret"},
		{"damaged ciphertext", box, flipped, "property:OutlookApiClientSecret"},
		{"unknown version", box, "v9:" + strings.TrimPrefix(sealed, "v1:"), "property:OutlookApiClientSecret"},
		{"not base64", box, "v1:***", "property:OutlookApiClientSecret"},
		{"too short", box, "v1:AAAA", "property:OutlookApiClientSecret"},
		{"plaintext stored by mistake", box, "client secret", "property:OutlookApiClientSecret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.box.Open(tt.sealed, tt.context)
			if !errors.Is(err, ErrOpen) {
				t.Fatalf("Open err = %v, want ErrOpen", err)
			}
			if got != nil {
				t.Errorf("Open returned %q with an error", got)
			}
		})
	}
}

func TestNewRejectsWrongKeySize(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("New accepted a %d-byte key", n)
		}
	}
}
