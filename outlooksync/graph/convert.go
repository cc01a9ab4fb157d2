package graph

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"intracal/calendar"
	"intracal/outlooksync"
)

// wallLayout is dateTimeTimeZone.dateTime: a wall time without offset, up to seven
// fractional digits.
const (
	wallLayoutIn  = "2006-01-02T15:04:05.9999999"
	wallLayoutOut = "2006-01-02T15:04:05.0000000"
	dateLayout    = "2006-01-02"
)

// remoteEvent converts an event of the SDK into the sync's view of it.
func (c *Client) remoteEvent(ev models.Eventable) outlooksync.RemoteEvent {
	r := outlooksync.RemoteEvent{
		ID:             deref(ev.GetId()),
		SeriesMasterID: deref(ev.GetSeriesMasterId()),
		ChangeKey:      deref(ev.GetChangeKey()),
		ICalUID:        deref(ev.GetICalUId()),
		Subject:        deref(ev.GetSubject()),
		IsAllDay:       deref(ev.GetIsAllDay()),
		IsCancelled:    deref(ev.GetIsCancelled()),
		IsOrganizer:    deref(ev.GetIsOrganizer()),
		Created:        deref(ev.GetCreatedDateTime()).UTC(),
		LastModified:   deref(ev.GetLastModifiedDateTime()).UTC(),
	}
	if _, removed := ev.GetAdditionalData()["@removed"]; removed {
		r.Removed = true
		return r
	}
	if t := ev.GetTypeEscaped(); t != nil {
		r.Type = t.String()
	}
	if s := ev.GetSensitivity(); s != nil {
		r.Private = *s == models.PRIVATE_SENSITIVITY || *s == models.CONFIDENTIAL_SENSITIVITY
	}
	r.Categories = slices.Clone(ev.GetCategories())
	if deref(ev.GetIsReminderOn()) {
		r.Reminder = calendar.Reminder{On: true, Minutes: int(deref(ev.GetReminderMinutesBeforeStart()))}
	}
	if b := ev.GetBody(); b != nil {
		r.Body = deref(b.GetContent())
		if ct := b.GetContentType(); ct != nil && *ct == models.HTML_BODYTYPE {
			r.Body = htmlToText(r.Body)
		}
	}
	if l := ev.GetLocation(); l != nil {
		r.Location = deref(l.GetDisplayName())
	}
	// The event's IANA zone, with eventZone's fallbacks for custom zones; "" when Outlook
	// names none that can be placed.
	zoneName := c.eventZone(ev)
	r.TimeZone = zoneName
	if r.IsAllDay {
		// Graph sends an all-day item as midnight to midnight of its dates whatever zone
		// was asked for (microsoft-graph-docs #1802, #6003): they are dates, not instants
		// to convert.
		r.Start, r.End = wallDate(ev.GetStart()), wallDate(ev.GetEnd())
	} else {
		r.Start = c.instant(ev.GetStart())
		r.End = c.instant(ev.GetEnd())
	}
	if os := ev.GetOriginalStart(); os != nil {
		t := os.UTC()
		if r.IsAllDay {
			// An all-day occurrence's originalStart is its zone's midnight in UTC (#2804):
			// the occurrence is keyed by its date there, as My Calendar keys it.
			t = dateOf(t, c.zones.location(zoneName))
		}
		r.OriginalStart = &t
	}
	if rec := ev.GetRecurrence(); rec != nil {
		r.Recurrence = c.recurrenceFrom(rec)
	}
	if o := ev.GetOrganizer(); o != nil && o.GetEmailAddress() != nil {
		r.Organizer = strings.ToLower(deref(o.GetEmailAddress().GetAddress()))
	}
	if rs := ev.GetResponseStatus(); rs != nil && rs.GetResponse() != nil {
		r.ResponseStatus = rs.GetResponse().String()
	}
	for _, a := range ev.GetAttendees() {
		at := outlooksync.Attendee{}
		if e := a.GetEmailAddress(); e != nil {
			at.Email, at.Name = strings.ToLower(deref(e.GetAddress())), deref(e.GetName())
		}
		if t := a.GetTypeEscaped(); t != nil {
			at.Type = t.String()
		}
		if s := a.GetStatus(); s != nil && s.GetResponse() != nil {
			at.Response = s.GetResponse().String()
		}
		r.Attendees = append(r.Attendees, at)
	}
	for _, oid := range ev.GetCancelledOccurrences() {
		// OID.{masterId}.{yyyy-MM-dd}: ids may contain dots, the date is after the last one.
		if i := strings.LastIndexByte(oid, '.'); i >= 0 {
			if _, err := time.Parse(dateLayout, oid[i+1:]); err == nil {
				r.CancelledOccurrences = append(r.CancelledOccurrences, oid[i+1:])
			}
		}
	}
	for _, p := range ev.GetSingleValueExtendedProperties() {
		if strings.EqualFold(deref(p.GetId()), MarkerPropertyID) {
			r.Marker = deref(p.GetValue())
		}
	}
	return r
}

