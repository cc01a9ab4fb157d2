// Package ical writes calendars as iCalendar (RFC 5545): the feeds calendar apps subscribe
// to and the .ics download of one event.
//
// The format itself, its folding, escaping and component structure, is
// github.com/arran4/golang-ical's: chosen over github.com/emersion/go-ical because it has
// tagged releases (v0.3.x) with a changelog, a fuzzed parser, and typed helpers for the
// properties we write (attendees with their parameters, VTIMEZONE with STANDARD and DAYLIGHT
// observances), while go-ical has published no version. This package decides only what to
// say in it:
//
//   - each segment of an event is one VEVENT series: DTSTART in the segment's zone (with a
//     VTIMEZONE for every zone used) or as a DATE for all-day events, DTEND, its RRULE bounded
//     where the next segment begins, EXDATE for cancelled instances and a RECURRENCE-ID
//     component for each changed one;
//   - the segments of one event (a series split by "this and all following") are siblings:
//     every later part carries RELATED-TO;RELTYPE=SIBLING with the first part's UID, and all
//     carry X-INTRACAL-EVENT with the event's id;
//   - the organizer and the attendees (with the reader's own answer as PARTSTAT; instances
//     whose answer differs from the series' get a RECURRENCE-ID component saying so);
//   - a private event of the reader's own may be written as a busy block only (no title,
//     place, description or attendees), when the reader chose that for their feed.
//
// Which events go in, and whose eyes they are for, is the caller's (the calendar store's
// visibility rules); nothing here widens what the reader may see.
package ical
