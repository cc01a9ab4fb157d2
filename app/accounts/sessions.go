package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A session lasts SessionIdle after its last use and never longer than sessionMaxAge in all.
// Its last use is written at most every sessionTouch, so that reading pages does not write
// to the database on every request.
const (
	SessionIdle   = 30 * 24 * time.Hour
	sessionMaxAge = 90 * 24 * time.Hour
	sessionTouch  = 5 * time.Minute
)

// ErrNoSession means the cookie names no live session.
var ErrNoSession = errors.New("no such session")

// Session is a row of sessions. The id is the hash of the cookie's token: the database
// never holds a value that would let someone sign in.
type Session struct {
	ID         string
	UserID     int64
	CSRFToken  string `gorm:"column:csrf_token"`
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

func (Session) TableName() string { return "sessions" }

// Sessions keeps browser sessions in the database, so they survive a restart and are
// shared by every instance of the app.
type Sessions struct {
	db  *gorm.DB
	now func() time.Time
}

// NewSessions is the session store on db, reading the time from now.
func NewSessions(db *gorm.DB, now func() time.Time) *Sessions { return &Sessions{db: db, now: now} }

// Create starts a session for a user and returns the cookie's token.
func (s *Sessions) Create(ctx context.Context, userID int64) (string, Session, error) {
	token := RandomToken()
	now := s.now()
	row := Session{
		ID: TokenHash(token), UserID: userID, CSRFToken: RandomToken(),
		CreatedAt: now, ExpiresAt: now.Add(SessionIdle), LastSeenAt: now,
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", Session{}, fmt.Errorf("create session: %w", err)
	}
	return token, row, nil
}

// Lookup finds the live session of a cookie token; ErrNoSession when it is unknown or expired.
func (s *Sessions) Lookup(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, ErrNoSession
	}
	var row Session
	err := s.db.WithContext(ctx).Where("id = ?", TokenHash(token)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("find session: %w", err)
	}
	if !s.now().Before(row.ExpiresAt) {
		return Session{}, ErrNoSession
	}
	return row, nil
}

// Touch records a use of the session and extends it, at most every sessionTouch.
func (s *Sessions) Touch(ctx context.Context, row Session) error {
	now := s.now()
	if now.Sub(row.LastSeenAt) < sessionTouch {
		return nil
	}
	expires := now.Add(SessionIdle)
	if limit := row.CreatedAt.Add(sessionMaxAge); expires.After(limit) {
		expires = limit
	}
	err := s.db.WithContext(ctx).Model(&Session{}).Where("id = ?", row.ID).
		Updates(map[string]any{"last_seen_at": now, "expires_at": expires}).Error
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// Delete ends a session (logout).
func (s *Sessions) Delete(ctx context.Context, id string) error {
	if err := s.db.WithContext(ctx).Where("id = ?", id).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// In is the store working inside the transaction tx.
func (s *Sessions) In(tx *gorm.DB) *Sessions { return &Sessions{db: tx, now: s.now} }

// DeleteForUser ends every session of a user but the one with id except (none when it is
// ""), signing them out in every other browser, and says how many there were.
func (s *Sessions) DeleteForUser(ctx context.Context, userID int64, except string) (int64, error) {
	res := s.db.WithContext(ctx).Where("user_id = ? AND id <> ?", userID, except).Delete(&Session{})
	if res.Error != nil {
		return 0, fmt.Errorf("end the sessions of user %d: %w", userID, res.Error)
	}
	return res.RowsAffected, nil
}

// DeleteExpired removes sessions past their expiry; sign-ins call it now and then.
func (s *Sessions) DeleteExpired(ctx context.Context) error {
	if err := s.db.WithContext(ctx).Where("expires_at < ?", s.now()).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}