// instant reads a dateTimeTimeZone as a UTC instant; zero when absent or unreadable.
func (c *Client) instant(dt models.DateTimeTimeZoneable) time.Time {
	if dt == nil || dt.GetDateTime() == nil {
		return time.Time{}
	}
	s := *dt.GetDateTime()
	loc := c.zones.location(deref(dt.GetTimeZone()))
	t, err := time.ParseInLocation(wallLayoutIn, s, loc)
	if err != nil {
		// Some answers carry an offset or a Z; believe it.
		if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return time.Time{}
		}
	}
	return t.UTC()
}

// wallDate is midnight UTC of the date a dateTimeTimeZone names, read from its wall time
// alone; zero when absent or unreadable.
func wallDate(dt models.DateTimeTimeZoneable) time.Time {
	if dt == nil || dt.GetDateTime() == nil || len(*dt.GetDateTime()) < len(dateLayout) {
		return time.Time{}
	}
	d, err := time.Parse(dateLayout, (*dt.GetDateTime())[:len(dateLayout)])
	if err != nil {
		return time.Time{}
	}
	return d
}

// dateOf is midnight UTC of t's date in loc.
func dateOf(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateTimeTimeZone writes an instant as a wall time in zone (IANA; "" is UTC), named by its
// Windows name. A zone winzone does not know is written as UTC wall times named "UTC": the
// same instant, rather than an IANA name Graph may refuse with 400.
func (c *Client) dateTimeTimeZone(t time.Time, zone string, allDay bool) models.DateTimeTimeZoneable {
	dt := models.NewDateTimeTimeZone()
	tz, known := c.zones.windows(zone)
	loc := time.UTC
	if known && zone != "" && zone != "UTC" {
		if l, err := time.LoadLocation(zone); err == nil {
			loc = l
		} else {
			tz = "UTC"
		}
	}
	if !known {
		tz = "UTC"
	}
	var wall string
	if allDay {
		wall = t.UTC().Format(dateLayout) + "T00:00:00.0000000"
	} else {
		wall = t.In(loc).Format(wallLayoutOut)
	}
	dt.SetDateTime(&wall)
	dt.SetTimeZone(&tz)
	return dt
}

// seriesStart writes a series' start: its wall clock w (floating) in zone when w is set and
// the zone is written as itself, so that a series whose first occurrence falls in a gap is
// sent at the wall time it keeps (Exchange, as RFC 5545, moves that one occurrence past
// the gap); otherwise the instant t, as dateTimeTimeZone.
func (c *Client) seriesStart(t, w time.Time, zone string) models.DateTimeTimeZoneable {
	dt := c.dateTimeTimeZone(t, zone, false)
	if w.IsZero() {
		return dt
	}
	if tz := dt.GetTimeZone(); tz != nil && *tz != "UTC" {
		wall := w.Format(wallLayoutOut)
		dt.SetDateTime(&wall)
	}
	return dt
}

var (
	htmlBreaks = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li|/tr|/h[1-6])\s*/?>`)
	htmlTags   = regexp.MustCompile(`(?s)<!--.*?-->|<[^>]*>`)
	htmlHidden = regexp.MustCompile(`(?is)<(head|style|script)\b.*?</(head|style|script)\s*>`)
	blankLines = regexp.MustCompile(`\n{3,}`)
)

// htmlToText is for bodies that arrive as HTML although text was asked for: line breaks
// kept, tags dropped, entities decoded.
func htmlToText(s string) string {
	s = htmlHidden.ReplaceAllString(s, "")
	s = htmlBreaks.ReplaceAllString(s, "\n")
	s = htmlTags.ReplaceAllString(s, "")
	s = html.UnescapeString(strings.ReplaceAll(s, "\r\n", "\n"))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\u00a0")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

// instanceOf converts an occurrence or exception of master. An all-day instance whose own
// zone cannot be placed (a custom zone: the instance carries no recurrence to fall back on)
// is keyed by its date in the master's zone, as every other instance of the series.
func (c *Client) instanceOf(ev models.Eventable, master outlooksync.RemoteEvent) outlooksync.RemoteEvent {
	r := c.remoteEvent(ev)
	if !r.IsAllDay || r.TimeZone != "" || master.TimeZone == "" {
		return r
	}
	r.TimeZone = master.TimeZone
	if os := ev.GetOriginalStart(); os != nil {
		if loc, err := time.LoadLocation(master.TimeZone); err == nil {
			t := dateOf(os.UTC(), loc)
			r.OriginalStart = &t
		}
	}
	return r
}
