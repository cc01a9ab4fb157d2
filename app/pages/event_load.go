package pages

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
)

// loadedEvent is an event with the one instance a page is about.
type loadedEvent struct {
	// full is the whole event: only ever read through the calendar's own visibility rules
	// (Instance, InstanceOnly, CanEdit, ViewFor), never shown directly.
	full *calendar.Event
	// view is the event as the viewer may see it (other people's answers to a private event
	// are left out for an invitee of single instances).
	view      *calendar.Event
	orig      time.Time // the instance's original start
	instance  calendar.Occurrence
	cancelled bool
}

// loadEvent loads the event of the :id path parameter and the instance named by the instance
// parameter (query or form), or a sensible one when none is named: the next instance the
// viewer may see, else the last one. An event or instance the viewer may not see is
// calendar.ErrNotFound, so a private event never shows that it exists.
func (h *Events) loadEvent(c echo.Context, instanceParam string) (loadedEvent, error) {
	id, err := httpkit.PathID(c)
	if err != nil {
		return loadedEvent{}, err
	}
	cv := accounts.CurrentViewer(c).CalendarViewer()
	// The store's Get applies visibility; the single-instance view it gives an invitee of a
	// private event no longer knows original starts, so the instance is read from the whole
	// event through the calendar's rules.
	view, err := h.cal.Get(c.Request().Context(), cv, id)
	if err != nil {
		return loadedEvent{}, err
	}
	full := view
	if view.InstanceOnly(cv) {
		if full, err = h.cal.GetFull(c.Request().Context(), id); err != nil {
			return loadedEvent{}, err
		}
	}
	var orig time.Time
	if s := strings.TrimSpace(instanceParam); s != "" {
		if orig, err = time.Parse(time.RFC3339, s); err != nil {
			return loadedEvent{}, echo.NewHTTPError(http.StatusBadRequest, "The instance must be an RFC 3339 time such as 2026-03-16T08:00:00Z.")
		}
	} else {
		orig = h.defaultInstance(full, cv)
	}
	oc, cancelled, err := full.Instance(cv, orig)
	if err != nil {
		return loadedEvent{}, err
	}
	return loadedEvent{full: full, view: view, orig: orig.UTC(), instance: oc, cancelled: cancelled}, nil
}

// defaultInstance is the instance an event opens at when none is named: the next one from now
// the viewer may see, else the latest past one, else the first start.
func (h *Events) defaultInstance(e *calendar.Event, v calendar.Viewer) time.Time {
	now := h.now()
	if next := e.Instances(v, now, now.Add(calendar.MaxWindow), false); len(next) > 0 {
		return next[0].OriginalStart
	}
	if past := e.Instances(v, now.Add(-calendar.MaxWindow), now, false); len(past) > 0 {
		return past[len(past)-1].OriginalStart
	}
	first, _ := e.Segments[0].Schedule().FirstStart()
	return first
}

// eventURL is the details page of an event at its default instance: after a change of time
// for all instances the instances' keys move, so the page cannot name the old one.
func eventURL(id int64) string {
	return "/events/" + strconv.FormatInt(id, 10)
}
