package calendar

import (
	"fmt"
	"time"
)

// The store's rows. migrations/0002_calendar.go holds frozen copies of these; a change here
// needs a new migration.

type calendarRow struct {
	ID          int64  `gorm:"primaryKey"`
	Kind        string `gorm:"size:16;not null"`
	OwnerUserID *int64 `gorm:"index"`
	Name        string `gorm:"size:255;not null"`
	CreatedAt   time.Time
}

func (calendarRow) TableName() string { return "calendars" }

type eventRow struct {
	ID          int64  `gorm:"primaryKey"`
	CalendarID  int64  `gorm:"index;not null"`
	OrganizerID int64  `gorm:"index;not null"`
	Privacy     string `gorm:"size:16;not null"`
	// Categories are one a line; ReminderMinutes is nil for no reminder (labels.go).
	Categories      string `gorm:"not null;default:''"`
	ReminderMinutes *int
	Version         int `gorm:"not null"`
	CreatedAt       time.Time
	UpdatedAt       time.Time
	DeletedAt       *time.Time `gorm:"index"`
}

func (eventRow) TableName() string { return "events" }

type segmentRow struct {
	ID              int64      `gorm:"primaryKey"`
	EventID         int64      `gorm:"index;not null"`
	UID             string     `gorm:"column:uid;size:32;not null"`
	Position        int        `gorm:"not null"`
	StartLocal      string     `gorm:"size:19;not null"`
	TimeZone        string     `gorm:"size:64;not null"`
	DurationSeconds int64      `gorm:"not null"`
	AllDay          bool       `gorm:"not null"`
	RRule           string     `gorm:"column:rrule;size:255;not null"`
	FirstStartUTC   time.Time  `gorm:"index;not null"`
	LastEndUTC      *time.Time `gorm:"index"`
	Title           string     `gorm:"size:255;not null"`
	Description     string
	Location        string `gorm:"size:255;not null"`
}

func (segmentRow) TableName() string { return "segments" }

type overrideRow struct {
	ID            int64     `gorm:"primaryKey"`
	EventID       int64     `gorm:"uniqueIndex:ux_overrides_key;not null"`
	OriginalStart time.Time `gorm:"uniqueIndex:ux_overrides_key;index;not null"`
	Cancelled     bool      `gorm:"not null"`
	Title         *string   `gorm:"size:255"`
	Description   *string
	Location      *string    `gorm:"size:255"`
	StartUTC      *time.Time `gorm:"index"`
	EndUTC        *time.Time
}

func (overrideRow) TableName() string { return "overrides" }

type invitationRow struct {
	ID       int64 `gorm:"primaryKey"`
	EventID  int64 `gorm:"index;not null"`
	UserID   int64 `gorm:"index;not null"`
	Instance *time.Time
}

func (invitationRow) TableName() string { return "invitations" }

type rsvpRow struct {
	ID        int64  `gorm:"primaryKey"`
	EventID   int64  `gorm:"index;not null"`
	UserID    int64  `gorm:"index;not null"`
	Scope     string `gorm:"size:16;not null"`
	Instance  *time.Time
	Response  string `gorm:"size:8;not null"`
	UpdatedAt time.Time
}

func (rsvpRow) TableName() string { return "rsvps" }

// utcPtr normalises an optional time to UTC.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// toSegmentRow renders a segment for storage with the instants that window queries use.
func toSegmentRow(eventID int64, pos int, s Segment) segmentRow {
	r := segmentRow{
		ID: s.ID, EventID: eventID, UID: s.UID, Position: pos,
		TimeZone: s.TimeZone, DurationSeconds: int64(s.Duration / time.Second), AllDay: s.AllDay,
		RRule: ruleText(s.Rule), Title: s.Title, Description: s.Description, Location: s.Location,
	}
	if s.AllDay {
		r.StartLocal = s.Start.UTC().Format(dateLayout)
	} else {
		// The intended wall clock, which a first start in a gap does not show.
		r.StartLocal = s.WallStart().Format(wallLayouts[0])
	}
	sched := s.Schedule()
	first, ok := sched.FirstStart()
	if !ok {
		first = s.Start
	}
	r.FirstStartUTC = first.UTC()
	if s.Rule == nil {
		end := first.Add(s.Duration).UTC()
		r.LastEndUTC = &end
	} else if last, bounded := sched.Last(); bounded {
		end := last.Add(s.Duration).UTC()
		r.LastEndUTC = &end
	}
	return r
}

