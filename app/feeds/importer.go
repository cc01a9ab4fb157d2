package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/view"
	"intracal/calendar"
	"intracal/calendar/ical"
)

// Importing .ics files into My Calendar or a space's calendar: calendar/ical reads the file
// into items, the calendar store adds, updates or leaves each (matched by the file's UID),
// and what the calendar cannot hold is listed with the reason.

// ImportSummary is what an import did.
type ImportSummary struct {
	Imported  int           `json:"imported"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Refused   []RefusedItem `json:"refused"`
}

// RefusedItem is an item that was not imported, and why.
type RefusedItem struct {
	UID    string `json:"uid"`
	Title  string `json:"title"`
	Reason string `json:"reason"`
}

// importFile imports the file into the calendar for the viewer.
func (h *Handlers) importFile(ctx context.Context, v accounts.Viewer, calendarID int64, r io.Reader) (ImportSummary, error) {
	sum := ImportSummary{Refused: []RefusedItem{}}
	select {
	case h.imports <- struct{}{}:
		defer func() { <-h.imports }()
	default:
		return sum, &httpkit.Error{Status: http.StatusServiceUnavailable, Code: "busy",
			Message: "Other imports are running; try again in a minute."}
	}
	loc := v.Location()
	items, err := ical.Read(r, loc)
	if err != nil {
		return sum, httpkit.NewError(http.StatusBadRequest, "invalid_ical", "The file could not be read as iCalendar (.ics): "+err.Error())
	}
	cv := v.CalendarViewer()
	for _, it := range items {
		if it.Refused != "" {
			sum.Refused = append(sum.Refused, RefusedItem{UID: it.UID, Title: it.Title, Reason: it.Refused})
			continue
		}
		out, _, err := h.cal.Import(ctx, cv, calendarID, it.UID, it.Digest, func() (*calendar.Event, error) {
			return it.Event(calendarID, v.UserID)
		})
		var ve *calendar.ValidationError
		var fe *calendar.ForbiddenError
		switch {
		case errors.As(err, &ve) || errors.As(err, &fe) || errors.Is(err, ical.ErrNotAnInstance):
			sum.Refused = append(sum.Refused, RefusedItem{UID: it.UID, Title: it.Title, Reason: err.Error()})
		case err != nil:
			return sum, fmt.Errorf("import %q: %w", it.UID, err)
		case out == calendar.Imported:
			sum.Imported++
		case out == calendar.Updated:
			sum.Updated++
		default:
			sum.Unchanged++
		}
	}
	return sum, nil
}

// targetCalendar is the calendar an import goes to: the viewer's My Calendar, or a space's
// calendar they may add events to.
func (h *Handlers) targetCalendar(ctx context.Context, v accounts.Viewer, raw string) (int64, error) {
	mine, err := h.cal.MyCalendar(ctx, v.UserID)
	if err != nil {
		return 0, err
	}
	if raw == "" || raw == "0" {
		return mine, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, httpkit.NewError(http.StatusBadRequest, "invalid_calendar", "calendarId must be a calendar's id.")
	}
	if id == mine {
		return mine, nil
	}
	if err := h.cal.CheckWritable(ctx, v.CalendarViewer(), id); err != nil {
		if errors.Is(err, calendar.ErrNotFound) {
			return 0, httpkit.NewError(http.StatusNotFound, "not_found", "No such calendar.")
		}
		return 0, err
	}
	return id, nil
}

// Import is POST /api/v1/imports?calendarId=...: the body is the .ics file (text/calendar),
// or a multipart form with it as "file". It answers the summary.
func (h *Handlers) Import(c echo.Context) error {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	calID, err := h.targetCalendar(ctx, v, c.QueryParam("calendarId"))
	if err != nil {
		return err
	}
	body, err := uploaded(c)
	if err != nil {
		return err
	}
	defer body.Close()
	sum, err := h.importFile(ctx, v, calID, body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

// uploaded is the file of an import request: a multipart "file", or the body itself.
func uploaded(c echo.Context) (io.ReadCloser, error) {
	ct := strings.ToLower(c.Request().Header.Get(echo.HeaderContentType))
	if strings.HasPrefix(ct, echo.MIMEMultipartForm) {
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, httpkit.NewError(http.StatusBadRequest, "no_file", "Choose an .ics file to import.")
		}
		return fh.Open()
	}
	if !strings.HasPrefix(ct, "text/calendar") && !strings.HasPrefix(ct, "application/octet-stream") {
		return nil, httpkit.NewError(http.StatusUnsupportedMediaType, "unsupported_type", "Send the .ics file as text/calendar, or as the field \"file\" of a multipart form.")
	}
	return c.Request().Body, nil
}

// importPage is the data of import.html: the calendars a file may go to, and, after an
// import, what it did.
type importPage struct {
	view.Page
	Calendars []importTarget
	Summary   *ImportSummary
	Took      string
	Error     string
}

type importTarget struct {
	ID       int64
	Name     string
	Selected bool
}

// ImportPages are the import form and its answer.
type ImportPages struct {
	h     *Handlers
	pages *view.Renderer
	frame view.Frame
}

// NewImportPages is the import page on the handlers.
func NewImportPages(h *Handlers, pages *view.Renderer, fr view.Frame) *ImportPages {
	return &ImportPages{h: h, pages: pages, frame: fr}
}

func (p *ImportPages) targets(ctx context.Context, v accounts.Viewer, chosen int64) ([]importTarget, error) {
	mine, err := p.h.cal.MyCalendar(ctx, v.UserID)
	if err != nil {
		return nil, err
	}
	out := []importTarget{{ID: mine, Name: "My Calendar", Selected: chosen == 0 || chosen == mine}}
	spaces, err := p.h.cal.Spaces(ctx, v.CalendarViewer())
	if err != nil {
		return nil, err
	}
	for _, sp := range spaces {
		if p.h.cal.CheckWritable(ctx, v.CalendarViewer(), sp.CalendarID) == nil {
			out = append(out, importTarget{ID: sp.CalendarID, Name: sp.Name, Selected: chosen == sp.CalendarID})
		}
	}
	return out, nil
}

// Form is GET /import.
func (p *ImportPages) Form(c echo.Context) error {
	v := accounts.CurrentViewer(c)
	chosen, _ := strconv.ParseInt(c.QueryParam("calendarId"), 10, 64)
	cals, err := p.targets(c.Request().Context(), v, chosen)
	if err != nil {
		return err
	}
	return p.pages.Render(c, http.StatusOK, "import.html", importPage{Page: p.frame.PageWithFlash(c, "Import an .ics file"), Calendars: cals})
}

// Submit is POST /import: the file of the form, imported; the page says what happened.
func (p *ImportPages) Submit(c echo.Context) error {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	start := time.Now()
	calID, err := p.h.targetCalendar(ctx, v, c.FormValue("calendarId"))
	if err != nil {
		return err
	}
	cals, err := p.targets(ctx, v, calID)
	if err != nil {
		return err
	}
	page := importPage{Page: p.frame.Page(c, "Import an .ics file"), Calendars: cals}
	body, err := uploaded(c)
	if err == nil {
		defer body.Close()
		var sum ImportSummary
		sum, err = p.h.importFile(ctx, v, calID, body)
		if err == nil {
			page.Summary, page.Took = &sum, time.Since(start).Round(100*time.Millisecond).String()
			return p.pages.Render(c, http.StatusOK, "import.html", page)
		}
	}
	var he *httpkit.Error
	if errors.As(err, &he) {
		page.Error = he.Message
		return p.pages.Render(c, he.Status, "import.html", page)
	}
	return err
}
