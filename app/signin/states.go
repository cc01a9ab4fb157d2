package signin

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/config/secrets"
)

const stateLifetime = 10 * time.Minute

// Why a callback's state is refused.
var (
	errStateUnknown = errors.New("unknown sign-in state")
	errStateUsed    = errors.New("sign-in state already used")
	errStateExpired = errors.New("sign-in state expired")
)

// stateRow is a row of signin_states (migration 20).
type stateRow struct {
	ID        string `gorm:"primaryKey"`
	Binding   string
	NonceHash string
	Verifier  string
	Tenant    string
	Next      string
	Connect   bool
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (stateRow) TableName() string { return "signin_states" }

// started is what the start of a sign-in sends to Microsoft.
type started struct {
	State, Nonce, Verifier string
}

type states struct {
	db  *gorm.DB
	box *secrets.Box
	now func() time.Time
}

func verifierContext(id string) string { return "signin-verifier:" + id }

// create keeps a new sign-in bound to the browser's secret (its hash is stored).
func (s *states) create(ctx context.Context, browser, tenant, next string, connect bool) (started, error) {
	st := started{State: accounts.RandomToken(), Nonce: accounts.RandomToken(), Verifier: oauth2.GenerateVerifier()}
	id := accounts.TokenHash(st.State)
	sealed, err := s.box.Seal([]byte(st.Verifier), verifierContext(id))
	if err != nil {
		return started{}, err
	}
	now := s.now()
	db := s.db.WithContext(ctx)
	// Sign-ins never finished are swept here, an hour after they expired.
	if err := db.Where("expires_at < ?", now.Add(-time.Hour)).Delete(&stateRow{}).Error; err != nil {
		return started{}, fmt.Errorf("sweep old sign-in states: %w", err)
	}
	row := stateRow{ID: id, Binding: accounts.TokenHash(browser), NonceHash: accounts.TokenHash(st.Nonce),
		Verifier: sealed, Tenant: tenant, Next: next, Connect: connect, CreatedAt: now, ExpiresAt: now.Add(stateLifetime)}
	if err := db.Create(&row).Error; err != nil {
		return started{}, fmt.Errorf("store the sign-in state: %w", err)
	}
	return st, nil
}

// consume marks a state used, once: of two callbacks with the same state only the first gets
// past here. It returns the state's row and its PKCE verifier.
func (s *states) consume(ctx context.Context, state string) (stateRow, string, error) {
	if state == "" || len(state) > 200 {
		return stateRow{}, "", errStateUnknown
	}
	id := accounts.TokenHash(state)
	now := s.now()
	db := s.db.WithContext(ctx)
	res := db.Model(&stateRow{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", id, now).Update("used_at", now)
	if res.Error != nil {
		return stateRow{}, "", fmt.Errorf("use the sign-in state: %w", res.Error)
	}
	var row stateRow
	err := db.Where("id = ?", id).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return stateRow{}, "", errStateUnknown
	case err != nil:
		return stateRow{}, "", fmt.Errorf("read the sign-in state: %w", err)
	case res.RowsAffected == 0 && row.UsedAt != nil:
		return stateRow{}, "", errStateUsed
	case res.RowsAffected == 0:
		return stateRow{}, "", errStateExpired
	}
	verifier, err := s.box.Open(row.Verifier, verifierContext(id))
	if err != nil {
		return stateRow{}, "", fmt.Errorf("open the sign-in verifier: %w", err)
	}
	return row, string(verifier), nil
}

// hashEqual compares a secret with a stored hash of one in constant time.
func hashEqual(secret, hash string) bool {
	return secret != "" && subtle.ConstantTimeCompare([]byte(accounts.TokenHash(secret)), []byte(hash)) == 1
}
