package api

import (
	"errors"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"intracal/app/httpkit"
	"intracal/calendar"
)

// FuzzDecodeEvent feeds arbitrary bodies to the event decoder and the domain's validation:
// whatever arrives must end in a value or in a 4xx answer, never a panic or a 5xx.
func FuzzDecodeEvent(f *testing.F) {
	for _, seed := range []string{
		`{"title":"Standup","start":"2026-03-02T09:00:00","end":"2026-03-02T09:15:00","timeZone":"Europe/Berlin","rrule":"FREQ=WEEKLY;BYDAY=MO;COUNT=5"}`,
		`{"title":"Holiday","start":"2026-12-24","end":"2026-12-26","allDay":true}`,
		`{"title":"x","invitees":[{"email":"a@b.c","instance":"2026-03-02T08:00:00Z"}]}`,
		`{"title":5}`, `{"title":"a","title":"b"}`, `[]`, `null`, `{"start":"2026-02-30T09:00:00","timeZone":"Mars/Base"}`,
		`{"title":"t","start":"2026-03-02T09:00","rrule":"FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1","timeZone":"UTC"}`,
		"{\"title\":\"\xff\xfe\"}", `{"privacy":"secret"}`, `{"calendarId":-1}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in eventCreateJSON
		if err := httpkit.DecodeBytes(body, &in); err != nil {
			var he *echo.HTTPError
			if !errors.As(err, &he) || he.Code < 400 || he.Code >= 500 {
				t.Fatalf("decode error %v is not a 4xx", err)
			}
			return
		}
		_, err := calendar.NewEvent(1, 1, calendar.EventInput{Title: in.Title, Description: in.Description,
			Location: in.Location, Start: in.Start, End: in.End, TimeZone: in.TimeZone, AllDay: in.AllDay,
			RRule: in.RRule, Privacy: calendar.Privacy(in.Privacy)})
		if err != nil {
			if httpkit.Classify(err).Status >= http.StatusInternalServerError {
				t.Fatalf("validation error %v would answer %d", err, httpkit.Classify(err).Status)
			}
		}
	})
}
