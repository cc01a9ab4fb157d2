package calendar

import (
	"time"
)

// EditResult tells the caller what an edit did beyond the change itself.
type EditResult struct {
	// DroppedOverrides counts instance changes that were removed because their instance no
	// longer exists under the new rule.
	DroppedOverrides int
	// Collapsed is true when a rule or first-date change replaced the segments it covered
	// with one.
	Collapsed bool
}

// Edit applies ch to the event with the given scope. instance is the original start (UTC) of
// the instance the edit starts from; it is ignored for ScopeAll. The event keeps its id
// whatever the scope: "this and following" adds a segment instead of a second event.
func (e *Event) Edit(scope Scope, instance time.Time, ch Change) (EditResult, error) {
	if e.DeletedAt != nil {
		return EditResult{}, ErrNotFound
	}
	v := &ValidationError{}
	if ch.Privacy != nil {
		e.Privacy = checkPrivacy(v, *ch.Privacy)
	}
	if ch.Categories != nil {
		e.Categories = checkCategories(v, *ch.Categories)
	}
	if ch.Reminder != nil {
		e.Reminder = checkReminder(v, *ch.Reminder)
	}
	if err := v.Err(); err != nil {
		return EditResult{}, err
	}
	if !e.IsRecurring() && (scope == ScopeInstance || scope == ScopeFollowing) {
		// A one-off's only instance is the event: its changes are the event's own.
		if e.segmentOf(instance.UTC()) < 0 {
			return EditResult{}, invalid("instance", "The event has no instance starting at "+instance.UTC().Format(time.RFC3339)+".")
		}
		scope = ScopeAll
	}
	switch scope {
	case ScopeInstance:
		return EditResult{}, e.editInstance(instance.UTC(), ch)
	case ScopeAll:
		return e.editFrom(0, ch)
	case ScopeFollowing:
		i := e.segmentOf(instance.UTC())
		if i < 0 {
			return EditResult{}, invalid("instance", "The event has no instance starting at "+instance.UTC().Format(time.RFC3339)+".")
		}
		trial := e.clone()
		j := trial.split(i, instance.UTC())
		res, err := trial.editFrom(j, ch)
		if err != nil {
			return res, err
		}
		trial.mergeContinuations()
		*e = *trial
		return res, nil
	}
	return EditResult{}, invalid("scope", "Scope must be instance, following or all.")
}

