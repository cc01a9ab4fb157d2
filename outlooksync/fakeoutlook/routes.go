package fakeoutlook

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// graphCall is one Graph request, from the wire or from inside a $batch.
type graphCall struct {
	method    string
	path      string // escaped path after /v1.0, e.g. /me/events/AAMk...%3D%3D
	query     url.Values
	header    http.Header
	body      []byte
	graphBase string // e.g. http://127.0.0.1:9090/v1.0
	inBatch   bool
}

// route is what a Graph path asks for.
type route struct {
	userSeg  string // "me", or the {id or email} of /users/{...}
	endpoint Endpoint
	// calendarID is the {id} of /calendars/{id}: the calendar the call reads or writes, or
	// whose events it reaches (/calendars/{id}/events...); "" for the default calendar.
	calendarID string
	eventID    string
	action     string // accept, tentativelyAccept, decline, cancel
	// subscriptionID is the {id} of /subscriptions/{id}.
	subscriptionID string
	// folderID and contactID are the {id}s of /contactFolders/{id} and /contacts/{id}.
	folderID, contactID string
}

// prepared is an authenticated, routed call.
type prepared struct {
	call   graphCall
	route  route
	token  *accessToken
	user   *mailbox // the signed-in user
	target *mailbox // the mailbox the path names, or the store of its calendar (calendars.go)
	// calendar is the secondary calendar the path names, if any; target is then its store.
	calendar *calendar
}

func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request, body []byte, ids requestIDs) {
	call := graphCall{
		method:    r.Method,
		path:      strings.TrimPrefix(r.URL.EscapedPath(), "/v1.0"),
		query:     r.URL.Query(),
		header:    r.Header,
		body:      body,
		graphBase: s.baseURL(r) + "/v1.0",
	}
	if strings.EqualFold(strings.Trim(call.path, "/"), "$batch") {
		s.write(w, s.serveBatch(r.Context(), call), ids)
		return
	}
	resp, drop := s.handleGraph(r.Context(), call)
	if drop {
		s.writeTruncated(w, resp, ids)
		return
	}
	s.write(w, resp, ids)
}

// handleGraph authenticates, routes, throttles and answers one call. drop
// asks the caller to cut the connection in the middle of the answer.
func (s *Server) handleGraph(ctx context.Context, call graphCall) (resp response, drop bool) {
	p, errResp := s.prepare(call)
	if errResp != nil {
		s.recordCall(call, p, errResp.status)
		return *errResp, false
	}
	release, ok := s.acquire(p.target)
	if !ok {
		resp = throttled(time.Second, "Application is over its MailboxConcurrency limit.")
		s.recordCall(call, p, resp.status)
		return resp, false
	}
	defer release()
	resp, drop = s.execute(ctx, p)
	s.recordCall(call, p, resp.status)
	return resp, drop
}

func (s *Server) recordCall(call graphCall, p *prepared, status int) {
	r := Request{Time: s.now(), Method: call.method, Path: call.path, Status: status, InBatch: call.inBatch}
	if p != nil {
		r.Endpoint = p.route.endpoint
		if p.target != nil {
			r.Mailbox = p.target.email
		} else if p.user != nil {
			r.Mailbox = p.user.email
		}
	}
	s.record(r)
}

