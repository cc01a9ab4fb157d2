package controlpanel

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
)

// Control Panel > People: every account, with disable and enable, password reset, deletion
// and their API tokens. The changes go through accounts.Lifecycle, so they are audited as the
// settings page's and the command line's are. An administrator's own account has no buttons
// here (accounts.ErrSelf): their password is changed on Your settings.

// People is Users > People: the list of accounts and each account's page and forms.
type People struct {
	frame
	users    *accounts.Users
	profiles *accounts.Profiles
	tokens   *accounts.Tokens
	audit    *accounts.Audit
	accounts *accounts.Lifecycle
	now      func() time.Time
	// microsoft finds the Microsoft account a person signs in with; nil shows none.
	microsoft MicrosoftAccounts
}

// MicrosoftAccounts finds the Microsoft account a person signs in with (app/signin's
// Identities.Account).
type MicrosoftAccounts func(ctx context.Context, userID int64) (tenant, username string, ok bool, err error)

// ShowMicrosoftAccounts makes each person's page say which Microsoft account they sign in with.
func (h *People) ShowMicrosoftAccounts(f MicrosoftAccounts) *People {
	h.microsoft = f
	return h
}

// NewPeople is the People pages on the account stores, the profiles and the audited lifecycle; now tells
// which tokens have expired.
func NewPeople(pages *view.Renderer, fr view.Frame, users *accounts.Users, profiles *accounts.Profiles, tokens *accounts.Tokens, audit *accounts.Audit,
	lifecycle *accounts.Lifecycle, now func() time.Time) *People {
	return &People{frame: frame{pages, fr}, users: users, profiles: profiles, tokens: tokens, audit: audit, accounts: lifecycle, now: now}
}

// maxPeopleListed bounds the People page; a search narrows it.
const maxPeopleListed = 500

// peoplePage is the data of cp_people.html.
type peoplePage struct {
	page
	Query     string
	People    []personRow
	Truncated bool
	Audit     []accountChange
}

type personRow struct {
	ID       int64
	Name     string
	Email    string
	Admin    bool
	Disabled bool
	Tokens   int
	URL      string
}

// accountChange is an entry of the account audit as the pages show it.
type accountChange struct {
	When    string
	Actor   string
	Subject string
	Action  string
	Detail  string
}

// personPage is the data of cp_person.html: one account.
type personPage struct {
	page
	Person        personRow
	Self          bool
	Created       string
	DisabledSince string
	// Microsoft is the Microsoft account the person signs in with, "" when none is linked.
	Microsoft string
	// Profile is the directory fields with their locks and errors.
	Profile           []view.ProfileRow
	Tokens            []view.TokenRow
	Audit             []accountChange
	GeneratedPassword string            // a reset's one-time password, shown once
	Errors            map[string]string // by field: password, confirm
}

func newPersonRow(u accounts.User, tokens int) personRow {
	return personRow{ID: u.ID, Name: u.Name, Email: u.Email, Admin: u.IsAdmin, Disabled: u.DisabledAt != nil,
		Tokens: tokens, URL: "/cp/people/" + strconv.FormatInt(u.ID, 10)}
}

func (h *People) accountChanges(ctx context.Context, subject int64, loc *time.Location) ([]accountChange, error) {
	list, err := h.audit.List(ctx, subject, auditShown)
	if err != nil {
		return nil, err
	}
	out := make([]accountChange, len(list))
	for i, ch := range list {
		out[i] = accountChange{When: ch.At.In(loc).Format("2 Jan 2006 15:04"), Actor: ch.Actor, Subject: ch.Subject,
			Action: ch.ActionText(), Detail: ch.Detail}
	}
	return out, nil
}

// List is GET /cp/people[?q=].
func (h *People) List(c echo.Context) error {
	ctx := c.Request().Context()
	p := peoplePage{page: h.pageFor(c, "People", "/cp/people"), Query: strings.TrimSpace(c.QueryParam("q"))}
	users, err := h.users.List(ctx, p.Query, maxPeopleListed+1)
	if err != nil {
		return err
	}
	if len(users) > maxPeopleListed {
		users, p.Truncated = users[:maxPeopleListed], true
	}
	counts, err := h.tokens.Counts(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		p.People = append(p.People, newPersonRow(u, counts[u.ID]))
	}
	if p.Audit, err = h.accountChanges(ctx, 0, accounts.CurrentViewer(c).Location()); err != nil {
		return err
	}
	return h.pages.Render(c, http.StatusOK, "cp_people.html", p)
}
