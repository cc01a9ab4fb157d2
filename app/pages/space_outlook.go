package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
	"intracal/outlooksync/publish"
)

// publishSection is the space settings' section on publishing the space's calendar into
// each member's Outlook mailbox.
type publishSection struct {
	On     bool
	Action string // where the switch posts
	// SiteReady: the site has its Outlook app registration (Control Panel > System Properties).
	SiteReady bool
	// ConsentMissing: Graph refused a member's run for want of the tenant's admin consent.
	ConsentMissing bool
	Members        []view.PublishRow // while on, or while copies are still to be removed
}

// publishSection reads how the space's publication stands, for a viewer who manages it.
func (h *Spaces) publishSection(c echo.Context, sp calendar.Space) (*publishSection, error) {
	ctx, av := c.Request().Context(), accounts.CurrentViewer(c)
	settings, err := h.props.OutlookSettings(ctx)
	if err != nil {
		return nil, err
	}
	members, err := h.cal.SpaceMembers(ctx, av.CalendarViewer(), sp.ID)
	if err != nil {
		return nil, err
	}
	on, roster, err := h.publish.Roster(ctx, sp.ID, members)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(roster))
	for i, t := range roster {
		ids[i] = t.UserID
	}
	people, err := h.people.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	modes, err := h.sync.WatchStates(ctx, publish.WatchSpaceCalendar)
	if err != nil {
		return nil, err
	}
	s := &publishSection{On: on, Action: bannerOf(sp, av.CalendarViewer()).URL + "/outlook", SiteReady: settings.Ready(),
		Members: view.PublishRows(roster, people, av.Location(), modes)}
	for _, t := range roster {
		if publish.StateOf(t) == publish.MemberConsentMissing {
			s.ConsentMissing = true
		}
	}
	return s, nil
}

// SavePublishing is POST /spaces/:id/outlook with publish=yes|no: the space's calendar is
// published into its members' Outlook, or no longer; the next cycle writes or removes the
// copies. Space and site administrators only.
func (h *Spaces) SavePublishing(c echo.Context) error {
	sp, err := h.load(c)
	if err != nil {
		return err
	}
	av := accounts.CurrentViewer(c)
	if !sp.CanManage(av.CalendarViewer()) {
		return &calendar.ForbiddenError{Message: "Only the space's administrators can publish it to Outlook."}
	}
	var on bool
	switch c.FormValue("publish") {
	case "yes":
		on = true
	case "no":
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "Choose yes or no for publishing to the members' Outlook.")
	}
	if err := h.publish.SetPublished(c.Request().Context(), sp.ID, av.UserID, on, h.now()); err != nil {
		return err
	}
	if on {
		h.flash(c, sp.Name+" is published to its members' Outlook: each gets a calendar named after the space on the next cycle.")
	} else {
		h.flash(c, sp.Name+" is no longer published to Outlook: the members' copies are removed on the next cycle.")
	}
	return c.Redirect(http.StatusSeeOther, bannerOf(sp, av.CalendarViewer()).SettingsURL+"#outlook")
}
