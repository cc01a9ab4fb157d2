package pages

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
)

// Search is the search page: the events of My Calendar whose title, location or
// description hold the words typed (calendar.Store.Search), each shown by its next instance
// that matches or, when none is to come, its last.
type Search struct {
	frame
	cal *calendar.Store
	now func() time.Time
}

// NewSearch is the search page on the calendar store; now tells which instances are to come.
func NewSearch(pages *view.Renderer, fr view.Frame, cal *calendar.Store, now func() time.Time) *Search {
	return &Search{frame: frame{pages, fr}, cal: cal, now: now}
}

// searchPage is the data of search.html.
type searchPage struct {
	view.Page
	Query   string
	Message string // said instead of results: nothing to search for yet
	Error   string // the query cannot be searched
	// Searched: the query was searched; Results holds what it found (maybe nothing).
	Searched bool
	Results  []searchRow
	More     bool // more events match than are shown
	Max      int
}

// searchRow is one event found, by the instance that shows it.
type searchRow struct {
	URL       string
	Title     string
	When      string // in the viewer's zone
	Location  string
	Snippet   string // of the description, when only it holds a word
	Upcoming  bool
	Private   bool
	Recurring bool
}

// snippetLength is how much of a description a result quotes.
const snippetLength = 160

// Show is GET /search?q=: the form, and what the words find.
func (h *Search) Show(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	p := searchPage{Page: h.pageWithFlash(c, "Search"), Query: q, Max: calendar.MaxSearchHits}
	if q != "" {
		p.Title = "Search: " + clipText(q, 40)
	}
	n := utf8.RuneCountInString(q)
	switch {
	case !utf8.ValidString(q) || n > calendar.MaxSearchLength:
		p.Query = clipText(strings.ToValidUTF8(q, ""), calendar.MaxSearchLength)
		p.Error = "A search is at most 200 characters long."
		return h.pages.Render(c, http.StatusBadRequest, "search.html", p)
	case n == 0:
		p.Message = "Type a word of an event's title, place or description."
		return h.pages.Render(c, http.StatusOK, "search.html", p)
	case n < calendar.MinSearchLength:
		p.Message = "Type at least 2 characters to search."
		return h.pages.Render(c, http.StatusOK, "search.html", p)
	}
	cv := accounts.CurrentViewer(c)
	res, err := h.cal.Search(c.Request().Context(), cv.CalendarViewer(), calendar.SearchQuery{Text: q, Now: h.now()})
	if err != nil {
		return err
	}
	words, _ := calendar.SearchWords(q)
	loc := cv.Location()
	p.Searched, p.More = true, res.More
	for _, hit := range res.Hits {
		row := searchRow{URL: instanceURL(hit.EventID, hit.OriginalStart), Title: hit.Title, When: whenText(hit.Occurrence, loc),
			Location: hit.Location, Upcoming: hit.Upcoming, Private: hit.Privacy == calendar.Private, Recurring: hit.IsRecurring}
		if !holdsAny(hit.Title+"\n"+hit.Location, words) {
			row.Snippet = snippet(hit.Description, words)
		}
		p.Results = append(p.Results, row)
	}
	return h.pages.Render(c, http.StatusOK, "search.html", p)
}

// holdsAny reports whether text holds one of the (lower-case) words, ignoring case.
func holdsAny(text string, words []string) bool {
	text = strings.ToLower(text)
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// snippet is the part of a description around the first word it holds, on one line.
func snippet(desc string, words []string) string {
	flat := strings.Join(strings.Fields(desc), " ")
	r := []rune(flat)
	lower := []rune(strings.ToLower(flat))
	at := -1
	for _, w := range words {
		if i := strings.Index(string(lower), w); i >= 0 {
			if k := utf8.RuneCountInString(string(lower)[:i]); at < 0 || k < at {
				at = k
			}
		}
	}
	if at < 0 || len(lower) != len(r) { // a letter that changed length in lower case: from the start
		at = 0
	}
	start := max(0, at-snippetLength/3)
	end := min(len(r), start+snippetLength)
	out := string(r[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(r) {
		out += "…"
	}
	return out
}
