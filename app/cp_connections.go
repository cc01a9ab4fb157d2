package app

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/outlooksync"
)

// cpConnectionsPage is the data of cp_connections.html: every Outlook connection, those
// that need attention first.
type cpConnectionsPage struct {
	cpPage
	Available   bool     // the site is set up for Connect to Outlook
	Missing     []string // what is missing when it is not
	Connections []cpConnectionRow
	Failing     int
}

type cpConnectionRow struct {
	User      string // name and address
	Account   string
	State     string // connected, needs_reconnect
	StateText string
	LastSync  string
	LastError string
}

// connectionListing is a connection with its user, for the Control Panel and the admin API.
type connectionListing struct {
	Conn  outlooksync.Connection
	User  accounts.User
	Known bool // the user row was found
}

// listConnections returns every connection with its user, failing ones first.
func (a *App) listConnections(ctx context.Context) ([]connectionListing, error) {
	conns, err := a.outlook.conns.List(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(conns))
	for i, c := range conns {
		ids[i] = c.UserID
	}
	users := map[int64]accounts.User{}
	rows, err := a.users.ListByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, u := range rows {
		users[u.ID] = u
	}
	out := make([]connectionListing, len(conns))
	for i, c := range conns {
		u, ok := users[c.UserID]
		out[i] = connectionListing{Conn: c, User: u, Known: ok}
	}
	return out, nil
}

// cpConnections is GET /cp/connections.
func (a *App) cpConnections(c echo.Context) error {
	ctx := c.Request().Context()
	settings, err := a.props.OutlookSettings(ctx)
	if err != nil {
		return err
	}
	list, err := a.listConnections(ctx)
	if err != nil {
		return err
	}
	loc := accounts.CurrentViewer(c).Location()
	p := cpConnectionsPage{cpPage: a.cpPageFor(c, "Outlook connections", "/cp/connections"),
		Available: settings.Ready(), Missing: settings.Missing()}
	for _, l := range list {
		row := cpConnectionRow{Account: accountLabel(l.Conn.Account), State: string(l.Conn.State), LastError: l.Conn.LastError}
		row.User = l.User.Name + " <" + l.User.Email + ">"
		if !l.Known {
			row.User = "(deleted user)"
		}
		switch l.Conn.State {
		case outlooksync.StateNeedsReconnect:
			row.StateText = "Needs reconnect"
		default:
			row.StateText = "Connected"
		}
		row.LastSync = "never"
		if l.Conn.LastSyncAt != nil {
			row.LastSync = l.Conn.LastSyncAt.In(loc).Format("2 Jan 2006 15:04")
		}
		if l.Conn.Failing() {
			p.Failing++
		}
		p.Connections = append(p.Connections, row)
	}
	return a.pages.Render(c, http.StatusOK, "cp_connections.html", p)
}

// adminConnectionJSON is a connection in GET /api/v1/admin/outlook/connections.
type adminConnectionJSON struct {
	UserID     int64              `json:"userId"`
	UserEmail  string             `json:"userEmail"`
	UserName   string             `json:"userName"`
	Account    outlookAccountJSON `json:"account"`
	State      string             `json:"state"`
	LastSyncAt *time.Time         `json:"lastSyncAt"`
	LastError  *string            `json:"lastError"`
}

// adminConnections is GET /api/v1/admin/outlook/connections: failing ones first.
func (a *App) adminConnections(c echo.Context) error {
	list, err := a.listConnections(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]adminConnectionJSON, len(list))
	for i, l := range list {
		acct := l.Conn.Account
		out[i] = adminConnectionJSON{UserID: l.Conn.UserID, UserEmail: l.User.Email, UserName: l.User.Name,
			Account: outlookAccountJSON{ID: acct.ID, Mail: acct.Mail, UserPrincipalName: acct.UserPrincipalName, DisplayName: acct.DisplayName},
			State:   string(l.Conn.State), LastSyncAt: l.Conn.LastSyncAt}
		if l.Conn.LastError != "" {
			msg := l.Conn.LastError
			out[i].LastError = &msg
		}
	}
	return c.JSON(http.StatusOK, map[string][]adminConnectionJSON{"connections": out})
}
