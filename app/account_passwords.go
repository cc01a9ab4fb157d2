package app

import (
	"context"
	"fmt"
	"net/http"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"intracal/app/httpkit"
	"intracal/calendar"
)

// storePassword replaces an account's password hash and ends its sessions but keep (the
// browser that asked, or none), with the audit entry, in one transaction. API tokens stay:
// they are not passwords, and their owner lists and revokes them.
func (a *App) storePassword(ctx context.Context, actor Viewer, u User, hash, keep, action, detail string) error {
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ? AND deleted_at IS NULL", u.ID).Updates(map[string]any{"password_hash": hash, "updated_at": a.now()})
		if res.Error != nil {
			return fmt.Errorf("store the password of user %d: %w", u.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("user %d: %w", u.ID, calendar.ErrNotFound)
		}
		n, err := a.sessions.in(tx).deleteForUser(ctx, u.ID, keep)
		if err != nil {
			return err
		}
		return a.audit.record(ctx, tx, actor, action, u, fmt.Sprintf("%s; %d other session(s) ended", detail, n))
	})
}

// changePassword is the owner's change of their own password from the session keep: the
// current password must match, the new one follows the rules of `user add` and is typed
// twice. Every other session of the account ends. Wrong current passwords count against the
// sign-in throttle of the account and address ip, so a borrowed session cannot be used to
// guess the password faster than the sign-in form allows. Field errors name current,
// password and confirm.
func (a *App) changePassword(ctx context.Context, v Viewer, keep, ip, current, next, confirm string) error {
	u, err := a.liveUser(ctx, v.UserID)
	if err != nil {
		return err
	}
	var verr calendar.ValidationError
	if current == "" {
		verr.Add("current", "Enter your current password.")
	}
	if msg := checkPassword(next); msg != "" {
		verr.Add("password", msg)
	} else if next != confirm {
		verr.Add("confirm", "The two new passwords differ.")
	}
	if err := verr.Err(); err != nil {
		return err
	}
	wait, err := a.throttle.reserve(ctx, u.Email, ip)
	if err != nil {
		return err
	}
	if wait > 0 {
		return httpkit.NewError(http.StatusTooManyRequests, "too_many_requests", lockedMessage(wait))
	}
	if u.PasswordHash == "" || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		msg := "This is not your current password."
		if wait, err := a.throttle.lockedNow(ctx, u.Email, ip); err != nil {
			return err
		} else if wait > 0 {
			msg += " " + lockedMessage(wait)
		}
		return &calendar.ValidationError{Fields: map[string]string{"current": msg}}
	}
	if err := a.throttle.clear(ctx, u.Email, ip); err != nil {
		a.log.Warn("clear login failures", "err", err)
	}
	hash, err := a.users.hashPassword(next, "password")
	if err != nil {
		return err
	}
	if err := a.storePassword(ctx, v, u, hash, keep, auditPasswordChanged, "by the owner"); err != nil {
		return err
	}
	a.log.Info("password changed", "user", u.ID)
	return nil
}

// resetPassword is an administrator's (or the command line's) reset of someone's password:
// to password, or, when it is empty, to a generated one that is returned to be shown once.
// Every session of the account ends; its API tokens stay.
func (a *App) resetPassword(ctx context.Context, actor Viewer, id int64, password string) (generated string, err error) {
	if actor.UserID == id {
		return "", errSelf
	}
	u, err := a.liveUser(ctx, id)
	if err != nil {
		return "", err
	}
	detail := "set by an administrator"
	if password == "" {
		password = randomToken()[:20]
		generated, detail = password, "one-time password generated"
	}
	hash, err := a.users.hashPassword(password, "password")
	if err != nil {
		return "", err
	}
	if err := a.storePassword(ctx, actor, u, hash, "", auditPasswordReset, detail); err != nil {
		return "", err
	}
	a.log.Info("password reset", "user", u.ID, "by", actor.UserID)
	return generated, nil
}
