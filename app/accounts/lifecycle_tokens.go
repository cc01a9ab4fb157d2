package accounts

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
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

// CreateToken issues an API token for owner, expiring after days (0: never), with its audit
// entry in the same transaction.
func (a *Lifecycle) CreateToken(ctx context.Context, actor Viewer, owner User, name string, days int) (string, Token, error) {
	if err := checkTokenRequest(name, days); err != nil {
		return "", Token{}, err
	}
	if !owner.Active() {
		return "", Token{}, httpkit.NewError(http.StatusConflict, "disabled", "The account is disabled: it can have no API token.")
	}
	var expires *time.Time
	if days > 0 {
		t := a.now().AddDate(0, 0, days)
		expires = &t
	}
	var token string
	var row Token
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if token, row, err = a.tokens.In(tx).Issue(ctx, owner.ID, name, expires); err != nil {
			return err
		}
		return a.audit.In(tx).Record(ctx, actor, AuditTokenCreated, owner, tokenDetail(row))
	})
	if err != nil {
		return "", Token{}, err
	}
	a.log.Info("API token created", "user", owner.ID, "token", row.ID, "by", actor.UserID)
	return token, row, nil
}

// tokenDetail names a token in the audit: its name, prefix and expiry, never the secret.
func tokenDetail(r Token) string {
	s := fmt.Sprintf("%q (%s), ", r.Name, r.Shown())
	if r.ExpiresAt == nil {
		return s + "never expires"
	}
	return s + "expires " + r.ExpiresAt.UTC().Format(time.RFC3339)
}

// OwnToken finds a token of the owner; someone else's token is ErrNoToken, as a missing one
// is, so ids of other people's tokens tell nothing.
func (a *Lifecycle) OwnToken(ctx context.Context, ownerID, id int64) (Token, error) {
	row, err := a.tokens.ByID(ctx, id)
	if err != nil {
		return Token{}, err
	}
	if row.UserID != ownerID {
		return Token{}, ErrNoToken
	}
	return row, nil
}

// RevokeOwnToken revokes the actor's own token with the id a request names (as text) and
// returns it; any other id, or one that is no id at all, is a 404, as a missing token is.
func (a *Lifecycle) RevokeOwnToken(ctx context.Context, actor Viewer, id string) (Token, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return Token{}, httpkit.NewError(http.StatusNotFound, "not_found", "There is no API token with this id.")
	}
	row, err := a.OwnToken(ctx, actor.UserID, n)
	if err != nil {
		return Token{}, err
	}
	return row, a.RevokeToken(ctx, actor, row)
}

// RevokeToken revokes a token; ErrNoToken when it is gone already.
func (a *Lifecycle) RevokeToken(ctx context.Context, actor Viewer, row Token) error {
	owner, err := a.users.ByID(ctx, row.UserID)
	if err != nil {
		return err
	}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := a.tokens.In(tx).Delete(ctx, row.ID); err != nil {
			return err
		}
		return a.audit.In(tx).Record(ctx, actor, AuditTokenRevoked, owner, tokenDetail(row))
	})
	if err != nil {
		return err
	}
	a.log.Info("API token revoked", "user", owner.ID, "token", row.ID, "by", actor.UserID)
	return nil
}
