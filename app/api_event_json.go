package app

import (
	"time"

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
}

type eventPatchJSON struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	Location    *string `json:"location"`
	Start       *string `json:"start"`
	End         *string `json:"end"`
	TimeZone    *string `json:"timeZone"`
	AllDay      *bool   `json:"allDay"`
	RRule       *string `json:"rrule"`
	Privacy     *string `json:"privacy"`
	Version     *int    `json:"version"`
}

func (p eventPatchJSON) change() calendar.Change {
	ch := calendar.Change{Title: p.Title, Description: p.Description, Location: p.Location, Start: httpkit.WallInput(p.Start),
		End: httpkit.WallInput(p.End), TimeZone: p.TimeZone, AllDay: p.AllDay, RRule: httpkit.RuleInput(p.RRule)}
	if p.Privacy != nil {
		pv := calendar.Privacy(*p.Privacy)
		ch.Privacy = &pv
	}
	return ch
}

type rsvpJSON struct {
	Response string  `json:"response"`
	Scope    string  `json:"scope"`
	Instance *string `json:"instance"`
}

type inviteJSON struct {
	Emails   []string `json:"emails"`
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
	Recurring        bool             `json:"recurring"`
	InstanceOnly     bool             `json:"instanceOnly,omitempty"`
	Segments         []segmentJSON    `json:"segments"`
	Overrides        []overrideJSON   `json:"overrides"`
	Invitations      []invitationJSON `json:"invitations"`
	RSVPs            []answerJSON     `json:"rsvps"`
	CreatedAt        string           `json:"createdAt"`
	UpdatedAt        string           `json:"updatedAt"`
	DroppedOverrides *int             `json:"droppedOverrides,omitempty"`
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
	OriginalStart string     `json:"originalStart"`
	Start         string     `json:"start"`
	End           string     `json:"end"`
	TimeZone      string     `json:"timeZone"`
	AllDay        bool       `json:"allDay"`
	Title         string     `json:"title"`
	Description   string     `json:"description"`
	Location      string     `json:"location"`
	Privacy       string     `json:"privacy"`
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
