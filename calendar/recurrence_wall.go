package calendar

import "time"

// wallClock places the floating wall times of one expansion in its zone, as WallTime does,
// without looking the zone up three times for each: it remembers the last span of the zone
// with one offset, and a wall time whose reading with that offset lies well inside the span
// (transitionReach from either end, as WallTime looks) is read with it. Instances come in
// order, so a month of them mostly falls in one span. TestWallClockMatchesWallTime holds it
// to WallTime.
type wallClock struct {
	loc *time.Location
	ok  bool          // a span is known
	off time.Duration // its offset
	// start and end bound the span (end exclusive); zero for a span open on that side.
	start, end time.Time
}

// instant returns WallTime of the floating wall time w in c.loc.
func (c *wallClock) instant(w time.Time) time.Time {
	if c.ok && w.Nanosecond() == 0 {
		t := w.Add(-c.off)
		// t must read back as w (time.Date looks the offset up at w taken as an instant, then
		// at t) and have the same offset transitionReach either side (WallTime's test).
		if c.inside(w, 0) && c.inside(t, transitionReach) {
			return t.In(c.loc)
		}
	}
	y, m, d := w.Date()
	h, mi, s := w.Clock()
	t := WallTime(y, m, d, h, mi, s, c.loc)
	c.start, c.end = t.ZoneBounds()
	_, off := t.Zone()
	c.off, c.ok = time.Duration(off)*time.Second, true
	return t
}

// inside reports whether the instant t lies in the span at least margin from its ends.
func (c *wallClock) inside(t time.Time, margin time.Duration) bool {
	return (c.start.IsZero() || !t.Add(-margin).Before(c.start)) && (c.end.IsZero() || t.Add(margin).Before(c.end))
}
