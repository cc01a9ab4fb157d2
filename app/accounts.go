package app

import (
	"context"
	"fmt"
	"net/http"

	"gorm.io/gorm"

	"intracal/app/httpkit"
	"intracal/calendar"
	"intracal/outlooksync"
)

// The lifecycle of accounts and API tokens. Every change here is one transaction together
// with its entry in the account audit, whichever way it arrives (settings page, Control
// Panel, API, command line). Ending sessions and tokens happens in the same transaction, so
// a disabled account has none left the moment the change is committed.

// errLastAdmin refuses to disable or delete the last site administrator who can sign in.
var errLastAdmin = httpkit.NewError(http.StatusConflict, "last_admin",
	"This is the last site administrator who can sign in: make someone else an administrator first.")

// errSelf refuses an administrator's lifecycle change of their own account from the Control
// Panel: their own password is changed on the settings page, and nobody locks themselves out.
var errSelf = httpkit.NewError(http.StatusForbidden, "forbidden",
	"You cannot do this to your own account here. Change your password on Your settings.")

// liveUser finds an account that is not deleted; calendar.ErrNotFound otherwise.
func (a *App) liveUser(ctx context.Context, id int64) (User, error) {
	u, err := a.users.byID(ctx, id)
	if err != nil {
		return User{}, err
	}
	if u.DeletedAt != nil {
		return User{}, fmt.Errorf("user %d was deleted: %w", id, calendar.ErrNotFound)
	}
	return u, nil
}

// otherActiveAdmins counts the administrators other than id who can sign in.
func otherActiveAdmins(ctx context.Context, tx *gorm.DB, id int64) (int64, error) {
	var n int64
	err := tx.WithContext(ctx).Model(&User{}).Where("is_admin = ? AND id <> ?", true, id).Where(activeUsers).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count administrators: %w", err)
	}
	return n, nil
}

// disableUser disables an account: it cannot sign in with its password or a token, every
// session and token of it ends, and the Outlook sync skips it (its connection is kept, so
// enabling the account resumes the sync). Disabling a disabled account changes nothing.
func (a *App) disableUser(ctx context.Context, actor Viewer, id int64) (User, error) {
	if actor.UserID == id {
		return User{}, errSelf
	}
	u, err := a.liveUser(ctx, id)
	if err != nil || u.DisabledAt != nil {
		return u, err
	}
	now := a.now()
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if u.IsAdmin {
			n, err := otherActiveAdmins(ctx, tx, u.ID)
			if err != nil {
				return err
			}
			if n == 0 {
				return errLastAdmin
			}
		}
		res := tx.Model(&User{}).Where("id = ? AND disabled_at IS NULL", u.ID).Updates(map[string]any{"disabled_at": now, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("disable user %d: %w", u.ID, res.Error)
		}
		sessions, err := a.sessions.in(tx).deleteForUser(ctx, u.ID, "")
		if err != nil {
			return err
		}
		tokens, err := a.tokens.in(tx).deleteForUser(ctx, u.ID)
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("%d session(s) ended, %d API token(s) revoked; Outlook sync paused", sessions, tokens)
		return a.audit.record(ctx, tx, actor, auditUserDisabled, u, detail)
	})
	if err != nil {
		return User{}, err
	}
	u.DisabledAt = &now
	a.log.Info("account disabled", "user", u.ID, "by", actor.UserID)
	return u, nil
}

// enableUser lets a disabled account sign in again. Its old sessions and tokens stay ended.
func (a *App) enableUser(ctx context.Context, actor Viewer, id int64) (User, error) {
	u, err := a.liveUser(ctx, id)
	if err != nil || u.DisabledAt == nil {
		return u, err
	}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"disabled_at": nil, "updated_at": a.now()})
		if res.Error != nil {
			return fmt.Errorf("enable user %d: %w", u.ID, res.Error)
		}
		return a.audit.record(ctx, tx, actor, auditUserEnabled, u, "")
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

// deleteUser deletes an account. The users row stays as a tombstone (name kept, address,
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
func (a *App) deleteUser(ctx context.Context, actor Viewer, id int64) (User, error) {
	if actor.UserID == id {
		return User{}, errSelf
	}
	u, err := a.liveUser(ctx, id)
	if err != nil {
		return User{}, err
	}
	now := a.now()
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if u.IsAdmin && u.DisabledAt == nil {
			n, err := otherActiveAdmins(ctx, tx, u.ID)
			if err != nil {
				return err
			}
			if n == 0 {
				return errLastAdmin
			}
		}
		sessions, err := a.sessions.in(tx).deleteForUser(ctx, u.ID, "")
		if err != nil {
			return err
		}
		tokens, err := a.tokens.in(tx).deleteForUser(ctx, u.ID)
		if err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&oauthStateRow{}).Error; err != nil {
			return fmt.Errorf("remove the outlook sign-ins of user %d: %w", u.ID, err)
		}
		if err := outlooksync.ForgetUser(ctx, tx, u.ID); err != nil {
			return err
		}
		removed, err := a.store.In(tx).RemovePerson(ctx, u.ID)
		if err != nil {
			return err
		}
		res := tx.Model(&User{}).Where("id = ? AND deleted_at IS NULL", u.ID).Updates(map[string]any{
			"email": deletedEmail(u.ID), "password_hash": "", "is_admin": false, "deleted_at": now, "updated_at": now,
		})
		if res.Error != nil {
			return fmt.Errorf("delete user %d: %w", u.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("user %d was deleted meanwhile: %w", u.ID, calendar.ErrNotFound)
		}
		detail := fmt.Sprintf("%d event(s) deleted, %d invitation(s) and %d answer(s) removed, %d session(s) ended, %d API token(s) revoked, Outlook connection removed",
			removed.EventsDeleted, removed.InvitationsRemoved, removed.AnswersRemoved, sessions, tokens)
		return a.audit.record(ctx, tx, actor, auditUserDeleted, u, detail)
	})
	if err != nil {
		return User{}, err
	}
	u.DeletedAt = &now
	a.log.Info("account deleted", "user", u.ID, "by", actor.UserID)
	return u, nil
}
