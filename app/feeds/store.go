package feeds

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"intracal/config/secrets"
)

// Owner kinds of a feed.
const (
	KindUser  = "user"
	KindSpace = "space"
)

// What a feed shows of its owner's private events.
const (
	PrivateBusy   = "busy"   // busy blocks, no title or details
	PrivateHidden = "hidden" // nothing
)

// ErrNoFeed means the owner has no feed (never made, or turned off).
var ErrNoFeed = errors.New("no calendar feed")

type feedRow struct {
	ID          int64 `gorm:"primaryKey"`
	OwnerKind   string
	OwnerID     int64
	TokenHash   string
	TokenSealed string
	Private     string
	CreatedAt   time.Time
}

func (feedRow) TableName() string { return "calendar_feeds" }

// Feed is one feed: whose, its token (the secret part of its address), and the private mode.
type Feed struct {
	OwnerKind string
	OwnerID   int64
	Token     string
	Private   string
	CreatedAt time.Time
}

// Store keeps the feeds.
type Store struct {
	db  *gorm.DB
	box *secrets.Box
	now func() time.Time
}

// NewStore is the feeds of db, their tokens sealed by box.
func NewStore(db *gorm.DB, box *secrets.Box, now func() time.Time) *Store {
	return &Store{db: db, box: box, now: now}
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func sealContext(kind string, owner int64) string {
	return fmt.Sprintf("calendar feed %s %d", kind, owner)
}

// Get returns an owner's feed, or ErrNoFeed.
func (s *Store) Get(ctx context.Context, kind string, owner int64) (Feed, error) {
	var r feedRow
	err := s.db.WithContext(ctx).Where("owner_kind = ? AND owner_id = ?", kind, owner).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Feed{}, ErrNoFeed
	}
	if err != nil {
		return Feed{}, fmt.Errorf("read the calendar feed: %w", err)
	}
	tok, err := s.box.Open(r.TokenSealed, sealContext(kind, owner))
	if err != nil {
		return Feed{}, fmt.Errorf("open the calendar feed's token: %w", err)
	}
	return Feed{OwnerKind: kind, OwnerID: owner, Token: string(tok), Private: r.Private, CreatedAt: r.CreatedAt}, nil
}

// Regenerate gives an owner's feed a new token (making the feed if there is none, with its
// own private events as busy blocks); the old address stops at once.
func (s *Store) Regenerate(ctx context.Context, kind string, owner int64) (Feed, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Feed{}, fmt.Errorf("make a feed token: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	sealed, err := s.box.Seal([]byte(tok), sealContext(kind, owner))
	if err != nil {
		return Feed{}, err
	}
	row := feedRow{OwnerKind: kind, OwnerID: owner, TokenHash: hashToken(tok), TokenSealed: sealed, Private: PrivateBusy, CreatedAt: s.now().UTC()}
	err = s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "owner_kind"}, {Name: "owner_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"token_hash", "token_sealed", "created_at"}),
	}).Create(&row).Error
	if err != nil {
		return Feed{}, fmt.Errorf("save the calendar feed: %w", err)
	}
	return s.Get(ctx, kind, owner)
}

// SetPrivate sets what the feed shows of its owner's private events.
func (s *Store) SetPrivate(ctx context.Context, kind string, owner int64, mode string) error {
	if mode != PrivateBusy && mode != PrivateHidden {
		return fmt.Errorf("private mode %q is neither busy nor hidden", mode)
	}
	res := s.db.WithContext(ctx).Model(&feedRow{}).Where("owner_kind = ? AND owner_id = ?", kind, owner).Update("private", mode)
	if res.Error != nil {
		return fmt.Errorf("save the calendar feed: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNoFeed
	}
	return nil
}

// Delete turns an owner's feed off: its address stops at once.
func (s *Store) Delete(ctx context.Context, kind string, owner int64) error {
	if err := s.db.WithContext(ctx).Where("owner_kind = ? AND owner_id = ?", kind, owner).Delete(&feedRow{}).Error; err != nil {
		return fmt.Errorf("turn the calendar feed off: %w", err)
	}
	return nil
}

// ByToken finds the feed of a token, or ErrNoFeed.
func (s *Store) ByToken(ctx context.Context, token string) (Feed, error) {
	if len(token) != 43 {
		return Feed{}, ErrNoFeed
	}
	var r feedRow
	err := s.db.WithContext(ctx).Where("token_hash = ?", hashToken(token)).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Feed{}, ErrNoFeed
	}
	if err != nil {
		return Feed{}, fmt.Errorf("find the calendar feed: %w", err)
	}
	return Feed{OwnerKind: r.OwnerKind, OwnerID: r.OwnerID, Token: token, Private: r.Private, CreatedAt: r.CreatedAt}, nil
}

// ForgetUser deletes, inside tx, the feed of a user whose account is deleted.
func ForgetUser(ctx context.Context, tx *gorm.DB, userID int64) error {
	if err := tx.WithContext(ctx).Where("owner_kind = ? AND owner_id = ?", KindUser, userID).Delete(&feedRow{}).Error; err != nil {
		return fmt.Errorf("forget the calendar feed: %w", err)
	}
	return nil
}
