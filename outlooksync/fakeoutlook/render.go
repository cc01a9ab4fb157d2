package fakeoutlook

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Events are rendered as Graph's event resource, in the key order of the
// response examples in api-reference/v1.0/api/user-post-events.md and
// event-get.md; instances as in event-list-instances.md.

const (
	wallLayout    = "2006-01-02T15:04:05.0000000"  // dateTimeTimeZone.dateTime
	instantLayout = "2006-01-02T15:04:05.0000000Z" // createdDateTime and the like
)

func (v view) dtz(t time.Time) DateTimeTimeZone {
	return DateTimeTimeZone{DateTime: t.In(v.outLoc).Format(wallLayout), TimeZone: v.outTZ}
}

// dtzOf renders the start or end of content. An all-day item is midnight to midnight of its
// dates whatever zone the client asked for (microsoft-graph-docs issues #1802 and #6003):
// Graph names the asked zone but does not convert the dates into it. Quirks.AllDayInAskedZone
// converts them instead, as the fake did before.
func (s *Server) dtzOf(v view, t time.Time, zone string, allDay bool) DateTimeTimeZone {
	if !allDay || s.opts.Quirks.AllDayInAskedZone {
		return v.dtz(t)
	}
	loc, _, err := s.zones.resolve(zone)
	if err != nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return DateTimeTimeZone{DateTime: time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(wallLayout), TimeZone: v.outTZ}
}

func fmtInstant(t time.Time) string { return t.UTC().Format(instantLayout) }

// item is what renderItem needs of a single, master, occurrence or exception.
type item struct {
	ev            *event // the single or master
	id            string
	kind          string // singleInstance, seriesMaster, occurrence, exception
	originalStart *time.Time
	c             content
	changeKey     string
	modified      time.Time
}

func seriesItem(ev *event) item {
	kind := "singleInstance"
	if ev.rec != nil {
		kind = "seriesMaster"
	}
	return item{ev: ev, id: ev.id, kind: kind, c: ev.content, changeKey: ev.changeKey, modified: ev.modified}
}

func instanceItem(in instance) item {
	kind := "occurrence"
	if in.exc != nil {
		kind = "exception"
	}
	t := in.originalStart
	return item{ev: in.master, id: in.id(), kind: kind, originalStart: &t, c: in.c,
		changeKey: in.changeKey(), modified: in.modified()}
}

