package calendar

import (
	"crypto/rand"
	"sort"
	"time"
)

// newUID returns a random segment UID.
func newUID() string { return rand.Text() }

// Privacy says who may see an event.
type Privacy string

const (
	// Public events are visible to every signed-in user.
	Public Privacy = "public"
	// Private events are visible to their organizer and invitees only.
	Private Privacy = "private"
)

// Scope says which instances of a repeating event an edit, delete, RSVP or invitation covers.
type Scope string

const (
	ScopeInstance  Scope = "instance"
	ScopeFollowing Scope = "following"
	ScopeAll       Scope = "all"
)

// Response is an RSVP answer.
type Response string

const (
	Yes   Response = "yes"
	No    Response = "no"
	Maybe Response = "maybe"
)

// Content is what a segment or an instance shows.
type Content struct {
	Title       string
	Description string
	Location    string
}

// Segment is one stretch of a repeating event: its schedule and content. Segments of an event
// are ordered by their first start; each covers its instances until the next one's first start.
type Segment struct {
	ID int64
	// UID names the segment for life, across edits and saves (the sync links Outlook series to
	// it); a split gives the new part a new UID.
	UID      string
	Start    time.Time // first start: wall time in TimeZone; for all-day, midnight UTC of the date
	TimeZone string    // IANA zone
	Duration time.Duration
	AllDay   bool
	Rule     *Rule // nil for a one-off

	// Wall is the wall clock the series keeps when Start could not show it (floating: UTC
	// fields): the first instance fell in a gap and starts later (see Schedule.Wall). Zero
	// otherwise. It is stored as the segment's local start, so it survives a save.
	Wall time.Time
	Content
}

// Schedule returns the segment's time frame for expansion.
func (s Segment) Schedule() Schedule {
	return Schedule{First: s.Start, Wall: s.Wall, Duration: s.Duration, AllDay: s.AllDay, Rule: s.Rule}
}

// WallStart is the wall clock of the first start as the person gave it, floating (UTC
// fields): Wall when it stands for Start, else Start's own wall clock.
func (s Segment) WallStart() time.Time { return s.Schedule().wall() }

// Override is the change of one instance, keyed by the instance's original start (UTC). Only
// the changed fields are set; Cancelled marks a deleted instance.
type Override struct {
	OriginalStart time.Time // UTC
	Cancelled     bool
	Title         *string
	Description   *string
	Location      *string
	Start         *time.Time // moved start (UTC instant; midnight UTC for all-day)
	End           *time.Time
}

// empty reports whether the override changes nothing.
func (o Override) empty() bool {
	return !o.Cancelled && o.Title == nil && o.Description == nil && o.Location == nil &&
		o.Start == nil && o.End == nil
}

// ChangedFields names the fields the override changes, for display.
func (o Override) ChangedFields() []string {
	var f []string
	if o.Cancelled {
		f = append(f, "cancelled")
	}
	if o.Title != nil {
		f = append(f, "title")
	}
	if o.Description != nil {
		f = append(f, "description")
	}
	if o.Location != nil {
		f = append(f, "location")
	}
	if o.Start != nil || o.End != nil {
		f = append(f, "time")
	}
	return f
}

// Invitation invites a user to every instance (Instance nil) or to one (its original start).
type Invitation struct {
	UserID   int64
	Instance *time.Time
}

// RSVP is a user's answer for one instance, for an instance and those after it, or for all.
// Instance is the original start for ScopeInstance and ScopeFollowing, nil for ScopeAll.
type RSVP struct {
	UserID    int64
	Scope     Scope
	Instance  *time.Time
	Response  Response
	UpdatedAt time.Time
}

// Event is one calendar event, repeating or not, with everything that hangs off it.
type Event struct {
	ID          int64
	CalendarID  int64
	OrganizerID int64
	Privacy     Privacy
	// Categories and Reminder are the organizer's (labels.go).
	Categories []string
	Reminder   Reminder
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	DeletedAt  *time.Time

	Segments    []Segment // ordered by Start
	Overrides   []Override
	Invitations []Invitation
	RSVPs       []RSVP

	// partial marks an event loaded for a listing (some children left out): never saved.
	partial bool
	// fromSpace marks an event of a listing of My Calendar that is there because the viewer
	// shows its space's events in My Calendar (Store.markShown).
	fromSpace bool
	// stored is what the store last read or wrote of the event's invitations and answers,
	// with their row ids, so that a save writes only the difference (store_children.go);
	// nil for an event the store has not seen. It is never changed, only replaced, so
	// clones share it.
	stored *storedChildren
}

// IsRecurring reports whether the event has more than one possible instance.
func (e *Event) IsRecurring() bool {
	return len(e.Segments) > 1 || (len(e.Segments) == 1 && e.Segments[0].Rule != nil)
}

// override returns the override for an original start, or nil.
func (e *Event) override(orig time.Time) *Override {
	for i := range e.Overrides {
		if e.Overrides[i].OriginalStart.Equal(orig) {
			return &e.Overrides[i]
		}
	}
	return nil
}

// setOverride stores o, removing it when it changes nothing.
func (e *Event) setOverride(o Override) {
	o.OriginalStart = o.OriginalStart.UTC()
	for i := range e.Overrides {
		if e.Overrides[i].OriginalStart.Equal(o.OriginalStart) {
			if o.empty() {
				e.Overrides = append(e.Overrides[:i], e.Overrides[i+1:]...)
			} else {
				e.Overrides[i] = o
			}
			return
		}
	}
	if !o.empty() {
		e.Overrides = append(e.Overrides, o)
		e.sortOverrides()
	}
}

func (e *Event) sortOverrides() {
	sort.Slice(e.Overrides, func(i, j int) bool {
		return e.Overrides[i].OriginalStart.Before(e.Overrides[j].OriginalStart)
	})
}

// segmentOf returns the index of the segment that holds the instance originally starting at
// orig, or -1 when no segment has such an instance.
func (e *Event) segmentOf(orig time.Time) int {
	for i := len(e.Segments) - 1; i >= 0; i-- {
		s := e.Segments[i]
		first, ok := s.Schedule().FirstStart()
		if !ok || orig.Before(first) {
			continue
		}
		if s.Schedule().Contains(orig) {
			return i
		}
		return -1
	}
	return -1
}

// HasInstance reports whether orig is the original start of an instance of the event
// (cancelled or not).
func (e *Event) HasInstance(orig time.Time) bool { return e.segmentOf(orig) >= 0 }

// segmentEnd returns the first start of the segment after i, or the zero time for the last.
func (e *Event) segmentEnd(i int) time.Time {
	if i+1 < len(e.Segments) {
		if t, ok := e.Segments[i+1].Schedule().FirstStart(); ok {
			return t
		}
	}
	return time.Time{}
}
