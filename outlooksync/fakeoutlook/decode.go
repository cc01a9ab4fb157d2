package fakeoutlook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// eventPatch is a POST or PATCH body of an event: the properties the client
// sent, nil when absent.
type eventPatch struct {
	subject           *string
	body              *ItemBody
	location          *Location
	start, end        *DateTimeTimeZone
	isAllDay          *bool
	recurrenceSet     bool
	recurrence        *PatternedRecurrence // nil with recurrenceSet: remove
	attendees         *[]Attendee
	categories        *[]string
	showAs            *string
	importance        *string
	sensitivity       *string
	isReminderOn      *bool
	reminderMinutes   *int
	responseRequested *bool
	transactionID     *string
	extProps          *[]ExtendedProperty
	extra             map[string]json.RawMessage
}

// readOnlyEventProperties are accepted in a body and ignored, as Graph does
// with properties it computes.
func readOnlyEventProperties() map[string]bool {
	return map[string]bool{
		"id": true, "changeKey": true, "createdDateTime": true, "lastModifiedDateTime": true,
		"iCalUId": true, "type": true, "seriesMasterId": true, "originalStart": true, "webLink": true,
		"bodyPreview": true, "hasAttachments": true, "isOrganizer": true, "isCancelled": true,
		"responseStatus": true, "cancelledOccurrences": true, "exceptionOccurrences": true,
		"instances": true, "calendar": true, "attachments": true, "extensions": true,
		"onlineMeeting": true, "organizer": true, "originalStartTimeZone": true,
		"originalEndTimeZone": true, "multiValueExtendedProperties": true, "uid": true,
	}
}

// unmodeledEventProperties are writable event properties that the fake
// stores and returns without giving them meaning.
func unmodeledEventProperties() map[string]bool {
	return map[string]bool{
		"allowNewTimeProposals": true, "hideAttendees": true, "isDraft": true, "isOnlineMeeting": true,
		"locations": true, "onlineMeetingProvider": true, "onlineMeetingUrl": true,
	}
}

// badBody is Graph's answer to a body it cannot read.
func badBody(msg string) *opError {
	return &opError{status: http.StatusBadRequest, code: "RequestBodyRead", msg: msg}
}

func invalidProperty(msg string) *opError {
	return &opError{status: http.StatusBadRequest, code: "ErrorPropertyValidationFailure",
		msg: "At least one property failed validation. " + msg}
}

// decodeEventPatch reads an event body. Unknown properties are refused, as
// Graph refuses properties that the event type does not define.
func decodeEventPatch(body []byte) (eventPatch, error) {
	var p eventPatch
	var raw map[string]json.RawMessage
	if len(bytes.TrimSpace(body)) == 0 {
		return p, badBody("Empty Payload. JSON content expected.")
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return p, badBody("Invalid JSON. " + err.Error())
	}
	readOnly, unmodeled := readOnlyEventProperties(), unmodeledEventProperties()
	for k, v := range raw {
		isNull := string(bytes.TrimSpace(v)) == "null"
		var target any
		switch k {
		case "subject":
			target = &p.subject
		case "body":
			target = &p.body
		case "location":
			target = &p.location
		case "start":
			target = &p.start
		case "end":
			target = &p.end
		case "isAllDay":
			target = &p.isAllDay
		case "recurrence":
			p.recurrenceSet = true
			target = &p.recurrence
		case "attendees":
			target = &p.attendees
		case "categories":
			target = &p.categories
		case "showAs":
			target = &p.showAs
		case "importance":
			target = &p.importance
		case "sensitivity":
			target = &p.sensitivity
		case "isReminderOn":
			target = &p.isReminderOn
		case "reminderMinutesBeforeStart":
			target = &p.reminderMinutes
		case "responseRequested":
			target = &p.responseRequested
		case "transactionId":
			target = &p.transactionID
		case "singleValueExtendedProperties":
			target = &p.extProps
		default:
			switch {
			case strings.HasPrefix(k, "@odata.") || strings.Contains(k, "@"):
				continue // annotations such as @odata.type
			case readOnly[k]:
				continue
			case unmodeled[k]:
				if p.extra == nil {
					p.extra = map[string]json.RawMessage{}
				}
				p.extra[k] = v
				continue
			}
			return p, badBody(fmt.Sprintf("The property '%s' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.", k))
		}
		if isNull && k != "recurrence" {
			continue
		}
		if err := json.Unmarshal(v, target); err != nil {
			return p, badBody(fmt.Sprintf("Cannot read the value of property '%s': %v", k, err))
		}
	}
	return p, nil
}

