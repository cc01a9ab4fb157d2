package pages

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/calendar"
)

// The hours the week and day views show at least; earlier or later instances widen the range.
const (
	weekFirstHour = 7
	weekLastHour  = 20 // the last hour row starts at 19:00
)

// minChipHours is the least height a timed instance gets in the grid (24 minutes), so that
// its title stays readable; instances that overlap at that height share the width.
const minChipHours = 0.4

// gridPage is the data of calendar_week.html: the week view (seven days) or the day view
// (one), hour by hour, with the all-day and multi-day instances as bars above the hours.
type gridPage struct {
	calendarPage
	Hours []string // row labels, "07:00"
	Days  []gridDay
	// Bars are the all-day and multi-day instances, placed in the row above the hours.
	Bars []bar
	// BarLanes is how many rows the bars take.
	BarLanes int
	// ZoneAbbr is the viewer's zone as the clocks of the shown days say it ("CET").
	ZoneAbbr string
	// GridStyle sets the number of hour rows, of days and of bar rows for the CSS grid.
	GridStyle template.CSS
}

type gridDay struct {
	Date    string
	Short   string // "Mon 2"
	Label   string // "Monday 2 March"
	Today   bool
	Weekend bool
	DayURL  string // the day view of this day
	NewURL  string
	Slots   []weekSlot
	Timed   []timedChip
}

// weekSlot is an empty hour a click starts a new event in.
type weekSlot struct {
	URL   string
	Label string
	Start string // the hour's start, wall time in the viewer's zone (2026-03-02T09:00)
}

// timedChip is an instance placed in the day column: its top and height are shares of the
// shown hours, its left and width the lane it got among instances that overlap it.
type timedChip struct {
	chip
	Style  template.CSS
	Short  bool // under 45 minutes: title and start on one line
	Medium bool // under 75 minutes: a title of one line
}

// weekView shows the seven days (Monday first) around day.
func (h *Calendar) weekView(c echo.Context, cc calContext, day time.Time) error {
	start := addDays(day, -((int(day.Weekday()) + 6) % 7))
	end := addDays(start, 7)
	lastDay := addDays(end, -1)
	title := start.Format("2 January") + " – " + lastDay.Format("2 January 2006")
	if start.Month() == lastDay.Month() {
		title = start.Format("2") + " – " + lastDay.Format("2 January 2006")
	}
	p := gridPage{calendarPage: h.toolbar(c, cc, viewWeek, title, day, addDays(start, -7), end)}
	return h.timeGrid(c, cc, p, day, start, 7)
}

// dayView shows one day, hour by hour.
func (h *Calendar) dayView(c echo.Context, cc calContext, day time.Time) error {
	p := gridPage{calendarPage: h.toolbar(c, cc, viewDay, day.Format("Monday 2 January 2006"), day, addDays(day, -1), addDays(day, 1))}
	return h.timeGrid(c, cc, p, day, day, 1)
}

