package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Failed sign-ins are counted per account and client address. The first loginFreeAttempts-1
// failures cost nothing; from then on each failure locks that pair out for a doubling wait
// (30 s, 1 min, 2 min, ... at most 15 min). A failure more than loginFailureWindow after the
// previous one starts the count afresh. The server never sleeps: a locked sign-in is refused
// at once with the time left, so guessing is slowed without tying up the server.
const (
	loginFreeAttempts  = 5
	loginFirstLock     = 30 * time.Second
	loginMaxLock       = 15 * time.Minute
	loginFailureWindow = time.Hour
)

// loginFailureRow is a row of login_failures.
type loginFailureRow struct {
	ID            int64
	Email         string
	IP            string `gorm:"column:ip"`
	Failures      int
	FirstFailedAt time.Time
	LastFailedAt  time.Time
	LockedUntil   *time.Time
}

func (loginFailureRow) TableName() string { return "login_failures" }

type loginThrottle struct {
	db  *gorm.DB
	now func() time.Time
}

// throttleKey bounds the key to the columns' sizes; an attacker chooses the e-mail text.
func throttleKey(email, ip string) (string, string) {
	email = normalizeEmail(email)
	if len(email) > maxEmail {
		email = email[:maxEmail]
	}
	if len(ip) > 64 {
		ip = ip[:64]
	}
	return email, ip
}

// wait says how long the pair must wait before its next attempt; zero when it may try now.
func (l *loginThrottle) wait(ctx context.Context, email, ip string) (time.Duration, error) {
	email, ip = throttleKey(email, ip)
	var row loginFailureRow
	err := l.db.WithContext(ctx).Where("email = ? AND ip = ?", email, ip).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read login failures: %w", err)
	}
	if row.LockedUntil == nil {
		return 0, nil
	}
	if left := row.LockedUntil.Sub(l.now()); left > 0 {
		return left, nil
	}
	return 0, nil
}

// fail records a failed attempt and returns the wait it imposes (zero while attempts are free).
func (l *loginThrottle) fail(ctx context.Context, email, ip string) (time.Duration, error) {
	email, ip = throttleKey(email, ip)
	now := l.now()
	var lock time.Duration
	record := func(tx *gorm.DB) error {
		var row loginFailureRow
		err := tx.Where("email = ? AND ip = ?", email, ip).Take(&row).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			row = loginFailureRow{Email: email, IP: ip, FirstFailedAt: now}
		case err != nil:
			return err
		case now.Sub(row.LastFailedAt) > loginFailureWindow:
			row.Failures, row.FirstFailedAt = 0, now
		}
		row.Failures++
		row.LastFailedAt = now
		row.LockedUntil = nil
		lock = lockFor(row.Failures)
		if lock > 0 {
			until := now.Add(lock)
			row.LockedUntil = &until
		}
		return tx.Save(&row).Error
	}
	err := l.db.WithContext(ctx).Transaction(record)
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Two failures of a new pair at once both inserted; the second now finds the row.
		err = l.db.WithContext(ctx).Transaction(record)
	}
	if err != nil {
		return 0, fmt.Errorf("record login failure: %w", err)
	}
	return lock, nil
}

// lockFor is the wait after the n-th consecutive failure.
func lockFor(n int) time.Duration {
	if n < loginFreeAttempts {
		return 0
	}
	shift := n - loginFreeAttempts
	if shift > 10 {
		return loginMaxLock
	}
	return min(loginFirstLock<<shift, loginMaxLock)
}

// clear forgets the failures of a pair after a successful sign-in, and old failures of anyone.
func (l *loginThrottle) clear(ctx context.Context, email, ip string) error {
	email, ip = throttleKey(email, ip)
	db := l.db.WithContext(ctx)
	if err := db.Where("email = ? AND ip = ?", email, ip).Delete(&loginFailureRow{}).Error; err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	stale := l.now().Add(-loginFailureWindow - loginMaxLock)
	if err := db.Where("last_failed_at < ?", stale).Delete(&loginFailureRow{}).Error; err != nil {
		return fmt.Errorf("clear old login failures: %w", err)
	}
	return nil
}
