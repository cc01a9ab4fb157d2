package outlook

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/config/secrets"
)

// A sign-in with Microsoft is started by GET /outlook/connect and finished by the callback.
// The state that ties the two is random, used once, valid for ten minutes and bound to the
// session (or API token) and user that started it; the database keeps only its hash, with
// the PKCE verifier sealed.

const oauthStateLifetime = 10 * time.Minute

// Why a callback's state is refused.
var (
	errStateUnknown = errors.New("unknown sign-in state")
	errStateUsed    = errors.New("sign-in state already used")
	errStateExpired = errors.New("sign-in state expired")
)

// oauthStateRow is a row of oauth_states (migration 4).
type oauthStateRow struct {
	ID        string `gorm:"primaryKey"`
	UserID    int64
	Binding   string
	Verifier  string
	Tenant    string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (oauthStateRow) TableName() string { return "oauth_states" }

type oauthStates struct {
	db  *gorm.DB
	box *secrets.Box
	now func() time.Time
}

func verifierContext(id string) string { return "oauth-verifier:" + id }

// create starts a sign-in and returns the state to send and the PKCE verifier.
func (s *oauthStates) create(ctx context.Context, userID int64, binding, tenant string) (state, verifier string, err error) {
	state, verifier = accounts.RandomToken(), oauth2.GenerateVerifier()
	id := accounts.TokenHash(state)
	sealed, err := s.box.Seal([]byte(verifier), verifierContext(id))
	if err != nil {
		return "", "", err
	}
	now := s.now()
	db := s.db.WithContext(ctx)
	// Sign-ins that were never finished are swept here, an hour after they expired.
	if err := db.Where("expires_at < ?", now.Add(-time.Hour)).Delete(&oauthStateRow{}).Error; err != nil {
		return "", "", fmt.Errorf("sweep old sign-in states: %w", err)
	}
	row := oauthStateRow{ID: id, UserID: userID, Binding: binding, Verifier: sealed, Tenant: tenant,
		CreatedAt: now, ExpiresAt: now.Add(oauthStateLifetime)}
	if err := db.Create(&row).Error; err != nil {
		return "", "", fmt.Errorf("store the sign-in state: %w", err)
	}
	return state, verifier, nil
}

// deleteForUser removes, inside tx, the sign-ins under way of a user whose account is deleted.
func (s *oauthStates) deleteForUser(ctx context.Context, tx *gorm.DB, userID int64) error {
	if err := tx.WithContext(ctx).Where("user_id = ?", userID).Delete(&oauthStateRow{}).Error; err != nil {
		return fmt.Errorf("remove the outlook sign-ins of user %d: %w", userID, err)
	}
	return nil
}

// consume marks a state used, once: of two callbacks with the same state only the first
// gets past here. It returns the state's row and its PKCE verifier.
func (s *oauthStates) consume(ctx context.Context, state string) (oauthStateRow, string, error) {
	if state == "" || len(state) > 200 {
		return oauthStateRow{}, "", errStateUnknown
	}
	id := accounts.TokenHash(state)
	now := s.now()
	db := s.db.WithContext(ctx)
	res := db.Model(&oauthStateRow{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", id, now).Update("used_at", now)
	if res.Error != nil {
		return oauthStateRow{}, "", fmt.Errorf("use the sign-in state: %w", res.Error)
	}
	var row oauthStateRow
	err := db.Where("id = ?", id).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return oauthStateRow{}, "", errStateUnknown
	case err != nil:
		return oauthStateRow{}, "", fmt.Errorf("read the sign-in state: %w", err)
	case res.RowsAffected == 0 && row.UsedAt != nil:
		return oauthStateRow{}, "", errStateUsed
	case res.RowsAffected == 0:
		return oauthStateRow{}, "", errStateExpired
	}
	verifier, err := s.box.Open(row.Verifier, verifierContext(id))
	if err != nil {
		return oauthStateRow{}, "", fmt.Errorf("open the sign-in verifier: %w", err)
	}
	return row, string(verifier), nil
}

// bindingOf names what authenticated this request, without its secret: the session (its
// id is already a hash) or the API token's hash.
func bindingOf(c echo.Context) string {
	info, _ := accounts.AuthOf(c)
	if info.Method == accounts.ByBearer {
		_, token, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
		return "token:" + accounts.TokenHash(strings.TrimSpace(token))
	}
	return "session:" + info.SessionID
}
