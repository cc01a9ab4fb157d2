package pages

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"intracal/calendar"
)

// repeatForm is the Outlook-like repeat builder of the event form: a frequency, every N, the
// weekdays of a weekly pattern, "day N" or "the Nth weekday" for monthly and yearly patterns,
// and the end. Values are kept as typed so that a form with a mistake comes back unchanged.
type repeatForm struct {
	Freq     string   // "" (does not repeat), "daily", "weekly", "monthly", "yearly"
	Interval string   // every N days/weeks/months/years
	Weekdays []string // weekly: RRULE codes "MO".."SU"

	MonthMode    string // monthly: "day" or "weekday"
	MonthDay     string // monthly: day 1..31
	MonthOrdinal string // monthly: "1".."4" or "-1" (last)
	MonthWeekday string // monthly: "MO".."SU"

	YearMonth   string // yearly: "1".."12"
	YearMode    string // yearly: "day" or "weekday"
	YearDay     string
	YearOrdinal string
	YearWeekday string

	Ends  string // "never", "until" or "count"
	Until string // YYYY-MM-DD, the last day
	Count string
}

// weekdayChoice is one weekday as the builder offers it.
type weekdayChoice struct {
	Code  string // RRULE code
	Short string
	Long  string
}

// builderWeekdays lists the weekdays Monday first, as the builder shows them.
func builderWeekdays() []weekdayChoice {
	return []weekdayChoice{
		{"MO", "Mon", "Monday"}, {"TU", "Tue", "Tuesday"}, {"WE", "Wed", "Wednesday"},
		{"TH", "Thu", "Thursday"}, {"FR", "Fri", "Friday"}, {"SA", "Sat", "Saturday"}, {"SU", "Sun", "Sunday"},
	}
}

// ordinalChoice is one of Graph's week indexes as the builder names it.
type ordinalChoice struct{ Value, Label string }

// ordinalChoices are the week indexes Outlook offers: first to fourth, and last.
func ordinalChoices() []ordinalChoice {
	return []ordinalChoice{{"1", "first"}, {"2", "second"}, {"3", "third"}, {"4", "fourth"}, {"-1", "last"}}
}

// weekdayOf reads an RRULE weekday code.
func weekdayOf(code string) (time.Weekday, bool) {
	for i, d := range builderWeekdays() {
		if d.Code == code {
			return time.Weekday((i + 1) % 7), true
		}
	}
	return 0, false
}

// codeOf is the RRULE code of a weekday.
func codeOf(d time.Weekday) string { return builderWeekdays()[(int(d)+6)%7].Code }

// ordinalOf is the week index of the date in its month: 1..4, or -1 in the month's last week
// from the fifth on (Outlook offers "last" there).
func ordinalOf(t time.Time) int {
	n := (t.Day()-1)/7 + 1
	if n > 4 {
		return -1
	}
	return n
}

