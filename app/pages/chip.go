package pages

import (
	"strings"
	"time"

	"intracal/calendar"
)

// chip is one instance as the calendar views show it: a link to its details, coloured by what
// is special about it.
type chip struct {
	URL string
	// Recurring and Movable (the viewer organizes it) tell the calendar's script whether a
	// move asks which dates and whether the instance may be dragged at all; the script reads
	// the event and the instance from URL.
	Recurring bool
	Movable   bool
	Title     string
	Time      string // "09:00", "all day", or "" for a day the instance only continues
	TimeRange string // "09:00 – 09:15" in the viewer's zone, or "All day"
	Location  string
	Class     string // CSS classes: ev-private, ev-changed, ev-declined, ev-maybe, ev-allday, ev-colour-red...
	Label     string // what a screen reader says about it
	Private   bool
	Changed   bool
	Declined  bool
	Maybe     bool
	// EventZone is the event's own zone and times when it differs from the viewer's.
	EventZone string
}

// timeLayout is how the pages write a time of day: 24-hour, as most intranets outside the US.
const timeLayout = "15:04"

// newChip describes the instance o on the day (a midnight in loc) for the viewer.
func newChip(o calendar.Occurrence, day time.Time, loc *time.Location, viewer int64) chip {
	ch := chip{
		URL: instanceURL(o.EventID, o.OriginalStart),
		// Only the organizer learns from the page that it repeats (an invitee of one date of a
		// private series sees a single event, as its card and details page say).
		Recurring: o.IsRecurring && o.OrganizerID == viewer,
		Movable:   o.OrganizerID == viewer,
		Title:     o.Title,
		Location:  o.Location,
		Private:   o.Privacy == calendar.Private,
		Changed:   o.IsException,
		Declined:  o.RSVP == calendar.No,
		Maybe:     o.RSVP == calendar.Maybe,
	}
	first, last := daySpan(o, loc)
	s, e := o.Start.In(loc), o.End.In(loc)
	switch {
	case o.AllDay:
		ch.Time = "all day"
		ch.TimeRange = "All day"
		if !first.Equal(last) {
			ch.TimeRange = "All day, " + first.Format("Mon 2 Jan") + " – " + last.Format("Mon 2 Jan")
		}
	case day.Equal(first):
		ch.Time = s.Format(timeLayout)
		ch.TimeRange = s.Format(timeLayout) + " – " + e.Format(timeLayout)
	default:
		ch.TimeRange = "until " + e.Format(timeLayout)
	}
	if !first.Equal(last) && !o.AllDay {
		ch.TimeRange = s.Format("Mon 2 Jan "+timeLayout) + " – " + e.Format("Mon 2 Jan "+timeLayout)
	}
	if !o.AllDay && o.TimeZone != "" && o.TimeZone != loc.String() && zoneDiffers(o.Start, loc) {
		ch.EventZone = o.Start.Format(timeLayout) + " – " + o.End.Format(timeLayout) + " " + o.TimeZone
	}
	classes := []string{"ev"}
	label := []string{o.Title, ch.TimeRange}
	if o.AllDay {
		classes = append(classes, "ev-allday")
	}
	if colour := calendar.Colour(o.Categories); colour != "" {
		// The organizer's colour category: a bar of its colour, whatever else the chip says.
		classes = append(classes, "ev-colour-"+colour)
		label = append(label, colour+" category")
	}
	if ch.Private {
		classes = append(classes, "ev-private")
		label = append(label, "private")
	}
	if ch.Changed {
		classes = append(classes, "ev-changed")
		label = append(label, "changed for this date")
	}
	switch {
	case ch.Declined:
		classes = append(classes, "ev-declined")
		label = append(label, "you declined")
	case ch.Maybe:
		classes = append(classes, "ev-maybe")
		label = append(label, "you might go")
	}
	ch.Class = strings.Join(classes, " ")
	ch.Label = strings.Join(label, ", ")
	return ch
}

// zoneDiffers reports whether the event's zone shows t at another wall time than loc, so that
// "Europe/Paris" is not pointed out to a viewer in Berlin.
func zoneDiffers(t time.Time, loc *time.Location) bool {
	_, a := t.Zone()
	_, b := t.In(loc).Zone()
	return a != b
}
