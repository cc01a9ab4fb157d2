package fakeoutlook

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"time"
)

// calendarView/delta, after concepts/delta-query-events.md and
// api-reference/v1.0/api/event-delta.md, with what field reports add:
//   - the first call carries the window; the fake's first page is empty and
//     only links to the next one (Quirks.DeltaFirstPageNotEmpty);
//   - next links carry $skiptoken, the last page a delta link with
//     $deltatoken; page size only through Prefer: odata.maxpagesize;
//   - occurrences come as stubs (id, type, seriesMasterId, start, end),
//     exceptions in full, and no series masters: delta returns what
//     calendarView returns (jasonjoh in docs issue #2182); clients reach
//     masters through seriesMasterId (Quirks.DeltaIncludesMasters);
//   - a later round reports every item of a changed series again, deleted
//     items as {"id", "@removed": {"reason": "deleted"}}, and items that
//     changed outside the window as deleted too (docs issue 6599);
//   - a deleted occurrence leaves no trace: a docs pull request written from
//     experiments (#4501) says no indication is given (earlier field reports
//     saw an updated master: Quirks.DeltaReportsSeriesOfCancelledOccurrence;
//     Quirks.DeltaRemovesCancelledOccurrences sends @removed for it);
//   - an unknown or expired token gets 410 Gone, code SyncStateNotFound, and
//     so does a delta token more than Options.DeltaGenerationsKept rounds old:
//     Exchange keeps only the last few sync generations (docs issue #2350,
//     "generation=149;[highest=157]").

// syncState is what a $skiptoken or $deltatoken stands for.
type syncState struct {
	mailboxID  string
	calendarID string // the secondary calendar of the round; "" for the default calendar
	generation int
	from, to   time.Time
	expires    time.Time
	// A page of a round: the round's items from offset on.
	round  *deltaRound
	offset int
	// A delta token: the state after a round.
	isDelta bool
	seq     int64
	sent    map[string]map[string]bool
	roundNo int // the mailbox's deltaRounds when this delta token was issued
}

// deltaRound is one round of delta pages.
type deltaRound struct {
	items []orderedObject
	seq   int64                      // mailbox sequence the round is up to date with
	sent  map[string]map[string]bool // per single or master: ids the client now knows
}

func syncStateNotFound() response {
	return errorResponse(http.StatusGone, "SyncStateNotFound", "The sync state generation is not found.")
}

// ExpireDeltaTokens invalidates every delta and skip token of a mailbox:
// their next use gets 410 Gone.
func (s *Server) ExpireDeltaTokens(email string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.mailboxLocked(email)
	if err != nil {
		return err
	}
	m.syncGeneration++
	for _, c := range m.calendars {
		c.store.syncGeneration++
	}
	return nil
}

