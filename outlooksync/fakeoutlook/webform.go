package fakeoutlook

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The forms of the Outlook pages: reading what a person typed, and showing an event in the
// form's fields. A value the pages cannot use is a formError, shown as a 400 page that names
// the field.

type formError struct{ msg string }

func (e *formError) Error() string { return e.msg }

func badField(format string, args ...any) error { return &formError{msg: fmt.Sprintf(format, args...)} }

const (
	clockLayout = "15:04"
	dayLayout   = "Mon 2 Jan 2006"
)

// whenFields are the date and time fields of a form. For an all-day event EndDate is its last
// day, as Outlook shows it (Graph's end is the midnight after it).
type whenFields struct {
	StartDate, StartTime, EndDate, EndTime string
	AllDay                                 bool
}

// fieldsOf shows an event's start and end in the form: times in the pages' zone, the dates of
// an all-day event in its own zone.
func (w *web) fieldsOf(e Event) whenFields {
	if e.IsAllDay {
		loc := w.eventZone(e)
		return whenFields{StartDate: e.Start.In(loc).Format(dateLayout), StartTime: "00:00",
			EndDate: e.End.In(loc).AddDate(0, 0, -1).Format(dateLayout), EndTime: "00:00", AllDay: true}
	}
	s, en := e.Start.In(w.zone), e.End.In(w.zone)
	return whenFields{StartDate: s.Format(dateLayout), StartTime: s.Format(clockLayout),
		EndDate: en.Format(dateLayout), EndTime: en.Format(clockLayout)}
}

// eventZone is the zone an event lives in; the pages' zone when it cannot be loaded.
func (w *web) eventZone(e Event) *time.Location {
	if loc, _, err := w.s.zones.resolve(e.TimeZone); err == nil {
		return loc
	}
	return w.zone
}

// when is when an event is, as the pages write it.
func (w *web) when(e Event) string {
	if e.IsAllDay {
		f := w.fieldsOf(e)
		first, _ := time.Parse(dateLayout, f.StartDate)
		last, _ := time.Parse(dateLayout, f.EndDate)
		if !last.After(first) {
			return first.Format(dayLayout) + ", all day"
		}
		return first.Format(dayLayout) + " – " + last.Format(dayLayout) + ", all day"
	}
	s, en := e.Start.In(w.zone), e.End.In(w.zone)
	if dateOf(s).Equal(dateOf(en)) {
		return s.Format(dayLayout) + ", " + s.Format(clockLayout) + "–" + en.Format(clockLayout)
	}
	return s.Format(dayLayout+", "+clockLayout) + " – " + en.Format(dayLayout+", "+clockLayout)
}

// readWhen reads the date and time fields: times in the pages' zone, the dates of an all-day
// event as midnights in allDayZone (the event's zone, where Outlook keeps its midnights).
func (w *web) readWhen(f url.Values, allDayZone *time.Location) (start, end time.Time, allDay bool, err error) {
	allDay = f.Get("all_day") != ""
	startDate, err := readDate(f, "start_date", "Start date")
	if err != nil {
		return
	}
	endDate, err := readDate(f, "end_date", "End date")
	if err != nil {
		return
	}
	if allDay {
		if endDate.Before(startDate) {
			return start, end, allDay, badField("End date: an all-day event cannot end before the day it starts.")
		}
		start = time.Date(startDate.Year(), startDate.Month(), startDate.Day(), 0, 0, 0, 0, allDayZone)
		end = time.Date(endDate.Year(), endDate.Month(), endDate.Day()+1, 0, 0, 0, 0, allDayZone)
		return start, end, allDay, nil
	}
	sh, sm, err := readClock(f, "start_time", "Start time")
	if err != nil {
		return
	}
	eh, em, err := readClock(f, "end_time", "End time")
	if err != nil {
		return
	}
	start = time.Date(startDate.Year(), startDate.Month(), startDate.Day(), sh, sm, 0, 0, w.zone)
	end = time.Date(endDate.Year(), endDate.Month(), endDate.Day(), eh, em, 0, 0, w.zone)
	if end.Before(start) {
		return start, end, allDay, badField("End: the event cannot end before it starts.")
	}
	return start, end, allDay, nil
}

func readDate(f url.Values, name, label string) (time.Time, error) {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return time.Time{}, badField("%s is missing.", label)
	}
	d, err := time.Parse(dateLayout, v)
	if err != nil {
		return time.Time{}, badField("%s: %q is not a date (yyyy-mm-dd).", label, v)
	}
	return d, nil
}

