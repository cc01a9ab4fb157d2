package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
)

// The event API's JSON shapes (docs/api.md documents them with examples).

type inviteeJSON struct {
	Email    string  `json:"email"`
	Instance *string `json:"instance,omitempty"`
}

type eventCreateJSON struct {
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Location    string        `json:"location"`
	Start       string        `json:"start"`
	End         string        `json:"end"`
	TimeZone    string        `json:"timeZone"`
	AllDay      bool          `json:"allDay"`
	RRule       string        `json:"rrule"`
	Privacy     string        `json:"privacy"`
	CalendarID  int64         `json:"calendarId"`
	Invitees    []inviteeJSON `json:"invitees"`
	// InviteSpace invites the members of the event's space, now and later (a space's event only).
	InviteSpace bool     `json:"inviteSpace"`
	Categories  []string `json:"categories"`
	// ReminderMinutes: absent for Outlook's default (15), null for none.
	ReminderMinutes nullableInt `json:"reminderMinutes"`
}

type eventPatchJSON struct {
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	Location    *string   `json:"location"`
	Start       *string   `json:"start"`
	End         *string   `json:"end"`
	TimeZone    *string   `json:"timeZone"`
	AllDay      *bool     `json:"allDay"`
	RRule       *string   `json:"rrule"`
	Privacy     *string   `json:"privacy"`
	Version     *int      `json:"version"`
	Categories  *[]string `json:"categories"`
	// ReminderMinutes: absent leaves the reminder, null removes it.
	ReminderMinutes nullableInt `json:"reminderMinutes"`
}

func (p eventPatchJSON) change() calendar.Change {
	ch := calendar.Change{Title: p.Title, Description: p.Description, Location: p.Location, Start: httpkit.WallInput(p.Start),
		End: httpkit.WallInput(p.End), TimeZone: p.TimeZone, AllDay: p.AllDay, RRule: httpkit.RuleInput(p.RRule)}
	if p.Privacy != nil {
		pv := calendar.Privacy(*p.Privacy)
		ch.Privacy = &pv
	}
	if p.Categories != nil {
		cats := *p.Categories
		ch.Categories = &cats
	}
	ch.Reminder = p.ReminderMinutes.reminder()
	return ch
}

// nullableInt is a JSON number or null that remembers whether it was given at all.
type nullableInt struct {
	set, null bool
	v         int
}

// UnmarshalJSON reads a number or null.
func (n *nullableInt) UnmarshalJSON(b []byte) error {
	n.set = true
	if string(b) == "null" {
		n.null = true
		return nil
	}
	return json.Unmarshal(b, &n.v)
}

// reminder is the reminder the field gives: nil when absent, none for null.
func (n nullableInt) reminder() *calendar.Reminder {
	switch {
	case !n.set:
		return nil
	case n.null:
		return &calendar.Reminder{}
	}
	return &calendar.Reminder{On: true, Minutes: n.v}
}

// reminderOut is a reminder as the API shows it: minutes before the start, nil for none.
func reminderOut(r calendar.Reminder) *int {
	if !r.On {
		return nil
	}
	m := r.Minutes
	return &m
}

type rsvpJSON struct {
	Response string  `json:"response"`
	Scope    string  `json:"scope"`
	Instance *string `json:"instance"`
}

type inviteJSON struct {
	Emails   []string `json:"emails"`
	Space    bool     `json:"space"` // the whole space of the event's calendar, now and later
	Scope    string   `json:"scope"`
	Instance *string  `json:"instance"`
}

// personJSON is a person as the API shows them (the directory's Person).
type personJSON = accounts.Person

