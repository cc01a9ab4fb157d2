package pages

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
)

// Events is the event pages: show, new, edit with its scopes, RSVP, delete and invite.
type Events struct {
	frame
	cal    *calendar.Store
	users  *accounts.Users
	people *accounts.Directory
	now    func() time.Time
}

// NewEvents is the event pages on the calendar store and the accounts (the colleague search
// of the invite panel, the names of organizer and attendees).
func NewEvents(pages *view.Renderer, fr view.Frame, cal *calendar.Store, users *accounts.Users, people *accounts.Directory,
	now func() time.Time) *Events {
	return &Events{frame: frame{pages, fr}, cal: cal, users: users, people: people, now: now}
}

// eventPage is the data of event.html: the details of one instance, with RSVP, delete and
// invite.
type eventPage struct {
	view.Page
	// Space is the space whose calendar holds the event, nil for My Calendar events;
	// InvitesSpace says its members are invited (those who join later too).
	Space        *spaceBanner
	InvitesSpace bool
	EventID      int64
	Version      int
	Instance     string // original start, RFC 3339
	Title        string
	Description  string
	Location     string
	When         string // in the viewer's zone
	ZoneName     string
	EventWhen    string // in the event's zone, when that differs
	Repeats      string // the rule in words; empty for a single event and for an invitee of one instance
	Recurring    bool   // offer scopes for answers and deletes
	// InstanceOnly: the viewer was invited to single instances of a private event and sees
	// this one as a single event.
	InstanceOnly bool
	Private      bool
	Cancelled    bool
	Changes      []instanceChange
	// Categories, Colour and Reminder are the organizer's, shown to those who may see them.
	Categories []string
	Colour     string
	Reminder   string
	Organizer  accounts.Person
	Attendees  []attendeeRow

	MyAnswer     string // yes, no, maybe or ""
	MyAnswerFrom string // which of the viewer's answers it comes from
	RSVPScopes   []scopeChoice
	Answers      []option

	CanEdit   bool
	EditURL   string
	DayURL    string
	Invite    invitePanel
	ErrorText string
}

// instanceChange is one thing an instance changed from its series.
type instanceChange struct {
	Field  string
	Series string // the series' value
}

// attendeeRow is one invitee or answerer of the instance.
type attendeeRow struct {
	Name     string
	Email    string
	Answer   string // "Going", "Maybe", "Declined", "No answer yet"
	Class    string
	Invited  bool
	OneOnly  bool // invited to this instance only
	IsViewer bool
}

// Show shows the instance named by ?instance= (or the next one).
func (h *Events) Show(c echo.Context) error {
	le, err := h.loadEvent(c, c.QueryParam("instance"))
	if err != nil {
		return err
	}
	p, err := h.eventPage(c, le, h.pageWithFlash(c, le.instance.Title))
	if err != nil {
		return err
	}
	return h.pages.Render(c, http.StatusOK, "event.html", p)
}

// eventPage builds the details of the loaded instance for the viewer, on the page frame pg.
func (h *Events) eventPage(c echo.Context, le loadedEvent, pg view.Page) (eventPage, error) {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	cv := v.CalendarViewer()
	loc := v.Location()
	oc := le.instance
	e := le.full
	instanceOnly := e.InstanceOnly(cv)
	p := eventPage{
		Page:         pg,
		EventID:      e.ID,
		Version:      e.Version,
		Instance:     le.orig.Format(time.RFC3339),
		Title:        oc.Title,
		Description:  oc.Description,
		Location:     oc.Location,
		When:         whenText(oc, loc),
		ZoneName:     loc.String(),
		Recurring:    e.IsRecurring() && !instanceOnly,
		InstanceOnly: instanceOnly,
		Private:      e.Privacy == calendar.Private,
		Cancelled:    le.cancelled,
		CanEdit:      e.CanEdit(cv),
		MyAnswer:     string(oc.RSVP),
		Categories:   oc.Categories,
		Colour:       calendar.Colour(oc.Categories),
	}
	if e.OrganizerID == v.UserID || p.CanEdit {
		p.Reminder = reminderText(e.Reminder)
	}
	if !oc.AllDay && oc.TimeZone != loc.String() && zoneDiffers(oc.Start, loc) {
		p.EventWhen = whenText(oc, oc.Start.Location()) + " (" + oc.TimeZone + ")"
	}
	seg := e.Segments[oc.Segment]
	if p.Recurring {
		p.Repeats = describeRule(seg.Rule, seg.Start.Location())
	}
	if !instanceOnly {
		p.Changes = instanceChanges(oc, seg, le.orig, loc)
	}
	p.EditURL = eventURL(e.ID) + "/edit?" + url.Values{"instance": {p.Instance}}.Encode()
	first, _ := daySpan(oc, loc)
	p.DayURL = calendarURL(viewMonth, first)
	if sp, err := h.cal.SpaceOfCalendar(ctx, cv, e.CalendarID); err == nil {
		p.Space = bannerOf(sp, cv)
		p.DayURL = calTarget{base: p.Space.URL}.viewURL(viewMonth, first)
		if p.InvitesSpace, err = h.cal.InvitesSpace(ctx, e.ID); err != nil {
			return p, err
		}
	} else if !errors.Is(err, calendar.ErrNotFound) {
		return p, err
	}

	// People: the organizer, then everyone invited to or answering for this instance, as far
	// as the viewer may see them.
	atts := le.view.Attendees(le.orig)
	ids := []int64{e.OrganizerID}
	for _, at := range atts {
		ids = append(ids, at.UserID)
	}
	people, err := h.people.ByIDs(ctx, ids)
	if err != nil {
		return eventPage{}, err
	}
	p.Organizer = people[e.OrganizerID]
	oneOnly := map[int64]bool{}
	for _, in := range le.view.Invitations {
		if in.Instance != nil {
			oneOnly[in.UserID] = true
		}
	}
	for _, at := range atts {
		pj := people[at.UserID]
		row := attendeeRow{Name: pj.Name, Email: pj.Email, Invited: at.Invited, IsViewer: at.UserID == v.UserID,
			OneOnly: at.Invited && oneOnly[at.UserID] && !invitedAll(le.view, at.UserID)}
		row.Answer, row.Class = answerLabel(at.Response)
		p.Attendees = append(p.Attendees, row)
	}

	// The viewer's own answer and the scopes they may answer with.
	p.MyAnswerFrom = answerSource(le.view, v.UserID, le.orig, loc)
	// The organizer hosts the event and is not asked whether they will go, as in Outlook.
	if e.OrganizerID != v.UserID && e.CheckRSVP(cv, calendar.ScopeInstance, le.orig) == nil && !le.cancelled {
		scope := calendar.ScopeInstance
		if p.Recurring {
			p.RSVPScopes = scopeChoices(scope)
		}
		for _, r := range []option{{"yes", "Yes", false}, {"maybe", "Maybe", false}, {"no", "No", false}} {
			r.Selected = r.Value == p.MyAnswer
			p.Answers = append(p.Answers, r)
		}
	}
	if p.CanEdit {
		p.Invite, err = h.invitePanel(c, le)
		if err != nil {
			return eventPage{}, err
		}
	}
	return p, nil
}

