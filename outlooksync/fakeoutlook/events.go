package fakeoutlook

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Handlers for /me and /me/events, answering in the shapes of
// api-reference/v1.0/api/user-get.md, user-list-events.md,
// user-post-events.md, event-get.md, event-update.md, event-delete.md and
// event-accept.md / event-decline.md / event-tentativelyaccept.md /
// event-cancel.md (202 without a body).

// getUser answers GET /me like user-get.md's example.
func (s *Server) getUser(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := p.target
	given, sur, _ := strings.Cut(m.name, " ")
	o := orderedObject{}
	o.add("@odata.context", p.call.graphBase+"/$metadata#users/$entity")
	o.add("businessPhones", []string{})
	o.add("displayName", m.name)
	o.add("givenName", given)
	o.add("jobTitle", nil)
	o.add("mail", m.email)
	o.add("mobilePhone", nil)
	o.add("officeLocation", nil)
	o.add("preferredLanguage", "en-US")
	o.add("surname", sur)
	o.add("userPrincipalName", m.email)
	o.add("id", m.id)
	return jsonResponse(http.StatusOK, o)
}

// userPath is how links name the user of a call.
func (p *prepared) userPath() string {
	if strings.EqualFold(p.route.userSeg, "me") || strings.EqualFold(p.route.userSeg, "me-token-to-replace") {
		return "me"
	}
	return "users/" + url.PathEscape(p.route.userSeg)
}

func (p *prepared) contextURL(suffix string) string {
	if p.calendar != nil {
		suffix = "calendars('" + url.PathEscape(p.calendar.id) + "')/" + suffix
	}
	return fmt.Sprintf("%s/$metadata#users('%s')/%s", p.call.graphBase, url.PathEscape(p.target.id), suffix)
}

// withPreferences adds Preference-Applied for what the view honoured.
func withPreferences(r response, v view, more ...string) response {
	applied := append(append([]string(nil), v.applied...), more...)
	if len(applied) > 0 {
		r.setHeader("Preference-Applied", strings.Join(applied, ", "))
	}
	return r
}

// page cuts a collection by $top and $skip, or by Prefer
// odata.maxpagesize, and returns the next link when more remain.
func page[T any](p *prepared, items []T, defaultSize int) ([]T, string, error) {
	q := p.call.query
	size := defaultSize
	if mp := parsePrefer(p.call.header).maxPageSize; mp > 0 {
		size = mp
	}
	if top := q.Get("$top"); top != "" {
		n, err := strconv.Atoi(top)
		if err != nil || n < 1 {
			return nil, "", badQuery(fmt.Sprintf("Invalid $top value '%s'.", top))
		}
		if n > 1000 {
			return nil, "", badQuery("The limit of '1000' for Top query has been exceeded.")
		}
		size = n
	}
	skip := 0
	if sk := q.Get("$skip"); sk != "" {
		n, err := strconv.Atoi(sk)
		if err != nil || n < 0 {
			return nil, "", badQuery(fmt.Sprintf("Invalid $skip value '%s'.", sk))
		}
		skip = n
	}
	if skip >= len(items) {
		return []T{}, "", nil
	}
	end := min(skip+size, len(items))
	next := ""
	if end < len(items) {
		nq := url.Values{}
		for k, vs := range q {
			nq[k] = vs
		}
		nq.Set("$skip", strconv.Itoa(end))
		if nq.Get("$top") == "" {
			nq.Set("$top", strconv.Itoa(size))
		}
		next = p.call.graphBase + "/" + p.userPath() + "/" + strings.Join(routeTail(p.call.path), "/") + "?" + odataQuery(nq)
	}
	return items[skip:end], next, nil
}

// routeTail is the part of an escaped path after the user.
func routeTail(escaped string) []string {
	segs := strings.Split(strings.Trim(escaped, "/"), "/")
	if len(segs) > 0 && strings.EqualFold(segs[0], "me") {
		return segs[1:]
	}
	if len(segs) > 1 {
		return segs[2:]
	}
	return nil
}

// odataQuery encodes a query keeping '$' readable, as Graph's links do.
func odataQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "%24", "$")
}

func collection(context, next string, items any) orderedObject {
	o := orderedObject{}
	o.add("@odata.context", context)
	if next != "" {
		o.add("@odata.nextLink", next)
	}
	o.add("value", items)
	return o
}

