package fakeoutlook

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// A mailbox's calendars, in the shapes of api-reference/v1.0/api/user-list-calendars.md,
// user-post-calendars.md, calendar-get.md, calendar-update.md and calendar-delete.md.
//
// The default calendar is the mailbox's own event store. Each secondary calendar has a store of
// its own: a mailbox value with the owner's identity that holds only the calendar's events,
// change sequence, transaction ids and delta counters. The route chooses the store
// (/calendars/{id}/... makes it the call's target), so every event operation, calendarView and
// delta work on a secondary calendar by the same code as on the default one.

// calendar is a secondary calendar of a mailbox.
type calendar struct {
	id        string
	name      string
	color     string
	changeKey string
	store     *mailbox // its events; id, email, name and tenant are the owner's
}

// CalendarInfo describes a calendar of a mailbox.
type CalendarInfo struct {
	ID        string
	Name      string
	Color     string
	ChangeKey string
	IsDefault bool
}

const (
	idKindCalendar        = 0x03
	idKindDefaultCalendar = 0x04
	defaultCalendarName   = "Calendar"
)

func newCalendarID() string {
	return base64.URLEncoding.EncodeToString(append([]byte{idKindCalendar}, randomBytes(32)...))
}

// defaultCalendarID is derived from the mailbox id, so that it needs no place in the state file.
func defaultCalendarID(m *mailbox) string {
	sum := sha256.Sum256([]byte("calendar:" + m.id))
	return base64.URLEncoding.EncodeToString(append([]byte{idKindDefaultCalendar}, sum[:]...))
}

// defaultCalendar describes the mailbox's own store as a calendar.
func defaultCalendar(m *mailbox) *calendar {
	sum := sha256.Sum256([]byte("changeKey:" + m.id))
	return &calendar{id: defaultCalendarID(m), name: defaultCalendarName, color: "auto",
		changeKey: base64.StdEncoding.EncodeToString(sum[:21]), store: m}
}

func (c *calendar) isDefault(m *mailbox) bool { return c.store == m }

// calendarsOf lists the default calendar and then the others, in creation order.
func calendarsOf(m *mailbox) []*calendar {
	return append([]*calendar{defaultCalendar(m)}, m.calendars...)
}

// calendarByID finds a calendar of the mailbox; ids compare exactly, as item ids do.
func calendarByID(m *mailbox, id string) *calendar {
	for _, c := range calendarsOf(m) {
		if c.id == id {
			return c
		}
	}
	return nil
}

// newStore is an empty event store for a calendar of m.
func newStore(m *mailbox) *mailbox {
	return &mailbox{id: m.id, email: m.email, name: m.name, tenantID: m.tenantID,
		events: map[string]*event{}, txns: map[string]string{}}
}

// itemStore is the store that holds an event, occurrence or exception id, so that the
// Outlook-UI helpers (a member changing a copy in a space's calendar) reach any calendar.
func (m *mailbox) itemStore(id string) *mailbox {
	if masterID, _, ok := parseOccurrenceID(id); ok {
		return m.storeOf(masterID)
	}
	return m.storeOf(id)
}

// storeOf is the store of the mailbox that holds an event id: the default calendar's or a
// secondary calendar's. Meeting answers use it to reach an organizer's event wherever it is.
func (m *mailbox) storeOf(eventID string) *mailbox {
	if m.events[eventID] != nil {
		return m
	}
	for _, c := range m.calendars {
		if c.store.events[eventID] != nil {
			return c.store
		}
	}
	return m
}

func (c *calendar) info(m *mailbox) CalendarInfo {
	return CalendarInfo{ID: c.id, Name: c.name, Color: c.color, ChangeKey: c.changeKey, IsDefault: c.isDefault(m)}
}

// calendarColors are the values of Graph's calendarColor enumeration.
var calendarColors = []string{"auto", "lightBlue", "lightGreen", "lightOrange", "lightGray", "lightYellow",
	"lightTeal", "lightPink", "lightBrown", "lightRed", "maxColor"}

// calendarPatch is the body of POST calendars or PATCH calendars/{id}.
type calendarPatch struct {
	name  *string
	color *string
}