func (s *Server) delta(p *prepared) response {
	q := p.call.query
	var unsupported []string
	for _, k := range []string{"$select", "$filter", "$orderby", "$top", "$expand", "$search"} {
		if q.Has(k) {
			unsupported = append(unsupported, k)
		}
	}
	if len(unsupported) > 0 {
		return errorResponse(http.StatusBadRequest, "ErrorInvalidUrlQuery", fmt.Sprintf(
			"The following parameters are not supported with change tracking over the 'CalendarView' resource: '%s'.",
			strings.Join(unsupported, ", ")))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.newView(nil, p.call.header, p.call.graphBase, p.target)
	if err != nil {
		return opResponse(err)
	}
	mb := p.target
	pageSize := 10
	if n := parsePrefer(p.call.header).maxPageSize; n > 0 {
		pageSize = min(n, 1000)
		v.applied = append(v.applied, fmt.Sprintf("odata.maxpagesize=%d", pageSize))
	}
	v.applied = append([]string{"odata.track-changes"}, v.applied...)

	if tok := firstNonEmpty(q.Get("$skiptoken"), q.Get("$deltatoken")); tok != "" {
		st, ok := s.syncs[tok]
		if !ok || st.mailboxID != mb.id || st.calendarID != p.calendarKey() || st.generation != mb.syncGeneration || !s.now().Before(st.expires) ||
			st.isDelta && mb.deltaRounds-st.roundNo > s.opts.DeltaGenerationsKept {
			return syncStateNotFound()
		}
		if st.isDelta {
			round := s.changesSinceLocked(mb, st, v)
			return s.deltaPageLocked(p, mb, st.from, st.to, round, 0, pageSize, v)
		}
		return s.deltaPageLocked(p, mb, st.from, st.to, st.round, st.offset, pageSize, v)
	}
	from, to, werr := parseWindow(q)
	if werr != nil {
		return opResponse(werr)
	}
	round := s.initialRoundLocked(mb, from, to, v)
	if !s.opts.Quirks.DeltaFirstPageNotEmpty {
		// Graph's first answer is often an empty page with a next link.
		next := s.newSkipLocked(p, mb, from, to, round, 0)
		return withPreferences(jsonResponse(http.StatusOK, deltaBody(p, next, "", nil)), v)
	}
	return s.deltaPageLocked(p, mb, from, to, round, 0, pageSize, v)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func deltaBody(p *prepared, next, deltaLink string, items []orderedObject) orderedObject {
	o := orderedObject{}
	o.add("@odata.context", p.call.graphBase+"/$metadata#Collection(event)")
	if next != "" {
		o.add("@odata.nextLink", next)
	}
	if deltaLink != "" {
		o.add("@odata.deltaLink", deltaLink)
	}
	o.add("value", nonNil(items))
	return o
}

// deltaPageLocked serves the page of a round that starts at offset.
func (s *Server) deltaPageLocked(p *prepared, mb *mailbox, from, to time.Time, round *deltaRound, offset, size int, v view) response {
	end := min(offset+size, len(round.items))
	items := round.items[offset:end]
	var next, deltaLink string
	if end < len(round.items) {
		next = s.newSkipLocked(p, mb, from, to, round, end)
	} else {
		s.dropExpiredSyncsLocked()
		tok := newOpaqueToken(48)
		mb.deltaRounds++
		s.syncs[tok] = &syncState{mailboxID: mb.id, calendarID: p.calendarKey(), generation: mb.syncGeneration, from: from, to: to,
			expires: s.now().Add(s.opts.DeltaTokenLifetime), isDelta: true, seq: round.seq, sent: round.sent, roundNo: mb.deltaRounds}
		deltaLink = p.call.graphBase + "/" + p.userPath() + p.calendarPath() + "/calendarView/delta?$deltatoken=" + tok
	}
	return withPreferences(jsonResponse(http.StatusOK, deltaBody(p, next, deltaLink, items)), v)
}

func (s *Server) newSkipLocked(p *prepared, mb *mailbox, from, to time.Time, round *deltaRound, offset int) string {
	s.dropExpiredSyncsLocked()
	tok := newOpaqueToken(48)
	s.syncs[tok] = &syncState{mailboxID: mb.id, calendarID: p.calendarKey(), generation: mb.syncGeneration, from: from, to: to,
		expires: s.now().Add(s.opts.DeltaTokenLifetime), round: round, offset: offset}
	return p.call.graphBase + "/" + p.userPath() + p.calendarPath() + "/calendarView/delta?$skiptoken=" + tok
}

func (s *Server) dropExpiredSyncsLocked() {
	now := s.now()
	for k, st := range s.syncs {
		if !now.Before(st.expires) {
			delete(s.syncs, k)
		}
	}
}

// seriesItemsLocked renders what delta reports of a live single or series
// in the window, and the ids it reports.
func (s *Server) seriesItemsLocked(ev *event, from, to time.Time, v view) ([]orderedObject, map[string]bool) {
	ids := map[string]bool{}
	var out []orderedObject
	withType := func(o orderedObject) orderedObject {
		return append(orderedObject{{"@odata.type", "#microsoft.graph.event"}}, o...)
	}
	if ev.rec == nil {
		if overlaps(ev.start, ev.end, from, to) {
			out = append(out, withType(s.renderItem(seriesItem(ev), v)))
			ids[ev.id] = true
		}
		return out, ids
	}
	insts := ev.instances(s.zones, from, to)
	if len(insts) == 0 {
		return nil, ids
	}
	if s.opts.Quirks.DeltaIncludesMasters {
		out = append(out, withType(s.renderItem(seriesItem(ev), v)))
		ids[ev.id] = true
	}
	for _, in := range insts {
		if in.exc != nil {
			out = append(out, withType(s.renderItem(instanceItem(in), v)))
		} else {
			out = append(out, s.renderStub(in, v))
		}
		ids[in.id()] = true
	}
	return out, ids
}

func removed(id string) orderedObject {
	o := orderedObject{}
	o.add("@odata.type", "#microsoft.graph.event")
	o.add("id", id)
	o.add("@removed", map[string]string{"reason": "deleted"})
	return o
}

func (s *Server) initialRoundLocked(mb *mailbox, from, to time.Time, v view) *deltaRound {
	round := &deltaRound{seq: mb.seq, sent: map[string]map[string]bool{}}
	for _, id := range mb.order {
		ev := mb.events[id]
		if ev.deleted {
			continue
		}
		items, ids := s.seriesItemsLocked(ev, from, to, v)
		round.items = append(round.items, items...)
		if len(ids) > 0 {
			round.sent[ev.id] = ids
		}
	}
	return round
}

// changesSinceLocked computes the round after a delta token: every single or
// series changed since, in full, and removals.
func (s *Server) changesSinceLocked(mb *mailbox, st *syncState, v view) *deltaRound {
	round := &deltaRound{seq: mb.seq, sent: maps.Clone(st.sent)}
	for _, id := range mb.order {
		ev := mb.events[id]
		if ev.seq <= st.seq || ev.visibleSeq <= st.seq {
			continue // unchanged, or changed only in ways delta does not show
		}
		before := st.sent[ev.id]
		if ev.deleted {
			round.items = append(round.items, removed(ev.id))
			for iid := range before {
				if iid != ev.id {
					round.items = append(round.items, removed(iid))
				}
			}
			delete(round.sent, ev.id)
			continue
		}
		items, ids := s.seriesItemsLocked(ev, st.from, st.to, v)
		if len(items) == 0 {
			// Changed but not in the window (new, or moved out): Graph
			// reports it as deleted.
			round.items = append(round.items, removed(ev.id))
		}
		round.items = append(round.items, items...)
		for iid := range before {
			if iid == ev.id || ids[iid] {
				continue
			}
			if _, orig, ok := parseOccurrenceID(iid); ok && ev.cancelled[orig.Unix()] &&
				!s.opts.Quirks.DeltaRemovesCancelledOccurrences {
				continue // deleted occurrences leave no @removed entry
			}
			round.items = append(round.items, removed(iid))
		}
		if len(ids) > 0 {
			round.sent[ev.id] = ids
		} else {
			delete(round.sent, ev.id)
		}
	}
	return round
}
