package pages

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/httpkit"
	"intracal/calendar"
)

// eventForm is what the new-event and edit forms hold, as typed.
type eventForm struct {
	Title       string
	Description string
	Location    string
	StartDate   string // YYYY-MM-DD
	StartTime   string // HH:MM
	EndDate     string // for all-day events the last day
	EndTime     string
	AllDay      bool
	TimeZone    string
	Privacy     string
	Labels      labelsForm
	Repeat      repeatForm
	// Invitees is the new-event form's "Invite people", as typed: addresses or names.
	Invitees string
	// CalendarID is the calendar a new event goes into: 0 for My Calendar, else a space's
	// (the new-event links of a space's views carry it); Space names it on the form.
	CalendarID int64
	Space      *spaceBanner
	// InviteSpace: the new event invites the members of its space, now and later.
	InviteSpace bool
}

// readEventForm reads the posted form. Browsers send CRLF line ends from a textarea; they are
// stored as LF, so an untouched description does not count as a change.
func readEventForm(c echo.Context) eventForm {
	v := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	f := eventForm{
		Title:       v("title"),
		Description: strings.ReplaceAll(c.FormValue("description"), "\r\n", "\n"),
		Location:    v("location"),
		StartDate:   v("startDate"),
		StartTime:   v("startTime"),
		EndDate:     v("endDate"),
		EndTime:     v("endTime"),
		AllDay:      c.FormValue("allDay") != "",
		TimeZone:    v("timeZone"),
		Privacy:     v("privacy"),
		Invitees:    v("invitees"),
		Labels:      labelsForm{Colour: v("colour"), Reminder: v("reminder"), Others: c.Request().PostForm["categories"]},
		Repeat: repeatForm{
			Freq: v("freq"), Interval: v("interval"),
			MonthMode: v("monthMode"), MonthDay: v("monthDay"), MonthOrdinal: v("monthOrdinal"), MonthWeekday: v("monthWeekday"),
			YearMonth: v("yearMonth"), YearMode: v("yearMode"), YearDay: v("yearDay"), YearOrdinal: v("yearOrdinal"), YearWeekday: v("yearWeekday"),
			Ends: v("ends"), Until: v("until"), Count: v("count"),
		},
	}
	if params, err := c.FormParams(); err == nil {
		f.Repeat.Weekdays = params["weekdays"]
	}
	f.CalendarID, _ = strconv.ParseInt(v("calendarId"), 10, 64)
	f.InviteSpace = c.FormValue("inviteSpace") != ""
	if f.EndDate == "" {
		f.EndDate = f.StartDate
	}
	return f
}

// start and end are the wall times (dates when all-day) the calendar reads.
func (f eventForm) start() string {
	if f.AllDay {
		return f.StartDate
	}
	return f.StartDate + "T" + f.StartTime
}

func (f eventForm) end() string {
	if f.AllDay {
		return f.EndDate
	}
	if f.EndTime == "" {
		return ""
	}
	return f.EndDate + "T" + f.EndTime
}

