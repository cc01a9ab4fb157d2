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

// The hours a week shows at least; earlier or later instances widen the range.
const (
	weekFirstHour = 7
	weekLastHour  = 20 // the last hour row starts at 19:00
)

// weekPage is the data of calendar_week.html.
type weekPage struct {
	calendarPage
	Hours []string // row labels, "07:00"
	Days  []weekDay
	// GridStyle sets the number of hour rows for the CSS grid.
	GridStyle template.CSS
}

type weekDay struct {
	Date    string
	Short   string // "Mon 2"
	Label   string // "Monday 2 March"
	Today   bool
	Weekend bool
	NewURL  string
	AllDay  []chip
	Slots   []weekSlot
	Timed   []timedChip
}

// weekSlot is an empty hour a click starts a new event in.
type weekSlot struct {
	URL   string
	Label string
}

// timedChip is an instance placed in the day column: its top and height are shares of the
// shown hours, its left and width the lane it got among instances that overlap it.
type timedChip struct {
	chip
	Style  template.CSS
	Short  bool // under 45 minutes: title and start on one line
	Medium bool // under 75 minutes: a title of one line
}

// weekView shows the seven days (Monday first) around day, hour by hour.
func (h *Calendar) weekView(c echo.Context, cc calContext, day time.Time) error {
	start := addDays(day, -((int(day.Weekday()) + 6) % 7))
	end := addDays(start, 7)
	occ, truncated, err := h.occurrences(c, cc, start, end)
	if err != nil {
		return err
	}
	lastDay := addDays(end, -1)
	title := start.Format("2 January") + " – " + lastDay.Format("2 January 2006")
	if start.Month() == lastDay.Month() {
		title = start.Format("2") + " – " + lastDay.Format("2 January 2006")
	}
	p := weekPage{calendarPage: h.toolbar(c, cc, viewWeek, title, day, addDays(start, -7), end)}
	p.Truncated = truncated

	// Split the instances into all-day banners and timed pieces per day.
	type piece struct {
		o          calendar.Occurrence
		from, to   time.Time // clipped to the day
		lane, span int
	}
	pieces := make([][]piece, 7)
	banners := make([][]chip, 7)
	firstHour, lastHour := weekFirstHour, weekLastHour
	for _, o := range occ {
		f, l := daySpan(o, cc.loc)
		for i := 0; i < 7; i++ {
			d := addDays(start, i)
			if d.Before(f) || d.After(l) {
				continue
			}
			if o.AllDay {
				banners[i] = append(banners[i], newChip(o, d, cc.loc))
				continue
			}
			from, to := o.Start.In(cc.loc), o.End.In(cc.loc)
			if from.Before(d) {
				from = d
			}
			if next := addDays(d, 1); to.After(next) {
				to = next
			}
			pieces[i] = append(pieces[i], piece{o: o, from: from, to: to})
			firstHour = min(firstHour, from.Hour())
			endHour := to.Hour()
			if to.Equal(addDays(d, 1)) {
				endHour = 24
			} else if to.Minute() > 0 {
				endHour++
			}
			lastHour = max(lastHour, endHour)
		}
	}
	rows := lastHour - firstHour
	p.GridStyle = template.CSS(fmt.Sprintf("--hours: %d", rows))
	for h := firstHour; h < lastHour; h++ {
		p.Hours = append(p.Hours, fmt.Sprintf("%02d:00", h))
	}
	for i := 0; i < 7; i++ {
		d := addDays(start, i)
		wd := weekDay{
			Date: d.Format(dateOnly), Short: d.Format("Mon 2"), Label: d.Format("Monday 2 January"),
			Today: d.Equal(cc.today), Weekend: d.Weekday() == time.Saturday || d.Weekday() == time.Sunday,
			NewURL: newEventURL(d, 9), AllDay: banners[i],
		}
		for h := firstHour; h < lastHour; h++ {
			wd.Slots = append(wd.Slots, weekSlot{URL: newEventURL(d, h), Label: fmt.Sprintf("New event on %s at %02d:00", wd.Label, h)})
		}
		ps := pieces[i]
		sort.SliceStable(ps, func(x, y int) bool {
			if !ps[x].from.Equal(ps[y].from) {
				return ps[x].from.Before(ps[y].from)
			}
			return ps[x].to.After(ps[y].to)
		})
		// Lanes: each instance takes the first lane free at its start; a cluster of instances
		// that overlap one another shares the width evenly.
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
			end := ps[k].to
			if !end.After(ps[k].from) {
				end = ps[k].from.Add(15 * time.Minute) // an instant still needs room
			}
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
			height := max(pc.to.Sub(pc.from).Hours(), 0.4)
			tc := timedChip{chip: newChip(pc.o, d, cc.loc), Short: height < 0.75, Medium: height < 1.25}
			tc.Style = template.CSS(fmt.Sprintf("--top: %.3f; --len: %.3f; --lane: %d; --lanes: %d", top, height, pc.lane, max(pc.span, 1)))
			wd.Timed = append(wd.Timed, tc)
		}
		p.Days = append(p.Days, wd)
	}
	return h.pages.Render(c, http.StatusOK, "calendar_week.html", p)
}
