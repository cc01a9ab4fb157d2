package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
)

// Calendar is My Calendar: its month, week and agenda views, and the start page.
type Calendar struct {
	frame
	cal *calendar.Store
	now func() time.Time
}

// NewCalendar is My Calendar on the calendar store; now tells which day is today.
func NewCalendar(pages *view.Renderer, fr view.Frame, cal *calendar.Store, now func() time.Time) *Calendar {
	return &Calendar{frame: frame{pages, fr}, cal: cal, now: now}
}

// The three views of My Calendar.
const (
	viewMonth  = "month"
	viewWeek   = "week"
	viewDay    = "day"
	viewAgenda = "agenda"
)

// maxPageInstances bounds the instances one calendar page lists; a heavier page says it was cut.
const maxPageInstances = 3000

// calendarPage is what the month, week and agenda pages share: the toolbar.
type calendarPage struct {
	view.Page
	View      string
	Heading   string // "March 2026", "2 – 8 March 2026", "Upcoming from 2 March"
	Date      string // the date the page is about (YYYY-MM-DD)
	PrevURL   string
	NextURL   string
	TodayURL  string
	MonthURL  string
	WeekURL   string
	DayURL    string
	AgendaURL string
	NewURL    string
	BaseURL   string // the views' path, where the date form goes
	// Space is the space whose calendar this is; nil for My Calendar.
	Space     *spaceBanner
	ZoneName  string // the viewer's zone, which every time on the page is in
	Truncated bool   // more instances than a page shows
	Mini      miniMonth
}

// miniMonth is the small month beside the calendar: each day opens the view at that date.
type miniMonth struct {
	Title            string // "March 2026"
	PrevURL, NextURL string // the same view a month earlier or later
	Weekdays         []string
	Weeks            [][]miniDay
}

type miniDay struct {
	Number int
	Label  string
	URL    string
	Other  bool // outside the month
	Today  bool
	Shown  bool // inside what the page shows
}

// newMiniMonth is the month of day for the view of the target, marking today and the days
// [from, to) the page shows.
func newMiniMonth(t calTarget, view string, day, today, from, to time.Time) miniMonth {
	first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, day.Location())
	m := miniMonth{Title: first.Format("January 2006"),
		PrevURL: t.viewURL(view, first.AddDate(0, -1, 0)), NextURL: t.viewURL(view, first.AddDate(0, 1, 0))}
	for _, d := range builderWeekdays() {
		m.Weekdays = append(m.Weekdays, d.Short[:2])
	}
	start := addDays(first, -((int(first.Weekday()) + 6) % 7))
	for w := 0; w < 6; w++ {
		var week []miniDay
		for i := 0; i < 7; i++ {
			d := addDays(start, w*7+i)
			week = append(week, miniDay{Number: d.Day(), Label: d.Format("Monday 2 January 2006"), URL: t.viewURL(view, d),
				Other: d.Month() != first.Month(), Today: d.Equal(today), Shown: !d.Before(from) && d.Before(to)})
		}
		m.Weeks = append(m.Weeks, week)
		if addDays(start, (w+1)*7).Month() != first.Month() {
			break
		}
	}
	return m
}

// calContext is the viewer's frame for one calendar request: their zone, today's date and
// the calendar the views show.
type calContext struct {
	viewer accounts.Viewer
	loc    *time.Location
	today  time.Time // midnight in loc
	calTarget
}

// calTarget is the calendar the views show and where their links lead: My Calendar (the zero
// value) or a space's calendar, whose pages live under the space's address and whose new
// events go into it. The views are the same; only the listing's calendar and the links differ.
type calTarget struct {
	calendarID int64  // 0: the viewer's My Calendar
	base       string // the views' path: "" for /calendar
	space      *spaceBanner
}

// path is the views' address.
func (t calTarget) path() string {
	if t.base == "" {
		return "/calendar"
	}
	return t.base
}

// viewURL is the address of a view at a date.
func (t calTarget) viewURL(view string, d time.Time) string {
	q := url.Values{}
	if view != viewMonth {
		q.Set("view", view)
	}
	q.Set("date", d.Format(dateOnly))
	return t.path() + "?" + q.Encode()
}

// newURL starts a new event in the target on a date, at a time of day when hour >= 0.
func (t calTarget) newURL(d time.Time, hour int) string {
	u := newEventURL(d, hour)
	if t.calendarID != 0 {
		u += "&calendarId=" + strconv.FormatInt(t.calendarID, 10)
	}
	return u
}