// prepare authenticates a call, parses its path and finds its mailbox. On
// failure the prepared call may still carry what was learnt, for the log.
func (s *Server) prepare(call graphCall) (*prepared, *response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &prepared{call: call}
	rt, rerr := parseRoute(call.method, call.path)
	p.route = rt
	// Graph authenticates before it looks at the path.
	tok, user, errResp, ok := s.authenticateLocked(call.header)
	if !ok {
		return p, &errResp
	}
	p.token, p.user = tok, user
	if rerr != nil {
		r := opResponse(rerr)
		return p, &r
	}
	if isSubscriptionEndpoint(rt.endpoint) {
		return p, s.prepareSubscriptionLocked(p)
	}
	need := "calendars.read"
	switch {
	case rt.endpoint == EndpointUser:
		need = "user.read"
	case isContactEndpoint(rt.endpoint) && call.method != http.MethodGet:
		need = "contacts.readwrite"
	case isContactEndpoint(rt.endpoint):
		need = "contacts.read"
	case call.method != http.MethodGet:
		need = "calendars.readwrite"
	}
	if tok.appOnly {
		if r := s.prepareAppOnlyLocked(p, need); r != nil {
			return p, r
		}
		return p, s.selectCalendarLocked(p)
	}
	switch strings.ToLower(rt.userSeg) {
	case "me", "me-token-to-replace":
		p.target = user
	default:
		p.target = s.mailboxByKeyLocked(rt.userSeg)
		if p.target == nil {
			r := errorResponse(http.StatusNotFound, "ErrorInvalidUser", fmt.Sprintf("The requested user '%s' is invalid.", rt.userSeg))
			return p, &r
		}
	}
	if p.target != user {
		r := errorResponse(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		return p, &r
	}
	if !tok.hasScope(need) {
		r := errorResponse(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		return p, &r
	}
	return p, s.selectCalendarLocked(p)
}

// parseRoute maps a Graph path to an endpoint. Literal segments match
// case-insensitively, as Graph's do; ids arrive percent-encoded and are
// decoded. calendarView/delta is accepted as delta, delta() and the SDK's
// delta%28%29.
func parseRoute(method, escaped string) (route, error) {
	var segs []string
	for _, raw := range strings.Split(strings.Trim(escaped, "/"), "/") {
		seg, err := url.PathUnescape(raw)
		if err != nil {
			return route{}, badQuery(fmt.Sprintf("The path segment '%s' is not properly escaped.", raw))
		}
		segs = append(segs, seg)
	}
	var rt route
	switch {
	case len(segs) >= 1 && strings.EqualFold(segs[0], "subscriptions"):
		return parseSubscriptionRoute(method, segs)
	case len(segs) >= 1 && strings.EqualFold(segs[0], "me"):
		rt.userSeg, segs = "me", segs[1:]
	case len(segs) >= 2 && strings.EqualFold(segs[0], "users"):
		rt.userSeg, segs = segs[1], segs[2:]
	default:
		return route{}, segmentNotFound(segs)
	}
	is := func(i int, lit string) bool { return len(segs) > i && strings.EqualFold(segs[i], lit) }
	allow := func(ep Endpoint, methods ...string) (route, error) {
		for _, m := range methods {
			if m == method {
				rt.endpoint = ep
				return rt, nil
			}
		}
		return route{}, &opError{status: http.StatusMethodNotAllowed, code: "BadRequest",
			msg: fmt.Sprintf("The HTTP method '%s' is not allowed for this resource.", method)}
	}
	calendarResource := func() (route, error) {
		switch method {
		case http.MethodPatch:
			return allow(EndpointUpdateCalendar, http.MethodPatch)
		case http.MethodDelete:
			return allow(EndpointDeleteCalendar, http.MethodDelete)
		}
		return allow(EndpointGetCalendar, http.MethodGet)
	}
	if is(0, "contactFolders") || is(0, "contacts") {
		return parseContactRoute(rt, segs, allow)
	}
	switch {
	case is(0, "calendar") && len(segs) == 1:
		return calendarResource() // the default calendar, with no id
	case is(0, "calendar"):
		segs = segs[1:] // the default calendar's events
	case is(0, "calendars") && len(segs) == 1:
		if method == http.MethodPost {
			return allow(EndpointCreateCalendar, http.MethodPost)
		}
		return allow(EndpointListCalendars, http.MethodGet)
	case is(0, "calendars") && len(segs) == 2:
		rt.calendarID = segs[1]
		return calendarResource()
	case is(0, "calendars"):
		rt.calendarID, segs = segs[1], segs[2:] // the events of one calendar
	}
	switch {
	case len(segs) == 0:
		return allow(EndpointUser, http.MethodGet)
	case len(segs) == 1 && is(0, "events"):
		if method == http.MethodPost {
			return allow(EndpointCreateEvent, http.MethodPost)
		}
		return allow(EndpointListEvents, http.MethodGet)
	case len(segs) == 2 && is(0, "events"):
		rt.eventID = segs[1]
		switch method {
		case http.MethodPatch:
			return allow(EndpointUpdateEvent, http.MethodPatch)
		case http.MethodDelete:
			return allow(EndpointDeleteEvent, http.MethodDelete)
		}
		return allow(EndpointGetEvent, http.MethodGet)
	case len(segs) == 3 && is(0, "events") && is(2, "instances"):
		rt.eventID = segs[1]
		return allow(EndpointInstances, http.MethodGet)
	case len(segs) == 3 && is(0, "events"):
		rt.eventID = segs[1]
		for _, a := range []struct {
			name string
			ep   Endpoint
		}{{"accept", EndpointAccept}, {"tentativelyAccept", EndpointTentativelyAccept},
			{"decline", EndpointDecline}, {"cancel", EndpointCancel}} {
			if is(2, a.name) {
				rt.action = a.name
				return allow(a.ep, http.MethodPost)
			}
		}
	case len(segs) == 1 && is(0, "calendarView"):
		return allow(EndpointCalendarView, http.MethodGet)
	case len(segs) == 2 && is(0, "calendarView") && (is(1, "delta") || is(1, "delta()")):
		return allow(EndpointDelta, http.MethodGet)
	}
	return route{}, segmentNotFound(segs)
}

// parseContactRoute maps the contact paths: contactFolders[/{id}[/contacts[/delta|/{id}]]]
// and contacts[/{id}].
func parseContactRoute(rt route, segs []string, allow func(Endpoint, ...string) (route, error)) (route, error) {
	is := func(i int, lit string) bool { return len(segs) > i && strings.EqualFold(segs[i], lit) }
	if is(0, "contactFolders") {
		switch {
		case len(segs) == 1:
			return allowOne(allow, EndpointListContactFolders, EndpointCreateContactFolder)
		case len(segs) == 2:
			rt.folderID = segs[1]
			return allowItem(allow, &rt, EndpointGetContactFolder, EndpointUpdateContactFolder, EndpointDeleteContactFolder)
		case is(2, "contacts"):
			rt.folderID, segs = segs[1], segs[2:]
		default:
			return route{}, segmentNotFound(segs)
		}
	}
	// segs is contacts[/{id}|/delta] now.
	switch {
	case len(segs) == 1:
		r, err := allowOne(allow, EndpointListContacts, EndpointCreateContact)
		r.folderID = rt.folderID
		return r, err
	case len(segs) == 2 && rt.folderID != "" && (is(1, "delta") || is(1, "delta()")):
		r, err := allow(EndpointContactsDelta, http.MethodGet)
		r.folderID = rt.folderID
		return r, err
	case len(segs) == 2:
		rt.contactID = segs[1]
		return allowItem(allow, &rt, EndpointGetContact, EndpointUpdateContact, EndpointDeleteContact)
	}
	return route{}, segmentNotFound(segs)
}

// allowOne routes a collection: GET lists, POST creates.
func allowOne(allow func(Endpoint, ...string) (route, error), list, create Endpoint) (route, error) {
	if r, err := allow(create, http.MethodPost); err == nil {
		return r, nil
	}
	return allow(list, http.MethodGet)
}

// allowItem routes an item: GET, PATCH, DELETE, keeping its ids.
func allowItem(allow func(Endpoint, ...string) (route, error), rt *route, get, update, del Endpoint) (route, error) {
	for _, c := range []struct {
		ep     Endpoint
		method string
	}{{update, http.MethodPatch}, {del, http.MethodDelete}, {get, http.MethodGet}} {
		if r, err := allow(c.ep, c.method); err == nil {
			r.folderID, r.contactID = rt.folderID, rt.contactID
			return r, nil
		}
	}
	return allow(get, http.MethodGet)
}

func segmentNotFound(segs []string) *opError {
	last := ""
	if len(segs) > 0 {
		last = segs[len(segs)-1]
	}
	return &opError{status: http.StatusBadRequest, code: "BadRequest",
		msg: fmt.Sprintf("Resource not found for the segment '%s'.", last)}
}

// execute answers a prepared call: faults first, then the endpoint.
func (s *Server) execute(ctx context.Context, p *prepared) (response, bool) {
	f := s.applyFaults(ctx, p)
	if f.resp != nil {
		return *f.resp, false
	}
	var resp response
	switch p.route.endpoint {
	case EndpointUser:
		resp = s.getUser(p)
	case EndpointListEvents:
		resp = s.listEvents(p)
	case EndpointCreateEvent:
		resp = s.createEvent(p)
	case EndpointGetEvent:
		resp = s.getEvent(p)
	case EndpointUpdateEvent:
		resp = s.updateEvent(p)
	case EndpointDeleteEvent:
		resp = s.deleteEvent(p)
	case EndpointInstances:
		resp = s.listInstances(p)
	case EndpointCalendarView:
		resp = s.calendarView(p)
	case EndpointDelta:
		resp = s.delta(p)
	case EndpointAccept, EndpointTentativelyAccept, EndpointDecline, EndpointCancel:
		resp = s.eventAction(p)
	case EndpointListCalendars:
		resp = s.listCalendars(p)
	case EndpointCreateCalendar:
		resp = s.createCalendar(p)
	case EndpointGetCalendar:
		resp = s.getCalendar(p)
	case EndpointUpdateCalendar:
		resp = s.updateCalendar(p)
	case EndpointDeleteCalendar:
		resp = s.deleteCalendar(p)
	case EndpointCreateSubscription:
		resp = s.createSubscription(ctx, p)
	case EndpointRenewSubscription:
		resp = s.renewSubscription(p)
	case EndpointGetSubscription:
		resp = s.getSubscription(p)
	case EndpointListSubscriptions:
		resp = s.listSubscriptions(p)
	case EndpointDeleteSubscription:
		resp = s.deleteSubscription(p)
	case EndpointReauthorize:
		resp = s.reauthorize(p)
	case EndpointListContactFolders, EndpointCreateContactFolder, EndpointGetContactFolder, EndpointUpdateContactFolder,
		EndpointDeleteContactFolder, EndpointListContacts, EndpointCreateContact, EndpointGetContact, EndpointUpdateContact,
		EndpointDeleteContact, EndpointContactsDelta:
		resp = s.contactsCall(p)
	default:
		resp = errorResponse(http.StatusNotImplemented, "NotImplemented", "The fake does not serve this endpoint.")
	}
	return resp, f.drop && !p.call.inBatch
}