// whenText is an instance's date and time in loc: "Monday 16 March 2026, 09:00 – 09:15".
func whenText(oc calendar.Occurrence, loc *time.Location) string {
	if oc.AllDay {
		s, e := oc.Start.UTC(), oc.End.UTC().AddDate(0, 0, -1)
		if !e.After(s) {
			return s.Format("Monday 2 January 2006") + ", all day"
		}
		return s.Format("Monday 2 January") + " – " + e.Format("Monday 2 January 2006") + ", all day"
	}
	s, e := oc.Start.In(loc), oc.End.In(loc)
	if midnight(s).Equal(midnight(e)) || e.Equal(midnight(e)) && midnight(s).Equal(addDays(midnight(e), -1)) {
		return s.Format("Monday 2 January 2006, ") + s.Format(timeLayout) + " – " + e.Format(timeLayout)
	}
	return s.Format("Monday 2 January 2006, "+timeLayout) + " – " + e.Format("Monday 2 January 2006, "+timeLayout)
}

// instanceChanges says what the instance changed from its series, with the series' values.
func instanceChanges(oc calendar.Occurrence, seg calendar.Segment, orig time.Time, loc *time.Location) []instanceChange {
	var out []instanceChange
	for _, f := range oc.Changed {
		switch f {
		case "title":
			out = append(out, instanceChange{"Title", seg.Title})
		case "description":
			out = append(out, instanceChange{"Description", clipText(seg.Description, 80)})
		case "location":
			out = append(out, instanceChange{"Location", seg.Location})
		case "time":
			natural := calendar.Occurrence{Start: orig, End: orig.Add(seg.Duration), AllDay: seg.AllDay}
			out = append(out, instanceChange{"Time", whenText(natural, loc)})
		}
	}
	return out
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// answerLabel names a response as the attendee list shows it, with its CSS class.
func answerLabel(r calendar.Response) (string, string) {
	switch r {
	case calendar.Yes:
		return "Going", "ans-yes"
	case calendar.Maybe:
		return "Maybe", "ans-maybe"
	case calendar.No:
		return "Declined", "ans-no"
	}
	return "No answer yet", "ans-none"
}

// answerSource says which of the user's stored answers decides the instance: the one for this
// instance, the latest "this and following" at or before it, or the one for all.
func answerSource(e *calendar.Event, userID int64, orig time.Time, loc *time.Location) string {
	var following *time.Time
	all := false
	for _, r := range e.RSVPs {
		if r.UserID != userID {
			continue
		}
		switch r.Scope {
		case calendar.ScopeInstance:
			if r.Instance.Equal(orig) {
				return "for this date only"
			}
		case calendar.ScopeFollowing:
			if !r.Instance.After(orig) && (following == nil || r.Instance.After(*following)) {
				following = r.Instance
			}
		case calendar.ScopeAll:
			all = true
		}
	}
	switch {
	case following != nil:
		return "for this and following dates from " + following.In(loc).Format("2 January 2006")
	case all:
		return "for all dates"
	}
	return ""
}

// invitedAll reports whether the user is invited to every instance.
func invitedAll(e *calendar.Event, userID int64) bool {
	for _, in := range e.Invitations {
		if in.UserID == userID && in.Instance == nil {
			return true
		}
	}
	return false
}
