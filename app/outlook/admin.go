package outlook

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/outlooksync"
)

// adminConnectionJSON is a connection in GET /api/v1/admin/outlook/connections.
type adminConnectionJSON struct {
	UserID     int64              `json:"userId"`
	UserEmail  string             `json:"userEmail"`
	UserName   string             `json:"userName"`
	Account    outlookAccountJSON `json:"account"`
	State      string             `json:"state"`
	LastSyncAt *time.Time         `json:"lastSyncAt"`
	LastError  *string            `json:"lastError"`
	Changes    changesJSON        `json:"changes"`
}

// changesJSON says how a connection's changes in Outlook arrive: "push" (change
// notifications, with the subscription's expiry and the last notification) or "polling",
// and why.
type changesJSON struct {
	Mode           string     `json:"mode"`
	Reason         string     `json:"reason,omitempty"`
	Expires        *time.Time `json:"subscriptionExpires,omitempty"`
	LastNotifiedAt *time.Time `json:"lastNotifiedAt,omitempty"`
}

// Connections is GET /api/v1/admin/outlook/connections: failing ones first.
func (h *API) Connections(c echo.Context) error {
	ctx := c.Request().Context()
	conns, err := h.o.conns.List(ctx)
	if err != nil {
		return err
	}
	users, err := h.o.users.ByIDs(ctx, outlooksync.UserIDs(conns))
	if err != nil {
		return err
	}
	modes, err := h.sync.store.WatchStates(ctx, outlooksync.WatchConnection)
	if err != nil {
		return err
	}
	out := make([]adminConnectionJSON, len(conns))
	for i, conn := range conns {
		acct, u := conn.Account, users[conn.UserID]
		out[i] = adminConnectionJSON{UserID: conn.UserID, UserEmail: u.Email, UserName: u.Name,
			Account: outlookAccountJSON{ID: acct.ID, Mail: acct.Mail, UserPrincipalName: acct.UserPrincipalName, DisplayName: acct.DisplayName},
			State:   string(conn.State), LastSyncAt: conn.LastSyncAt, Changes: changesOf(modes[conn.UserID])}
		if conn.LastError != "" {
			msg := conn.LastError
			out[i].LastError = &msg
		}
	}
	return c.JSON(http.StatusOK, map[string][]adminConnectionJSON{"connections": out})
}

func changesOf(w outlooksync.WatchState) changesJSON {
	if w.Mode == outlooksync.ModePush && w.Expires != nil {
		return changesJSON{Mode: outlooksync.ModePush, Expires: w.Expires, LastNotifiedAt: w.LastNotifiedAt}
	}
	reason := w.Reason
	if reason == "" {
		reason = "not subscribed yet"
	}
	return changesJSON{Mode: outlooksync.ModePolling, Reason: reason}
}