// renderItem renders an event in Graph's shape.
func (s *Server) renderItem(it item, v view) orderedObject {
	c := it.c
	ev := it.ev
	isInstance := it.originalStart != nil
	uid := ev.iCalUID
	if isInstance && s.opts.Quirks.ICalUIDPerOccurrence {
		uid = occurrenceICalUID(uid, it.originalStart.In(ev.seriesLoc(s.zones)))
	}
	extra := func(key string, def any) any {
		if raw, ok := c.extra[key]; ok {
			return json.RawMessage(raw)
		}
		return def
	}
	o := orderedObject{}
	o.add("@odata.etag", etag(it.changeKey))
	o.add("id", it.id)
	o.add("createdDateTime", fmtInstant(ev.created))
	o.add("lastModifiedDateTime", fmtInstant(it.modified))
	o.add("changeKey", it.changeKey)
	o.add("categories", nonNil(c.categories))
	if isInstance || ev.transactionID == "" {
		o.add("transactionId", nil)
	} else {
		o.add("transactionId", ev.transactionID)
	}
	o.add("originalStartTimeZone", s.reportedZone(it.ev, c.startZone))
	o.add("originalEndTimeZone", s.reportedZone(it.ev, c.endZone))
	o.add("iCalUId", uid)
	o.add("reminderMinutesBeforeStart", c.reminderMinutes)
	o.add("isReminderOn", c.isReminderOn)
	o.add("hasAttachments", false)
	o.add("subject", c.subject)
	o.add("bodyPreview", bodyPreview(c.body))
	o.add("importance", c.importance)
	o.add("sensitivity", c.sensitivity)
	if isInstance {
		o.add("originalStart", it.originalStart.UTC().Format(time.RFC3339))
	}
	o.add("isAllDay", c.isAllDay)
	o.add("isCancelled", c.isCancelled)
	o.add("isOrganizer", ev.isOrganizer)
	o.add("responseRequested", c.responseRequested)
	if isInstance {
		o.add("seriesMasterId", ev.id)
	} else {
		o.add("seriesMasterId", nil)
	}
	o.add("showAs", c.showAs)
	o.add("type", it.kind)
	o.add("webLink", strings.TrimSuffix(v.graphBase, "/v1.0")+"/owa/?itemid="+url.QueryEscape(it.id)+"&exvsurl=1&path=/calendar/item")
	o.add("onlineMeetingUrl", extra("onlineMeetingUrl", nil))
	o.add("isOnlineMeeting", extra("isOnlineMeeting", false))
	o.add("onlineMeetingProvider", extra("onlineMeetingProvider", "unknown"))
	o.add("allowNewTimeProposals", extra("allowNewTimeProposals", true))
	o.add("isDraft", extra("isDraft", false))
	o.add("hideAttendees", extra("hideAttendees", false))
	o.add("responseStatus", c.response)
	body := c.body
	if v.textBody {
		body = ItemBody{ContentType: "text", Content: htmlToText(body)}
	}
	o.add("body", body)
	o.add("start", s.dtzOf(v, c.start, c.startZone, c.isAllDay))
	o.add("end", s.dtzOf(v, c.end, c.endZone, c.isAllDay))
	o.add("location", renderLocation(c.location))
	if c.location.DisplayName != "" {
		o.add("locations", extra("locations", []any{renderLocation(c.location)}))
	} else {
		o.add("locations", extra("locations", []any{}))
	}
	if it.kind == "seriesMaster" {
		o.add("recurrence", ev.rec.wire(s.zones.windows(ev.startZone)))
	} else {
		o.add("recurrence", nil)
	}
	o.add("attendees", nonNil(c.attendees))
	o.add("organizer", Recipient{EmailAddress: ev.organizer})
	o.add("onlineMeeting", nil)
	if v.sel["cancelledoccurrences"] && (v.getByID || s.opts.Quirks.CancelledOccurrencesInLists) {
		list := []string{}
		if it.kind == "seriesMaster" {
			loc := ev.seriesLoc(s.zones)
			for _, t := range ev.cancelledStarts() {
				list = append(list, fmt.Sprintf("OID.%s.%s", ev.id, t.In(loc).Format(dateLayout)))
			}
		}
		o.add("cancelledOccurrences", list)
	}
	if v.expandExt {
		var props []ExtendedProperty
		for _, p := range c.extProps {
			if v.extIDs == nil || containsFold(v.extIDs, p.ID) {
				props = append(props, p)
			}
		}
		// Graph leaves the property out when nothing matches the filter.
		if len(props) > 0 {
			o.add("singleValueExtendedProperties", props)
		}
	}
	if v.expandExceptions && it.kind == "seriesMaster" {
		list := []orderedObject{}
		for _, x := range ev.sortedExceptions() {
			in := instance{master: ev, originalStart: x.originalStart, exc: x, c: x.content}
			list = append(list, s.renderItem(instanceItem(in), view{outLoc: v.outLoc, outTZ: v.outTZ, graphBase: v.graphBase, textBody: v.textBody}))
		}
		o.add("exceptionOccurrences", list)
	}
	if v.sel != nil {
		kept := orderedObject{}
		for _, f := range o {
			if f.key == "@odata.etag" || f.key == "id" || v.sel[strings.ToLower(f.key)] ||
				(f.key == "singleValueExtendedProperties" || f.key == "exceptionOccurrences") {
				kept = append(kept, f)
			}
		}
		o = kept
	}
	return o
}

// renderStub is how delta reports an occurrence: only its identity and
// times, as field reports describe.
func (s *Server) renderStub(in instance, v view) orderedObject {
	o := orderedObject{}
	o.add("@odata.type", "#microsoft.graph.event")
	o.add("@odata.etag", etag(in.changeKey()))
	o.add("id", in.id())
	o.add("type", "occurrence")
	o.add("seriesMasterId", in.master.id)
	o.add("start", s.dtzOf(v, in.c.start, in.c.startZone, in.c.isAllDay))
	o.add("end", s.dtzOf(v, in.c.end, in.c.endZone, in.c.isAllDay))
	return o
}

func renderLocation(l Location) orderedObject {
	o := orderedObject{}
	o.add("displayName", l.DisplayName)
	o.add("locationType", l.LocationType)
	if l.UniqueID != "" {
		o.add("uniqueId", l.UniqueID)
	}
	o.add("uniqueIdType", l.UniqueIDType)
	o.add("address", struct{}{})
	o.add("coordinates", struct{}{})
	return o
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// htmlToText is a crude HTML-to-text for bodyPreview and text bodies.
func htmlToText(b ItemBody) string {
	if !strings.EqualFold(b.ContentType, "html") {
		return b.Content
	}
	var out strings.Builder
	inTag := false
	for _, r := range b.Content {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
		case !inTag:
			out.WriteRune(r)
		}
	}
	return strings.TrimSpace(out.String())
}

func bodyPreview(b ItemBody) string {
	t := strings.Join(strings.Fields(htmlToText(b)), " ")
	if r := []rune(t); len(r) > 255 {
		return string(r[:255])
	}
	return t
}
