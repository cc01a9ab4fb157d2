package calendar

import (
	"fmt"
	"time"
)

// The dates an event may have: from 1900 up to the end of 2199, in UTC. A calendar needs no
// more, and every database the program supports stores every instant of the range the same
// way (SQL Server's datetimeoffset stops at 9999, SQLite keeps times as text that sorts and
// parses only with four-digit years, and an event near the end of year 9999 reaches year
// 10000 once its zone's offset or its duration is added).
var (
	EarliestTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	LatestTime   = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) // exclusive
)

// outOfRange says why t (an instant) is not an event's date, or "" when it is.
func outOfRange(t time.Time) string {
	switch {
	case t.Before(EarliestTime):
		return fmt.Sprintf("Dates before %d are not supported.", EarliestTime.Year())
	case t.After(LatestTime):
		return fmt.Sprintf("Dates after %d are not supported.", LatestTime.Year()-1)
	}
	return ""
}

// checkRange adds to v what puts an instance from start to end outside the supported dates.
func checkRange(v *ValidationError, start, end time.Time) bool {
	if msg := outOfRange(start.UTC()); msg != "" {
		v.Add("start", msg)
		return false
	}
	if msg := outOfRange(end.UTC()); msg != "" {
		v.Add("end", msg)
		return false
	}
	return true
}
