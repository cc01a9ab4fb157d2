package app

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/calendar"
)

// Control Panel > People: every account, with disable and enable, password reset, deletion
// and their API tokens. The changes go through accounts.go, so they are audited as the
// settings page's and the command line's are. An administrator's own account has no buttons
// here (errSelf): their password is changed on Your settings.

// maxPeopleListed bounds the People page; a search narrows it.
const maxPeopleListed = 500

// cpPeoplePage is the data of cp_people.html.
type cpPeoplePage struct {
	cpPage
	Query     string
	People    []cpPersonRow
	Truncated bool
	Audit     []cpAccountChange
}

type cpPersonRow struct {
	ID       int64
	Name     string
	Email    string
	Admin    bool
	Disabled bool
	Tokens   int
	URL      string
}

// cpAccountChange is an entry of the account audit as the pages show it.
type cpAccountChange struct {
	When    string
	Actor   string
	Subject string
	Action  string
	Detail  string
}

// cpPersonPage is the data of cp_person.html: one account.
type cpPersonPage struct {
	cpPage
	Person            cpPersonRow
	Self              bool
	Created           string
	DisabledSince     string
	Tokens            []tokenRow
	Audit             []cpAccountChange
	GeneratedPassword string            // a reset's one-time password, shown once
	Errors            map[string]string // by field: password, confirm
}

func personRow(u accounts.User, tokens int) cpPersonRow {
	return cpPersonRow{ID: u.ID, Name: u.Name, Email: u.Email, Admin: u.IsAdmin, Disabled: u.DisabledAt != nil,
		Tokens: tokens, URL: "/cp/people/" + strconv.FormatInt(u.ID, 10)}
}

func (a *App) accountChanges(ctx context.Context, subject int64, loc *time.Location) ([]cpAccountChange, error) {
	list, err := a.audit.List(ctx, subject, auditShown)
	if err != nil {
		return nil, err
	}
	out := make([]cpAccountChange, len(list))
	for i, ch := range list {
		out[i] = cpAccountChange{When: ch.At.In(loc).Format("2 Jan 2006 15:04"), Actor: ch.Actor, Subject: ch.Subject,
			Action: ch.ActionText(), Detail: ch.Detail}
	}
	return out, nil
}

// cpPeople is GET /cp/people[?q=].
func (a *App) cpPeople(c echo.Context) error {
	ctx := c.Request().Context()
	p := cpPeoplePage{cpPage: a.cpPageFor(c, "People", "/cp/people"), Query: strings.TrimSpace(c.QueryParam("q"))}
	users, err := a.users.List(ctx, p.Query, maxPeopleListed+1)
	if err != nil {
		return err
	}
	if len(users) > maxPeopleListed {
		users, p.Truncated = users[:maxPeopleListed], true
	}
	counts, err := a.tokens.Counts(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		p.People = append(p.People, personRow(u, counts[u.ID]))
	}
	if p.Audit, err = a.accountChanges(ctx, 0, accounts.CurrentViewer(c).Location()); err != nil {
		return err
	}
	return a.pages.Render(c, http.StatusOK, "cp_people.html", p)
}

// personParam reads the account of the URL: a 404 for a bad id or a deleted account.
func (a *App) personParam(c echo.Context) (accounts.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return accounts.User{}, calendar.ErrNotFound
	}
	return a.accounts.Live(c.Request().Context(), id)
}

// cpPerson is GET /cp/people/{id}.
func (a *App) cpPerson(c echo.Context) error {
	u, err := a.personParam(c)
	if err != nil {
		return err
	}
	p, err := a.cpPersonPage(c, u)
	if err != nil {
		return err
	}
	return a.pages.Render(c, http.StatusOK, "cp_person.html", p)
}

func (a *App) cpPersonPage(c echo.Context, u accounts.User) (cpPersonPage, error) {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	loc := v.Location()
	p := cpPersonPage{cpPage: a.cpPageFor(c, u.Name+" · People", "/cp/people"), Self: v.UserID == u.ID,
		Created: u.CreatedAt.In(loc).Format("2 January 2006")}
	if u.DisabledAt != nil {
		p.DisabledSince = u.DisabledAt.In(loc).Format("2 January 2006 15:04")
	}
	rows, err := a.tokens.List(ctx, u.ID)
	if err != nil {
		return p, err
	}
	p.Person = personRow(u, len(rows))
	p.Tokens = a.tokenRows(rows, loc, p.Person.URL+"/tokens")
	if p.Audit, err = a.accountChanges(ctx, u.ID, loc); err != nil {
		return p, err
	}
	return p, nil
}