func readClock(f url.Values, name, label string) (h, m int, err error) {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return 0, 0, badField("%s is missing (or tick all day).", label)
	}
	t, perr := time.Parse(clockLayout, v)
	if perr != nil {
		return 0, 0, badField("%s: %q is not a time (hh:mm).", label, v)
	}
	return t.Hour(), t.Minute(), nil
}

func readInt(f url.Values, name, label string, lo, hi int) (int, error) {
	v := strings.TrimSpace(f.Get(name))
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badField("%s: %q is not a whole number from %d to %d.", label, v, lo, hi)
	}
	return n, nil
}

// readChange reads the change form of an event or occurrence and returns what differs from
// what the event shows now: Outlook sends only what the person changed.
func (w *web) readChange(f url.Values, now Event) (Change, error) {
	start, end, allDay, err := w.readWhen(f, w.eventZone(now))
	if err != nil {
		return Change{}, err
	}
	var c Change
	if subject := strings.TrimSpace(f.Get("subject")); subject != now.Subject {
		if subject == "" {
			return Change{}, badField("Subject: an event needs one.")
		}
		c.Subject = &subject
	}
	if location := strings.TrimSpace(f.Get("location")); location != now.Location {
		c.Location = &location
	}
	if allDay != now.IsAllDay {
		c.IsAllDay = &allDay
	}
	if !start.Equal(now.Start) || !end.Equal(now.End) || c.IsAllDay != nil {
		c.Start, c.End = &start, &end
	}
	return c, nil
}

func (c Change) empty() bool { return c == Change{} }

// patternFields are the repeat fields of a form.
type patternFields struct {
	New      bool   // a new event, which may not repeat
	Repeat   string // none, daily, weekly, or keep (a monthly or yearly pattern as it is)
	Kept     string // the pattern type "keep" stands for
	Interval int
	Days     map[string]bool
	Ends     string // never, date, count
	EndDate  string
	Count    int
}

// weekdays are the days of the form, Monday first.
var weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

func patternFieldsOf(r *PatternedRecurrence, first time.Time) patternFields {
	if r == nil {
		return patternFields{New: true, Repeat: "none", Interval: 1, Days: map[string]bool{weekdayName(first.Weekday()): true},
			Ends: "never", EndDate: first.AddDate(0, 3, 0).Format(dateLayout), Count: 10}
	}
	p := patternFields{Repeat: r.Pattern.Type, Interval: r.Pattern.Interval, Days: map[string]bool{}, Ends: "never",
		EndDate: first.AddDate(0, 3, 0).Format(dateLayout), Count: 10}
	if p.Repeat != "daily" && p.Repeat != "weekly" {
		p.Repeat, p.Kept = "keep", r.Pattern.Type
	}
	for _, d := range r.Pattern.DaysOfWeek {
		p.Days[d] = true
	}
	switch r.Range.Type {
	case "endDate":
		p.Ends, p.EndDate = "date", r.Range.EndDate
	case "numbered":
		p.Ends, p.Count = "count", r.Range.NumberOfOccurrences
	}
	return p
}

// readPattern reads the repeat fields into a recurrence, starting from the series' current
// one (nil for a new event); nil when the event does not repeat. The range's start date is
// left empty: the methods take the date of the series' start.
func readPattern(f url.Values, cur *PatternedRecurrence) (*PatternedRecurrence, error) {
	repeat := f.Get("repeat")
	var r PatternedRecurrence
	if cur != nil {
		r = *cur
		r.Pattern.DaysOfWeek = slices.Clone(cur.Pattern.DaysOfWeek)
	}
	switch repeat {
	case "none":
		if cur != nil {
			return nil, badField("Repeat: a series keeps repeating; delete it, or change one occurrence.")
		}
		return nil, nil
	case "daily", "weekly":
		r.Pattern = RecurrencePattern{Type: repeat}
	case "keep":
		if cur == nil || cur.Pattern.Type == "daily" || cur.Pattern.Type == "weekly" {
			return nil, badField("Repeat: there is no pattern to keep.")
		}
	default:
		return nil, badField("Repeat: %q is not one of none, daily, weekly.", repeat)
	}
	n, err := readInt(f, "interval", "Every", 1, 99)
	if err != nil {
		return nil, err
	}
	r.Pattern.Interval = n
	if repeat == "weekly" {
		for _, d := range weekdays {
			if slices.Contains(f["days"], d) {
				r.Pattern.DaysOfWeek = append(r.Pattern.DaysOfWeek, d)
			}
		}
		if len(r.Pattern.DaysOfWeek) == 0 {
			return nil, badField("Days: a weekly series needs at least one day.")
		}
	}
	r.Range = RecurrenceRange{RecurrenceTimeZone: r.Range.RecurrenceTimeZone}
	switch ends := f.Get("ends"); ends {
	case "never":
		r.Range.Type = "noEnd"
	case "date":
		d, err := readDate(f, "until", "Ends on")
		if err != nil {
			return nil, err
		}
		r.Range.Type, r.Range.EndDate = "endDate", d.Format(dateLayout)
	case "count":
		n, err := readInt(f, "count", "Ends after", 1, 999)
		if err != nil {
			return nil, err
		}
		r.Range.Type, r.Range.NumberOfOccurrences = "numbered", n
	default:
		return nil, badField("Ends: %q is not one of never, date, count.", ends)
	}
	return &r, nil
}

