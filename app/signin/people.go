package signin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/calendar"
)

// people finds or makes the account a Microsoft sign-in signs in to.
type people struct {
	db         *gorm.DB
	users      *accounts.Users
	identities *Identities
	audit      *accounts.Audit
	log        *slog.Logger
	now        func() time.Time
}

// refusal is a sign-in turned down after Microsoft vouched for the account: the status and
// the words of the page.
type refusal struct {
	status           int
	heading, message string
}

func (r *refusal) Error() string { return "signin refused: " + r.heading }

// byMicrosoft is the author of what a sign-in does, as the account audit shows it.
var byMicrosoft = accounts.Viewer{Name: "Sign in with Microsoft"}

// resolve returns the active account of the Microsoft account cl names: the one linked to
// it; at its first sign-in an existing account of its address (which is then linked); else
// a new one, when the site creates accounts. A refusal is a *refusal.
func (p *people) resolve(ctx context.Context, s properties.SignInSettings, cl idClaims) (accounts.User, error) {
	now := p.now()
	username := usernameOf(cl)
	id, err := p.identities.ByAccount(ctx, cl.TenantID, cl.ObjectID)
	if err == nil {
		u, err := p.users.ByID(ctx, id.UserID)
		if err != nil {
			return accounts.User{}, err
		}
		if !u.Active() {
			return accounts.User{}, disabled()
		}
		return u, p.identities.touch(ctx, id.ID, username, now)
	}
	if !errors.Is(err, errNoIdentity) {
		return accounts.User{}, err
	}

	// The first sign-in of this Microsoft account.
	for _, addr := range matchAddresses(s, cl) {
		u, err := p.users.ByEmail(ctx, addr)
		if errors.Is(err, calendar.ErrNotFound) {
			continue
		}
		if err != nil {
			return accounts.User{}, err
		}
		return p.linkExisting(ctx, u, cl, username, now)
	}
	if !s.CreateAccounts {
		return accounts.User{}, &refusal{http.StatusForbidden, "You have no account on this site",
			"Microsoft signed you in as " + username + ", but this site has no account for you, and it creates accounts only through its administrators. Ask a site administrator for an account."}
	}
	return p.create(ctx, s, cl, username, now)
}

// linkExisting links the Microsoft account to an account found by address, unless that
// account signs in with another Microsoft account already or is disabled.
func (p *people) linkExisting(ctx context.Context, u accounts.User, cl idClaims, username string, now time.Time) (accounts.User, error) {
	if !u.Active() {
		return accounts.User{}, disabled()
	}
	if _, err := p.identities.ForUser(ctx, u.ID); err == nil {
		p.log.Warn("microsoft sign-in: the account of that address is linked to another microsoft account", "user", u.ID, "tenant", cl.TenantID)
		return accounts.User{}, &refusal{http.StatusConflict, "Your account here signs in with another Microsoft account",
			"This site's account for " + u.Email + " is linked to a different Microsoft account. Sign in with that one, or ask a site administrator."}
	} else if !errors.Is(err, errNoIdentity) {
		return accounts.User{}, err
	}
	err := p.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := p.identities.in(tx).link(ctx, Identity{UserID: u.ID, TenantID: cl.TenantID, ObjectID: cl.ObjectID,
			Username: username, LinkedAt: now, LastSignInAt: now}); err != nil {
			return err
		}
		return p.audit.In(tx).Record(ctx, byMicrosoft, accounts.AuditMicrosoftLinked, u, "tenant "+cl.TenantID+", "+username)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return accounts.User{}, busy()
	}
	if err != nil {
		return accounts.User{}, err
	}
	p.log.Info("microsoft account linked", "user", u.ID, "tenant", cl.TenantID)
	return u, nil
}

// create makes an account with the name and address of the claims, linked to the Microsoft
// account, with no password.
func (p *people) create(ctx context.Context, s properties.SignInSettings, cl idClaims, username string, now time.Time) (accounts.User, error) {
	addr := accountAddress(s, cl)
	if addr == "" {
		return accounts.User{}, &refusal{http.StatusForbidden, "Microsoft did not give your e-mail address",
			"Microsoft signed you in, but did not say your e-mail address, which an account here needs. Ask a site administrator for an account."}
	}
	name := strings.TrimSpace(cl.Name)
	if name == "" {
		name, _, _ = strings.Cut(addr, "@")
	}
	if r := []rune(name); len(r) > 255 {
		name = string(r[:255])
	}
	var u accounts.User
	err := p.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if u, err = p.users.In(tx).Create(ctx, accounts.NewUser{Email: addr, Name: name}); err != nil {
			return err
		}
		if _, err := p.identities.in(tx).link(ctx, Identity{UserID: u.ID, TenantID: cl.TenantID, ObjectID: cl.ObjectID,
			Username: username, LinkedAt: now, LastSignInAt: now}); err != nil {
			return err
		}
		return p.audit.In(tx).Record(ctx, byMicrosoft, accounts.AuditUserCreated, u, "tenant "+cl.TenantID+", "+username)
	})
	var ve *calendar.ValidationError
	switch {
	case errors.Is(err, gorm.ErrDuplicatedKey) || errors.As(err, &ve) && ve.Fields["email"] != "" && strings.Contains(ve.Fields["email"], "exists"):
		return accounts.User{}, busy()
	case errors.As(err, &ve):
		return accounts.User{}, &refusal{http.StatusForbidden, "Your account could not be made",
			"Microsoft signed you in, but an account here cannot be made from what it said about you (" + ve.Error() + "). Ask a site administrator for an account."}
	case err != nil:
		return accounts.User{}, fmt.Errorf("create the account of a microsoft sign-in: %w", err)
	}
	p.log.Info("account created at its first microsoft sign-in", "user", u.ID, "tenant", cl.TenantID)
	return u, nil
}

func disabled() error {
	return &refusal{http.StatusForbidden, "This account is disabled",
		"Microsoft signed you in, but your account on this site is disabled. Ask a site administrator if you need it again."}
}

func busy() error {
	return &refusal{http.StatusConflict, "Another sign-in got there first",
		"Your account was being set up by another sign-in at the same moment. Sign in with Microsoft again."}
}

// usernameOf is how the account is named to the person: its UPN, else its address.
func usernameOf(cl idClaims) string {
	if cl.PreferredUsername != "" {
		return cl.PreferredUsername
	}
	return cl.Email
}

// matchAddresses are the addresses a first sign-in may find an existing account by. The
// UPN (preferred_username) is on a domain its tenant verified, which no other tenant can
// claim; the email claim is whatever the tenant's directory says, so it is believed only of
// the site's own tenant (SAMLTenantID), never of another listed one.
func matchAddresses(s properties.SignInSettings, cl idClaims) []string {
	var out []string
	if a := plainAddress(cl.PreferredUsername); a != "" {
		out = append(out, a)
	}
	if a := plainAddress(cl.Email); a != "" && cl.TenantID == s.App.SAMLTenantID && (len(out) == 0 || out[0] != a) {
		out = append(out, a)
	}
	return out
}

// accountAddress is the address of a new account: the email claim of the site's own tenant,
// else the UPN (see matchAddresses).
func accountAddress(s properties.SignInSettings, cl idClaims) string {
	if a := plainAddress(cl.Email); a != "" && cl.TenantID == s.App.SAMLTenantID {
		return a
	}
	return plainAddress(cl.PreferredUsername)
}

func plainAddress(s string) string {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || a.Address != strings.TrimSpace(s) {
		return ""
	}
	return accounts.NormalizeEmail(a.Address)
}