// fromSegmentRow reads a stored segment back.
func fromSegmentRow(r segmentRow) (Segment, error) {
	return segmentFromRow(r, time.LoadLocation, ParseRule)
}

// segmentFromRow reads a stored segment back, loading its zone with zone and its rule with
// rule.
func segmentFromRow(r segmentRow, zone func(string) (*time.Location, error), rule func(string) (*Rule, error)) (Segment, error) {
	s := Segment{ID: r.ID, UID: r.UID, TimeZone: r.TimeZone, Duration: time.Duration(r.DurationSeconds) * time.Second,
		AllDay: r.AllDay, Content: Content{Title: r.Title, Description: r.Description, Location: r.Location}}
	if r.AllDay {
		t, err := time.Parse(dateLayout, r.StartLocal)
		if err != nil {
			return s, fmt.Errorf("segment %d: start %q: %w", r.ID, r.StartLocal, err)
		}
		s.Start = t
	} else {
		loc, err := zone(r.TimeZone)
		if err != nil {
			return s, fmt.Errorf("segment %d: zone %q: %w", r.ID, r.TimeZone, err)
		}
		w, err := time.Parse(wallLayouts[0], r.StartLocal)
		if err != nil {
			return s, fmt.Errorf("segment %d: start %q: %w", r.ID, r.StartLocal, err)
		}
		s.Start, s.Wall = placeWall(w, loc)
	}
	if r.RRule != "" {
		parsed, err := rule(r.RRule)
		if err != nil {
			return s, fmt.Errorf("segment %d: rule %q: %w", r.ID, r.RRule, err)
		}
		s.Rule = parsed
	}
	return s, nil
}

func toOverrideRow(eventID int64, o Override) overrideRow {
	return overrideRow{EventID: eventID, OriginalStart: o.OriginalStart.UTC(), Cancelled: o.Cancelled,
		Title: o.Title, Description: o.Description, Location: o.Location,
		StartUTC: utcPtr(o.Start), EndUTC: utcPtr(o.End)}
}

func fromOverrideRow(r overrideRow) Override {
	return Override{OriginalStart: r.OriginalStart.UTC(), Cancelled: r.Cancelled, Title: r.Title,
		Description: r.Description, Location: r.Location, Start: utcPtr(r.StartUTC), End: utcPtr(r.EndUTC)}
}

// spaceRow and spaceMemberRow: migrations/0014_spaces.go holds frozen copies.
type spaceRow struct {
	ID          int64  `gorm:"primaryKey"`
	CalendarID  int64  `gorm:"uniqueIndex:ux_spaces_calendar;not null"`
	Name        string `gorm:"size:255;not null"`
	Description string `gorm:"not null;default:''"`
	Visibility  string `gorm:"size:16;not null"`
	CreatedBy   int64  `gorm:"not null"`
	CreatedAt   time.Time
}

func (spaceRow) TableName() string { return "spaces" }

type spaceMemberRow struct {
	ID             int64  `gorm:"primaryKey"`
	SpaceID        int64  `gorm:"uniqueIndex:ux_space_members_key;not null"`
	UserID         int64  `gorm:"uniqueIndex:ux_space_members_key;index:ix_space_members_user;not null"`
	Role           string `gorm:"size:16;not null"`
	ShowInCalendar bool   `gorm:"not null"`
	CreatedAt      time.Time
}

func (spaceMemberRow) TableName() string { return "space_members" }

// spaceEventInviteRow marks an event to which its whole space is invited.
type spaceEventInviteRow struct {
	ID        int64 `gorm:"primaryKey"`
	EventID   int64 `gorm:"uniqueIndex:ux_space_event_invites_event;not null"`
	SpaceID   int64 `gorm:"index:ix_space_event_invites_space;not null"`
	CreatedAt time.Time
}

func (spaceEventInviteRow) TableName() string { return "space_event_invites" }
