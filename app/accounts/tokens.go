package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
)

// APITokenPrefix marks personal API tokens so that secret scanners and people recognise them.
const APITokenPrefix = "cal_"

// TokenShownPrefix is how many characters of a token are kept in clear to tell tokens apart
// ("cal_" and eight of its 43 random ones): too few to guess the rest from.
const TokenShownPrefix = len(APITokenPrefix) + 8

// tokenUseEvery limits how often a token's last use is written.
const tokenUseEvery = time.Minute

// maxTokenName bounds a token's name (the column's size).
const maxTokenName = 100

// Why a bearer token is refused.
var (
	ErrNoToken      = fmt.Errorf("no such API token: %w", calendar.ErrNotFound)
	ErrTokenExpired = errors.New("the API token has expired")
)

// Token is a row of api_tokens: only the hash of the token is kept, with its first
// characters to recognise it by.
type Token struct {
	ID          int64
	UserID      int64
	TokenHash   string
	TokenPrefix string
	Name        string
	CreatedAt   time.Time
	LastUsedAt  *time.Time
	ExpiresAt   *time.Time // nil: never expires
}

func (Token) TableName() string { return "api_tokens" }

// Shown is how the token appears in lists: its prefix, never the secret. Tokens made before
// prefixes were kept show the marker alone.
func (r Token) Shown() string {
	if r.TokenPrefix == "" {
		return APITokenPrefix + "…"
	}
	return r.TokenPrefix + "…"
}

// Expired reports whether the token has expired at now.
func (r Token) Expired(now time.Time) bool {
	return r.ExpiresAt != nil && !now.Before(*r.ExpiresAt)
}

// Tokens keeps personal API tokens.
type Tokens struct {
	db  *gorm.DB
	now func() time.Time
}

// NewTokens is the API token store on db, reading the time from now.
func NewTokens(db *gorm.DB, now func() time.Time) *Tokens { return &Tokens{db: db, now: now} }

// In is the store working inside the transaction tx.
func (s *Tokens) In(tx *gorm.DB) *Tokens { return &Tokens{db: tx, now: s.now} }

// Create issues a new token that never expires, without an audit entry (tests and the demo;
// people get theirs through Lifecycle.CreateToken).
func (s *Tokens) Create(ctx context.Context, userID int64, name string) (string, error) {
	token, _, err := s.Issue(ctx, userID, name, nil)
	return token, err
}

// Issue stores a new token for a user and returns it with its row; the token cannot be
// shown again. expires nil means it never expires.
func (s *Tokens) Issue(ctx context.Context, userID int64, name string, expires *time.Time) (string, Token, error) {
	token := APITokenPrefix + RandomToken()
	row := Token{UserID: userID, TokenHash: TokenHash(token), TokenPrefix: token[:TokenShownPrefix],
		Name: tokenName(name), CreatedAt: s.now()}
	if expires != nil {
		t := expires.UTC()
		row.ExpiresAt = &t
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", Token{}, fmt.Errorf("create API token: %w", err)
	}
	return token, row, nil
}

// tokenName trims a name to what the column holds, at a character boundary.
func tokenName(name string) string { return truncateText(strings.TrimSpace(name), maxTokenName) }

// Lookup finds a token and records its use; ErrNoToken when it is unknown (or revoked),
// ErrTokenExpired when it has expired.
func (s *Tokens) Lookup(ctx context.Context, token string) (Token, error) {
	if !strings.HasPrefix(token, APITokenPrefix) {
		return Token{}, ErrNoToken
	}
	var row Token
	err := s.db.WithContext(ctx).Where("token_hash = ?", TokenHash(token)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Token{}, ErrNoToken
	}
	if err != nil {
		return Token{}, fmt.Errorf("find API token: %w", err)
	}
	now := s.now()
	if row.Expired(now) {
		return Token{}, ErrTokenExpired
	}
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) >= tokenUseEvery {
		if err := s.db.WithContext(ctx).Model(&Token{}).Where("id = ?", row.ID).Update("last_used_at", now).Error; err != nil {
			return Token{}, fmt.Errorf("record API token use: %w", err)
		}
	}
	return row, nil
}

// List returns a user's tokens, expired ones included, newest first; userID 0 lists
// everyone's.
func (s *Tokens) List(ctx context.Context, userID int64) ([]Token, error) {
	q := s.db.WithContext(ctx).Order("created_at DESC, id DESC")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	var rows []Token
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	return rows, nil
}

// ByID finds a token by its id; ErrNoToken when there is none.
func (s *Tokens) ByID(ctx context.Context, id int64) (Token, error) {
	var row Token
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Token{}, ErrNoToken
	}
	if err != nil {
		return Token{}, fmt.Errorf("find API token %d: %w", id, err)
	}
	return row, nil
}

// Delete removes a token, which revokes it; ErrNoToken when it was gone already.
func (s *Tokens) Delete(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&Token{})
	if res.Error != nil {
		return fmt.Errorf("revoke API token %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNoToken
	}
	return nil
}

// DeleteForUser revokes every token of a user and says how many there were.
func (s *Tokens) DeleteForUser(ctx context.Context, userID int64) (int64, error) {
	res := s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&Token{})
	if res.Error != nil {
		return 0, fmt.Errorf("revoke the API tokens of user %d: %w", userID, res.Error)
	}
	return res.RowsAffected, nil
}

// tokenCounts counts the tokens of each account.
func (s *Tokens) Counts(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		UserID int64
		N      int
	}
	if err := s.db.WithContext(ctx).Model(&Token{}).Select("user_id, COUNT(*) AS n").Group("user_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count API tokens: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.N
	}
	return out, nil
}