// timeGrid lists the n days from start and renders them hour by hour; day is the date the
// page is about, whose month the small month shows.
func (h *Calendar) timeGrid(c echo.Context, cc calContext, p gridPage, day, start time.Time, n int) error {
	end := addDays(start, n)
	occ, truncated, err := h.occurrences(c, cc, start, end)
	if err != nil {
		return err
	}
	p.Truncated = truncated
	p.Mini = newMiniMonth(cc.calTarget, p.View, day, cc.today, start, end)
	p.ZoneAbbr, _ = start.Zone()
	if abbr, _ := addDays(end, -1).Zone(); abbr != p.ZoneAbbr {
		p.ZoneAbbr += "/" + abbr
	}

	// All-day and multi-day instances become bars; the others pieces of their day.
	type piece struct {
		o          calendar.Occurrence
		from, to   time.Time
		lane, span int
	}
	pieces := make([][]piece, n)
	var banners []calendar.Occurrence
	firstHour, lastHour := weekFirstHour, weekLastHour
	for _, o := range occ {
		f, l := daySpan(o, cc.loc)
		if o.AllDay || !f.Equal(l) {
			banners = append(banners, o)
			continue
		}
		i := daysBetween(start, f)
		if i < 0 || i >= n {
			continue
		}
		from, to := o.Start.In(cc.loc), o.End.In(cc.loc)
		pieces[i] = append(pieces[i], piece{o: o, from: from, to: to})
		firstHour = min(firstHour, from.Hour())
		endHour := to.Hour()
		if to.Equal(addDays(f, 1)) {
			endHour = 24
		} else if to.Minute() > 0 {
			endHour++
		}
		lastHour = max(lastHour, endHour)
	}
	p.Bars, p.BarLanes, _ = placeBars(banners, cc.loc, cc.viewer.UserID, start, n, 0)
	rows := lastHour - firstHour
	p.GridStyle = template.CSS(fmt.Sprintf("--hours: %d; --days: %d; --bar-lanes: %d", rows, n, p.BarLanes))
	for h := firstHour; h < lastHour; h++ {
		p.Hours = append(p.Hours, fmt.Sprintf("%02d:00", h))
	}
	for i := 0; i < n; i++ {
		d := addDays(start, i)
		wd := gridDay{
			Date: d.Format(dateOnly), Short: d.Format("Mon 2"), Label: d.Format("Monday 2 January"),
			Today: d.Equal(cc.today), Weekend: d.Weekday() == time.Saturday || d.Weekday() == time.Sunday,
			DayURL: cc.viewURL(viewDay, d), NewURL: cc.newURL(d, 9),
		}
		for h := firstHour; h < lastHour; h++ {
			wd.Slots = append(wd.Slots, weekSlot{URL: cc.newURL(d, h), Label: fmt.Sprintf("New event on %s at %02d:00", wd.Label, h),
				Start: fmt.Sprintf("%sT%02d:00", wd.Date, h)})
		}
		ps := pieces[i]
		sort.SliceStable(ps, func(x, y int) bool {
			if !ps[x].from.Equal(ps[y].from) {
				return ps[x].from.Before(ps[y].from)
			}
			return ps[x].to.After(ps[y].to)
		})
		// Lanes: each instance takes the first lane free at its start; a cluster of instances
		// that overlap one another shares the width evenly. An instance ends, for this, where
		// its chip ends: two 15-minute instances one after the other overlap on the screen.
		shownEnd := func(pc piece) time.Time {
			return pc.to.Add(max(0, time.Duration(minChipHours*float64(time.Hour))-pc.to.Sub(pc.from)))
		}
		var laneEnds []time.Time
		clusterStart, clusterEnd := 0, time.Time{}
		closeCluster := func(upto int) {
			for k := clusterStart; k < upto; k++ {
				ps[k].span = len(laneEnds)
			}
		}
		for k := range ps {
			if k > 0 && !ps[k].from.Before(clusterEnd) {
				closeCluster(k)
				clusterStart, laneEnds = k, nil
			}
			lane := -1
			for l, e := range laneEnds {
				if !ps[k].from.Before(e) {
					lane = l
					break
				}
			}
			end := shownEnd(ps[k])
			if lane < 0 {
				lane = len(laneEnds)
				laneEnds = append(laneEnds, end)
			} else {
				laneEnds[lane] = end
			}
			ps[k].lane = lane
			if end.After(clusterEnd) {
				clusterEnd = end
			}
		}
		closeCluster(len(ps))
		for _, pc := range ps {
			// Wall-clock hours, so that on a daylight-saving day the rows still line up.
			top := float64(pc.from.Hour()-firstHour) + float64(pc.from.Minute())/60
			// The height in wall-clock hours too, as the rows: on the night the clocks change an
			// instance from 01:30 to 03:30 covers the rows from 01:30 to 03:30.
			endWall := float64(pc.to.Hour()) + float64(pc.to.Minute())/60
			if !pc.to.Before(addDays(d, 1)) {
				endWall = 24
			}
			height := max(endWall-float64(pc.from.Hour())-float64(pc.from.Minute())/60, minChipHours)
			tc := timedChip{chip: newChip(pc.o, d, cc.loc, cc.viewer.UserID), Short: height < 0.75, Medium: height < 1.25}
			tc.Style = template.CSS(fmt.Sprintf("--top: %.3f; --len: %.3f; --lane: %d; --lanes: %d", top, height, pc.lane, max(pc.span, 1)))
			wd.Timed = append(wd.Timed, tc)
		}
		p.Days = append(p.Days, wd)
	}
	p.GridStyle += template.CSS(fmt.Sprintf("; --first-hour: %d", firstHour))
	return h.pages.Render(c, http.StatusOK, "calendar_week.html", p)
}

// daysBetween counts the calendar days from a to b (midnights in one zone), across
// daylight-saving changes.
func daysBetween(a, b time.Time) int {
	ua := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}