// editInstance changes one instance through its override.
func (e *Event) editInstance(orig time.Time, ch Change) error {
	i := e.segmentOf(orig)
	if i < 0 {
		return invalid("instance", "The event has no instance starting at "+orig.Format(time.RFC3339)+".")
	}
	seg := e.Segments[i]
	v := &ValidationError{}
	if ch.RRule != nil {
		r := parseRuleFor(v, *ch.RRule, seg.Start)
		if v.Err() == nil && ruleText(r) != ruleText(seg.Rule) {
			v.Add("rrule", "The repeat rule cannot change for one instance: choose \"this and following\" or \"all instances\".")
		}
	}
	if ch.AllDay != nil && *ch.AllDay != seg.AllDay {
		v.Add("allDay", "One instance cannot switch between all-day and timed: choose \"this and following\" or \"all instances\".")
	}
	if err := v.Err(); err != nil {
		return err
	}
	o := Override{OriginalStart: orig}
	if cur := e.override(orig); cur != nil {
		o = *cur
	}
	o.Cancelled = false // an edit of a cancelled instance brings it back: the edit wins
	eff := effectiveContent(seg.Content, &o)
	applyContent(&eff, ch)
	checkContent(v, eff)
	o.Title = differing(eff.Title, seg.Title)
	o.Description = differing(eff.Description, seg.Description)
	o.Location = differing(eff.Location, seg.Location)

	if ch.Start != nil || ch.End != nil || ch.TimeZone != nil {
		natStart := orig
		natEnd := orig.Add(seg.Duration)
		curStart, curEnd := natStart, natEnd
		if o.Start != nil {
			curStart = *o.Start
		}
		if o.End != nil {
			curEnd = *o.End
		}
		zone := seg.TimeZone
		if ch.TimeZone != nil && *ch.TimeZone != "" {
			zone = *ch.TimeZone
		}
		loc := time.UTC
		if !seg.AllDay {
			loc = loadZone(v, zone)
		}
		if err := v.Err(); err != nil {
			return err
		}
		start := wallAt(curStart, loc, seg.AllDay)
		if ch.Start != nil {
			start = *ch.Start
		}
		var end WallInput
		if ch.End != nil {
			end = *ch.End
		} else if seg.AllDay {
			// Moving the start keeps the instance's length.
			if s, _, _, ok := parseWall(&ValidationError{}, "start", start, seg.AllDay, loc); ok {
				end = endAt(s.Add(curEnd.Sub(curStart)), loc, seg.AllDay)
			}
		}
		// A timed start moved without an end keeps the instance's length.
		t, ok := parseTimesKeeping(v, start, end, curEnd.Sub(curStart), zone, seg.AllDay)
		if !ok {
			return v
		}
		s, en := t.start.UTC(), t.end.UTC()
		if s.Equal(natStart) && en.Equal(natEnd) {
			o.Start, o.End = nil, nil
		} else {
			o.Start, o.End = &s, &en
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	e.setOverride(o)
	return nil
}

// editFrom applies a series change to segments j and later, and to their instances.
func (e *Event) editFrom(j int, ch Change) (EditResult, error) {
	v := &ValidationError{}
	base := e.Segments[j]
	boundary, _ := base.Schedule().FirstStart()

	allDay := base.AllDay
	if ch.AllDay != nil {
		allDay = *ch.AllDay
	}
	zone := base.TimeZone
	if ch.TimeZone != nil && *ch.TimeZone != "" {
		zone = *ch.TimeZone
	}
	loc := time.UTC
	if !allDay || zone != "" {
		if l := loadZone(v, zone); l != nil {
			loc = l
		}
	}
	if err := v.Err(); err != nil {
		return EditResult{}, err
	}
	if allDay {
		loc = time.UTC
	}
	// The base's first start and end as the person sees them, re-expressed for the new form.
	// A timed base is given by its wall clock, which a first start in a gap does not show.
	start := wallAt(boundary, baseLoc(base), base.AllDay)
	if !base.AllDay && boundary.Equal(base.Start) {
		start = WallClock(base.WallStart(), false)
	}
	if ch.Start != nil {
		start = *ch.Start
	} else if allDay != base.AllDay {
		start = WallClock(boundary.In(baseLoc(base)), true)
	}
	var end WallInput
	keep := time.Hour
	if ch.End != nil {
		end = *ch.End
	} else if allDay == base.AllDay {
		keep = base.Duration
		if allDay {
			if s, _, _, ok := parseWall(&ValidationError{}, "start", start, allDay, loc); ok {
				end = endAt(s.Add(base.Duration), loc, allDay)
			}
		}
	}
	t, ok := parseTimesKeeping(v, start, end, keep, zone, allDay)
	if !ok {
		return EditResult{}, v
	}
	if allDay {
		t.zone = zone
	}
	if t.wall.IsZero() && !allDay && !base.Wall.IsZero() && t.zone == base.TimeZone && t.start.Equal(base.Start) {
		// The start given is where the first instance of a series from a gap shows (03:30
		// for a 02:30 series), as a form or a client echoes it: the series keeps 02:30.
		t.wall = base.Wall
	}
	content := base.Content
	applyContent(&content, ch)
	checkContent(v, content)

	rule := base.Rule
	ruleChanged := false
	if ch.RRule != nil {
		r := parseRuleFor(v, *ch.RRule, t.start)
		if v.Err() == nil && ruleText(r) != ruleText(base.Rule) {
			rule, ruleChanged = r, true
		}
	}
	if err := v.Err(); err != nil {
		return EditResult{}, err
	}
	oldStart := boundary.In(baseLoc(base))
	dateChanged := !sameDate(oldStart, t.start)
	if ruleChanged || dateChanged || allDay != base.AllDay {
		return e.collapseFrom(j, t, rule, ruleChanged, content)
	}

	// Same rule, same first date: content, time of day, length and zone go to every segment
	// from j on, and the instances' keys follow the shift of the time of day.
	old := e.clone()
	timeChanged := ch.Start != nil || ch.TimeZone != nil
	for k := j; k < len(e.Segments); k++ {
		seg := &e.Segments[k]
		applyContent(&seg.Content, ch)
		if timeChanged {
			d := seg.WallStart()
			seg.Start, seg.Wall = placeWall(onDate(d, t.wallClock()), loc)
			seg.TimeZone = t.zone
		}
		if ch.Start != nil || ch.End != nil {
			seg.Duration = t.duration()
		}
	}
	if timeChanged {
		e.rekeyFrom(old, boundary, func(k time.Time) time.Time {
			seg := old.Segments[old.segmentOfOrLast(k)]
			d := k.In(baseLoc(seg))
			w := onDate(d, t.wallClock())
			return WallTime(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), loc).UTC()
		})
	}
	e.tidyOverrides()
	return EditResult{}, nil
}

// collapseFrom replaces segments j and later with one segment.
func (e *Event) collapseFrom(j int, t times, rule *Rule, ruleGiven bool, content Content) (EditResult, error) {
	last := e.Segments[len(e.Segments)-1]
	if !ruleGiven && rule != nil && len(e.Segments)-1 > j {
		// Keep the pattern of the first segment and the end of the last one.
		rule = copyRule(rule)
		rule.Count, rule.Until = 0, time.Time{}
		if last.Rule != nil {
			if end, bounded := last.Schedule().Last(); bounded {
				rule.Until = end.UTC()
			}
		}
	}
	seg := Segment{ID: e.Segments[j].ID, UID: e.Segments[j].UID, Start: t.start, Wall: t.wall, TimeZone: t.zone, Duration: t.duration(), AllDay: t.allDay, Rule: copyRule(rule), Content: content}
	if err := checkSchedule(seg); err != nil {
		return EditResult{}, err
	}
	boundary, _ := e.Segments[j].Schedule().FirstStart()
	e.Segments = append(e.Segments[:j], seg)
	dropped := 0
	keep := e.Overrides[:0]
	for _, o := range e.Overrides {
		if !o.OriginalStart.Before(boundary) && !e.HasInstance(o.OriginalStart) {
			dropped++
			continue
		}
		keep = append(keep, o)
	}
	e.Overrides = keep
	e.dropVanishedKeys(boundary)
	e.tidyOverrides()
	return EditResult{DroppedOverrides: dropped, Collapsed: true}, nil
}

// split makes the instance at orig the first of its own segment, ending segment i just before
// it, and returns the index of the new segment. A COUNT carries its remaining count over.
func (e *Event) split(i int, orig time.Time) int {
	seg := e.Segments[i]
	first, _ := seg.Schedule().FirstStart()
	if orig.Equal(first) || seg.Rule == nil {
		return i
	}
	before, after := seg, seg.From(orig)
	before.Rule = copyRule(seg.Rule)
	if seg.Rule.Count > 0 {
		before.Rule.Count = seg.Schedule().CountBefore(orig)
	} else {
		before.Rule.Until = orig.Add(-time.Second).UTC()
	}
	segs := make([]Segment, 0, len(e.Segments)+1)
	segs = append(segs, e.Segments[:i]...)
	segs = append(segs, before, after)
	segs = append(segs, e.Segments[i+1:]...)
	e.Segments = segs
	return i + 1
}

// From returns the segment's instances from orig on (one of its instances) as a segment of
// their own, with a new UID: the part that "this and all following" at orig makes. A COUNT
// keeps the instances left.
func (s Segment) From(orig time.Time) Segment {
	after := s
	if s.Rule != nil {
		after.Rule = copyRule(s.Rule)
		if s.Rule.Count > 0 {
			after.Rule.Count = s.Rule.Count - s.Schedule().CountBefore(orig)
		}
	}
	after.ID = 0
	after.UID = newUID()
	if s.AllDay {
		after.Start = orig.UTC()
	} else {
		after.Start = orig.In(s.Start.Location())
		// The series' wall clock on that date, kept when the instance sits after a gap.
		after.Wall = time.Time{}
		if w := onDate(after.Start, s.WallStart()); !w.Equal(floatingWall(after.Start)) {
			if t, _ := placeWall(w, after.Start.Location()); t.Equal(orig) {
				after.Wall = w
			}
		}
	}
	return after
}

// mergeContinuations joins a segment to the one before it when it merely continues it (same
// schedule pattern, content, zone and length), so an edit that changed nothing after a split
// leaves no needless segment behind.
func (e *Event) mergeContinuations() {
	for j := len(e.Segments) - 1; j > 0; j-- {
		a, b := e.Segments[j-1], e.Segments[j]
		if a.Rule == nil || b.Rule == nil || a.Content != b.Content || a.TimeZone != b.TimeZone ||
			a.Duration != b.Duration || a.AllDay != b.AllDay {
			continue
		}
		pa, pb := copyRule(a.Rule), copyRule(b.Rule)
		pa.Count, pa.Until, pb.Count, pb.Until = 0, time.Time{}, 0, time.Time{}
		if pa.String() != pb.String() {
			continue
		}
		unbounded := a
		unbounded.Rule = pa
		first, ok := b.Schedule().FirstStart()
		if !ok || !unbounded.Schedule().Contains(first) {
			continue
		}
		// a's instances must run right up to b's first one.
		if last, ok := a.Schedule().Last(); ok && !nothingBetween(unbounded.Schedule(), last, first) {
			continue
		}
		merged := a
		merged.Rule = copyRule(pa)
		switch {
		case b.Rule.Count > 0 && a.Rule.Count > 0:
			merged.Rule.Count = a.Rule.Count + b.Rule.Count
		case b.Rule.Count > 0:
			end, _ := b.Schedule().Last()
			merged.Rule.Until = end.UTC()
		default:
			merged.Rule.Until = b.Rule.Until
		}
		e.Segments[j-1] = merged
		e.Segments = append(e.Segments[:j], e.Segments[j+1:]...)
	}
}

// rekeyFrom moves overrides, instance RSVPs and instance invitations at or after boundary to
// the keys that f gives, after a shift of the time of day or zone.
func (e *Event) rekeyFrom(old *Event, boundary time.Time, f func(time.Time) time.Time) {
	move := func(t time.Time) time.Time {
		if t.Before(boundary) {
			return t
		}
		return f(t)
	}
	for i := range e.Overrides {
		e.Overrides[i].OriginalStart = move(e.Overrides[i].OriginalStart)
	}
	e.sortOverrides()
	for i := range e.RSVPs {
		if e.RSVPs[i].Instance != nil {
			k := move(*e.RSVPs[i].Instance)
			e.RSVPs[i].Instance = &k
		}
	}
	for i := range e.Invitations {
		if e.Invitations[i].Instance != nil {
			k := move(*e.Invitations[i].Instance)
			e.Invitations[i].Instance = &k
		}
	}
}

// dropVanishedKeys removes instance RSVPs and invitations at or after boundary whose instance
// no longer exists.
func (e *Event) dropVanishedKeys(boundary time.Time) {
	gone := func(t *time.Time) bool {
		return t != nil && !t.Before(boundary) && !e.HasInstance(*t)
	}
	rs := e.RSVPs[:0]
	for _, r := range e.RSVPs {
		if r.Scope == ScopeInstance && gone(r.Instance) {
			continue
		}
		rs = append(rs, r)
	}
	e.RSVPs = rs
	inv := e.Invitations[:0]
	for _, in := range e.Invitations {
		if gone(in.Instance) {
			continue
		}
		inv = append(inv, in)
	}
	e.Invitations = inv
}

// tidyOverrides clears override fields that no longer differ from their segment and removes
// overrides that change nothing.
func (e *Event) tidyOverrides() {
	keep := e.Overrides[:0]
	for _, o := range e.Overrides {
		i := e.segmentOf(o.OriginalStart)
		if i >= 0 {
			seg := e.Segments[i]
			if o.Title != nil && *o.Title == seg.Title {
				o.Title = nil
			}
			if o.Description != nil && *o.Description == seg.Description {
				o.Description = nil
			}
			if o.Location != nil && *o.Location == seg.Location {
				o.Location = nil
			}
			if o.Start != nil && o.End != nil && o.Start.Equal(o.OriginalStart) && o.End.Equal(o.OriginalStart.Add(seg.Duration)) {
				o.Start, o.End = nil, nil
			}
		}
		if !o.empty() {
			keep = append(keep, o)
		}
	}
	e.Overrides = keep
}

// segmentOfOrLast returns the segment holding orig, or the last segment that starts at or
// before it.
func (e *Event) segmentOfOrLast(orig time.Time) int {
	if i := e.segmentOf(orig); i >= 0 {
		return i
	}
	for i := len(e.Segments) - 1; i >= 0; i-- {
		if first, ok := e.Segments[i].Schedule().FirstStart(); ok && !orig.Before(first) {
			return i
		}
	}
	return 0
}

// nothingBetween reports whether the schedule has no instance starting strictly between a and b.
func nothingBetween(s Schedule, a, b time.Time) bool {
	for _, t := range s.Starts(a, b, 0) {
		if t.After(a) && t.Before(b) {
			return false
		}
	}
	return true
}

// baseLoc is the location a segment's wall times are in.
func baseLoc(s Segment) *time.Location {
	if s.AllDay {
		return time.UTC
	}
	return s.Start.Location()
}

// sameDate compares the calendar dates of two times, each in its own location.
func sameDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// ruleText is the canonical text of a rule, "" for none.
func ruleText(r *Rule) string {
	if r == nil {
		return ""
	}
	return r.String()
}