// newRepeatForm is the builder for a schedule starting at first (a wall time in the event's
// zone): the rule's values where it has them, and for the other patterns the defaults Outlook
// would offer for that start, so switching the frequency shows sensible values. count, when
// positive, replaces the rule's COUNT (the remaining instances of a "this and following" edit).
func newRepeatForm(r *calendar.Rule, first time.Time, loc *time.Location, count int) repeatForm {
	f := repeatForm{
		Interval: "1", Weekdays: []string{codeOf(first.Weekday())},
		MonthMode: "day", MonthDay: strconv.Itoa(first.Day()),
		MonthOrdinal: strconv.Itoa(ordinalOf(first)), MonthWeekday: codeOf(first.Weekday()),
		YearMonth: strconv.Itoa(int(first.Month())), YearMode: "day", YearDay: strconv.Itoa(first.Day()),
		YearOrdinal: strconv.Itoa(ordinalOf(first)), YearWeekday: codeOf(first.Weekday()),
		Ends: "never", Until: first.AddDate(0, 3, 0).Format(dateOnly), Count: "10",
	}
	if r == nil {
		return f
	}
	f.Freq = strings.ToLower(string(r.Freq))
	if r.Interval > 1 {
		f.Interval = strconv.Itoa(r.Interval)
	}
	days := r.Weekdays()
	switch r.Freq {
	case calendar.Weekly:
		if len(days) > 0 {
			f.Weekdays = f.Weekdays[:0]
			for _, d := range days {
				f.Weekdays = append(f.Weekdays, codeOf(d))
			}
		}
	case calendar.Monthly:
		if ord := r.WeekdayOrdinal(); ord != 0 && len(days) == 1 {
			f.MonthMode, f.MonthOrdinal, f.MonthWeekday = "weekday", strconv.Itoa(ord), codeOf(days[0])
		} else if d := r.DayOfMonth(); d != 0 {
			f.MonthDay = strconv.Itoa(d)
		}
	case calendar.Yearly:
		if r.ByMonth != 0 {
			f.YearMonth = strconv.Itoa(r.ByMonth)
		}
		if ord := r.WeekdayOrdinal(); ord != 0 && len(days) == 1 {
			f.YearMode, f.YearOrdinal, f.YearWeekday = "weekday", strconv.Itoa(ord), codeOf(days[0])
		} else if d := r.DayOfMonth(); d != 0 {
			f.YearDay = strconv.Itoa(d)
		}
	}
	switch {
	case count > 0:
		f.Ends, f.Count = "count", strconv.Itoa(count)
	case r.Count > 0:
		f.Ends, f.Count = "count", strconv.Itoa(r.Count)
	case !r.Until.IsZero():
		f.Ends, f.Until = "until", r.Until.In(loc).Format(dateOnly)
	}
	return f
}

const dateOnly = "2006-01-02"

// rrule builds the RRULE the calendar accepts from the builder, for a schedule whose dates are
// in loc (UTC for all-day events). Mistakes come back keyed by the builder's field names.
// A builder that does not repeat gives "".
func (f repeatForm) rrule(loc *time.Location) (string, map[string]string) {
	errs := map[string]string{}
	var r calendar.Rule
	switch f.Freq {
	case "":
		return "", nil
	case "daily":
		r.Freq = calendar.Daily
	case "weekly":
		r.Freq = calendar.Weekly
		for _, code := range f.Weekdays {
			d, ok := weekdayOf(code)
			if !ok {
				errs["weekdays"] = "Pick weekdays from the list."
				break
			}
			r.ByDay = append(r.ByDay, calendar.WeekdayNum{Weekday: d})
		}
		if len(f.Weekdays) == 0 {
			errs["weekdays"] = "Pick at least one weekday."
		}
	case "monthly":
		r.Freq = calendar.Monthly
		f.setDay(&r, errs, f.MonthMode, f.MonthDay, f.MonthOrdinal, f.MonthWeekday, "monthDay", "monthWeekday")
	case "yearly":
		r.Freq = calendar.Yearly
		m, err := strconv.Atoi(strings.TrimSpace(f.YearMonth))
		if err != nil || m < 1 || m > 12 {
			errs["yearMonth"] = "Pick a month."
		}
		r.ByMonth = m
		f.setDay(&r, errs, f.YearMode, f.YearDay, f.YearOrdinal, f.YearWeekday, "yearDay", "yearWeekday")
		if _, bad := errs["yearDay"]; !bad && f.YearMode != "weekday" && m >= 1 && m <= 12 {
			if d := r.DayOfMonth(); d > daysInMonth(time.Month(m)) {
				errs["yearDay"] = fmt.Sprintf("%s has at most %d days.", time.Month(m), daysInMonth(time.Month(m)))
			}
		}
	default:
		errs["freq"] = "Pick how often the event repeats."
		return "", errs
	}
	n, err := strconv.Atoi(strings.TrimSpace(f.Interval))
	if err != nil || n < 1 || n > 99 {
		errs["interval"] = "Enter a whole number from 1 to 99."
	}
	r.Interval = n
	r.WeekStart = time.Monday
	switch f.Ends {
	case "", "never":
	case "until":
		d, err := time.Parse(dateOnly, strings.TrimSpace(f.Until))
		if err != nil {
			errs["until"] = "Enter the last date, like 2026-06-30."
			break
		}
		// The end date includes its whole day in the event's zone, as Outlook reads it.
		r.Until = time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, loc).UTC()
	case "count":
		c, err := strconv.Atoi(strings.TrimSpace(f.Count))
		if err != nil || c < 1 || c > 999 {
			errs["count"] = "Enter a number of occurrences from 1 to 999."
		}
		r.Count = c
	default:
		errs["ends"] = "Pick when the repeating ends."
	}
	if len(errs) > 0 {
		return "", errs
	}
	return r.String(), nil
}

