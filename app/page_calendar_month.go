package app

import (
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/calendar"
)

// monthChips is how many instances a month cell lists before "+N more".
const monthChips = 4

// monthPage is the data of calendar_month.html.
type monthPage struct {
	calendarPage
	Weekdays []weekdayChoice
	Weeks    []monthWeek
}

type monthWeek struct {
	Days []monthDay
}

type monthDay struct {
	Date    string // YYYY-MM-DD
	Number  int
	Weekday string // "Mon", shown where the days are listed one under another (phones)
	Label   string // "Monday 2 March 2026"
	InMonth bool
	Today   bool
	Weekend bool
	NewURL  string
	Chips   []chip
	More    int // instances not listed
	MoreURL string
}

// monthView shows the weeks (Monday first) that hold the month of day.
func (a *App) monthView(c echo.Context, cc calContext, day time.Time) error {
	first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, cc.loc)
	start := addDays(first, -((int(first.Weekday()) + 6) % 7))
	end := addDays(time.Date(day.Year(), day.Month()+1, 1, 0, 0, 0, 0, cc.loc), 0)
	if wd := (int(end.Weekday()) + 6) % 7; wd != 0 {
		end = addDays(end, 7-wd)
	}
	occ, truncated, err := a.occurrences(c, cc, start, end)
	if err != nil {
		return err
	}
	byDay := groupByDay(occ, cc.loc, start, end)

	p := monthPage{
		calendarPage: a.toolbar(c, cc, viewMonth, first.Format("January 2006"), day,
			first.AddDate(0, -1, 0), first.AddDate(0, 1, 0)),
		Weekdays: builderWeekdays,
	}
	p.Truncated = truncated
	for d := start; d.Before(end); d = addDays(d, 7) {
		var w monthWeek
		for i := 0; i < 7; i++ {
			dd := addDays(d, i)
			md := monthDay{
				Date: dd.Format(dateOnly), Number: dd.Day(), Weekday: dd.Format("Mon"), Label: dd.Format("Monday 2 January 2006"),
				InMonth: dd.Month() == first.Month(), Today: dd.Equal(cc.today),
				Weekend: dd.Weekday() == time.Saturday || dd.Weekday() == time.Sunday,
				NewURL:  newEventURL(dd, -1),
			}
			list := byDay[dd.Format(dateOnly)]
			for k, o := range list {
				if k == monthChips && len(list) > monthChips+1 {
					md.More = len(list) - monthChips
					md.MoreURL = calendarURL(viewAgenda, dd)
					break
				}
				md.Chips = append(md.Chips, newChip(o, dd, cc.loc))
			}
			w.Days = append(w.Days, md)
		}
		p.Weeks = append(p.Weeks, w)
	}
	return a.pages.render(c, http.StatusOK, "calendar_month.html", p)
}

// groupByDay files each instance under every day (YYYY-MM-DD in loc) of [from, to) it covers,
// all-day and multi-day instances first, then by start.
func groupByDay(occ []calendar.Occurrence, loc *time.Location, from, to time.Time) map[string][]calendar.Occurrence {
	out := map[string][]calendar.Occurrence{}
	for _, o := range occ {
		first, last := daySpan(o, loc)
		if first.Before(from) {
			first = from
		}
		for d := first; !d.After(last) && d.Before(to); d = addDays(d, 1) {
			k := d.Format(dateOnly)
			out[k] = append(out[k], o)
		}
	}
	for _, list := range out {
		sort.SliceStable(list, func(i, j int) bool {
			a, b := list[i], list[j]
			la, lb := spansDays(a, loc), spansDays(b, loc)
			if la != lb {
				return la
			}
			return a.Start.Before(b.Start)
		})
	}
	return out
}

// spansDays reports whether an instance is all-day or runs over more than one day: those are
// listed first in a day, as a banner.
func spansDays(o calendar.Occurrence, loc *time.Location) bool {
	if o.AllDay {
		return true
	}
	f, l := daySpan(o, loc)
	return !f.Equal(l)
}
