package feeds

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
)

// Links are a person's feed addresses for the settings page; zero when the feed is off.
func (h *Handlers) Links(ctx context.Context, userID int64) (view.FeedLinks, error) {
	f, err := h.store.Get(ctx, KindUser, userID)
	if errors.Is(err, ErrNoFeed) {
		return view.FeedLinks{}, nil
	}
	if err != nil {
		return view.FeedLinks{}, err
	}
	https, webcal := h.URLs(f.Token)
	return view.FeedLinks{On: true, HTTPS: https, Webcal: template.URL(webcal), Private: f.Private}, nil
}

// SpaceLinks are a space's feed addresses, for its pages; zero when the feed is off.
func (h *Handlers) SpaceLinks(ctx context.Context, spaceID int64) (view.FeedLinks, error) {
	f, err := h.store.Get(ctx, KindSpace, spaceID)
	if errors.Is(err, ErrNoFeed) {
		return view.FeedLinks{}, nil
	}
	if err != nil {
		return view.FeedLinks{}, err
	}
	https, webcal := h.URLs(f.Token)
	return view.FeedLinks{On: true, HTTPS: https, Webcal: template.URL(webcal)}, nil
}

// Forms are the settings page's feed buttons: each changes the feed and goes back to the
// page with a message.
type Forms struct {
	h     *Handlers
	flash view.Flash
}

// NewForms are the settings page's feed forms.
func NewForms(h *Handlers, flash view.Flash) *Forms { return &Forms{h: h, flash: flash} }

func (f *Forms) back(c echo.Context, msg string) error {
	f.flash.Set(c, msg)
	return c.Redirect(http.StatusSeeOther, "/settings#feed")
}

// Regenerate is POST /settings/feed.
func (f *Forms) Regenerate(c echo.Context) error {
	ctx := c.Request().Context()
	uid := accounts.CurrentViewer(c).UserID
	_, err := f.h.store.Get(ctx, KindUser, uid)
	had := err == nil
	if _, err := f.h.store.Regenerate(ctx, KindUser, uid); err != nil {
		return err
	}
	if had {
		return f.back(c, "Your calendar feed has a new address. The old one no longer works: subscribe again with the new one.")
	}
	return f.back(c, "Your calendar feed is on. Subscribe to it from your phone or another calendar app.")
}

// TurnOff is POST /settings/feed/off.
func (f *Forms) TurnOff(c echo.Context) error {
	if err := f.h.store.Delete(c.Request().Context(), KindUser, accounts.CurrentViewer(c).UserID); err != nil {
		return err
	}
	return f.back(c, "Your calendar feed is off: its address no longer works.")
}

// SetPrivate is POST /settings/feed/private with private=busy or hidden.
func (f *Forms) SetPrivate(c echo.Context) error {
	mode := c.FormValue("private")
	if mode != PrivateBusy && mode != PrivateHidden {
		return f.back(c, "Choose whether your private events show as busy or not at all.")
	}
	err := f.h.store.SetPrivate(c.Request().Context(), KindUser, accounts.CurrentViewer(c).UserID, mode)
	if errors.Is(err, ErrNoFeed) {
		return f.back(c, "Turn the calendar feed on first.")
	}
	if err != nil {
		return err
	}
	if mode == PrivateHidden {
		return f.back(c, "Your private events are left out of your feed.")
	}
	return f.back(c, "Your private events show in your feed as busy, without their details.")
}

// spaceBack goes back to a space's settings.
func (f *Forms) spaceBack(c echo.Context, spaceID int64, msg string) error {
	f.flash.Set(c, msg)
	return c.Redirect(http.StatusSeeOther, "/spaces/"+strconv.FormatInt(spaceID, 10)+"/settings#feed")
}

// RegenerateSpace is POST /spaces/:id/feed: the space's feed on, or with a new address.
func (f *Forms) RegenerateSpace(c echo.Context) error {
	sp, err := f.h.space(c)
	if err != nil {
		return err
	}
	if !sp.CanManage(accounts.CurrentViewer(c).CalendarViewer()) {
		return errNotSpaceAdmin
	}
	ctx := c.Request().Context()
	_, err = f.h.store.Get(ctx, KindSpace, sp.ID)
	had := err == nil
	if _, err := f.h.store.Regenerate(ctx, KindSpace, sp.ID); err != nil {
		return err
	}
	if had {
		return f.spaceBack(c, sp.ID, "The space's calendar feed has a new address; the old one no longer works.")
	}
	return f.spaceBack(c, sp.ID, "The space's calendar feed is on: its page offers it to subscribe to.")
}

// TurnOffSpace is POST /spaces/:id/feed/off.
func (f *Forms) TurnOffSpace(c echo.Context) error {
	sp, err := f.h.space(c)
	if err != nil {
		return err
	}
	if !sp.CanManage(accounts.CurrentViewer(c).CalendarViewer()) {
		return errNotSpaceAdmin
	}
	if err := f.h.store.Delete(c.Request().Context(), KindSpace, sp.ID); err != nil {
		return err
	}
	return f.spaceBack(c, sp.ID, "The space's calendar feed is off: its address no longer works.")
}
