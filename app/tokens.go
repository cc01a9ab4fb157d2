package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
)

// apiTokenPrefix marks personal API tokens so that secret scanners and people recognise them.
const apiTokenPrefix = "cal_"

// tokenShownPrefix is how many characters of a token are kept in clear to tell tokens apart
// ("cal_" and eight of its 43 random ones): too few to guess the rest from.
const tokenShownPrefix = len(apiTokenPrefix) + 8

// tokenUseEvery limits how often a token's last use is written.
const tokenUseEvery = time.Minute

// maxTokenName bounds a token's name (the column's size).
const maxTokenName = 100

// Why a bearer token is refused.
var (
	errNoToken      = fmt.Errorf("no such API token: %w", calendar.ErrNotFound)
	errTokenExpired = errors.New("the API token has expired")
)

// apiTokenRow is a row of api_tokens: only the hash of the token is kept, with its first
// characters to recognise it by.
type apiTokenRow struct {
	ID          int64
	UserID      int64
	TokenHash   string
	TokenPrefix string
	Name        string
	CreatedAt   time.Time
	LastUsedAt  *time.Time
	ExpiresAt   *time.Time // nil: never expires
}

func (apiTokenRow) TableName() string { return "api_tokens" }

// Shown is how the token appears in lists: its prefix, never the secret. Tokens made before
// prefixes were kept show the marker alone.
func (r apiTokenRow) Shown() string {
	if r.TokenPrefix == "" {
		return apiTokenPrefix + "…"
	}
	return r.TokenPrefix + "…"
}

// expired reports whether the token has expired at now.
func (r apiTokenRow) expired(now time.Time) bool {
	return r.ExpiresAt != nil && !now.Before(*r.ExpiresAt)
}

// tokenStore keeps personal API tokens.
type tokenStore struct {
	db  *gorm.DB
	now func() time.Time
}

// in is the store working inside the transaction tx.
func (s *tokenStore) in(tx *gorm.DB) *tokenStore { return &tokenStore{db: tx, now: s.now} }

// create issues a new token that never expires, without an audit entry (tests and the demo;
// people get theirs through App.createToken).
func (s *tokenStore) create(ctx context.Context, userID int64, name string) (string, error) {
	token, _, err := s.issue(ctx, userID, name, nil)
	return token, err
}

// issue stores a new token for a user and returns it with its row; the token cannot be
// shown again. expires nil means it never expires.
func (s *tokenStore) issue(ctx context.Context, userID int64, name string, expires *time.Time) (string, apiTokenRow, error) {
	token := apiTokenPrefix + randomToken()
	row := apiTokenRow{UserID: userID, TokenHash: tokenHash(token), TokenPrefix: token[:tokenShownPrefix],
		Name: tokenName(name), CreatedAt: s.now()}
	if expires != nil {
		t := expires.UTC()
		row.ExpiresAt = &t
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", apiTokenRow{}, fmt.Errorf("create API token: %w", err)
	}
	return token, row, nil
}

// tokenName trims a name to what the column holds, at a character boundary.
func tokenName(name string) string { return truncateText(strings.TrimSpace(name), maxTokenName) }

// lookup finds a token and records its use; errNoToken when it is unknown (or revoked),
// errTokenExpired when it has expired.
func (s *tokenStore) lookup(ctx context.Context, token string) (apiTokenRow, error) {
	if !strings.HasPrefix(token, apiTokenPrefix) {
		return apiTokenRow{}, errNoToken
	}
	var row apiTokenRow
	err := s.db.WithContext(ctx).Where("token_hash = ?", tokenHash(token)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apiTokenRow{}, errNoToken
	}
	if err != nil {
		return apiTokenRow{}, fmt.Errorf("find API token: %w", err)
	}
	now := s.now()
	if row.expired(now) {
		return apiTokenRow{}, errTokenExpired
	}
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) >= tokenUseEvery {
		if err := s.db.WithContext(ctx).Model(&apiTokenRow{}).Where("id = ?", row.ID).Update("last_used_at", now).Error; err != nil {
			return apiTokenRow{}, fmt.Errorf("record API token use: %w", err)
		}
	}
	return row, nil
}

// list returns a user's tokens, expired ones included, newest first; userID 0 lists
// everyone's.
func (s *tokenStore) list(ctx context.Context, userID int64) ([]apiTokenRow, error) {
	q := s.db.WithContext(ctx).Order("created_at DESC, id DESC")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	var rows []apiTokenRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	return rows, nil
}

// byID finds a token by its id; errNoToken when there is none.
func (s *tokenStore) byID(ctx context.Context, id int64) (apiTokenRow, error) {
	var row apiTokenRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apiTokenRow{}, errNoToken
	}
	if err != nil {
		return apiTokenRow{}, fmt.Errorf("find API token %d: %w", id, err)
	}
	return row, nil
}

// delete removes a token, which revokes it; errNoToken when it was gone already.
func (s *tokenStore) delete(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&apiTokenRow{})
	if res.Error != nil {
		return fmt.Errorf("revoke API token %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return errNoToken
	}
	return nil
}

// deleteForUser revokes every token of a user and says how many there were.
func (s *tokenStore) deleteForUser(ctx context.Context, userID int64) (int64, error) {
	res := s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&apiTokenRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("revoke the API tokens of user %d: %w", userID, res.Error)
	}
	return res.RowsAffected, nil
}

// tokenCounts counts the tokens of each account.
func (s *tokenStore) counts(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		UserID int64
		N      int
	}
	if err := s.db.WithContext(ctx).Model(&apiTokenRow{}).Select("user_id, COUNT(*) AS n").Group("user_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count API tokens: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.N
	}
	return out, nil
}
