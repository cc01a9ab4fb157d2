package fakeoutlook

import (
	"strings"
	"time"
)

// Endpoint names a kind of request, for the request log and for faults.
type Endpoint string

// The endpoints the fake serves.
const (
	EndpointAuthorize         Endpoint = "authorize"
	EndpointToken             Endpoint = "token"
	EndpointUser              Endpoint = "user"               // GET /me
	EndpointListEvents        Endpoint = "events.list"        // GET events
	EndpointCreateEvent       Endpoint = "events.create"      // POST events
	EndpointGetEvent          Endpoint = "events.get"         // GET events/{id}
	EndpointUpdateEvent       Endpoint = "events.update"      // PATCH events/{id}
	EndpointDeleteEvent       Endpoint = "events.delete"      // DELETE events/{id}
	EndpointInstances         Endpoint = "events.instances"   // GET events/{id}/instances
	EndpointAccept            Endpoint = "events.accept"      // POST events/{id}/accept
	EndpointTentativelyAccept Endpoint = "events.tentative"   // POST events/{id}/tentativelyAccept
	EndpointDecline           Endpoint = "events.decline"     // POST events/{id}/decline
	EndpointCancel            Endpoint = "events.cancel"      // POST events/{id}/cancel
	EndpointCalendarView      Endpoint = "calendarView"       // GET calendarView
	EndpointDelta             Endpoint = "calendarView.delta" // GET calendarView/delta
	EndpointBatch             Endpoint = "batch"              // POST $batch
	EndpointListCalendars     Endpoint = "calendars.list"     // GET calendars
	EndpointCreateCalendar    Endpoint = "calendars.create"   // POST calendars
	EndpointGetCalendar       Endpoint = "calendars.get"      // GET calendars/{id}
	EndpointUpdateCalendar    Endpoint = "calendars.update"   // PATCH calendars/{id}
	EndpointDeleteCalendar    Endpoint = "calendars.delete"   // DELETE calendars/{id}

	EndpointListContactFolders  Endpoint = "contactFolders.list"   // GET contactFolders
	EndpointCreateContactFolder Endpoint = "contactFolders.create" // POST contactFolders
	EndpointGetContactFolder    Endpoint = "contactFolders.get"    // GET contactFolders/{id}
	EndpointUpdateContactFolder Endpoint = "contactFolders.update" // PATCH contactFolders/{id}
	EndpointDeleteContactFolder Endpoint = "contactFolders.delete" // DELETE contactFolders/{id}
	EndpointListContacts        Endpoint = "contacts.list"         // GET [contactFolders/{id}/]contacts
	EndpointCreateContact       Endpoint = "contacts.create"       // POST [contactFolders/{id}/]contacts
	EndpointGetContact          Endpoint = "contacts.get"          // GET contacts/{id}
	EndpointUpdateContact       Endpoint = "contacts.update"       // PATCH contacts/{id}
	EndpointDeleteContact       Endpoint = "contacts.delete"       // DELETE contacts/{id}
	EndpointContactsDelta       Endpoint = "contacts.delta"        // GET contactFolders/{id}/contacts/delta
)

// isContactEndpoint reports whether an endpoint is of contacts or contact folders.
func isContactEndpoint(e Endpoint) bool { return strings.HasPrefix(string(e), "contact") }

// Request is one entry of the request log.
type Request struct {
	Time     time.Time
	Method   string
	Path     string
	Mailbox  string // email of the mailbox the request was for; "" if none
	Endpoint Endpoint
	Status   int
	// InBatch marks a request that arrived inside a $batch; the $batch
	// itself is logged too, as one HTTP request.
	InBatch bool
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordLocked(r)
}

func (s *Server) recordLocked(r Request) {
	s.requests = append(s.requests, r)
	s.log.Debug("fake outlook: request", "method", r.Method, "path", r.Path, "mailbox", r.Mailbox,
		"endpoint", r.Endpoint, "status", r.Status, "inBatch", r.InBatch)
}

// Requests returns the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// RequestCount counts logged requests for a mailbox and endpoint, including
// those inside batches; an empty mailbox or endpoint matches any.
func (s *Server) RequestCount(mailbox string, endpoint Endpoint) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (mailbox == "" || strings.EqualFold(r.Mailbox, mailbox)) && (endpoint == "" || r.Endpoint == endpoint) {
			n++
		}
	}
	return n
}

// GraphRequestCount counts the HTTP round trips to Graph made for a mailbox:
// a $batch counts once and its inner requests not at all; requests to the
// identity platform are not counted. "" matches any mailbox.
func (s *Server) GraphRequestCount(mailbox string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if !r.InBatch && r.Endpoint != EndpointToken && r.Endpoint != EndpointAuthorize &&
			(mailbox == "" || strings.EqualFold(r.Mailbox, mailbox)) {
			n++
		}
	}
	return n
}

// RequestCounts returns the number of requests per endpoint for a mailbox
// ("" for all), including those inside batches.
func (s *Server) RequestCounts(mailbox string) map[Endpoint]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[Endpoint]int{}
	for _, r := range s.requests {
		if mailbox == "" || strings.EqualFold(r.Mailbox, mailbox) {
			out[r.Endpoint]++
		}
	}
	return out
}
