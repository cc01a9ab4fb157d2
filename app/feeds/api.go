package feeds

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
)

// feedJSON is GET /api/v1/me/feed: the feed's addresses (null when it is off) and what it
// shows of the person's own private events.
type feedJSON struct {
	URL     *string `json:"url"`
	Webcal  *string `json:"webcal"`
	Private string  `json:"private,omitempty"`
}

func (h *Handlers) feedJSON(f Feed) feedJSON {
	https, webcal := h.URLs(f.Token)
	return feedJSON{URL: &https, Webcal: &webcal, Private: f.Private}
}

// GetMine is GET /api/v1/me/feed.
func (h *Handlers) GetMine(c echo.Context) error {
	f, err := h.store.Get(c.Request().Context(), KindUser, accounts.CurrentViewer(c).UserID)
	if errors.Is(err, ErrNoFeed) {
		return c.JSON(http.StatusOK, feedJSON{})
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.feedJSON(f))
}

// Regenerate is POST /api/v1/me/feed: a feed with a new address (the old one stops).
func (h *Handlers) Regenerate(c echo.Context) error {
	f, err := h.store.Regenerate(c.Request().Context(), KindUser, accounts.CurrentViewer(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, h.feedJSON(f))
}

// SetPrivate is PUT /api/v1/me/feed with {"private": "busy" | "hidden"}.
func (h *Handlers) SetPrivate(c echo.Context) error {
	var body struct {
		Private string `json:"private"`
	}
	if err := c.Bind(&body); err != nil {
		return httpkit.NewError(http.StatusBadRequest, "invalid_json", "Send {\"private\": \"busy\"} or {\"private\": \"hidden\"}.")
	}
	if body.Private != PrivateBusy && body.Private != PrivateHidden {
		return httpkit.NewError(http.StatusBadRequest, "invalid_private",
			"private must be \"busy\" (your private events as busy blocks) or \"hidden\" (left out).")
	}
	ctx := c.Request().Context()
	uid := accounts.CurrentViewer(c).UserID
	err := h.store.SetPrivate(ctx, KindUser, uid, body.Private)
	if errors.Is(err, ErrNoFeed) {
		return httpkit.NewError(http.StatusNotFound, "no_feed", "You have no calendar feed: POST /api/v1/me/feed makes one.")
	}
	if err != nil {
		return err
	}
	return h.GetMine(c)
}

// TurnOff is DELETE /api/v1/me/feed: the address stops at once.
func (h *Handlers) TurnOff(c echo.Context) error {
	if err := h.store.Delete(c.Request().Context(), KindUser, accounts.CurrentViewer(c).UserID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
