package fakeoutlook

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Content: what a new event starts with and how a POST or PATCH body changes
// what an event shows.

// zeroResponseTime is how Graph writes "never answered".
const zeroResponseTime = "0001-01-01T00:00:00Z"

// defaultContent is a new event before the client's properties are applied:
// Graph's defaults, starting at the next half hour for 30 minutes.
func defaultContent(now time.Time) content {
	start := now.Truncate(30 * time.Minute).Add(30 * time.Minute)
	return content{
		body:            ItemBody{ContentType: "html"},
		location:        Location{LocationType: "default", UniqueIDType: "unknown"},
		start:           start,
		end:             start.Add(30 * time.Minute),
		startZone:       "UTC",
		endZone:         "UTC",
		showAs:          "busy",
		importance:      "normal",
		sensitivity:     "normal",
		isReminderOn:    true,
		reminderMinutes: 15,
		categories:      []string{},
		attendees:       []Attendee{},
		response:        ResponseStatus{Response: "organizer", Time: zeroResponseTime},
	}
}

// applyContent applies the content properties of a patch to c.
func (s *Server) applyContent(c *content, p eventPatch) error {
	if p.subject != nil {
		c.subject = *p.subject
	}
	if p.body != nil {
		c.body = *p.body
		if c.body.ContentType == "" {
			c.body.ContentType = "text"
		}
		if ct := strings.ToLower(c.body.ContentType); ct != "text" && ct != "html" {
			return invalidProperty("body.contentType must be text or html.")
		}
	}
	if p.location != nil {
		c.location = *p.location
		if c.location.LocationType == "" {
			c.location.LocationType = "default"
		}
		if c.location.UniqueIDType == "" {
			c.location.UniqueIDType = "unknown"
		}
	}
	if p.start != nil {
		t, zone, err := s.zones.parseDateTimeTimeZone(*p.start, "start")
		if err != nil {
			return err
		}
		c.start, c.startZone = t, zone
		c.startWall = time.Time{}
		if w, err := parseWall(p.start.DateTime); err == nil {
			if loc, _, _ := s.zones.resolve(zone); loc != nil && skipped(w, loc) {
				c.startWall = w
			}
		}
	}
	if p.end != nil {
		t, zone, err := s.zones.parseDateTimeTimeZone(*p.end, "end")
		if err != nil {
			return err
		}
		c.end, c.endZone = t, zone
	}
	if p.isAllDay != nil {
		c.isAllDay = *p.isAllDay
	}
	if c.end.Before(c.start) {
		return invalidProperty("The end of an event must not be before its start.")
	}
	if c.isAllDay {
		for _, t := range []struct {
			at   time.Time
			zone string
		}{{c.start, c.startZone}, {c.end, c.endZone}} {
			loc, _, _ := s.zones.resolve(t.zone)
			l := t.at.In(loc)
			if l.Hour() != 0 || l.Minute() != 0 || l.Second() != 0 || l.Nanosecond() != 0 {
				return invalidProperty("An all-day event must start and end at midnight.")
			}
		}
		if !c.end.After(c.start) {
			return invalidProperty("An all-day event must last at least one day.")
		}
	}
	if p.categories != nil {
		c.categories = slices.Clone(*p.categories)
	}
	if err := setEnum(&c.showAs, p.showAs, "showAs", "free", "tentative", "busy", "oof", "workingElsewhere", "unknown"); err != nil {
		return err
	}
	if err := setEnum(&c.importance, p.importance, "importance", "low", "normal", "high"); err != nil {
		return err
	}
	if err := setEnum(&c.sensitivity, p.sensitivity, "sensitivity", "normal", "personal", "private", "confidential"); err != nil {
		return err
	}
	if p.isReminderOn != nil {
		c.isReminderOn = *p.isReminderOn
	}
	if p.reminderMinutes != nil {
		c.reminderMinutes = *p.reminderMinutes
	}
	if p.responseRequested != nil {
		c.responseRequested = *p.responseRequested
	}
	if p.attendees != nil {
		list, err := mergeAttendees(c.attendees, *p.attendees)
		if err != nil {
			return err
		}
		c.attendees = list
	}
	if p.extProps != nil {
		for _, np := range *p.extProps {
			if np.ID == "" {
				return invalidProperty("singleValueExtendedProperties: id is required.")
			}
			i := slices.IndexFunc(c.extProps, func(e ExtendedProperty) bool { return strings.EqualFold(e.ID, np.ID) })
			if i >= 0 {
				c.extProps[i].Value = np.Value
			} else {
				c.extProps = append(c.extProps, np)
			}
		}
	}
	for k, v := range p.extra {
		if c.extra == nil {
			c.extra = map[string]json.RawMessage{}
		}
		c.extra[k] = v
	}
	return nil
}

func setEnum(dst *string, v *string, name string, allowed ...string) error {
	if v == nil {
		return nil
	}
	for _, a := range allowed {
		if strings.EqualFold(a, *v) {
			*dst = a
			return nil
		}
	}
	return invalidProperty(fmt.Sprintf("%s '%s' is not one of %s.", name, *v, strings.Join(allowed, ", ")))
}

// mergeAttendees normalises a new attendee list, keeping the answers of
// attendees who were already invited.
func mergeAttendees(old, next []Attendee) ([]Attendee, error) {
	out := make([]Attendee, 0, len(next))
	for _, a := range next {
		if a.EmailAddress.Address == "" {
			return nil, invalidProperty("attendees: emailAddress.address is required.")
		}
		if a.Type == "" {
			a.Type = "required"
		}
		if a.EmailAddress.Name == "" {
			a.EmailAddress.Name = a.EmailAddress.Address // as Graph does for an address it cannot resolve
		}
		if err := setEnum(&a.Type, &a.Type, "attendee type", "required", "optional", "resource"); err != nil {
			return nil, err
		}
		a.Status = ResponseStatus{Response: "none", Time: zeroResponseTime}
		for _, o := range old {
			if strings.EqualFold(o.EmailAddress.Address, a.EmailAddress.Address) {
				a.Status = o.Status
			}
		}
		out = append(out, a)
	}
	return out, nil
}