func decodeCalendarPatch(body []byte) (calendarPatch, error) {
	var out calendarPatch
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return out, badBody("Invalid JSON. " + err.Error())
	}
	for k, v := range raw {
		switch strings.ToLower(k) {
		case "name":
			if err := json.Unmarshal(v, &out.name); err != nil || out.name == nil {
				return out, badBody("name must be a string.")
			}
		case "color":
			var c string
			if err := json.Unmarshal(v, &c); err != nil {
				return out, badBody("color must be a string.")
			}
			i := slices.IndexFunc(calendarColors, func(n string) bool { return strings.EqualFold(n, c) })
			if i < 0 {
				return out, badBody(fmt.Sprintf("Requested value '%s' was not found.", c))
			}
			out.color = &calendarColors[i]
		default:
			if strings.HasPrefix(k, "@") {
				continue
			}
			return out, badBody(fmt.Sprintf("The property '%s' does not exist on type 'microsoft.graph.calendar'.", k))
		}
	}
	return out, nil
}

// checkCalendarNameLocked refuses an empty name and one another calendar of the mailbox has,
// compared case-insensitively, as Exchange compares folder names.
func checkCalendarNameLocked(m *mailbox, name string, self *calendar) error {
	if strings.TrimSpace(name) == "" {
		return errInvalidRequest("The calendar name can't be empty.")
	}
	for _, c := range calendarsOf(m) {
		if (self == nil || c.id != self.id) && strings.EqualFold(c.name, strings.TrimSpace(name)) {
			return &opError{status: http.StatusConflict, code: "ErrorFolderExists", msg: "A folder with the specified name already exists."}
		}
	}
	return nil
}

func (p *prepared) calendarContext(suffix string) string {
	return fmt.Sprintf("%s/$metadata#users('%s')/%s", p.call.graphBase, url.PathEscape(p.target.id), suffix)
}

// renderCalendar is a calendar as calendar-get.md's response example shows it.
func renderCalendar(m *mailbox, c *calendar) orderedObject {
	o := orderedObject{}
	o.add("id", c.id)
	o.add("name", c.name)
	o.add("color", c.color)
	o.add("hexColor", "")
	o.add("isDefaultCalendar", c.isDefault(m))
	o.add("changeKey", c.changeKey)
	o.add("canShare", true)
	o.add("canViewPrivateItems", true)
	o.add("canEdit", true)
	o.add("allowedOnlineMeetingProviders", []string{"teamsForBusiness"})
	o.add("defaultOnlineMeetingProvider", "teamsForBusiness")
	o.add("isTallyingResponses", true)
	o.add("isRemovable", !c.isDefault(m))
	o.add("owner", map[string]string{"name": m.name, "address": m.email})
	return o
}

// listCalendars answers GET calendars.
func (s *Server) listCalendars(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []orderedObject
	for _, c := range calendarsOf(p.target) {
		items = append(items, renderCalendar(p.target, c))
	}
	pg, next, err := page(p, items, 10)
	if err != nil {
		return opResponse(err)
	}
	return jsonResponse(http.StatusOK, collection(p.calendarContext("calendars"), next, nonNil(pg)))
}

