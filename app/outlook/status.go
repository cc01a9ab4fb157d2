package outlook

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/outlooksync"
)

// outlookStatusJSON is the answer of GET /api/v1/outlook/status.
type outlookStatusJSON struct {
	State      string              `json:"state"` // disconnected, connected, needs_reconnect
	Account    *outlookAccountJSON `json:"account"`
	LastSyncAt *time.Time          `json:"lastSyncAt"`
	LastError  *string             `json:"lastError"`
	// Available reports whether the site is set up for Connect to Outlook.
	Available  bool   `json:"available"`
	ConnectURL string `json:"connectUrl,omitempty"`
}

type outlookAccountJSON struct {
	ID                string `json:"id"`
	Mail              string `json:"mail"`
	UserPrincipalName string `json:"userPrincipalName"`
	DisplayName       string `json:"displayName"`
}

// Status is GET /api/v1/outlook/status: the caller's connection, never its tokens.
func (h *API) Status(c echo.Context) error {
	ctx := c.Request().Context()
	settings, err := h.o.props.OutlookSettings(ctx)
	if err != nil {
		return err
	}
	out := outlookStatusJSON{State: string(outlooksync.StateDisconnected), Available: settings.Ready()}
	if out.Available {
		out.ConnectURL = h.o.siteURL.String() + ConnectPath
	}
	conn, err := h.o.conns.Get(ctx, accounts.CurrentViewer(c).UserID)
	switch {
	case errors.Is(err, outlooksync.ErrNotConnected):
		return c.JSON(http.StatusOK, out)
	case err != nil:
		return err
	}
	out.State = string(conn.State)
	out.Account = &outlookAccountJSON{ID: conn.Account.ID, Mail: conn.Account.Mail,
		UserPrincipalName: conn.Account.UserPrincipalName, DisplayName: conn.Account.DisplayName}
	out.LastSyncAt = conn.LastSyncAt
	if conn.LastError != "" {
		msg := conn.LastError
		out.LastError = &msg
	}
	return c.JSON(http.StatusOK, out)
}

// disconnect removes the caller's connection: tokens and sync state. Events stay in
// both calendars.
func (o *Outlook) disconnect(c echo.Context) (bool, error) {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	_, err := o.conns.Get(ctx, v.UserID)
	if errors.Is(err, outlooksync.ErrNotConnected) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if o.unsubscribe != nil {
		if err := o.unsubscribe(ctx, v.UserID); err != nil {
			o.log.Warn("delete the outlook subscription before disconnecting", "user", v.UserID, "err", err)
		}
	}
	if err := o.conns.Disconnect(ctx, v.UserID); err != nil {
		return false, err
	}
	o.log.Info("outlook disconnected", "user", v.UserID)
	return true, nil
}

// Disconnect is POST /api/v1/outlook/disconnect.
func (h *API) Disconnect(c echo.Context) error {
	if _, err := h.o.disconnect(c); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"state": string(outlooksync.StateDisconnected)})
}

// Disconnect is POST /outlook/disconnect, the panel's button.
func (h *Pages) Disconnect(c echo.Context) error {
	was, err := h.o.disconnect(c)
	if err != nil {
		return err
	}
	if was {
		h.view.Flash.Set(c, "My Calendar is no longer connected to Outlook. Your events stay in both calendars.")
	}
	return c.Redirect(http.StatusSeeOther, "/calendar")
}

// errSyncUnavailable answers "Sync now" when this program runs without the sync (no Graph
// adapter was given, as in the web app's own tests).
var errSyncUnavailable = httpkit.NewError(http.StatusNotImplemented, "not_implemented", "Sync now is not available: this server runs without the Outlook sync.")

// syncNowFor runs one sync of the caller's connection.
func (o *Outlook) syncNowFor(c echo.Context) error {
	if o.syncNow == nil {
		return errSyncUnavailable
	}
	ctx := c.Request().Context()
	uid := accounts.CurrentViewer(c).UserID
	conn, err := o.conns.Get(ctx, uid)
	if errors.Is(err, outlooksync.ErrNotConnected) {
		return httpkit.NewError(http.StatusConflict, "not_connected", "My Calendar is not connected to Outlook.")
	}
	if err != nil {
		return err
	}
	if conn.State == outlooksync.StateNeedsReconnect {
		return httpkit.NewError(http.StatusConflict, "needs_reconnect", "The Outlook connection must be renewed first: click Reconnect.")
	}
	if err := o.syncNow(ctx, uid); err != nil {
		if ae := (*httpkit.Error)(nil); errors.As(err, &ae) {
			return err
		}
		if errors.Is(err, outlooksync.ErrReconnectNeeded) {
			return httpkit.NewError(http.StatusConflict, "needs_reconnect", "Microsoft asks you to sign in again: click Reconnect. Nothing was deleted.")
		}
		o.log.Warn("sync now failed", "user", uid, "err", err)
		return httpkit.NewError(http.StatusBadGateway, "sync_failed", "The sync with Outlook failed; the connection status shows the error.")
	}
	return nil
}

// Sync is POST /api/v1/outlook/sync.
func (h *API) Sync(c echo.Context) error {
	if err := h.o.syncNowFor(c); err != nil {
		return err
	}
	return h.Status(c)
}

// SyncNow is POST /outlook/sync, the panel's "Sync now".
func (h *Pages) SyncNow(c echo.Context) error {
	err := h.o.syncNowFor(c)
	var ae *httpkit.Error
	switch {
	case err == nil:
		h.view.Flash.Set(c, "Synced with Outlook.")
	case errors.As(err, &ae):
		h.view.Flash.Set(c, ae.Message)
	default:
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/calendar")
}
