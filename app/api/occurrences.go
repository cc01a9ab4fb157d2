package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/calendar"
)

// Occurrences is GET /api/v1/occurrences. The answer is written one instance at a time as it
// is built, never held whole: a 400-day listing cut at the cap is about 10 MB of JSON, and
// held as Occurrences, their JSON form and the encoded text it took 25 MB or more a request.
// The shape is what c.JSON wrote of {"occurrences": [...], "truncated": b}, byte for byte
// (keys in that order, HTML characters escaped, a final newline), so that only the memory
// changed; `?pretty` (Echo's indenting, never documented) is no longer honoured here.
func (h *Events) Occurrences(c echo.Context) error {
	v := accounts.CurrentViewer(c)
	loc, err := time.LoadLocation(v.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	from, err := parseBound(c.QueryParam("from"), "from", loc)
	if err != nil {
		return err
	}
	to, err := parseBound(c.QueryParam("to"), "to", loc)
	if err != nil {
		return err
	}
	var calID int64
	if s := c.QueryParam("calendarId"); s != "" {
		if calID, err = strconv.ParseInt(s, 10, 64); err != nil || calID <= 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "Query parameter \"calendarId\" must be a positive whole number.")
		}
	}
	ctx := c.Request().Context()
	list, err := h.cal.ListOccurrences(ctx, v.CalendarViewer(), calendar.Query{From: from, To: to, CalendarID: calID})
	if err != nil {
		return err
	}
	defer list.Release()
	people, err := h.people.ByIDs(ctx, list.OrganizerIDs())
	if err != nil {
		return err
	}
	return streamOccurrences(ctx, c.Response(), list, people)
}

// streamBuffer is how much of the answer is gathered before it is sent.
const streamBuffer = 32 << 10

// streamOccurrences writes the listing as JSON to w. Everything that can fail with a status
// has been done: from here on an error (the client went away) can only end the answer, so the
// request's context is checked as it goes and a write error stops it at once.
func streamOccurrences(ctx context.Context, res *echo.Response, list *calendar.OccurrenceList, people map[int64]personJSON) error {
	res.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	res.WriteHeader(http.StatusOK)
	w := bufio.NewWriterSize(res, streamBuffer)
	// One encoder into one buffer for every instance: json.Encoder escapes HTML as c.JSON's did.
	var one bytes.Buffer
	enc := json.NewEncoder(&one)
	if _, err := w.WriteString(`{"occurrences":[`); err != nil {
		return err
	}
	for i, o := range list.All() {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		one.Reset()
		if i > 0 {
			one.WriteByte(',')
		}
		if err := enc.Encode(occurrenceOut(o, people)); err != nil {
			return err
		}
		if _, err := w.Write(bytes.TrimSuffix(one.Bytes(), []byte("\n"))); err != nil {
			return err
		}
	}
	if _, err := w.WriteString(`],"truncated":` + strconv.FormatBool(list.Truncated()) + "}\n"); err != nil {
		return err
	}
	return w.Flush()
}

// occurrenceOut is the JSON form of one instance.
func occurrenceOut(o calendar.Occurrence, people map[int64]personJSON) occurrenceJSON {
	out := occurrenceJSON{
		EventID: o.EventID, CalendarID: o.CalendarID, OriginalStart: utcString(o.OriginalStart),
		Start: instantString(o.Start, o.AllDay, false), End: instantString(o.End, o.AllDay, true),
		TimeZone: o.TimeZone, AllDay: o.AllDay, Title: o.Title, Description: o.Description, Location: o.Location,
		Privacy: string(o.Privacy), Categories: o.Categories, Colour: calendar.Colour(o.Categories), IsException: o.IsException, IsRecurring: o.IsRecurring, Changed: o.Changed,
		Organizer: people[o.OrganizerID],
	}
	if o.RSVP != "" {
		r := string(o.RSVP)
		out.RSVP = &r
	}
	return out
}
