package graph

import (
	"fmt"

	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"intracal/outlooksync"
)

// recurrenceFrom reads Graph's patternedRecurrence. Graph fills fields that do not apply
// with defaults (month 0, index "first", an end date of 0001-01-01): those are dropped, so
// equal series compare equal whichever side wrote them.
func (c *Client) recurrenceFrom(rec models.PatternedRecurrenceable) *outlooksync.Recurrence {
	out := &outlooksync.Recurrence{}
	if p := rec.GetPattern(); p != nil {
		if t := p.GetTypeEscaped(); t != nil {
			out.Pattern.Type = t.String()
		}
		out.Pattern.Interval = int(deref(p.GetInterval()))
		for _, d := range p.GetDaysOfWeek() {
			out.Pattern.DaysOfWeek = append(out.Pattern.DaysOfWeek, d.String())
		}
		if f := p.GetFirstDayOfWeek(); f != nil {
			out.Pattern.FirstDayOfWeek = f.String()
		}
		switch out.Pattern.Type {
		case "relativeMonthly", "relativeYearly":
			if i := p.GetIndex(); i != nil {
				out.Pattern.Index = i.String()
			}
		case "absoluteMonthly", "absoluteYearly":
			out.Pattern.DayOfMonth = int(deref(p.GetDayOfMonth()))
		}
		if out.Pattern.Type == "absoluteYearly" || out.Pattern.Type == "relativeYearly" {
			out.Pattern.Month = int(deref(p.GetMonth()))
		}
		if out.Pattern.Type == "absoluteMonthly" || out.Pattern.Type == "absoluteYearly" || out.Pattern.Type == "daily" {
			out.Pattern.DaysOfWeek = nil
		}
	}
	if r := rec.GetRangeEscaped(); r != nil {
		if t := r.GetTypeEscaped(); t != nil {
			out.Range.Type = t.String()
		}
		if d := r.GetStartDate(); d != nil {
			out.Range.StartDate = d.String()
		}
		if out.Range.Type == "endDate" {
			if d := r.GetEndDate(); d != nil {
				out.Range.EndDate = d.String()
			}
		}
		if out.Range.Type == "numbered" {
			out.Range.NumberOfOccurrences = int(deref(r.GetNumberOfOccurrences()))
		}
		// A zone that cannot be placed stays "", never UTC (eventZone).
		out.Range.RecurrenceTimeZone, _ = c.zones.iana(deref(r.GetRecurrenceTimeZone()))
	}
	return out
}

// recurrenceTo writes a recurrence for Graph; zone is the event's IANA zone, used when the
// recurrence names none.
func (c *Client) recurrenceTo(rec *outlooksync.Recurrence, zone string) (models.PatternedRecurrenceable, error) {
	out := models.NewPatternedRecurrence()
	p := models.NewRecurrencePattern()
	pt, err := models.ParseRecurrencePatternType(rec.Pattern.Type)
	if err != nil || pt == nil {
		return nil, fmt.Errorf("graph: recurrence pattern type %q: not one of Graph's", rec.Pattern.Type)
	}
	p.SetTypeEscaped(pt.(*models.RecurrencePatternType))
	interval := int32(max(rec.Pattern.Interval, 1))
	p.SetInterval(&interval)
	if len(rec.Pattern.DaysOfWeek) > 0 {
		days := make([]models.DayOfWeek, 0, len(rec.Pattern.DaysOfWeek))
		for _, d := range rec.Pattern.DaysOfWeek {
			v, err := models.ParseDayOfWeek(d)
			if err != nil || v == nil {
				return nil, fmt.Errorf("graph: day of week %q: not one of Graph's", d)
			}
			days = append(days, *v.(*models.DayOfWeek))
		}
		p.SetDaysOfWeek(days)
	}
	if rec.Pattern.FirstDayOfWeek != "" {
		v, err := models.ParseDayOfWeek(rec.Pattern.FirstDayOfWeek)
		if err != nil || v == nil {
			return nil, fmt.Errorf("graph: first day of week %q: not one of Graph's", rec.Pattern.FirstDayOfWeek)
		}
		p.SetFirstDayOfWeek(v.(*models.DayOfWeek))
	}
	if rec.Pattern.Index != "" {
		v, err := models.ParseWeekIndex(rec.Pattern.Index)
		if err != nil || v == nil {
			return nil, fmt.Errorf("graph: week index %q: not one of Graph's", rec.Pattern.Index)
		}
		p.SetIndex(v.(*models.WeekIndex))
	}
	if rec.Pattern.DayOfMonth > 0 {
		d := int32(rec.Pattern.DayOfMonth)
		p.SetDayOfMonth(&d)
	}
	if rec.Pattern.Month > 0 {
		m := int32(rec.Pattern.Month)
		p.SetMonth(&m)
	}
	out.SetPattern(p)

	r := models.NewRecurrenceRange()
	rt := rec.Range.Type
	if rt == "" {
		rt = "noEnd"
	}
	rv, err := models.ParseRecurrenceRangeType(rt)
	if err != nil || rv == nil {
		return nil, fmt.Errorf("graph: recurrence range type %q: not one of Graph's", rt)
	}
	r.SetTypeEscaped(rv.(*models.RecurrenceRangeType))
	start, err := absser.ParseDateOnly(rec.Range.StartDate)
	if err != nil || start == nil {
		return nil, fmt.Errorf("graph: recurrence start date %q: %v", rec.Range.StartDate, err)
	}
	r.SetStartDate(start)
	switch rt {
	case "endDate":
		end, err := absser.ParseDateOnly(rec.Range.EndDate)
		if err != nil || end == nil {
			return nil, fmt.Errorf("graph: recurrence end date %q: %v", rec.Range.EndDate, err)
		}
		r.SetEndDate(end)
	case "numbered":
		n := int32(rec.Range.NumberOfOccurrences)
		r.SetNumberOfOccurrences(&n)
	}
	tz := rec.Range.RecurrenceTimeZone
	if tz == "" {
		tz = zone
	}
	// A Windows name, as for start and end; a zone winzone does not know goes as UTC, the
	// zone dateTimeTimeZone then writes the start in.
	win, ok := c.zones.windows(tz)
	if !ok {
		win = "UTC"
	}
	r.SetRecurrenceTimeZone(&win)
	out.SetRangeEscaped(r)
	return out, nil
}
