package app

import (
	"errors"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/outlooksync"
)

// outlookPanelFor returns the function that builds the viewer's panel, so that pages that do
// not show it cost nothing.
func (a *App) outlookPanelFor(c echo.Context) func() *view.OutlookPanel {
	return func() *view.OutlookPanel {
		ctx := c.Request().Context()
		v := accounts.CurrentViewer(c)
		settings, err := a.props.OutlookSettings(ctx)
		if err != nil {
			a.log.Warn("outlook panel: read settings", "err", err)
			return nil
		}
		if !settings.Ready() {
			return nil
		}
		p := &view.OutlookPanel{State: string(outlooksync.StateDisconnected), ConnectURL: outlookConnectPath, CSRFToken: accounts.CSRFToken(c)}
		conn, err := a.outlook.conns.Get(ctx, v.UserID)
		switch {
		case errors.Is(err, outlooksync.ErrNotConnected):
			return p
		case err != nil:
			a.log.Warn("outlook panel: read connection", "user", v.UserID, "err", err)
			return nil
		}
		p.State, p.Account, p.LastError = string(conn.State), conn.Account.Label(), conn.LastError
		if conn.LastSyncAt != nil {
			p.LastSync = conn.LastSyncAt.In(v.Location()).Format("Mon 2 Jan 2006, 15:04")
		}
		return p
	}
}
