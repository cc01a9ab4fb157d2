package fakeoutlook

import (
	"net/http"
	"net/url"
	"time"
)

// The calendar of the signed-in mailbox for a week or a month: singles, occurrences and
// exceptions as calendarView lists them, by day, in the pages' zone.

type calendarData struct {
	webPage
	View              string // week or month
	Heading           string
	Prev, Next, Today string // links
	Other             string // link to the other view of the same date
	Date              string // yyyy-mm-dd, for "New event"
	Days              []calendarDay
	// Calendars are the mailbox's calendars, as links to their view (a published space's
	// calendar among them); the one shown is Current.
	Calendars []calendarLink
}

type calendarLink struct {
	Name, Href string
	Current    bool
}

type calendarDay struct {
	Date   string
	Events []calendarItem
}

type calendarItem struct {
	Event
	Time string
}

func (w *web) calendarPage(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	q := r.URL.Query()
	view := q.Get("view")
	if view == "" {
		view = "week"
	}
	if view != "week" && view != "month" {
		w.fail(rw, r, &user, http.StatusBadRequest, "View: "+view+" is not week or month.")
		return
	}
	day := dateOf(w.s.now().In(w.zone))
	if v := q.Get("date"); v != "" {
		d, err := readDate(q, "date", "Date")
		if err != nil {
			w.fail(rw, r, &user, http.StatusBadRequest, err.Error())
			return
		}
		day = d
	}
	var from, to, prev, next time.Time
	var heading string
	if view == "week" {
		from = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		to = from.AddDate(0, 0, 7)
		prev, next = from.AddDate(0, 0, -7), to
		heading = "Week of " + from.Format(dayLayout)
	} else {
		from = time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
		to = from.AddDate(0, 1, 0)
		prev, next = from.AddDate(0, -1, 0), to
		heading = from.Format("January 2006")
	}
	// from and to are dates; the window is their midnights in the pages' zone.
	local := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, w.zone) }
	calID := q.Get("cal")
	cals, err := w.s.Calendars(user.Email)
	if err != nil {
		w.failErr(rw, r, &user, err)
		return
	}
	var events []Event
	if calID == "" || (len(cals) > 0 && cals[0].ID == calID) {
		calID = ""
		events, err = w.s.CalendarView(user.Email, local(from), local(to))
	} else {
		events, err = w.s.CalendarViewIn(user.Email, calID, local(from), local(to))
	}
	if err != nil {
		w.failErr(rw, r, &user, err)
		return
	}
	var days []calendarDay
	index := map[string]int{}
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		index[d.Format(dateLayout)] = len(days)
		days = append(days, calendarDay{Date: d.Format(dayLayout)})
	}
	for _, e := range events {
		start := e.Start
		if start.Before(local(from)) {
			start = local(from)
		}
		key := start.In(w.zone).Format(dateLayout)
		if e.IsAllDay {
			key = e.Start.In(w.eventZone(e)).Format(dateLayout)
		}
		i, ok := index[key]
		if !ok {
			i = 0
		}
		item := calendarItem{Event: e, Time: "all day"}
		if !e.IsAllDay {
			item.Time = e.Start.In(w.zone).Format(clockLayout) + "–" + e.End.In(w.zone).Format(clockLayout)
		}
		days[i].Events = append(days[i].Events, item)
	}
	if view == "month" {
		// A month lists the days that have something.
		var kept []calendarDay
		for _, d := range days {
			if len(d.Events) > 0 {
				kept = append(kept, d)
			}
		}
		days = kept
	}
	link := func(view string, d time.Time) string {
		v := url.Values{"view": {view}, "date": {d.Format(dateLayout)}}
		if calID != "" {
			v.Set("cal", calID)
		}
		return webPrefix + "calendar?" + v.Encode()
	}
	var links []calendarLink
	for _, c := range cals {
		v := url.Values{"view": {view}, "date": {day.Format(dateLayout)}}
		if !c.IsDefault {
			v.Set("cal", c.ID)
		}
		links = append(links, calendarLink{Name: c.Name, Href: webPrefix + "calendar?" + v.Encode(),
			Current: (c.IsDefault && calID == "") || c.ID == calID})
	}
	other := "month"
	if view == "month" {
		other = "week"
	}
	w.render(rw, http.StatusOK, "calendar", calendarData{webPage: w.page("Calendar", &user, r), View: view, Heading: heading,
		Prev: link(view, prev), Next: link(view, next), Today: link(view, dateOf(w.s.now().In(w.zone))), Other: link(other, day),
		Date: day.Format(dateLayout), Days: days, Calendars: links})
}
