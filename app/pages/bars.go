package pages

import (
	"fmt"
	"html/template"
	"sort"
	"time"

	"intracal/calendar"
)

// bar is an all-day or multi-day instance drawn as one bar across the days it covers within a
// row of days (a week of the month, or the days of the week and day views).
type bar struct {
	chip
	// Style places the bar: its first column, how many days it spans and its lane.
	Style template.CSS
	// ContinuesBefore and ContinuesAfter say that the instance goes on outside the row.
	ContinuesBefore, ContinuesAfter bool
}

// placeBars lays out instances over the n days from start (midnights in loc), for the
// viewer: each becomes a
// bar from its first to its last day in the row, in the first lane free over its days, longest
// first. With maxLanes > 0, instances that would need more lanes are left out and returned as
// overflow, by index into occ.
func placeBars(occ []calendar.Occurrence, loc *time.Location, viewer int64, start time.Time, n, maxLanes int) ([]bar, int, []int) {
	type span struct {
		i, from, to   int // index in occ, first and last column
		before, after bool
	}
	var spans []span
	for i, o := range occ {
		f, l := daySpan(o, loc)
		from, to := daysBetween(start, f), daysBetween(start, l)
		if to < 0 || from >= n {
			continue
		}
		s := span{i: i, from: max(from, 0), to: min(to, n-1), before: from < 0, after: to >= n}
		spans = append(spans, s)
	}
	sort.SliceStable(spans, func(a, b int) bool {
		if spans[a].from != spans[b].from {
			return spans[a].from < spans[b].from
		}
		return spans[a].to-spans[a].from > spans[b].to-spans[b].from
	})
	var laneEnds []int // the last column taken in each lane
	var out []bar
	var overflow []int
	for _, s := range spans {
		lane := -1
		for l, e := range laneEnds {
			if e < s.from {
				lane = l
				break
			}
		}
		if lane < 0 {
			if maxLanes > 0 && len(laneEnds) >= maxLanes {
				overflow = append(overflow, s.i)
				continue
			}
			lane = len(laneEnds)
			laneEnds = append(laneEnds, s.to)
		} else {
			laneEnds[lane] = s.to
		}
		b := bar{chip: newChip(occ[s.i], addDays(start, s.from), loc, viewer), ContinuesBefore: s.before, ContinuesAfter: s.after}
		if !occ[s.i].AllDay {
			b.Class += " ev-multiday"
		}
		b.Style = template.CSS(fmt.Sprintf("grid-column: %d / span %d; grid-row: %d", s.from+1, s.to-s.from+1, lane+1))
		out = append(out, b)
	}
	return out, len(laneEnds), overflow
}
