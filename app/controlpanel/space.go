package controlpanel

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
	"intracal/outlooksync/publish"
)

// historyShown is how many lines of a space's publishing history its page lists.
const historyShown = 50

// spacePage is the data of cp_space.html: one space's publication.
type spacePage struct {
	page
	Setup         *publishSetup
	Space         spaceRow
	Members       []view.PublishRow
	History       []publishLine
	PublishNowURL string
	// Withheld: a private space the viewer is not a member of, whose history names no events.
	Withheld bool
}

type publishLine struct {
	When     string
	Member   string
	Summary  string
	Detail   string
	EventURL string
}

// spaceParam reads the space of the URL: a 404 for a bad id or a space that is gone.
func (h *Spaces) spaceParam(c echo.Context) (calendar.Space, []calendar.SpaceMember, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return calendar.Space{}, nil, calendar.ErrNotFound
	}
	return h.cal.SiteSpace(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), id)
}

// Show is GET /cp/spaces/{id}: each member's state, failures first, the recent history and
// Publish now.
func (h *Spaces) Show(c echo.Context) error {
	sp, members, err := h.spaceParam(c)
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), accounts.CurrentViewer(c)
	loc := v.Location()
	on, roster, err := h.publish.Roster(ctx, sp.ID, members)
	if err != nil {
		return err
	}
	history, err := h.publish.History(ctx, sp.ID, historyShown)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(roster)+len(history))
	for _, t := range roster {
		ids = append(ids, t.UserID)
	}
	for _, l := range history {
		ids = append(ids, l.UserID)
	}
	people, err := h.people.ByIDs(ctx, ids)
	if err != nil {
		return err
	}
	sum := publish.SummaryOf(on, roster)
	row := newSpaceRow(sp, sum)
	modes, err := h.sync.WatchStates(ctx, publish.WatchSpaceCalendar)
	if err != nil {
		return err
	}
	p := spacePage{page: h.pageFor(c, sp.Name+" · Spaces", "/cp/spaces"), Space: row, Members: view.PublishRows(roster, people, loc, modes),
		PublishNowURL: row.URL + "/publish-now", Withheld: sp.Visibility == calendar.SpacePrivate && sp.Role == ""}
	for _, l := range history {
		line := publishLine{When: l.At.In(loc).Format("2 Jan 2006 15:04"), Member: people[l.UserID].Name, Summary: l.Summary}
		if _, known := people[l.UserID]; !known && l.UserID != 0 {
			line.Member = "(deleted user)"
		}
		if !p.Withheld {
			line.Detail = l.Detail
			if l.EventID != 0 {
				line.EventURL = "/events/" + strconv.FormatInt(l.EventID, 10)
			}
		}
		p.History = append(p.History, line)
	}
	if p.Setup, err = h.setupFor(ctx, sum.ConsentMissing); err != nil {
		return err
	}
	return h.pages.Render(c, http.StatusOK, "cp_space.html", p)
}

// PublishNow is POST /cp/spaces/{id}/publish-now: every member's copy of a published space is
// due at once; the cycle writes them in the background.
func (h *Spaces) PublishNow(c echo.Context) error {
	sp, _, err := h.spaceParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	on, err := h.publish.Published(ctx, sp.ID)
	if err != nil {
		return err
	}
	back := "/cp/spaces/" + strconv.FormatInt(sp.ID, 10)
	if !on {
		h.flash(c, sp.Name+" is not published to Outlook: its administrators turn that on in the space's settings.")
		return c.Redirect(http.StatusSeeOther, back)
	}
	if err := h.publish.RunNow(ctx, sp.ID, h.now()); err != nil {
		return err
	}
	h.flash(c, sp.Name+" is published again to every member's Outlook on the next cycle.")
	return c.Redirect(http.StatusSeeOther, back)
}
