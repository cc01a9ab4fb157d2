package outlooksync

import (
	"context"
	"slices"

	"intracal/calendar"
)

// backstop picks the Outlook series whose instances this cycle re-reads although the change
// feed named none of them. Outlook may say nothing in calendarView delta when one occurrence
// is deleted (a docs pull request written from experiments, microsoft-graph-docs #4501), and
// the missing occurrence is how a deletion shows: so every cycle re-reads up to
// Engine.BackstopSeries linked series (and copies of meetings the user attends), in turn
// after the one the cursor names, batched with the rest of the cycle's reads. With the
// defaults a connection with 200 series has each re-read every 20 cycles; it costs one or two
// $batch requests a cycle (docs/benchmarks.md).
func (en *Engine) backstop(ctx context.Context, userID int64, after string) (ids []string, last string, err error) {
	if en.BackstopSeries <= 0 {
		return nil, after, nil
	}
	links, err := en.Store.Links(ctx, userID)
	if err != nil {
		return nil, after, err
	}
	var all []string
	for _, l := range links {
		if l.Base.Series.Rule != "" {
			all = append(all, l.RemoteID)
		}
	}
	if en.People != nil {
		atts, err := en.Store.Attendances(ctx, userID)
		if err != nil {
			return nil, after, err
		}
		for _, a := range atts {
			if a.EventID != 0 && a.Instance == nil {
				all = append(all, a.RemoteID)
			}
		}
	}
	return nextInTurn(all, after, en.BackstopSeries)
}

// nextInTurn takes up to n ids of all (sorted, without repeats) after the id after, going
// round to the start; it returns them and the last one taken.
func nextInTurn(all []string, after string, n int) ([]string, string, error) {
	slices.Sort(all)
	all = slices.Compact(all)
	if len(all) == 0 {
		return nil, "", nil
	}
	start, _ := slices.BinarySearch(all, after)
	if start < len(all) && all[start] == after {
		start++
	}
	var out []string
	for i := 0; i < min(n, len(all)); i++ {
		out = append(out, all[(start+i)%len(all)])
	}
	return out, out[len(out)-1], nil
}

// unnamedLinks lists the Outlook items linked to segments with instances in the window (and
// their stand-ins, and the copies of meetings the user attends) that a full delta read did not
// name: deleted since the last read, or moved out of the window. A full read (a new round, or
// one after an expired token) lists what Outlook has, so these must be read to tell.
func (en *Engine) unnamedLinks(ctx context.Context, userID int64, seen touched, w Window) ([]string, error) {
	links, err := en.Store.Links(ctx, userID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range links {
		seg, err := segmentFromState(l.Base.Series, calendar.Segment{})
		if err != nil || len(seg.Schedule().Starts(w.From, w.To, 1)) == 0 {
			continue // outside the window: left alone
		}
		if _, named := seen.keys[l.RemoteID]; !named {
			out = append(out, l.RemoteID)
		}
		for _, si := range l.Base.StandIns {
			if _, named := seen.keys[si.ID]; !named && si.ID != "" {
				out = append(out, si.ID, l.RemoteID)
			}
		}
	}
	if en.People != nil {
		atts, err := en.Store.Attendances(ctx, userID)
		if err != nil {
			return nil, err
		}
		for _, a := range atts {
			if _, named := seen.keys[a.RemoteID]; !named && a.EventID != 0 {
				out = append(out, a.RemoteID)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