// location is the zone the form's dates are in: UTC for all-day events, whose dates are the
// same everywhere.
func (f eventForm) location() *time.Location {
	if f.AllDay {
		return time.UTC
	}
	if loc, err := time.LoadLocation(f.TimeZone); err == nil && f.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// input is the form as a new event, with the repeat builder's own mistakes.
func (f eventForm) input() (calendar.EventInput, map[string]string) {
	rrule, errs := f.Repeat.rrule(f.location())
	rem, rerrs := f.Labels.reminder()
	for k, m := range rerrs {
		if errs == nil {
			errs = map[string]string{}
		}
		errs[k] = m
	}
	return calendar.EventInput{
		Title: f.Title, Description: f.Description, Location: f.Location,
		Start: f.start(), End: f.end(), TimeZone: f.TimeZone, AllDay: f.AllDay,
		RRule: rrule, Privacy: calendar.Privacy(f.Privacy), Categories: f.Labels.categories(), Reminder: &rem,
	}, errs
}

// newEventForm is an empty form starting on a date at a time (HH:MM, default 09:00) in the
// viewer's zone, one hour long.
func newEventForm(date time.Time, at string, zone string) eventForm {
	start := time.Date(date.Year(), date.Month(), date.Day(), 9, 0, 0, 0, time.UTC)
	if t, err := time.Parse(timeLayout, at); err == nil {
		start = time.Date(date.Year(), date.Month(), date.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	}
	end := start.Add(time.Hour)
	return eventForm{
		StartDate: start.Format(dateOnly), StartTime: start.Format(timeLayout),
		EndDate: end.Format(dateOnly), EndTime: end.Format(timeLayout),
		TimeZone: zone, Privacy: string(calendar.Public), Labels: newLabels(),
		Repeat: newRepeatForm(nil, start, time.UTC, 0),
	}
}

// setTimes fills the date and time fields from a start and end in the event's zone (UTC
// midnights, end exclusive, for all-day).
func (f *eventForm) setTimes(start, end time.Time, allDay bool) {
	f.AllDay = allDay
	f.StartDate, f.StartTime = start.Format(dateOnly), start.Format(timeLayout)
	f.EndDate, f.EndTime = end.Format(dateOnly), end.Format(timeLayout)
	if allDay {
		last := end.AddDate(0, 0, -1)
		if last.Before(start) {
			last = start
		}
		f.EndDate, f.StartTime, f.EndTime = last.Format(dateOnly), "09:00", "10:00"
	}
}

// editForm is the form for an edit of the event with the scope from the instance originally
// starting at orig: the instance's own values, those of the series from that instance on, or
// those of the whole series (its first start, its pattern and the end of its last part).
func editForm(e *calendar.Event, v calendar.Viewer, scope calendar.Scope, orig time.Time) (eventForm, error) {
	oc, _, err := e.Instance(v, orig)
	if err != nil {
		return eventForm{}, err
	}
	f := eventForm{Privacy: string(e.Privacy), Labels: labelsOf(e)}
	seg := e.Segments[oc.Segment]
	segLoc := seg.Start.Location()
	if seg.AllDay {
		segLoc = time.UTC
	}
	switch scope {
	case calendar.ScopeInstance:
		f.Title, f.Description, f.Location = oc.Title, oc.Description, oc.Location
		f.TimeZone = oc.TimeZone
		f.setTimes(oc.Start, oc.End, oc.AllDay)
		f.Repeat = newRepeatForm(seg.Rule, orig.In(segLoc), segLoc, 0)
	case calendar.ScopeFollowing:
		f.Title, f.Description, f.Location = seg.Title, seg.Description, seg.Location
		f.TimeZone = seg.TimeZone
		start := orig.In(segLoc)
		f.setTimes(start, start.Add(seg.Duration), seg.AllDay)
		remaining := 0
		if seg.Rule != nil && seg.Rule.Count > 0 {
			remaining = seg.Rule.Count - seg.Schedule().CountBefore(orig)
		}
		f.Repeat = newRepeatForm(seg.Rule, start, segLoc, remaining)
	default:
		first := e.Segments[0]
		loc := first.Start.Location()
		if first.AllDay {
			loc = time.UTC
		}
		start, _ := first.Schedule().FirstStart()
		start = start.In(loc)
		f.Title, f.Description, f.Location = first.Title, first.Description, first.Location
		f.TimeZone = first.TimeZone
		f.setTimes(start, start.Add(first.Duration), first.AllDay)
		f.Repeat = newRepeatForm(seriesRule(e), start, loc, 0)
	}
	return f, nil
}

// seriesRule is the pattern of the first part of a series with the end of its last part: what
// "all instances" repeats like as a whole.
func seriesRule(e *calendar.Event) *calendar.Rule {
	first, last := e.Segments[0], e.Segments[len(e.Segments)-1]
	if first.Rule == nil || len(e.Segments) == 1 {
		return first.Rule
	}
	r := *first.Rule
	r.Count, r.Until = 0, time.Time{}
	if last.Rule == nil || last.Rule.Count > 0 || !last.Rule.Until.IsZero() {
		if end, ok := last.Schedule().Last(); ok {
			r.Until = end
		}
	}
	return &r
}

// change is what the submitted form changes compared with the form it started from (base):
// only the fields the person touched are sent, so an untouched repeat rule or time never
// splits or collapses a series by accident. An instance edit never sends the repeat rule or
// the all-day switch, which cannot change for one instance.
func (f eventForm) change(base eventForm, scope calendar.Scope) (calendar.Change, map[string]string) {
	var ch calendar.Change
	errs := map[string]string{}
	str := func(s string) *string { return &s }
	if f.Title != base.Title {
		ch.Title = str(f.Title)
	}
	if f.Description != base.Description {
		ch.Description = str(f.Description)
	}
	if f.Location != base.Location {
		ch.Location = str(f.Location)
	}
	if scope == calendar.ScopeInstance {
		f.AllDay = base.AllDay
	}
	timesChanged := f.AllDay != base.AllDay || f.StartDate != base.StartDate || f.EndDate != base.EndDate ||
		(!f.AllDay && (f.StartTime != base.StartTime || f.EndTime != base.EndTime))
	if timesChanged {
		ch.Start, ch.End = httpkit.WallInput(str(f.start())), httpkit.WallInput(str(f.end()))
	}
	if f.AllDay != base.AllDay {
		ch.AllDay = &f.AllDay
	}
	if f.TimeZone != base.TimeZone {
		ch.TimeZone = str(f.TimeZone)
	}
	if scope == calendar.ScopeAll && f.Privacy != base.Privacy {
		p := calendar.Privacy(f.Privacy)
		ch.Privacy = &p
	}
	if scope == calendar.ScopeAll && !slices.Equal(f.Labels.categories(), base.Labels.categories()) {
		cats := f.Labels.categories()
		ch.Categories = &cats
	}
	if scope == calendar.ScopeAll && f.Labels.Reminder != base.Labels.Reminder {
		rem, rerrs := f.Labels.reminder()
		for k, m := range rerrs {
			errs[k] = m
		}
		ch.Reminder = &rem
	}
	if scope != calendar.ScopeInstance {
		was, _ := base.Repeat.rrule(base.location())
		now, rerrs := f.Repeat.rrule(f.location())
		for k, m := range rerrs {
			errs[k] = m
		}
		if len(rerrs) == 0 && now != was {
			ch.RRule = httpkit.RuleInput(str(now))
		}
	}
	return ch, errs
}

// formErrors maps the calendar's field names and the builder's onto the form's messages; a
// message for no field of the form is shown at the top.
func formErrors(fields map[string]string) (map[string]string, string) {
	known := map[string]bool{
		"title": true, "description": true, "location": true, "start": true, "end": true, "timeZone": true,
		"allDay": true, "privacy": true, "invitees": true, "categories": true, "reminder": true, "rrule": true, "freq": true, "interval": true, "weekdays": true,
		"monthDay": true, "monthWeekday": true, "yearMonth": true, "yearDay": true, "yearWeekday": true,
		"ends": true, "until": true, "count": true,
	}
	out := map[string]string{}
	var other []string
	for k, m := range fields {
		if known[k] {
			out[k] = m
		} else {
			other = append(other, m)
		}
	}
	return out, strings.Join(other, " ")
}