// listEvents answers GET events: singles and series masters, never
// occurrences, paged by @odata.nextLink.
func (s *Server) listEvents(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.newView(p.call.query, p.call.header, p.call.graphBase, p.target)
	if err != nil {
		return opResponse(err)
	}
	filter, err := parseEventFilter(p.call.query.Get("$filter"))
	if err != nil {
		return opResponse(err)
	}
	var items []orderedObject
	for _, id := range p.target.order {
		ev := p.target.events[id]
		if ev.deleted || !filter.matches(ev) {
			continue
		}
		items = append(items, s.renderItem(seriesItem(ev), v))
	}
	pg, next, err := page(p, items, 10)
	if err != nil {
		return opResponse(err)
	}
	return withPreferences(jsonResponse(http.StatusOK, collection(p.contextURL("events"), next, nonNil(pg))), v)
}

// createEvent answers POST events with 201 and the full event.
func (s *Server) createEvent(p *prepared) response {
	patch, derr := decodeEventPatch(p.call.body)
	if derr != nil {
		return opResponse(derr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, verr := s.newView(p.call.query, p.call.header, p.call.graphBase, p.target)
	if verr != nil {
		return opResponse(verr)
	}
	ev, _, err := s.createEventLocked(p.target, patch)
	if err != nil {
		return opResponse(err)
	}
	body := s.renderItem(seriesItem(ev), v)
	body = append(orderedObject{{"@odata.context", p.contextURL("events/$entity")}}, body...)
	return withPreferences(jsonResponse(http.StatusCreated, body), v)
}

// opResponse turns an operation's error into Graph's answer.
func opResponse(err error) response {
	if oe, ok := err.(*opError); ok {
		return oe.response()
	}
	return errorResponse(http.StatusInternalServerError, "InternalServerError", err.Error())
}

func (s *Server) renderTargetLocked(p *prepared, t target, v view) orderedObject {
	var body orderedObject
	if t.isInstance {
		body = s.renderItem(instanceItem(t.ev.occurrence(t.originalStart)), v)
	} else {
		body = s.renderItem(seriesItem(t.ev), v)
	}
	return append(orderedObject{{"@odata.context", p.contextURL("events/$entity")}}, body...)
}

// getEvent answers GET events/{id} for singles, masters, occurrences and
// exceptions.
func (s *Server) getEvent(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, verr := s.newView(p.call.query, p.call.header, p.call.graphBase, p.target)
	if verr != nil {
		return opResponse(verr)
	}
	t, err := s.findLocked(p.target, p.route.eventID)
	if err != nil {
		return opResponse(err)
	}
	v.getByID = true
	return withPreferences(jsonResponse(http.StatusOK, s.renderTargetLocked(p, t, v)), v)
}

// updateEvent answers PATCH events/{id} with 200 and the updated event.
func (s *Server) updateEvent(p *prepared) response {
	patch, derr := decodeEventPatch(p.call.body)
	if derr != nil {
		return opResponse(derr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, verr := s.newView(p.call.query, p.call.header, p.call.graphBase, p.target)
	if verr != nil {
		return opResponse(verr)
	}
	t, err := s.updateLocked(p.target, p.route.eventID, patch, p.call.header.Get("If-Match"))
	if err != nil {
		return opResponse(err)
	}
	return withPreferences(jsonResponse(http.StatusOK, s.renderTargetLocked(p, t, v)), v)
}

// deleteEvent answers DELETE events/{id} with 204.
func (s *Server) deleteEvent(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.deleteLocked(p.target, p.route.eventID); err != nil {
		return opResponse(err)
	}
	return noContent(http.StatusNoContent)
}

// eventAction answers accept, tentativelyAccept, decline and cancel with
// 202 and no body.
func (s *Server) eventAction(p *prepared) response {
	body, derr := decodeActionBody(p.call.body)
	if derr != nil {
		return opResponse(derr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if p.route.action == "cancel" {
		err = s.cancelActionLocked(p.target, p.route.eventID)
	} else {
		answer, _ := respondAnswer(p.route.action)
		err = s.respondLocked(p.target, p.route.eventID, answer, body)
	}
	if err != nil {
		return opResponse(err)
	}
	return noContent(http.StatusAccepted)
}