type segmentJSON struct {
	Start       string `json:"start"`
	End         string `json:"end"`
	FirstStart  string `json:"firstStart"`
	TimeZone    string `json:"timeZone"`
	AllDay      bool   `json:"allDay"`
	RRule       string `json:"rrule"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Location    string `json:"location"`
}

type overrideJSON struct {
	OriginalStart string  `json:"originalStart"`
	Cancelled     bool    `json:"cancelled"`
	Title         *string `json:"title,omitempty"`
	Description   *string `json:"description,omitempty"`
	Location      *string `json:"location,omitempty"`
	Start         *string `json:"start,omitempty"`
	End           *string `json:"end,omitempty"`
}

type invitationJSON struct {
	personJSON
	Instance *string `json:"instance"`
}

type answerJSON struct {
	personJSON
	Scope    string  `json:"scope"`
	Instance *string `json:"instance"`
	Response string  `json:"response"`
}

type eventJSON struct {
	ID               int64            `json:"id"`
	Version          int              `json:"version"`
	CalendarID       int64            `json:"calendarId"`
	Organizer        personJSON       `json:"organizer"`
	Privacy          string           `json:"privacy"`
	Categories       []string         `json:"categories"`
	Colour           string           `json:"colour,omitempty"`
	ReminderMinutes  *int             `json:"reminderMinutes"`
	Recurring        bool             `json:"recurring"`
	InstanceOnly     bool             `json:"instanceOnly,omitempty"`
	Segments         []segmentJSON    `json:"segments"`
	Overrides        []overrideJSON   `json:"overrides"`
	Invitations      []invitationJSON `json:"invitations"`
	RSVPs            []answerJSON     `json:"rsvps"`
	CreatedAt        string           `json:"createdAt"`
	UpdatedAt        string           `json:"updatedAt"`
	DroppedOverrides *int             `json:"droppedOverrides,omitempty"`
	// InvitesSpace: the members of the event's space are invited, those who join later too.
	InvitesSpace bool `json:"invitesSpace,omitempty"`
	// Adjusted lists the given wall times that clocks skip or repeat and what was made of
	// them (docs/api.md); only in the answer to the create or edit that gave them.
	Adjusted []adjustedJSON `json:"adjusted,omitempty"`
}

type adjustedJSON struct {
	Field   string `json:"field"`
	Kind    string `json:"kind"` // "skipped" or "repeated"
	Message string `json:"message"`
}

// adjustedOf renders the adjustments of a create or edit.
func adjustedOf(adj []calendar.Adjustment) []adjustedJSON {
	var out []adjustedJSON
	for _, a := range adj {
		kind := "skipped"
		if a.Kind == calendar.WallRepeated {
			kind = "repeated"
		}
		out = append(out, adjustedJSON{Field: a.Field, Kind: kind, Message: a.Message})
	}
	return out
}

type occurrenceJSON struct {
	EventID       int64      `json:"eventId"`
	CalendarID    int64      `json:"calendarId"`
	OriginalStart string     `json:"originalStart"`
	Start         string     `json:"start"`
	End           string     `json:"end"`
	TimeZone      string     `json:"timeZone"`
	AllDay        bool       `json:"allDay"`
	Title         string     `json:"title"`
	Description   string     `json:"description"`
	Location      string     `json:"location"`
	Privacy       string     `json:"privacy"`
	Categories    []string   `json:"categories,omitempty"`
	Colour        string     `json:"colour,omitempty"`
	IsException   bool       `json:"isException"`
	IsRecurring   bool       `json:"isRecurring"`
	Changed       []string   `json:"changed,omitempty"`
	Organizer     personJSON `json:"organizer"`
	RSVP          *string    `json:"rsvp"`
}

const wallFormat = "2006-01-02T15:04:05"

func utcString(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optUTC(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := utcString(*t)
	return &s
}

// instantString renders an instance time: RFC 3339 with the zone's offset, or a date for
// all-day (the end as the last day, inclusive).
func instantString(t time.Time, allDay, isEnd bool) string {
	if allDay {
		if isEnd {
			t = t.AddDate(0, 0, -1)
		}
		return t.UTC().Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

// respond answers with the event (already filtered for the viewer) as JSON.
func (h *Events) respond(c echo.Context, status int, e *calendar.Event, v accounts.Viewer) error {
	out, err := h.eventJSON(c.Request().Context(), e, v)
	if err != nil {
		return err
	}
	return c.JSON(status, out)
}

// eventJSON renders an event (already filtered for the viewer) with its people.
func (h *Events) eventJSON(ctx context.Context, e *calendar.Event, v accounts.Viewer) (eventJSON, error) {
	ids := []int64{e.OrganizerID}
	for _, in := range e.Invitations {
		ids = append(ids, in.UserID)
	}
	for _, r := range e.RSVPs {
		ids = append(ids, r.UserID)
	}
	people, err := h.people.ByIDs(ctx, ids)
	if err != nil {
		return eventJSON{}, err
	}
	out := eventJSON{
		ID: e.ID, Version: e.Version, CalendarID: e.CalendarID, Organizer: people[e.OrganizerID],
		Privacy: string(e.Privacy), Categories: nonNilStrings(e.Categories), Colour: calendar.Colour(e.Categories),
		ReminderMinutes: reminderOut(e.Reminder), Recurring: e.IsRecurring(), InstanceOnly: e.InstanceOnly(v.CalendarViewer()),
		Segments: []segmentJSON{}, Overrides: []overrideJSON{}, Invitations: []invitationJSON{}, RSVPs: []answerJSON{},
		CreatedAt: utcString(e.CreatedAt), UpdatedAt: utcString(e.UpdatedAt),
	}
	if out.InvitesSpace, err = h.cal.InvitesSpace(ctx, e.ID); err != nil {
		return eventJSON{}, err
	}
	for _, s := range e.Segments {
		sj := segmentJSON{TimeZone: s.TimeZone, AllDay: s.AllDay, Title: s.Title, Description: s.Description, Location: s.Location}
		if s.Rule != nil {
			sj.RRule = s.Rule.String()
		}
		first := s.Start
		if f, ok := s.Schedule().FirstStart(); ok {
			first = f
		}
		sj.FirstStart = utcString(first)
		if s.AllDay {
			sj.Start = s.Start.Format("2006-01-02")
			sj.End = s.Start.Add(s.Duration).AddDate(0, 0, -1).Format("2006-01-02")
		} else {
			sj.Start = s.Start.Format(wallFormat)
			sj.End = s.Start.Add(s.Duration).Format(wallFormat)
		}
		out.Segments = append(out.Segments, sj)
	}
	for _, o := range e.Overrides {
		out.Overrides = append(out.Overrides, overrideJSON{OriginalStart: utcString(o.OriginalStart), Cancelled: o.Cancelled,
			Title: o.Title, Description: o.Description, Location: o.Location, Start: optUTC(o.Start), End: optUTC(o.End)})
	}
	for _, in := range e.Invitations {
		out.Invitations = append(out.Invitations, invitationJSON{personJSON: people[in.UserID], Instance: optUTC(in.Instance)})
	}
	for _, r := range e.RSVPs {
		out.RSVPs = append(out.RSVPs, answerJSON{personJSON: people[r.UserID], Scope: string(r.Scope),
			Instance: optUTC(r.Instance), Response: string(r.Response)})
	}
	return out, nil
}

// nonNilStrings is s, or an empty list: the API shows [] rather than null.
func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
