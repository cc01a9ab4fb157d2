package graph

import (
	"fmt"
	"slices"

	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"intracal/outlooksync"
)

// writeFields are the fields an EventWrite may name.
func writeFields() []string {
	return []string{"subject", "body", "location", "start", "end", "isAllDay", "recurrence", "attendees", "sensitivity", "categories", "reminder"}
}

// eventBody builds the body of a create (every field, the marker and the transaction id) or
// of an update (only the named fields, so a PATCH never overwrites what it did not mean to).
func (c *Client) eventBody(w *outlooksync.EventWrite, create bool) (models.Eventable, error) {
	if w == nil {
		return nil, fmt.Errorf("graph: create and update need the fields to write")
	}
	fields := w.Fields
	if create {
		fields = writeFields()
	}
	for _, f := range fields {
		if !slices.Contains(writeFields(), f) {
			return nil, fmt.Errorf("graph: unknown event field %q", f)
		}
	}
	has := func(f string) bool { return slices.Contains(fields, f) }
	ev := models.NewEvent()
	if has("subject") {
		ev.SetSubject(&w.Subject)
	}
	if has("body") {
		b := models.NewItemBody()
		ct := models.TEXT_BODYTYPE
		b.SetContentType(&ct)
		b.SetContent(&w.Body)
		ev.SetBody(b)
	}
	if has("location") {
		l := models.NewLocation()
		l.SetDisplayName(&w.Location)
		ev.SetLocation(l)
	}
	// Start, end and the all-day flag go together: Graph checks them against each other.
	if has("start") || has("end") || has("isAllDay") {
		if w.Start.IsZero() || w.End.IsZero() {
			return nil, fmt.Errorf("graph: a start or end change needs both start and end")
		}
		if w.IsAllDay {
			ev.SetStart(c.dateTimeTimeZone(w.Start, w.TimeZone, true))
		} else {
			ev.SetStart(c.seriesStart(w.Start, w.StartWall, w.TimeZone))
		}
		ev.SetEnd(c.dateTimeTimeZone(w.End, w.TimeZone, w.IsAllDay))
		allDay := w.IsAllDay
		ev.SetIsAllDay(&allDay)
	}
	if has("recurrence") && w.Recurrence != nil {
		rec, err := c.recurrenceTo(w.Recurrence, w.TimeZone)
		if err != nil {
			return nil, err
		}
		ev.SetRecurrence(rec)
	}
	if has("sensitivity") {
		s := models.NORMAL_SENSITIVITY
		if w.Private {
			s = models.PRIVATE_SENSITIVITY
		}
		ev.SetSensitivity(&s)
	}
	if has("categories") {
		cats := slices.Clone(w.Categories)
		if cats == nil {
			cats = []string{} // an empty list clears them; a missing one would not
		}
		ev.SetCategories(cats)
	}
	if has("reminder") {
		on := w.Reminder.On
		ev.SetIsReminderOn(&on)
		if on {
			minutes := int32(w.Reminder.Minutes)
			ev.SetReminderMinutesBeforeStart(&minutes)
		}
	}
	if has("attendees") {
		list := make([]models.Attendeeable, 0, len(w.Attendees))
		for _, a := range w.Attendees {
			at := models.NewAttendee()
			email := models.NewEmailAddress()
			address, name := a.Email, a.Name
			email.SetAddress(&address)
			if name != "" {
				email.SetName(&name)
			}
			at.SetEmailAddress(email)
			kind := "required"
			if a.Type != "" {
				kind = a.Type
			}
			v, err := models.ParseAttendeeType(kind)
			if err != nil || v == nil {
				return nil, fmt.Errorf("graph: attendee type %q: not one of Graph's", kind)
			}
			at.SetTypeEscaped(v.(*models.AttendeeType))
			list = append(list, at)
		}
		ev.SetAttendees(list)
	}
	if create {
		if w.Marker != "" {
			p := models.NewSingleValueLegacyExtendedProperty()
			id, value := MarkerPropertyID, w.Marker
			p.SetId(&id)
			p.SetValue(&value)
			ev.SetSingleValueExtendedProperties([]models.SingleValueLegacyExtendedPropertyable{p})
		}
		if w.TransactionID != "" {
			tx := w.TransactionID
			ev.SetTransactionId(&tx)
		}
	}
	return ev, nil
}