// createCalendar answers POST calendars with 201 and the new calendar.
func (s *Server) createCalendar(p *prepared) response {
	patch, err := decodeCalendarPatch(p.call.body)
	if err != nil {
		return opResponse(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := p.target
	if patch.name == nil {
		return opResponse(errInvalidRequest("The calendar name can't be empty."))
	}
	if err := checkCalendarNameLocked(m, *patch.name, nil); err != nil {
		return opResponse(err)
	}
	c := &calendar{id: newCalendarID(), name: strings.TrimSpace(*patch.name), color: "auto", changeKey: newChangeKey(), store: newStore(m)}
	if patch.color != nil {
		c.color = *patch.color
	}
	m.calendars = append(m.calendars, c)
	body := append(orderedObject{{"@odata.context", p.calendarContext("calendars/$entity")}}, renderCalendar(m, c)...)
	return jsonResponse(http.StatusCreated, body)
}

// getCalendar answers GET calendars/{id}.
func (s *Server) getCalendar(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := p.namedCalendar()
	if c == nil {
		return errNotFound().response()
	}
	return jsonResponse(http.StatusOK, append(orderedObject{{"@odata.context", p.calendarContext("calendars/$entity")}},
		renderCalendar(p.target, c)...))
}

// updateCalendar answers PATCH calendars/{id} with 200 and the calendar: a new name or color,
// and a new change key.
func (s *Server) updateCalendar(p *prepared) response {
	patch, err := decodeCalendarPatch(p.call.body)
	if err != nil {
		return opResponse(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := p.target
	c := p.namedCalendar()
	if c == nil {
		return errNotFound().response()
	}
	if c.isDefault(m) {
		// Not served: the fake keeps nothing of the default calendar but its events.
		return opResponse(errInvalidRequest("The fake does not change the default calendar."))
	}
	if patch.name != nil {
		if err := checkCalendarNameLocked(m, *patch.name, c); err != nil {
			return opResponse(err)
		}
		c.name = strings.TrimSpace(*patch.name)
	}
	if patch.color != nil {
		c.color = *patch.color
	}
	c.changeKey = newChangeKey()
	return jsonResponse(http.StatusOK, append(orderedObject{{"@odata.context", p.calendarContext("calendars/$entity")}},
		renderCalendar(m, c)...))
}

// deleteCalendar answers DELETE calendars/{id} with 204; its events go with it. The default
// calendar cannot be deleted.
func (s *Server) deleteCalendar(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := p.target
	c := p.namedCalendar()
	if c == nil {
		return errNotFound().response()
	}
	if c.isDefault(m) {
		return opResponse(errInvalidRequest("The default calendar can't be deleted."))
	}
	m.calendars = slices.DeleteFunc(m.calendars, func(x *calendar) bool { return x == c })
	return noContent(http.StatusNoContent)
}

// namedCalendar is the calendar of GET, PATCH or DELETE calendars/{id}, or calendar (the
// default one), or nil for an unknown id.
func (p *prepared) namedCalendar() *calendar {
	if p.route.calendarID == "" {
		return defaultCalendar(p.target)
	}
	return calendarByID(p.target, p.route.calendarID)
}

// selectCalendarLocked makes the store of the calendar a path names (/calendars/{id}/events...)
// the call's target. The calendars resource itself keeps the mailbox as its target.
func (s *Server) selectCalendarLocked(p *prepared) *response {
	if p.route.calendarID == "" {
		return nil
	}
	c := calendarByID(p.target, p.route.calendarID)
	if c == nil {
		r := errNotFound().response()
		return &r
	}
	switch p.route.endpoint {
	case EndpointGetCalendar, EndpointUpdateCalendar, EndpointDeleteCalendar:
		return nil
	}
	if !c.isDefault(p.target) {
		p.calendar, p.target = c, c.store
	}
	return nil
}

// calendarPath is how links name the calendar of a call: "" for the default one.
func (p *prepared) calendarPath() string {
	if p.calendar == nil {
		return ""
	}
	return "/calendars/" + url.PathEscape(p.calendar.id)
}

// calendarKey names the calendar of a call in delta tokens: "" for the default one.
func (p *prepared) calendarKey() string {
	if p.calendar == nil {
		return ""
	}
	return p.calendar.id
}

// Calendars lists a mailbox's calendars: the default one first, then the others in creation
// order.
func (s *Server) Calendars(email string) ([]CalendarInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.mailboxLocked(email)
	if err != nil {
		return nil, err
	}
	var out []CalendarInfo
	for _, c := range calendarsOf(m) {
		out = append(out, c.info(m))
	}
	return out, nil
}

// EventsIn lists the singles and series masters of one calendar of a mailbox, as Events does
// for the default calendar.
func (s *Server) EventsIn(email, calendarID string) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.calendarLocked(email, calendarID)
	if err != nil {
		return nil, err
	}
	return s.storeEventsLocked(c.store), nil
}

// calendarLocked is one calendar of a mailbox, for the Go helpers.
func (s *Server) calendarLocked(email, calendarID string) (*calendar, error) {
	m, err := s.mailboxLocked(email)
	if err != nil {
		return nil, err
	}
	c := calendarByID(m, calendarID)
	if c == nil {
		return nil, fmt.Errorf("fake outlook: no calendar %q in %s", calendarID, email)
	}
	return c, nil
}

// CalendarViewIn lists the instances of one calendar of a mailbox in [from, to), as
// CalendarView does for the default calendar: what a member sees of a published space.
func (s *Server) CalendarViewIn(email, calendarID string, from, to time.Time) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.calendarLocked(email, calendarID)
	if err != nil {
		return nil, err
	}
	var out []Event
	for _, it := range s.viewInstancesLocked(c.store, from, to) {
		out = append(out, s.snapshot(it))
	}
	return out, nil
}
