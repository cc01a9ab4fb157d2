package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"intracal/app/httpkit"
	"intracal/calendar"
)

// maxTokenDays bounds a token's validity when one is asked for: ten years.
const maxTokenDays = 3650

// checkTokenRequest validates what a person asks of a new token: a name to recognise it by
// and a validity in days (0: it never expires). Problems name the fields "name" and
// "expiresInDays".
func checkTokenRequest(name string, days int) error {
	var verr calendar.ValidationError
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		verr.Add("name", "Give the token a name, such as the script that will use it.")
	case utf8.RuneCountInString(name) > maxTokenName || len(name) > maxTokenName:
		verr.Add("name", fmt.Sprintf("Use at most %d characters.", maxTokenName))
	}
	if days < 0 || days > maxTokenDays {
		verr.Add("expiresInDays", fmt.Sprintf("Use a number of days from 1 to %d, or none for a token that never expires.", maxTokenDays))
	}
	return verr.Err()
}

// createToken issues an API token for owner, expiring after days (0: never), with its audit
// entry in the same transaction.
func (a *App) createToken(ctx context.Context, actor Viewer, owner User, name string, days int) (string, apiTokenRow, error) {
	if err := checkTokenRequest(name, days); err != nil {
		return "", apiTokenRow{}, err
	}
	if !owner.Active() {
		return "", apiTokenRow{}, httpkit.NewError(http.StatusConflict, "disabled", "The account is disabled: it can have no API token.")
	}
	var expires *time.Time
	if days > 0 {
		t := a.now().AddDate(0, 0, days)
		expires = &t
	}
	var token string
	var row apiTokenRow
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if token, row, err = a.tokens.in(tx).issue(ctx, owner.ID, name, expires); err != nil {
			return err
		}
		return a.audit.record(ctx, tx, actor, auditTokenCreated, owner, tokenDetail(row))
	})
	if err != nil {
		return "", apiTokenRow{}, err
	}
	a.log.Info("API token created", "user", owner.ID, "token", row.ID, "by", actor.UserID)
	return token, row, nil
}

// tokenDetail names a token in the audit: its name, prefix and expiry, never the secret.
func tokenDetail(r apiTokenRow) string {
	s := fmt.Sprintf("%q (%s), ", r.Name, r.Shown())
	if r.ExpiresAt == nil {
		return s + "never expires"
	}
	return s + "expires " + r.ExpiresAt.UTC().Format(time.RFC3339)
}

// ownToken finds a token of the owner; someone else's token is errNoToken, as a missing one
// is, so ids of other people's tokens tell nothing.
func (a *App) ownToken(ctx context.Context, ownerID, id int64) (apiTokenRow, error) {
	row, err := a.tokens.byID(ctx, id)
	if err != nil {
		return apiTokenRow{}, err
	}
	if row.UserID != ownerID {
		return apiTokenRow{}, errNoToken
	}
	return row, nil
}

// revokeToken revokes a token; errNoToken when it is gone already.
func (a *App) revokeToken(ctx context.Context, actor Viewer, row apiTokenRow) error {
	owner, err := a.users.byID(ctx, row.UserID)
	if err != nil {
		return err
	}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := a.tokens.in(tx).delete(ctx, row.ID); err != nil {
			return err
		}
		return a.audit.record(ctx, tx, actor, auditTokenRevoked, owner, tokenDetail(row))
	})
	if err != nil {
		return err
	}
	a.log.Info("API token revoked", "user", owner.ID, "token", row.ID, "by", actor.UserID)
	return nil
}
