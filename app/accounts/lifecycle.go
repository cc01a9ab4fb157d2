package accounts

import (
	"context"
	"fmt"
	"net/http"

	"log/slog"
	"time"

	"gorm.io/gorm"

	"intracal/app/httpkit"
	"intracal/calendar"
)

// The lifecycle of accounts and API tokens. Every change here is one transaction together
// with its entry in the account audit, whichever way it arrives (settings page, Control
// Panel, API, command line). Ending sessions and tokens happens in the same transaction, so
// a disabled account has none left the moment the change is committed.

// Lifecycle makes the audited changes of accounts and their API tokens.
type Lifecycle struct {
	db       *gorm.DB
	cal      *calendar.Store
	users    *Users
	sessions *Sessions
	tokens   *Tokens
	throttle *Throttle
	audit    *Audit
	log      *slog.Logger
	now      func() time.Time
	forget   []ForgetFunc
}

// ForgetFunc removes, inside tx, what another part of the app keeps of a user who is being
// deleted (the Outlook connection, the sync's state, sign-ins under way).
type ForgetFunc func(ctx context.Context, tx *gorm.DB, userID int64) error

// NewLifecycle builds the account lifecycle over the stores; forget run, in order, inside
// the transaction that deletes an account.
func NewLifecycle(db *gorm.DB, cal *calendar.Store, users *Users, sessions *Sessions, tokens *Tokens, throttle *Throttle,
	audit *Audit, log *slog.Logger, now func() time.Time, forget ...ForgetFunc) *Lifecycle {
	return &Lifecycle{db: db, cal: cal, users: users, sessions: sessions, tokens: tokens, throttle: throttle,
		audit: audit, log: log, now: now, forget: forget}
}

// errLastAdmin refuses to disable or delete the last site administrator who can sign in.
var errLastAdmin = httpkit.NewError(http.StatusConflict, "last_admin",
	"This is the last site administrator who can sign in: make someone else an administrator first.")

// ErrSelf refuses an administrator's lifecycle change of their own account from the Control
// Panel: their own password is changed on the settings page, and nobody locks themselves out.
var ErrSelf = httpkit.NewError(http.StatusForbidden, "forbidden",
	"You cannot do this to your own account here. Change your password on Your settings.")

// Live finds an account that is not deleted; calendar.ErrNotFound otherwise.
func (a *Lifecycle) Live(ctx context.Context, id int64) (User, error) {
	u, err := a.users.ByID(ctx, id)
	if err != nil {
		return User{}, err
	}
	if u.DeletedAt != nil {
		return User{}, fmt.Errorf("user %d was deleted: %w", id, calendar.ErrNotFound)
	}
	return u, nil
}

// notLastAdmin is errLastAdmin when no administrator but id can sign in.
func (a *Lifecycle) notLastAdmin(ctx context.Context, tx *gorm.DB, id int64) error {
	n, err := a.users.In(tx).OtherActiveAdmins(ctx, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return errLastAdmin
	}
	return nil
}

// signOutEverywhere ends, inside tx, every session and API token of a user, and says how many
// of each there were.
func (a *Lifecycle) signOutEverywhere(ctx context.Context, tx *gorm.DB, id int64) (sessions, tokens int64, err error) {
	if sessions, err = a.sessions.In(tx).DeleteForUser(ctx, id, ""); err != nil {
		return 0, 0, err
	}
	if tokens, err = a.tokens.In(tx).DeleteForUser(ctx, id); err != nil {
		return 0, 0, err
	}
	return sessions, tokens, nil
}

// Disable disables an account: it cannot sign in with its password or a token, every
// session and token of it ends, and the Outlook sync skips it (its connection is kept, so
// enabling the account resumes the sync). Disabling a disabled account changes nothing.
func (a *Lifecycle) Disable(ctx context.Context, actor Viewer, id int64) (User, error) {
	if actor.UserID == id {
		return User{}, ErrSelf
	}
	u, err := a.Live(ctx, id)
	if err != nil || u.DisabledAt != nil {
		return u, err
	}
	now := a.now()
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if u.IsAdmin {
			if err := a.notLastAdmin(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		if err := a.users.In(tx).SetDisabled(ctx, u.ID, &now); err != nil {
			return err
		}
		sessions, tokens, err := a.signOutEverywhere(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("%d session(s) ended, %d API token(s) revoked; Outlook sync paused", sessions, tokens)
		return a.audit.In(tx).Record(ctx, actor, AuditUserDisabled, u, detail)
	})
	if err != nil {
		return User{}, err
	}
	u.DisabledAt = &now
	a.log.Info("account disabled", "user", u.ID, "by", actor.UserID)
	return u, nil
}

// Enable lets a disabled account sign in again. Its old sessions and tokens stay ended.
func (a *Lifecycle) Enable(ctx context.Context, actor Viewer, id int64) (User, error) {
	u, err := a.Live(ctx, id)
	if err != nil || u.DisabledAt == nil {
		return u, err
	}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := a.users.In(tx).SetDisabled(ctx, u.ID, nil); err != nil {
			return err
		}
		return a.audit.In(tx).Record(ctx, actor, AuditUserEnabled, u, "")
	})
	if err != nil {
		return User{}, err
	}
	u.DisabledAt = nil
	a.log.Info("account enabled", "user", u.ID, "by", actor.UserID)
	return u, nil
}

// deletedEmail is the address a deleted account's tombstone keeps: never a real one, so the
// address can be given to a new account and the sync matches no attendee to the tombstone.
func deletedEmail(id int64) string { return fmt.Sprintf("deleted-%d@deleted.invalid", id) }

// Delete deletes an account. The users row stays as a tombstone (name kept, address,
// password and role removed), so what still names the person (the audit, deleted events,
// other people's sync history) reads right; everything else goes in one transaction:
//   - their sessions and API tokens, their Outlook connection with its sealed tokens, the
//     sync's state for their mailbox and their Outlook sign-ins under way;
//   - the events they organize or that are in their My Calendar, deleted as "delete all"
//     deletes (they leave their invitees' calendars);
//   - their invitations and answers to other people's events (the organizers' sync then
//     removes them from the Outlook meetings).
//
// See docs/accounts.md.
func (a *Lifecycle) Delete(ctx context.Context, actor Viewer, id int64) (User, error) {
	if actor.UserID == id {
		return User{}, ErrSelf
	}
	u, err := a.Live(ctx, id)
	if err != nil {
		return User{}, err
	}
	now := a.now()
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if u.IsAdmin && u.DisabledAt == nil {
			if err := a.notLastAdmin(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		sessions, tokens, err := a.signOutEverywhere(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		for _, forget := range a.forget {
			if err := forget(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		removed, err := a.cal.In(tx).RemovePerson(ctx, u.ID)
		if err != nil {
			return err
		}
		if err := a.users.In(tx).tombstone(ctx, u.ID, deletedEmail(u.ID), now); err != nil {
			return err
		}
		detail := fmt.Sprintf("%d event(s) deleted, %d invitation(s) and %d answer(s) removed, %d session(s) ended, %d API token(s) revoked, Outlook connection removed",
			removed.EventsDeleted, removed.InvitationsRemoved, removed.AnswersRemoved, sessions, tokens)
		return a.audit.In(tx).Record(ctx, actor, AuditUserDeleted, u, detail)
	})
	if err != nil {
		return User{}, err
	}
	u.DeletedAt = &now
	a.log.Info("account deleted", "user", u.ID, "by", actor.UserID)
	return u, nil
}
