package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// apiTokenPrefix marks personal API tokens so that secret scanners and people recognise them.
const apiTokenPrefix = "cal_"

// tokenUseEvery limits how often a token's last use is written.
const tokenUseEvery = time.Minute

// errNoToken means a bearer token is unknown.
var errNoToken = errors.New("no such API token")

// apiTokenRow is a row of api_tokens: only the hash of the token is kept.
type apiTokenRow struct {
	ID         int64
	UserID     int64
	TokenHash  string
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

func (apiTokenRow) TableName() string { return "api_tokens" }

// tokenStore keeps personal API tokens.
type tokenStore struct {
	db  *gorm.DB
	now func() time.Time
}

// create issues a new token for a user and returns it; it cannot be shown again.
func (s *tokenStore) create(ctx context.Context, userID int64, name string) (string, error) {
	token := apiTokenPrefix + randomToken()
	name = strings.TrimSpace(name)
	if len(name) > 100 {
		name = name[:100]
	}
	row := apiTokenRow{UserID: userID, TokenHash: tokenHash(token), Name: name, CreatedAt: s.now()}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("create API token: %w", err)
	}
	return token, nil
}

// lookup finds a token and records its use; errNoToken when it is unknown.
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
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) >= tokenUseEvery {
		if err := s.db.WithContext(ctx).Model(&apiTokenRow{}).Where("id = ?", row.ID).Update("last_used_at", now).Error; err != nil {
			return apiTokenRow{}, fmt.Errorf("record API token use: %w", err)
		}
	}
	return row, nil
}
