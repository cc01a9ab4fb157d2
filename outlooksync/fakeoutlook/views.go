package fakeoutlook

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// calendarView and instances, after the response examples of
// api-reference/v1.0/api/user-list-calendarview.md and
// api-reference/v1.0/api/event-list-instances.md.

// queryParam reads a query parameter case-insensitively, as Graph does for
// startDateTime and endDateTime.
func queryParam(q url.Values, name string) string {
	for k, vs := range q {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// parseWindow reads startDateTime and endDateTime. A value without offset
// is UTC.
func parseWindow(q url.Values) (from, to time.Time, err error) {
	sv, ev := queryParam(q, "startDateTime"), queryParam(q, "endDateTime")
	if sv == "" || ev == "" {
		return from, to, &opError{status: http.StatusBadRequest, code: "ErrorInvalidParameter",
			msg: "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime."}
	}
	var ok bool
	if from, ok = parseQueryTime(sv); !ok {
		return from, to, &opError{status: http.StatusBadRequest, code: "ErrorInvalidParameter",
			msg: fmt.Sprintf("The value '%s' of parameter 'StartDateTime' is invalid.", sv)}
	}
	if to, ok = parseQueryTime(ev); !ok {
		return from, to, &opError{status: http.StatusBadRequest, code: "ErrorInvalidParameter",
			msg: fmt.Sprintf("The value '%s' of parameter 'EndDateTime' is invalid.", ev)}
	}
	return from, to, nil
}

func parseQueryTime(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), true
	}
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// viewInstancesLocked lists singles, occurrences and exceptions that overlap
// the window (no masters), ordered by start.
func (s *Server) viewInstancesLocked(mb *mailbox, from, to time.Time) []item {
	var out []item
	for _, id := range mb.order {
		ev := mb.events[id]
		if ev.deleted {
			continue
		}
		if ev.rec == nil {
			if overlaps(ev.start, ev.end, from, to) {
				out = append(out, seriesItem(ev))
			}
			continue
		}
		for _, in := range ev.instances(s.zones, from, to) {
			out = append(out, instanceItem(in))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].c.start.Before(out[j].c.start) })
	return out
}

// calendarView answers GET calendarView.
func (s *Server) calendarView(p *prepared) response {
	from, to, werr := parseWindow(p.call.query)
	if werr != nil {
		return opResponse(werr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.newView(p.call.query, p.call.header, p.call.graphBase, p.target)
	if err != nil {
		return opResponse(err)
	}
	var items []orderedObject
	for _, it := range s.viewInstancesLocked(p.target, from, to) {
		items = append(items, s.renderItem(it, v))
	}
	pg, next, err := page(p, items, 10)
	if err != nil {
		return opResponse(err)
	}
	return withPreferences(jsonResponse(http.StatusOK, collection(p.contextURL("calendarView"), next, nonNil(pg))), v)
}

// listInstances answers GET events/{id}/instances: the occurrences and
// exceptions of a master in the window. Deleted occurrences are simply
// absent. Graph does not guarantee the order; like the response example of
// event-list-instances.md the fake lists exceptions first, then the plain
// occurrences, so a client that relies on order fails here rather than in
// production.
func (s *Server) listInstances(p *prepared) response {
	from, to, werr := parseWindow(p.call.query)
	if werr != nil {
		return opResponse(werr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.newView(p.call.query, p.call.header, p.call.graphBase, p.target)
	if err != nil {
		return opResponse(err)
	}
	t, err := s.findLocked(p.target, p.route.eventID)
	if err != nil {
		return opResponse(err)
	}
	if t.isInstance {
		return errNotFound().response()
	}
	var plain, changed []orderedObject
	if t.ev.rec != nil {
		for _, in := range t.ev.instances(s.zones, from, to) {
			if in.exc != nil {
				changed = append(changed, s.renderItem(instanceItem(in), v))
			} else {
				plain = append(plain, s.renderItem(instanceItem(in), v))
			}
		}
	}
	pg, next, err := page(p, append(changed, plain...), 10)
	if err != nil {
		return opResponse(err)
	}
	return withPreferences(jsonResponse(http.StatusOK,
		collection(p.contextURL("events('"+t.ev.id+"')/instances"), next, nonNil(pg))), v)
}