// setDay fills the day part of a monthly or yearly rule: day N (29-31 in Outlook's "or the
// last day" form), or the Nth weekday.
func (f repeatForm) setDay(r *calendar.Rule, errs map[string]string, mode, day, ord, wd, dayField, wdField string) {
	if mode == "weekday" {
		n, err := strconv.Atoi(ord)
		d, ok := weekdayOf(wd)
		if err != nil || !ok || n == 0 || n < -1 || n > 4 {
			errs[wdField] = "Pick which weekday of the month."
			return
		}
		r.ByDay = []calendar.WeekdayNum{{Weekday: d, N: n}}
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(day))
	if err != nil || r.SetDayOfMonth(n) != nil {
		errs[dayField] = "Enter a day from 1 to 31."
	}
}

// daysInMonth is the most days the month can have (February: 29).
func daysInMonth(m time.Month) int {
	return time.Date(2000, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// describeRule says in words what a rule does, for the details page: "Every 2 weeks on
// Monday and Wednesday, 10 times".
func describeRule(r *calendar.Rule, loc *time.Location) string {
	if r == nil {
		return ""
	}
	unit := map[calendar.Frequency]string{calendar.Daily: "day", calendar.Weekly: "week", calendar.Monthly: "month", calendar.Yearly: "year"}[r.Freq]
	var b strings.Builder
	if r.Interval > 1 {
		fmt.Fprintf(&b, "Every %d %ss", r.Interval, unit)
	} else {
		b.WriteString("Every " + unit)
	}
	days := r.Weekdays()
	ord := r.WeekdayOrdinal()
	switch {
	case r.Freq == calendar.Weekly && len(days) > 0:
		b.WriteString(" on " + joinWords(weekdayNames(days)))
	case (r.Freq == calendar.Monthly || r.Freq == calendar.Yearly) && ord != 0 && len(days) > 0:
		b.WriteString(" on the " + ordinalWord(ord) + " " + joinWords(weekdayNames(days)))
		if r.ByMonth != 0 {
			b.WriteString(" of " + time.Month(r.ByMonth).String())
		}
	case r.DayOfMonth() != 0:
		d := r.DayOfMonth()
		if r.Freq == calendar.Yearly && r.ByMonth != 0 {
			fmt.Fprintf(&b, " on %s %d", time.Month(r.ByMonth), d)
		} else {
			fmt.Fprintf(&b, " on day %d", d)
		}
		if d > 28 {
			b.WriteString(" (or the month's last day)")
		}
	}
	switch {
	case r.Count == 1:
		b.WriteString(", once")
	case r.Count > 0:
		fmt.Fprintf(&b, ", %d times", r.Count)
	case !r.Until.IsZero():
		b.WriteString(", until " + r.Until.In(loc).Format("Mon 2 Jan 2006"))
	}
	return b.String()
}

func weekdayNames(days []time.Weekday) []string {
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d.String()
	}
	return out
}

func ordinalWord(n int) string {
	for _, o := range ordinalChoices() {
		if o.Value == strconv.Itoa(n) {
			return o.Label
		}
	}
	return strconv.Itoa(n) + "."
}

// joinWords joins "a", "b" and "c" as "a, b and c".
func joinWords(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}
