package pages

import (
	"fmt"
	"html/template"
	"net/http"
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
	// Bars are the week's all-day and multi-day instances, one bar across their days.
	Bars     []bar
	BarLanes int
	// Style sets the number of bar rows for the CSS.
	Style template.CSS
}

// monthBarLanes is how many rows of bars a week of the month shows; further all-day and
// multi-day instances are listed in their days.
const monthBarLanes = 3

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
	// Banners are the instances the week shows as bars, listed again in the day for the
	// phone layout, where the month is a list of days.
	Banners []chip
	More    int // instances not listed
	MoreURL string
}

// monthView shows the weeks (Monday first) that hold the month of day.
func (h *Calendar) monthView(c echo.Context, cc calContext, day time.Time) error {
	first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, cc.loc)
	start := addDays(first, -((int(first.Weekday()) + 6) % 7))
	end := addDays(time.Date(day.Year(), day.Month()+1, 1, 0, 0, 0, 0, cc.loc), 0)
	if wd := (int(end.Weekday()) + 6) % 7; wd != 0 {
		end = addDays(end, 7-wd)
	}
	occ, truncated, err := h.occurrences(c, cc, start, end)
	if err != nil {
		return err
	}
	byDay, banner := groupByDay(occ, cc.loc, start, end)

	p := monthPage{
		calendarPage: h.toolbar(c, cc, viewMonth, first.Format("January 2006"), day,
			first.AddDate(0, -1, 0), first.AddDate(0, 1, 0)),
		Weekdays: builderWeekdays(),
	}
	p.Truncated = truncated
	// Next to a month, the small month is the one after it.
	p.Mini = newMiniMonth(cc.calTarget, viewMonth, first.AddDate(0, 1, 0), cc.today, first, first)
	for d := start; d.Before(end); d = addDays(d, 7) {
		var w monthWeek
		// The week's all-day and multi-day instances become bars, as many as fit; the rest
		// stay in their days' lists.
		var banners []calendar.Occurrence
		var bannerIdx []int
		seen := map[int]bool{}
		for i := 0; i < 7; i++ {
			for _, k := range byDay[dayKey(addDays(d, i))] {
				if !seen[k] && banner[k] {
					seen[k] = true
					banners = append(banners, occ[k])
					bannerIdx = append(bannerIdx, k)
				}
			}
		}
		var overflow []int
		w.Bars, w.BarLanes, overflow = placeBars(banners, cc.loc, cc.viewer.UserID, d, 7, monthBarLanes)
		inList := map[int]bool{}
		for _, j := range overflow {
			inList[bannerIdx[j]] = true
		}
		w.Style = template.CSS(fmt.Sprintf("--bar-lanes: %d", w.BarLanes))
		for i := 0; i < 7; i++ {
			dd := addDays(d, i)
			md := monthDay{
				Date: dd.Format(dateOnly), Number: dd.Day(), Weekday: dd.Format("Mon"), Label: dd.Format("Monday 2 January 2006"),
				InMonth: dd.Month() == first.Month(), Today: dd.Equal(cc.today),
				Weekend: dd.Weekday() == time.Saturday || dd.Weekday() == time.Sunday,
				NewURL:  cc.newURL(dd, -1),
			}
			var list []int
			for _, k := range byDay[dayKey(dd)] {
				if seen[k] && !inList[k] {
					md.Banners = append(md.Banners, newChip(occ[k], dd, cc.loc, cc.viewer.UserID))
					continue
				}
				list = append(list, k)
			}
			room := max(monthChips-w.BarLanes, 1)
			for n, k := range list {
				if n == room && len(list) > room+1 {
					md.More = len(list) - room
					md.MoreURL = cc.viewURL(viewDay, dd)
					break
				}
				md.Chips = append(md.Chips, newChip(occ[k], dd, cc.loc, cc.viewer.UserID))
			}
			w.Days = append(w.Days, md)
		}
		p.Weeks = append(p.Weeks, w)
	}
	return h.pages.Render(c, http.StatusOK, "calendar_month.html", p)
}

// groupByDay files each instance, by its index in occ, under every day of [from, to) it
// covers (keyed by the day's midnight in loc, see dayKey): all-day and multi-day instances
// first, then by start. The instances come sorted by start, so each day's list is too; banners
// are moved to the front without a sort. It also says which instances are such banners.
func groupByDay(occ []calendar.Occurrence, loc *time.Location, from, to time.Time) (map[int64][]int, []bool) {
	out := map[int64][]int{}
	isBanner := make([]bool, len(occ)) // all-day or over several days: drawn as a bar
	banners := map[int64]int{}         // how many banners lead each day's list
	for i, o := range occ {
		first, last := daySpan(o, loc)
		banner := o.AllDay || !first.Equal(last)
		isBanner[i] = banner
		if first.Before(from) {
			first = from
		}
		for d := first; !d.After(last) && d.Before(to); d = addDays(d, 1) {
			k := dayKey(d)
			list := out[k]
			if banner {
				n := banners[k]
				list = append(list, 0)
				copy(list[n+1:], list[n:])
				list[n] = i
				banners[k] = n + 1
			} else {
				list = append(list, i)
			}
			out[k] = list
		}
	}
	return out, isBanner
}

// dayKey names a day (a midnight) in the maps groupByDay builds.
func dayKey(d time.Time) int64 { return d.Unix() }