// parseDateTimeTimeZone reads a dateTimeTimeZone. The wall time has no
// offset and is in the given zone, which must be one Graph accepts (accept);
// a value with an offset is converted.
func (z zones) parseDateTimeTimeZone(d DateTimeTimeZone, name string) (time.Time, string, error) {
	loc, iana, err := z.accept(d.TimeZone)
	if err != nil {
		return time.Time{}, "", err
	}
	if d.DateTime == "" {
		return time.Time{}, "", invalidProperty(fmt.Sprintf("%s.dateTime is required.", name))
	}
	if t, err := time.Parse(time.RFC3339Nano, d.DateTime); err == nil {
		return t.UTC(), iana, nil
	}
	w, err := parseWall(d.DateTime)
	if err != nil {
		return time.Time{}, "", badBody(fmt.Sprintf("Cannot convert the literal '%s' of %s.dateTime to a date and time.", d.DateTime, name))
	}
	return resolveWall(w, loc).UTC(), iana, nil
}

// parseWall reads a dateTime without offset as a floating wall time (UTC fields).
func parseWall(s string) (time.Time, error) {
	w, err := time.Parse("2006-01-02T15:04:05.9999999", s)
	if err != nil {
		w, err = time.Parse("2006-01-02T15:04", s)
	}
	return w, err
}

// resolveWall places the floating wall time w in loc as Exchange converts local times
// (and as RFC 5545 reads them): a skipped time is read with the offset before the gap,
// so it lands after it; a repeated one is the first. time.Date leaves both open.
func resolveWall(w time.Time, loc *time.Location) time.Time {
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	const reach = 6 * time.Hour // more than any change of offset
	_, before := t.Add(-reach).Zone()
	_, after := t.Add(reach).Zone()
	if before == after {
		return t
	}
	withBefore := w.Add(-time.Duration(before) * time.Second).In(loc)
	withAfter := w.Add(-time.Duration(after) * time.Second).In(loc)
	beforeFits, afterFits := floating(withBefore).Equal(w), floating(withAfter).Equal(w)
	switch {
	case beforeFits && afterFits:
		if withAfter.Before(withBefore) {
			return withAfter
		}
		return withBefore
	case afterFits:
		return withAfter
	}
	return withBefore
}

// skipped reports whether loc's clocks skip the floating wall time w.
func skipped(w time.Time, loc *time.Location) bool {
	return !floating(resolveWall(w, loc)).Equal(w)
}

// floating is the wall time t shows in its location, with UTC fields.
func floating(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// actionBody reads the body of accept, tentativelyAccept, decline and
// cancel. Keys match case-insensitively: the Go SDK sends "Comment" and
// "SendResponse" where the docs write "comment" and "sendResponse".
type actionBody struct {
	comment      string
	sendResponse bool
}

func decodeActionBody(body []byte) (actionBody, error) {
	out := actionBody{sendResponse: true}
	if len(bytes.TrimSpace(body)) == 0 {
		return out, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return out, badBody("Invalid JSON. " + err.Error())
	}
	for k, v := range raw {
		switch strings.ToLower(k) {
		case "comment":
			if err := json.Unmarshal(v, &out.comment); err != nil {
				return out, badBody("comment must be a string.")
			}
		case "sendresponse":
			if err := json.Unmarshal(v, &out.sendResponse); err != nil {
				return out, badBody("sendResponse must be a boolean.")
			}
		case "proposednewtime":
		default:
			if strings.HasPrefix(k, "@") {
				continue
			}
			return out, badBody(fmt.Sprintf("The parameter '%s' in the request payload is not a valid parameter for the operation.", k))
		}
	}
	return out, nil
}
