package outlooksync

import (
	"slices"
	"strings"

	"intracal/calendar"
)

// labels merges the event's categories and reminder with those of one of its Outlook series,
// against the base, and returns the fields Outlook's series must be told. A change on one
// side goes to the other; when both sides changed one differently, the later change wins, as
// for the series' fields. A link synced before the calendar kept either (Base.Labels unset)
// takes Outlook's as they are, without a history line: nothing changed, the calendar only
// learns them.
func (r *reconciler) labels(e *calendar.Event, lp *LinkPlan, rs *RemoteSeries) []string {
	LC, LR := e.Categories, e.Reminder
	BC, BR := lp.Base.Categories, baseReminder(lp.Base)
	RC, RR := BC, BR
	read := rs != nil && !rs.Gone
	if read {
		RC, RR = outlookCategories(rs.Master.Categories), rs.Master.Reminder
	}
	learn := !lp.Base.Labels && read
	if learn {
		BC, BR = LC, LR // as if Outlook's were a change made there
	}
	var fields []string
	TC := pickLabel(r, e, "categories", LC, BC, RC, rs, slices.Equal[[]string])
	TR := pickLabel(r, e, "reminder", LR, BR, RR, rs, func(a, b calendar.Reminder) bool { return a == b })
	if !slices.Equal(TC, LC) || TR != LR {
		e.Categories, e.Reminder = TC, TR
		r.markDirty(e)
		if !learn {
			var what []string
			if !slices.Equal(TC, LC) {
				what = append(what, "categories")
			}
			if TR != LR {
				what = append(what, "reminder")
			}
			r.history(e.ID, "from Outlook", "Changed in Outlook: "+strings.Join(what, ", "), e.Segments[0].Title)
		}
	}
	if !slices.Equal(TC, RC) {
		fields = append(fields, "categories")
	}
	if TR != RR {
		fields = append(fields, "reminder")
	}
	lp.Base.Categories, lp.Base.Reminder, lp.Base.Labels = slices.Clone(TC), reminderState(TR), true
	return fields
}

// pickLabel merges one label: the side that changed it, or on both sides the later change.
func pickLabel[T any](r *reconciler, e *calendar.Event, name string, l, b, rv T, rs *RemoteSeries, eq func(T, T) bool) T {
	switch {
	case eq(l, rv), eq(rv, b):
		return l
	case eq(l, b):
		return rv
	}
	if localWins(e.UpdatedAt, rs.Master.LastModified) {
		r.history(e.ID, "conflict", "Changed on both sides: My Calendar's "+name+" kept (the later change)", e.Segments[0].Title)
		return l
	}
	r.history(e.ID, "conflict", "Changed on both sides: Outlook's "+name+" taken (the later change)", e.Segments[0].Title)
	return rv
}

// labelWrite puts the event's categories and reminder on w, for the fields that name them.
func labelWrite(w *EventWrite, e *calendar.Event) {
	w.Categories, w.Reminder = slices.Clone(e.Categories), e.Reminder
}

// labelBase records the event's categories and reminder in a base, as sent or imported.
func labelBase(b *Base, categories []string, r calendar.Reminder) {
	b.Categories, b.Reminder, b.Labels = slices.Clone(categories), reminderState(r), true
}

// outlookCategories are Outlook's categories as the calendar keeps them: each on one line,
// trimmed, without empty names or repeats (Outlook allows neither, but nothing is assumed).
func outlookCategories(in []string) []string {
	var out []string
	for _, c := range in {
		c = strings.Join(strings.Fields(c), " ")
		if c != "" && !slices.Contains(out, c) && len(out) < calendar.MaxCategories {
			out = append(out, c)
		}
	}
	return out
}

// reminderState is a reminder as a base keeps it: minutes before the start, nil for none.
func reminderState(r calendar.Reminder) *int {
	if !r.On {
		return nil
	}
	m := r.Minutes
	return &m
}

// baseReminder reads a base's reminder.
func baseReminder(b Base) calendar.Reminder {
	if b.Reminder == nil {
		return calendar.Reminder{}
	}
	return calendar.Reminder{On: true, Minutes: *b.Reminder}
}