// samePattern reports whether a recurrence read from a form is the series' current one.
func samePattern(a, b PatternedRecurrence) bool {
	norm := func(r PatternedRecurrence) PatternedRecurrence {
		r.Range.StartDate, r.Range.RecurrenceTimeZone = "", ""
		if r.Range.Type != "endDate" {
			r.Range.EndDate = ""
		}
		if r.Range.Type != "numbered" {
			r.Range.NumberOfOccurrences = 0
		}
		if r.Pattern.Type == "daily" {
			r.Pattern.DaysOfWeek = nil
		}
		if r.Pattern.Type == "daily" || r.Pattern.Type == "weekly" {
			r.Pattern.Month, r.Pattern.DayOfMonth, r.Pattern.Index, r.Pattern.FirstDayOfWeek = 0, 0, "", ""
		}
		if len(r.Pattern.DaysOfWeek) == 0 {
			r.Pattern.DaysOfWeek = nil
		}
		return r
	}
	x, y := norm(a), norm(b)
	return x.Pattern.Type == y.Pattern.Type && x.Pattern.Interval == y.Pattern.Interval &&
		x.Pattern.Month == y.Pattern.Month && x.Pattern.DayOfMonth == y.Pattern.DayOfMonth &&
		x.Pattern.Index == y.Pattern.Index && x.Pattern.FirstDayOfWeek == y.Pattern.FirstDayOfWeek &&
		slices.Equal(x.Pattern.DaysOfWeek, y.Pattern.DaysOfWeek) && x.Range == y.Range
}

// patternText says how a series repeats.
func patternText(r *PatternedRecurrence) string {
	if r == nil {
		return ""
	}
	p := r.Pattern
	var b strings.Builder
	every := func(unit string) {
		if p.Interval == 1 {
			fmt.Fprintf(&b, "every %s", unit)
		} else {
			fmt.Fprintf(&b, "every %d %ss", p.Interval, unit)
		}
	}
	switch p.Type {
	case "daily":
		every("day")
	case "weekly":
		every("week")
		fmt.Fprintf(&b, " on %s", strings.Join(p.DaysOfWeek, ", "))
	case "absoluteMonthly":
		every("month")
		fmt.Fprintf(&b, " on day %d", p.DayOfMonth)
	case "relativeMonthly":
		every("month")
		fmt.Fprintf(&b, " on the %s %s", p.Index, strings.Join(p.DaysOfWeek, " or "))
	case "absoluteYearly":
		every("year")
		fmt.Fprintf(&b, " on %s %d", time.Month(p.Month), p.DayOfMonth)
	case "relativeYearly":
		every("year")
		fmt.Fprintf(&b, " on the %s %s of %s", p.Index, strings.Join(p.DaysOfWeek, " or "), time.Month(p.Month))
	default:
		b.WriteString(p.Type)
	}
	fmt.Fprintf(&b, ", from %s", r.Range.StartDate)
	switch r.Range.Type {
	case "endDate":
		fmt.Fprintf(&b, " until %s", r.Range.EndDate)
	case "numbered":
		fmt.Fprintf(&b, ", %d times", r.Range.NumberOfOccurrences)
	default:
		b.WriteString(", no end")
	}
	return b.String()
}
