package outlooksync

import (
	"time"

	"intracal/calendar"
)

// Event types as Graph names them.
const (
	TypeSingle     = "singleInstance"
	TypeOccurrence = "occurrence"
	TypeException  = "exception"
	TypeMaster     = "seriesMaster"
)

// RemoteEvent is an Outlook event as the sync sees it: the fields of Graph's event resource
// that matter to sync, with times as UTC instants and zones as IANA names.
type RemoteEvent struct {
	ID             string // immutable id
	Type           string // TypeSingle, TypeOccurrence, TypeException, TypeMaster
	SeriesMasterID string // occurrences and exceptions
	ChangeKey      string
	ICalUID        string

	Subject  string
	Body     string // plain text (HTML bodies are converted to text)
	Location string

	Start, End    time.Time // UTC instants; for all-day, midnight UTC of the dates (End exclusive)
	TimeZone      string    // IANA name of the event's zone; "" when Outlook names none that can be placed
	IsAllDay      bool
	OriginalStart *time.Time // occurrences and exceptions: the generated start (UTC)
	Recurrence    *Recurrence

	// Private is set when Outlook's sensitivity is private or confidential: both are
	// private here.
	Private bool
	// Categories and Reminder (isReminderOn, reminderMinutesBeforeStart) are the item's.
	Categories     []string
	Reminder       calendar.Reminder
	IsCancelled    bool
	IsOrganizer    bool
	Organizer      string // e-mail address
	ResponseStatus string // none, organizer, tentativelyAccepted, accepted, declined, notResponded
	Attendees      []Attendee

	Created      time.Time
	LastModified time.Time

	// CancelledOccurrences are the dates (yyyy-mm-dd, in the series' zone) of deleted
	// occurrences of a series master, when read with them.
	CancelledOccurrences []string
	// Marker is the value of our single-value extended property, "" when the item is not ours.
	Marker string

	// Removed is set on a delta entry that says the item is gone ("@removed").
	Removed bool
}

// Attendee is an attendee of a meeting.
type Attendee struct {
	Email    string
	Name     string
	Type     string // required, optional, resource
	Response string // none, organizer, tentativelyAccepted, accepted, declined, notResponded
}

// Recurrence is Graph's patternedRecurrence.
type Recurrence struct {
	Pattern RecurrencePattern
	Range   RecurrenceRange
}

// RecurrencePattern is Graph's recurrencePattern.
type RecurrencePattern struct {
	Type           string   // daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly, relativeYearly
	Interval       int      // 1..99
	DaysOfWeek     []string // sunday..saturday
	FirstDayOfWeek string
	Index          string // first, second, third, fourth, last
	DayOfMonth     int
	Month          int
}

// RecurrenceRange is Graph's recurrenceRange.
type RecurrenceRange struct {
	Type                string // endDate, noEnd, numbered
	StartDate           string // yyyy-mm-dd
	EndDate             string // yyyy-mm-dd, inclusive, in the recurrence's zone
	NumberOfOccurrences int
	RecurrenceTimeZone  string // IANA name
}

// Account is the signed-in mailbox.
type Account struct {
	ID                string
	Mail              string
	UserPrincipalName string
	DisplayName       string
}

// Label is how the account is named to people: its mail address, else its sign-in name.
func (a Account) Label() string {
	if a.Mail != "" {
		return a.Mail
	}
	return a.UserPrincipalName
}

// Window is the span of the calendar that a sync reads.
type Window struct {
	From, To time.Time
}