// calContextAt is the viewer's frame for a request made at now.
func calContextAt(c echo.Context, now time.Time) calContext {
	v := accounts.CurrentViewer(c)
	loc := v.Location()
	return calContext{viewer: v, loc: loc, today: midnight(now.In(loc))}
}

// midnight is the start of t's day in t's location.
func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// addDays moves a midnight by whole days, keeping it a midnight across daylight-saving changes.
func addDays(t time.Time, n int) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day()+n, 0, 0, 0, 0, t.Location())
}

// calendarURL is the address of a view of My Calendar at a date.
func calendarURL(view string, d time.Time) string { return calTarget{}.viewURL(view, d) }

// newEventURL starts a new event on a date, at a time of day when hour >= 0.
func newEventURL(d time.Time, hour int) string {
	q := url.Values{"date": {d.Format(dateOnly)}}
	if hour >= 0 {
		q.Set("time", strconv.Itoa(hour/10)+strconv.Itoa(hour%10)+":00")
	}
	return "/events/new?" + q.Encode()
}

// instanceURL opens the details of one instance.
func instanceURL(eventID int64, orig time.Time) string {
	return "/events/" + strconv.FormatInt(eventID, 10) + "?" + url.Values{"instance": {orig.UTC().Format(time.RFC3339)}}.Encode()
}

// Show shows My Calendar in the view the query names (month by default) around
// ?date= (today by default).
func (h *Calendar) Show(c echo.Context) error {
	return h.show(c, calContextAt(c, h.now()))
}

// show shows the calendar of cc (My Calendar or a space's) as Show does.
func (h *Calendar) show(c echo.Context, cc calContext) error {
	day := cc.today
	if s := c.QueryParam("date"); s != "" {
		d, err := time.ParseInLocation(dateOnly, s, cc.loc)
		if err != nil || d.Year() < 1900 || d.Year() > 2200 {
			return echo.NewHTTPError(http.StatusBadRequest, "The date must look like 2026-03-02.")
		}
		day = d
	}
	switch c.QueryParam("view") {
	case "", viewMonth:
		return h.monthView(c, cc, day)
	case viewWeek:
		return h.weekView(c, cc, day)
	case viewDay:
		return h.dayView(c, cc, day)
	case viewAgenda:
		return h.agendaView(c, cc, day)
	}
	return echo.NewHTTPError(http.StatusBadRequest, "The view must be month, week, day or agenda.")
}

// toolbar fills the shared part of a view.
func (h *Calendar) toolbar(c echo.Context, cc calContext, view, title string, day, prev, next time.Time) calendarPage {
	return calendarPage{
		Page:      h.pageWithFlash(c, title),
		View:      view,
		Heading:   title,
		Date:      day.Format(dateOnly),
		PrevURL:   cc.viewURL(view, prev),
		NextURL:   cc.viewURL(view, next),
		TodayURL:  cc.viewURL(view, cc.today),
		MonthURL:  cc.viewURL(viewMonth, day),
		WeekURL:   cc.viewURL(viewWeek, day),
		DayURL:    cc.viewURL(viewDay, day),
		AgendaURL: cc.viewURL(viewAgenda, day),
		NewURL:    cc.newURL(day, -1),
		BaseURL:   cc.path(),
		Space:     cc.space,
		ZoneName:  cc.loc.String(),
	}
}

// occurrences lists the instances of the target calendar (My Calendar or a space's) that the
// viewer may see in [from, to).
func (h *Calendar) occurrences(c echo.Context, cc calContext, from, to time.Time) ([]calendar.Occurrence, bool, error) {
	return h.cal.Occurrences(c.Request().Context(), cc.viewer.CalendarViewer(),
		calendar.Query{From: from, To: to, Max: maxPageInstances, CalendarID: cc.calendarID})
}

// daySpan returns the first and last day (midnights in loc) an instance covers as the viewer
// sees it. All-day instances keep their dates in every zone, as Outlook shows them.
func daySpan(o calendar.Occurrence, loc *time.Location) (time.Time, time.Time) {
	if o.AllDay {
		s, e := o.Start.UTC(), o.End.UTC().AddDate(0, 0, -1)
		first := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, loc)
		last := time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, loc)
		if last.Before(first) {
			last = first
		}
		return first, last
	}
	s, e := o.Start.In(loc), o.End.In(loc)
	last := e
	if e.After(s) {
		last = e.Add(-time.Nanosecond)
	}
	return midnight(s), midnight(last)
}
