// Package feeds serves iCalendar: each person's secret feed of My Calendar, for phones and
// other calendar apps to subscribe to (webcal:// or https://), and the .ics download of one
// event. calendar/ical writes the files; this package keeps the feeds' addresses, decides
// what each holds, and answers conditional requests cheaply.
//
// A feed's address carries a 32-byte random token. The database keeps its SHA-256 (by which
// a request finds the feed) and the token sealed with the site's key (so that the settings
// page can show the address again); regenerating replaces both, and the old address stops
// at once. A feed holds the reader's My Calendar from 90 days back to 18 months ahead,
// series whole; other people's private events never, the reader's own as busy blocks or
// not at all, as the reader chose.
package feeds
