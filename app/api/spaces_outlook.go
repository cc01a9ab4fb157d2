package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
	"intracal/outlooksync/publish"
)

// historyShown is how many lines of a space's publishing history the API answers with.
const historyShown = 50

// SpaceOutlook serves publishing a space's calendar into its members' Outlook: the switch,
// how each member's copy stands with the recent history, and a run now. Space and site
// administrators only, as for the space's settings.
type SpaceOutlook struct {
	cal     *calendar.Store
	people  *accounts.Directory
	publish *publish.Store
	now     func() time.Time
}

// NewSpaceOutlook is the publishing API on the calendar store (who may manage the space), the
// people directory (the members' names) and the publishing store.
func NewSpaceOutlook(cal *calendar.Store, people *accounts.Directory, pub *publish.Store, now func() time.Time) *SpaceOutlook {
	return &SpaceOutlook{cal: cal, people: people, publish: pub, now: now}
}

type publicationJSON struct {
	Publish bool                `json:"publish"`
	Members []publishMemberJSON `json:"members"`
	History []publishLineJSON   `json:"history"`
}

type publishMemberJSON struct {
	UserID          int64      `json:"userId"`
	Name            string     `json:"name"`
	Email           string     `json:"email"`
	LastPublishedAt *time.Time `json:"lastPublishedAt"`
	LastRunAt       *time.Time `json:"lastRunAt"`
	Failures        int        `json:"failures"`
	LastError       *string    `json:"lastError"`
	State           string     `json:"state"`
}

type publishLineJSON struct {
	At      time.Time `json:"at"`
	UserID  int64     `json:"userId"`
	EventID *int64    `json:"eventId"` // null for a line about the member's calendar as a whole
	Summary string    `json:"summary"`
	Detail  string    `json:"detail"`
}

// Get is GET /api/v1/spaces/{id}/outlook.
func (h *SpaceOutlook) Get(c echo.Context) error {
	sp, err := h.manageable(c)
	if err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, sp)
}

// Put is PUT /api/v1/spaces/{id}/outlook {"publish": bool}: publishing on or off; the next
// cycle writes or removes the members' copies.
func (h *SpaceOutlook) Put(c echo.Context) error {
	sp, err := h.manageable(c)
	if err != nil {
		return err
	}
	var in struct {
		Publish *bool `json:"publish"`
	}
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	if in.Publish == nil {
		return &calendar.ValidationError{Fields: map[string]string{"publish": "Give true or false."}}
	}
	if err := h.publish.SetPublished(c.Request().Context(), sp.ID, accounts.CurrentViewer(c).UserID, *in.Publish, h.now()); err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, sp)
}

// Run is POST /api/v1/spaces/{id}/outlook/run: every member's copy is due at once; the
// cycle writes them in the background (202).
func (h *SpaceOutlook) Run(c echo.Context) error {
	sp, err := h.manageable(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	on, err := h.publish.Published(ctx, sp.ID)
	if err != nil {
		return err
	}
	if !on {
		return httpkit.NewError(http.StatusConflict, "conflict", "The space is not published to Outlook: turn publishing on first.")
	}
	if err := h.publish.RunNow(ctx, sp.ID, h.now()); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// manageable loads the space of the path for a caller who may manage it: 404 for a space
// they cannot see, 403 for one they may not manage.
func (h *SpaceOutlook) manageable(c echo.Context) (calendar.Space, error) {
	id, err := httpkit.PathIDOf(c, "id", "space id")
	if err != nil {
		return calendar.Space{}, err
	}
	v := accounts.CurrentViewer(c).CalendarViewer()
	sp, err := h.cal.Space(c.Request().Context(), v, id)
	if err != nil {
		return calendar.Space{}, err
	}
	if !sp.CanManage(v) {
		return calendar.Space{}, &calendar.ForbiddenError{Message: "Only the space's administrators can publish it to Outlook."}
	}
	return sp, nil
}

func (h *SpaceOutlook) respond(c echo.Context, status int, sp calendar.Space) error {
	ctx, v := c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer()
	members, err := h.cal.SpaceMembers(ctx, v, sp.ID)
	if err != nil {
		return err
	}
	on, roster, err := h.publish.Roster(ctx, sp.ID, members)
	if err != nil {
		return err
	}
	ids := make([]int64, len(roster))
	for i, t := range roster {
		ids[i] = t.UserID
	}
	people, err := h.people.ByIDs(ctx, ids)
	if err != nil {
		return err
	}
	history, err := h.publish.History(ctx, sp.ID, historyShown)
	if err != nil {
		return err
	}
	out := publicationJSON{Publish: on, Members: make([]publishMemberJSON, len(roster)), History: make([]publishLineJSON, len(history))}
	for i, t := range roster {
		who := people[t.UserID]
		m := publishMemberJSON{UserID: t.UserID, Name: who.Name, Email: who.Email, LastPublishedAt: utcOrNil(t.LastOKAt), LastRunAt: utcOrNil(t.LastRunAt),
			Failures: t.Failures, State: string(publish.StateOf(t))}
		if t.LastError != "" {
			msg := t.LastError
			m.LastError = &msg
		}
		out.Members[i] = m
	}
	for i, l := range history {
		out.History[i] = publishLineJSON{At: l.At, UserID: l.UserID, Summary: l.Summary, Detail: l.Detail}
		if l.EventID != 0 {
			id := l.EventID
			out.History[i].EventID = &id
		}
	}
	return c.JSON(status, out)
}

func utcOrNil(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
