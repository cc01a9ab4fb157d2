package api

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/calendar"
)

// searchJSON is the answer of GET /api/v1/search.
type searchJSON struct {
	Results []searchHitJSON `json:"results"`
	More    bool            `json:"more"`
	Message string          `json:"message,omitempty"`
}

// searchHitJSON is one event found, as the instance that shows it: the next that matches, or
// the last when none is to come (upcoming false).
type searchHitJSON struct {
	occurrenceJSON
	Upcoming bool `json:"upcoming"`
}

// Search is GET /api/v1/search?q=: the events of My Calendar whose title, location or
// description hold every word of q, as the search page shows them.
func (h *Events) Search(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	n := utf8.RuneCountInString(q)
	switch {
	case !utf8.ValidString(q) || n > calendar.MaxSearchLength:
		return echo.NewHTTPError(http.StatusBadRequest, "Query parameter \"q\" must be text of at most 200 characters.")
	case n < calendar.MinSearchLength:
		return c.JSON(http.StatusOK, searchJSON{Results: []searchHitJSON{}, Message: "Type at least 2 characters to search."})
	}
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	res, err := h.cal.Search(ctx, v.CalendarViewer(), calendar.SearchQuery{Text: q, Now: h.now()})
	if err != nil {
		return err
	}
	ids := make([]int64, len(res.Hits))
	for i, hit := range res.Hits {
		ids[i] = hit.OrganizerID
	}
	people, err := h.people.ByIDs(ctx, ids)
	if err != nil {
		return err
	}
	out := searchJSON{Results: make([]searchHitJSON, len(res.Hits)), More: res.More}
	for i, hit := range res.Hits {
		out.Results[i] = searchHitJSON{occurrenceJSON: occurrenceOut(hit.Occurrence, people), Upcoming: hit.Upcoming}
	}
	return c.JSON(http.StatusOK, out)
}
