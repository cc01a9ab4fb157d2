package outlook

import (
	"errors"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/outlooksync"
)

// Panel returns the function that builds the viewer's panel, so that pages that do not show
// it cost nothing (a view.PanelFunc).
func (o *Outlook) Panel(c echo.Context) func() *view.OutlookPanel {
	return func() *view.OutlookPanel {
		ctx := c.Request().Context()
		v := accounts.CurrentViewer(c)
		settings, err := o.props.OutlookSettings(ctx)
		if err != nil {
			o.log.Warn("outlook panel: read settings", "err", err)
			return nil
		}
		if !settings.Ready() {
			return nil
		}
		p := &view.OutlookPanel{State: string(outlooksync.StateDisconnected), ConnectURL: ConnectPath, CSRFToken: accounts.CSRFToken(c)}
		conn, err := o.conns.Get(ctx, v.UserID)
		switch {
		case errors.Is(err, outlooksync.ErrNotConnected):
			return p
		case err != nil:
			o.log.Warn("outlook panel: read connection", "user", v.UserID, "err", err)
			return nil
		}
		p.State, p.Account, p.LastError = string(conn.State), conn.Account.Label(), conn.LastError
		if conn.LastSyncAt != nil {
			p.LastSync = conn.LastSyncAt.In(v.Location()).Format("Mon 2 Jan 2006, 15:04")
		}
		return p
	}
}
