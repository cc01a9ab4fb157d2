package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Failed sign-ins are counted per account and client address. The first LoginFreeAttempts-1
// failures cost nothing; from then on each failure locks that pair out for a doubling wait
// (30 s, 1 min, 2 min, ... at most 15 min). A failure more than loginFailureWindow after the
// previous one starts the count afresh. The server never sleeps: a locked sign-in is refused
// at once with the time left, so guessing is slowed without tying up the server.
const (
	LoginFreeAttempts  = 5
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

// Throttle slows down password guessing: see the constants above.
type Throttle struct {
	db  *gorm.DB
	now func() time.Time
}

// NewThrottle is the sign-in throttle on db, reading the time from now.
func NewThrottle(db *gorm.DB, now func() time.Time) *Throttle { return &Throttle{db: db, now: now} }

// throttleKey bounds the key to the columns' sizes; an attacker chooses the e-mail text.
func throttleKey(email, ip string) (string, string) {
	email = NormalizeEmail(email)
	if len(email) > maxEmail {
		email = email[:maxEmail]
	}
	if len(ip) > 64 {
		ip = ip[:64]
	}
	return email, ip
}

// Reserve counts an attempt for the pair before its password is checked, and reports the
// wait when the pair is locked (the attempt is then refused and not counted). Counting first
// is what makes the throttle hold against guesses sent in parallel: each reservation is a
// compare-and-swap on the pair's row, so however many requests arrive at once (at any app
// instance sharing the database) only LoginFreeAttempts of them get to a password check
// before the lock. A successful sign-in clears the pair, its reservation included.
func (l *Throttle) Reserve(ctx context.Context, email, ip string) (time.Duration, error) {
	email, ip = throttleKey(email, ip)
	db := l.db.WithContext(ctx)
	for attempt := 0; attempt < 50; attempt++ {
		now := l.now()
		var row loginFailureRow
		err := db.Where("email = ? AND ip = ?", email, ip).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			row = loginFailureRow{Email: email, IP: ip, Failures: 1, FirstFailedAt: now, LastFailedAt: now}
			res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
			if res.Error != nil {
				return 0, fmt.Errorf("reserve a sign-in attempt: %w", res.Error)
			}
			if res.RowsAffected == 1 {
				return 0, nil
			}
			continue // another request created it first: count against that row
		}
		if err != nil {
			return 0, fmt.Errorf("read login failures: %w", err)
		}
		if row.LockedUntil != nil {
			if left := row.LockedUntil.Sub(now); left > 0 {
				return left, nil
			}
		}
		failures, first := row.Failures, row.FirstFailedAt
		if now.Sub(row.LastFailedAt) > loginFailureWindow {
			failures, first = 0, now
		}
		failures++
		var until *time.Time
		if lock := lockFor(failures); lock > 0 {
			t := now.Add(lock)
			until = &t
		}
		res := db.Model(&loginFailureRow{}).Where("id = ? AND failures = ? AND last_failed_at = ?", row.ID, row.Failures, row.LastFailedAt).
			Updates(map[string]any{"failures": failures, "first_failed_at": first, "last_failed_at": now, "locked_until": until})
		if res.Error != nil {
			return 0, fmt.Errorf("reserve a sign-in attempt: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return 0, nil
		}
		// Another attempt counted itself meanwhile: read again.
	}
	return 0, fmt.Errorf("reserve a sign-in attempt: too much contention for one account")
}

// LockedNow reports the wait of a locked pair, counting nothing; zero when it may try.
func (l *Throttle) LockedNow(ctx context.Context, email, ip string) (time.Duration, error) {
	email, ip = throttleKey(email, ip)
	var row loginFailureRow
	err := l.db.WithContext(ctx).Where("email = ? AND ip = ?", email, ip).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read login failures: %w", err)
	}
	if row.LockedUntil != nil {
		if left := row.LockedUntil.Sub(l.now()); left > 0 {
			return left, nil
		}
	}
	return 0, nil
}

// lockFor is the wait after the n-th consecutive failure.
func lockFor(n int) time.Duration {
	if n < LoginFreeAttempts {
		return 0
	}
	shift := n - LoginFreeAttempts
	if shift > 10 {
		return loginMaxLock
	}
	return min(loginFirstLock<<shift, loginMaxLock)
}

// Clear forgets the failures of a pair after a successful sign-in, and old failures of anyone.
func (l *Throttle) Clear(ctx context.Context, email, ip string) error {
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

// LockedMessage tells how long to wait, rounded up to what a person reads.
func LockedMessage(wait time.Duration) string {
	if wait <= time.Minute {
		secs := int((wait + time.Second - 1) / time.Second)
		return fmt.Sprintf("Too many failed sign-in attempts for this account: try again in %d seconds.", secs)
	}
	mins := int((wait + time.Minute - 1) / time.Minute)
	return fmt.Sprintf("Too many failed sign-in attempts for this account: try again in %d minutes.", mins)
}
