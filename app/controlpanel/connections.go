package controlpanel

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/app/view"
	"intracal/outlooksync"
)

// connectionsPage is the data of cp_connections.html: every Outlook connection, those
// that need attention first.
type connectionsPage struct {
	page
	Available   bool     // the site is set up for Connect to Outlook
	Missing     []string // what is missing when it is not
	Connections []connectionRow
	Failing     int
}

type connectionRow struct {
	User      string // name and address
	Account   string
	State     string // connected, needs_reconnect
	StateText string
	LastSync  string
	LastError string
	Mode      string // push, polling
	ModeText  string // how changes made in Outlook arrive, and why
}

// Connections is System > Outlook connections: every person's connection, those that need
// attention first.
type Connections struct {
	frame
	conns *outlooksync.Connections
	sync  *outlooksync.Store
	users *accounts.Users
	props *properties.Store
}

// NewConnections is the Outlook connections page on the connection store, the sync's store
// (how each connection's changes arrive), the accounts and the System Properties (whether
// the site is set up for Connect to Outlook).
func NewConnections(pages *view.Renderer, fr view.Frame, conns *outlooksync.Connections, sync *outlooksync.Store,
	users *accounts.Users, props *properties.Store) *Connections {
	return &Connections{frame: frame{pages, fr}, conns: conns, sync: sync, users: users, props: props}
}

// List is GET /cp/connections.
func (h *Connections) List(c echo.Context) error {
	ctx := c.Request().Context()
	settings, err := h.props.OutlookSettings(ctx)
	if err != nil {
		return err
	}
	conns, err := h.conns.List(ctx)
	if err != nil {
		return err
	}
	users, err := h.users.ByIDs(ctx, outlooksync.UserIDs(conns))
	if err != nil {
		return err
	}
	modes, err := h.sync.WatchStates(ctx, outlooksync.WatchConnection)
	if err != nil {
		return err
	}
	loc := accounts.CurrentViewer(c).Location()
	p := connectionsPage{page: h.pageFor(c, "Outlook connections", "/cp/connections"),
		Available: settings.Ready(), Missing: settings.Missing()}
	for _, conn := range conns {
		row := connectionRow{Account: conn.Account.Label(), State: string(conn.State), LastError: conn.LastError}
		u, known := users[conn.UserID]
		row.User = u.Name + " <" + u.Email + ">"
		if !known {
			row.User = "(deleted user)"
		}
		switch conn.State {
		case outlooksync.StateNeedsReconnect:
			row.StateText = "Needs reconnect"
		default:
			row.StateText = "Connected"
		}
		row.LastSync = "never"
		if conn.LastSyncAt != nil {
			row.LastSync = conn.LastSyncAt.In(loc).Format("2 Jan 2006 15:04")
		}
		row.Mode, row.ModeText = modeOf(modes[conn.UserID], loc)
		if conn.Failing() {
			p.Failing++
		}
		p.Connections = append(p.Connections, row)
	}
	return h.pages.Render(c, http.StatusOK, "cp_connections.html", p)
}

// modeOf says how a connection's Outlook changes arrive: pushed by change notifications
// (with the subscription's expiry and the last notification), or found by polling, and why.
func modeOf(w outlooksync.WatchState, loc *time.Location) (mode, text string) {
	if w.Mode == outlooksync.ModePush && w.Expires != nil {
		text = "Push: Outlook notifies changes (the subscription runs to " + w.Expires.In(loc).Format("2 Jan 15:04") + " and is renewed well before)"
		if w.LastNotifiedAt != nil {
			text += "; last notification " + w.LastNotifiedAt.In(loc).Format("2 Jan 15:04")
		}
		return outlooksync.ModePush, text + ". Polling continues as the backstop."
	}
	reason := w.Reason
	if reason == "" {
		reason = "not subscribed yet"
	}
	return outlooksync.ModePolling, "Polling: " + reason + "."
}
