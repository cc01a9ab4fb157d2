package accounts

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
func (a *Lifecycle) storePassword(ctx context.Context, actor Viewer, u User, hash, keep, action, detail string) error {
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := a.users.In(tx).storeHash(ctx, u.ID, hash); err != nil {
			return err
		}
		n, err := a.sessions.In(tx).DeleteForUser(ctx, u.ID, keep)
		if err != nil {
			return err
		}
		return a.audit.In(tx).Record(ctx, actor, action, u, fmt.Sprintf("%s; %d other session(s) ended", detail, n))
	})
}

// ChangePassword is the owner's change of their own password from the session keep: the
// current password must match, the new one follows the rules of `user add` and is typed
// twice. Every other session of the account ends. Wrong current passwords count against the
// sign-in throttle of the account and address ip, so a borrowed session cannot be used to
// guess the password faster than the sign-in form allows. Field errors name current,
// password and confirm.
func (a *Lifecycle) ChangePassword(ctx context.Context, v Viewer, keep, ip, current, next, confirm string) error {
	u, err := a.Live(ctx, v.UserID)
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
	wait, err := a.throttle.Reserve(ctx, u.Email, ip)
	if err != nil {
		return err
	}
	if wait > 0 {
		return httpkit.NewError(http.StatusTooManyRequests, "too_many_requests", LockedMessage(wait))
	}
	if u.PasswordHash == "" || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		msg := "This is not your current password."
		if wait, err := a.throttle.LockedNow(ctx, u.Email, ip); err != nil {
			return err
		} else if wait > 0 {
			msg += " " + LockedMessage(wait)
		}
		return &calendar.ValidationError{Fields: map[string]string{"current": msg}}
	}
	if err := a.throttle.Clear(ctx, u.Email, ip); err != nil {
		a.log.Warn("clear login failures", "err", err)
	}
	hash, err := a.users.hashPassword(next, "password")
	if err != nil {
		return err
	}
	if err := a.storePassword(ctx, v, u, hash, keep, AuditPasswordChanged, "by the owner"); err != nil {
		return err
	}
	a.log.Info("password changed", "user", u.ID)
	return nil
}

// ResetPassword is an administrator's (or the command line's) reset of someone's password:
// to password, or, when it is empty, to a generated one that is returned to be shown once.
// Every session of the account ends; its API tokens stay.
func (a *Lifecycle) ResetPassword(ctx context.Context, actor Viewer, id int64, password string) (generated string, err error) {
	if actor.UserID == id {
		return "", ErrSelf
	}
	u, err := a.Live(ctx, id)
	if err != nil {
		return "", err
	}
	detail := "set by an administrator"
	if password == "" {
		password = RandomToken()[:20]
		generated, detail = password, "one-time password generated"
	}
	hash, err := a.users.hashPassword(password, "password")
	if err != nil {
		return "", err
	}
	if err := a.storePassword(ctx, actor, u, hash, "", AuditPasswordReset, detail); err != nil {
		return "", err
	}
	a.log.Info("password reset", "user", u.ID, "by", actor.UserID)
	return generated, nil
}
