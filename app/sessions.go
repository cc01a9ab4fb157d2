package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A session lasts sessionIdle after its last use and never longer than sessionMaxAge in all.
// Its last use is written at most every sessionTouch, so that reading pages does not write
// to the database on every request.
const (
	sessionIdle   = 30 * 24 * time.Hour
	sessionMaxAge = 90 * 24 * time.Hour
	sessionTouch  = 5 * time.Minute
)

// errNoSession means the cookie names no live session.
var errNoSession = errors.New("no such session")

// sessionRow is a row of sessions. The id is the hash of the cookie's token: the database
// never holds a value that would let someone sign in.
type sessionRow struct {
	ID         string
	UserID     int64
	CSRFToken  string `gorm:"column:csrf_token"`
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

func (sessionRow) TableName() string { return "sessions" }

// sessionStore keeps browser sessions in the database, so they survive a restart and are
// shared by every instance of the app.
type sessionStore struct {
	db  *gorm.DB
	now func() time.Time
}

// create starts a session for a user and returns the cookie's token.
func (s *sessionStore) create(ctx context.Context, userID int64) (string, sessionRow, error) {
	token := randomToken()
	now := s.now()
	row := sessionRow{
		ID: tokenHash(token), UserID: userID, CSRFToken: randomToken(),
		CreatedAt: now, ExpiresAt: now.Add(sessionIdle), LastSeenAt: now,
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", sessionRow{}, fmt.Errorf("create session: %w", err)
	}
	return token, row, nil
}

// lookup finds the live session of a cookie token; errNoSession when it is unknown or expired.
func (s *sessionStore) lookup(ctx context.Context, token string) (sessionRow, error) {
	if token == "" {
		return sessionRow{}, errNoSession
	}
	var row sessionRow
	err := s.db.WithContext(ctx).Where("id = ?", tokenHash(token)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return sessionRow{}, errNoSession
	}
	if err != nil {
		return sessionRow{}, fmt.Errorf("find session: %w", err)
	}
	if !s.now().Before(row.ExpiresAt) {
		return sessionRow{}, errNoSession
	}
	return row, nil
}

// touch records a use of the session and extends it, at most every sessionTouch.
func (s *sessionStore) touch(ctx context.Context, row sessionRow) error {
	now := s.now()
	if now.Sub(row.LastSeenAt) < sessionTouch {
		return nil
	}
	expires := now.Add(sessionIdle)
	if limit := row.CreatedAt.Add(sessionMaxAge); expires.After(limit) {
		expires = limit
	}
	err := s.db.WithContext(ctx).Model(&sessionRow{}).Where("id = ?", row.ID).
		Updates(map[string]any{"last_seen_at": now, "expires_at": expires}).Error
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// delete ends a session (logout).
func (s *sessionStore) delete(ctx context.Context, id string) error {
	if err := s.db.WithContext(ctx).Where("id = ?", id).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// in is the store working inside the transaction tx.
func (s *sessionStore) in(tx *gorm.DB) *sessionStore { return &sessionStore{db: tx, now: s.now} }

// deleteForUser ends every session of a user but the one with id except (none when it is
// ""), signing them out in every other browser, and says how many there were.
func (s *sessionStore) deleteForUser(ctx context.Context, userID int64, except string) (int64, error) {
	res := s.db.WithContext(ctx).Where("user_id = ? AND id <> ?", userID, except).Delete(&sessionRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("end the sessions of user %d: %w", userID, res.Error)
	}
	return res.RowsAffected, nil
}

// deleteExpired removes sessions past their expiry; sign-ins call it now and then.
func (s *sessionStore) deleteExpired(ctx context.Context) error {
	if err := s.db.WithContext(ctx).Where("expires_at < ?", s.now()).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}
