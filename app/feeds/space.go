package feeds

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
)

// A space's feed: one address for the whole space, its public events, for its members (a
// private space: only they see the address) or for everyone who sees the space (a public
// one). The space's administrators turn it on, give it a new address, or turn it off.

func (h *Handlers) space(c echo.Context) (calendar.Space, error) {
	id, err := httpkit.PathIDOf(c, "id", "space id")
	if err != nil {
		return calendar.Space{}, err
	}
	return h.cal.Space(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), id)
}

// GetSpace is GET /api/v1/spaces/{id}/feed.
func (h *Handlers) GetSpace(c echo.Context) error {
	sp, err := h.space(c)
	if err != nil {
		return err
	}
	f, err := h.store.Get(c.Request().Context(), KindSpace, sp.ID)
	if errors.Is(err, ErrNoFeed) {
		return c.JSON(http.StatusOK, feedJSON{})
	}
	if err != nil {
		return err
	}
	out := h.feedJSON(f)
	out.Private = ""
	return c.JSON(http.StatusOK, out)
}

var errNotSpaceAdmin = httpkit.NewError(http.StatusForbidden, "forbidden", "Only the space's administrators manage its calendar feed.")

// RegenerateSpace is POST /api/v1/spaces/{id}/feed: the space's feed with a new address.
func (h *Handlers) RegenerateSpace(c echo.Context) error {
	sp, err := h.space(c)
	if err != nil {
		return err
	}
	if !sp.CanManage(accounts.CurrentViewer(c).CalendarViewer()) {
		return errNotSpaceAdmin
	}
	f, err := h.store.Regenerate(c.Request().Context(), KindSpace, sp.ID)
	if err != nil {
		return err
	}
	out := h.feedJSON(f)
	out.Private = ""
	return c.JSON(http.StatusCreated, out)
}

// TurnOffSpace is DELETE /api/v1/spaces/{id}/feed.
func (h *Handlers) TurnOffSpace(c echo.Context) error {
	sp, err := h.space(c)
	if err != nil {
		return err
	}
	if !sp.CanManage(accounts.CurrentViewer(c).CalendarViewer()) {
		return errNotSpaceAdmin
	}
	if err := h.store.Delete(c.Request().Context(), KindSpace, sp.ID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