// cpPersonDisable is POST /cp/people/{id}/disable.
func (a *App) cpPersonDisable(c echo.Context) error {
	return a.cpPersonChange(c, "disabled: signed out everywhere, API tokens revoked", a.accounts.Disable)
}

// cpPersonEnable is POST /cp/people/{id}/enable.
func (a *App) cpPersonEnable(c echo.Context) error {
	return a.cpPersonChange(c, "enabled: they can sign in again", a.accounts.Enable)
}

func (a *App) cpPersonChange(c echo.Context, done string, change func(context.Context, accounts.Viewer, int64) (accounts.User, error)) error {
	u, err := a.personParam(c)
	if err != nil {
		return err
	}
	if _, err := change(c.Request().Context(), accounts.CurrentViewer(c), u.ID); err != nil {
		return err
	}
	a.flash.Set(c, u.Name+" "+done+".")
	return c.Redirect(http.StatusSeeOther, personRow(u, 0).URL)
}

// cpPersonResetPassword is POST /cp/people/{id}/password: to the password typed (twice), or,
// left empty, to a generated one shown once on the answer.
func (a *App) cpPersonResetPassword(c echo.Context) error {
	u, err := a.personParam(c)
	if err != nil {
		return err
	}
	if accounts.CurrentViewer(c).UserID == u.ID {
		return accounts.ErrSelf
	}
	password, confirm := c.FormValue("password"), c.FormValue("confirm")
	again := func(status int, fill func(p *cpPersonPage)) error {
		p, err := a.cpPersonPage(c, u)
		if err != nil {
			return err
		}
		fill(&p)
		return a.pages.Render(c, status, "cp_person.html", p)
	}
	if password != confirm {
		return again(http.StatusUnprocessableEntity, func(p *cpPersonPage) {
			p.Errors = map[string]string{"confirm": "The two passwords differ."}
		})
	}
	generated, err := a.accounts.ResetPassword(c.Request().Context(), accounts.CurrentViewer(c), u.ID, password)
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		return again(http.StatusUnprocessableEntity, func(p *cpPersonPage) { p.Errors = invalid.Fields })
	}
	if err != nil {
		return err
	}
	if generated == "" {
		a.flash.Set(c, "Password of "+u.Name+" reset: they were signed out everywhere.")
		return c.Redirect(http.StatusSeeOther, personRow(u, 0).URL)
	}
	return again(http.StatusOK, func(p *cpPersonPage) {
		p.GeneratedPassword = generated
		p.Flash = "Password of " + u.Name + " reset: they were signed out everywhere. Give them the new password below; it is not shown again."
	})
}

// cpPersonDelete is POST /cp/people/{id}/delete. The form must repeat the account's address
// (confirm), so a slip of the mouse deletes nobody.
func (a *App) cpPersonDelete(c echo.Context) error {
	u, err := a.personParam(c)
	if err != nil {
		return err
	}
	if accounts.NormalizeEmail(c.FormValue("confirm")) != u.Email {
		p, err := a.cpPersonPage(c, u)
		if err != nil {
			return err
		}
		p.Errors = map[string]string{"delete": "Type the address " + u.Email + " to confirm the deletion."}
		return a.pages.Render(c, http.StatusUnprocessableEntity, "cp_person.html", p)
	}
	if _, err := a.accounts.Delete(c.Request().Context(), accounts.CurrentViewer(c), u.ID); err != nil {
		return err
	}
	a.flash.Set(c, u.Name+" ("+u.Email+") was deleted.")
	return c.Redirect(http.StatusSeeOther, "/cp/people")
}

// cpPersonRevokeToken is POST /cp/people/{id}/tokens/{token}/revoke.
func (a *App) cpPersonRevokeToken(c echo.Context) error {
	u, err := a.personParam(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("token"), 10, 64)
	if err != nil || id <= 0 {
		return calendar.ErrNotFound
	}
	ctx := c.Request().Context()
	row, err := a.accounts.OwnToken(ctx, u.ID, id)
	if err != nil {
		return err
	}
	if err := a.accounts.RevokeToken(ctx, accounts.CurrentViewer(c), row); err != nil {
		return err
	}
	a.flash.Set(c, "API token "+row.Name+" of "+u.Name+" revoked.")
	return c.Redirect(http.StatusSeeOther, personRow(u, 0).URL+"#tokens")
}
