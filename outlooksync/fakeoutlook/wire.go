package fakeoutlook

// Wire types: the JSON shapes of Graph's complex types, as the event resource
// documents them (api-reference/v1.0/resources/event.md and the resources it
// links). They are exported because the Outlook-UI helpers take them too.

// DateTimeTimeZone is Graph's dateTimeTimeZone: a wall time without offset
// and the zone it is in (Windows or IANA name).
type DateTimeTimeZone struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

// ItemBody is an event's body.
type ItemBody struct {
	ContentType string `json:"contentType"`
	Content     string `json:"content"`
}

// Location is the part of Graph's location that the fake keeps.
type Location struct {
	DisplayName  string `json:"displayName"`
	LocationType string `json:"locationType,omitempty"`
	UniqueID     string `json:"uniqueId,omitempty"`
	UniqueIDType string `json:"uniqueIdType,omitempty"`
}

// EmailAddress names a person.
type EmailAddress struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

// ResponseStatus is an attendee's answer: none, organizer,
// tentativelyAccepted, accepted, declined or notResponded.
type ResponseStatus struct {
	Response string `json:"response"`
	Time     string `json:"time"`
}

// Attendee is an event attendee; Type is required, optional or resource.
type Attendee struct {
	Type         string         `json:"type"`
	Status       ResponseStatus `json:"status"`
	EmailAddress EmailAddress   `json:"emailAddress"`
}

// Recipient is an organizer.
type Recipient struct {
	EmailAddress EmailAddress `json:"emailAddress"`
}

// PatternedRecurrence is a series' recurrence.
type PatternedRecurrence struct {
	Pattern RecurrencePattern `json:"pattern"`
	Range   RecurrenceRange   `json:"range"`
}

// RecurrencePattern is how often a series repeats. Type is daily, weekly,
// absoluteMonthly, relativeMonthly, absoluteYearly or relativeYearly.
type RecurrencePattern struct {
	Type           string   `json:"type"`
	Interval       int      `json:"interval"`
	Month          int      `json:"month"`
	DayOfMonth     int      `json:"dayOfMonth"`
	DaysOfWeek     []string `json:"daysOfWeek"`
	FirstDayOfWeek string   `json:"firstDayOfWeek"`
	Index          string   `json:"index"`
}

// RecurrenceRange is how long a series lasts. Type is endDate, noEnd or
// numbered; dates are yyyy-mm-dd.
type RecurrenceRange struct {
	Type                string `json:"type"`
	StartDate           string `json:"startDate"`
	EndDate             string `json:"endDate"`
	RecurrenceTimeZone  string `json:"recurrenceTimeZone"`
	NumberOfOccurrences int    `json:"numberOfOccurrences"`
}

// ExtendedProperty is a single-value extended property, e.g. id
// "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name intracal".
type ExtendedProperty struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}
