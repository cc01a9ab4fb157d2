package pages

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// agendaDays is how far ahead the agenda (upcoming) view looks from its date.
const agendaDays = 28

// agendaPage is the data of calendar_agenda.html.
type agendaPage struct {
	calendarPage
	Days []agendaDay
}

type agendaDay struct {
	Label string // "Monday 2 March"
	Today bool
	Items []chip
}

// agendaView lists the instances of the four weeks from day on, day by day, skipping empty days.
func (h *Calendar) agendaView(c echo.Context, cc calContext, day time.Time) error {
	end := addDays(day, agendaDays)
	occ, truncated, err := h.occurrences(c, cc, day, end)
	if err != nil {
		return err
	}
	byDay, _ := groupByDay(occ, cc.loc, day, end)
	title := "Upcoming from " + day.Format("2 January 2006")
	if day.Equal(cc.today) {
		title = "Upcoming"
	}
	p := agendaPage{calendarPage: h.toolbar(c, cc, viewAgenda, title, day, addDays(day, -agendaDays), end)}
	p.Truncated = truncated
	p.Mini = newMiniMonth(cc.calTarget, viewAgenda, day, cc.today, day, end)
	for d := day; d.Before(end); d = addDays(d, 1) {
		list := byDay[dayKey(d)]
		if len(list) == 0 {
			continue
		}
		ad := agendaDay{Label: d.Format("Monday 2 January"), Today: d.Equal(cc.today)}
		if d.Year() != cc.today.Year() {
			ad.Label = d.Format("Monday 2 January 2006")
		}
		for _, i := range list {
			ad.Items = append(ad.Items, newChip(occ[i], d, cc.loc, cc.viewer.UserID))
		}
		p.Days = append(p.Days, ad)
	}
	return h.pages.Render(c, http.StatusOK, "calendar_agenda.html", p)
}
