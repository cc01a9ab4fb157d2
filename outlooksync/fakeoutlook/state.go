package fakeoutlook

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// The fake's state as it is written to a state file (statefile.go): every mailbox with its
// events and secondary calendars, tombstones, exceptions, cancelled occurrences, meeting links and delta counters, the
// issued access and refresh tokens, and the delta tokens. What a restart may forget is left
// out: authorization codes (ten minutes), the pages of a delta round in progress ($skiptoken:
// after a restart it answers 410 SyncStateNotFound, as Graph answers a sync state it lost),
// the request log, injected faults and requests in flight.
//
// The snapshot types are the file format. They are separate from the fake's own types so that
// a change inside the fake cannot change the format by accident: a new field of the fake must
// be added here too, or TestStateRoundTripsEveryField fails.

// stateFormat names the file's kind, so that another JSON file is not taken for one.
const stateFormat = "intracal-fakeoutlook-state"

// stateVersion is the version of the format. A file of another version is refused.
const stateVersion = 1

type stateFile struct {
	Format        string         `json:"format"`
	Version       int            `json:"version"`
	Mailboxes     []mailboxState `json:"mailboxes"`
	AccessTokens  []accessState  `json:"accessTokens"`
	RefreshTokens []refreshState `json:"refreshTokens"`
	DeltaTokens   []deltaState   `json:"deltaTokens"`
	// AdminConsents are the tenants' grants of application permissions (absent in files
	// written before app-only access; read as none).
	AdminConsents []consentState `json:"adminConsents,omitempty"`
	// Subscriptions are the change notification subscriptions (absent in files written
	// before them; read as none): Graph keeps them whatever happens to the app.
	Subscriptions []subscriptionState `json:"subscriptions,omitempty"`
}

type subscriptionState struct {
	ID          string    `json:"id"`
	ClientID    string    `json:"clientId"`
	AppOnly     bool      `json:"appOnly,omitempty"`
	Creator     string    `json:"creator,omitempty"`
	OwnerID     string    `json:"ownerId"`
	CalendarID  string    `json:"calendarId,omitempty"` // "" for the default calendar
	Resource    string    `json:"resource"`
	ChangeTypes []string  `json:"changeTypes"`
	NotifyURL   string    `json:"notificationUrl"`
	Lifecycle   string    `json:"lifecycleNotificationUrl,omitempty"`
	ClientState string    `json:"clientState,omitempty"`
	Expires     time.Time `json:"expires"`
}

type mailboxState struct {
	ID             string            `json:"id"`
	Email          string            `json:"email"`
	Name           string            `json:"name"`
	TenantID       string            `json:"tenantId"`
	Events         []eventState      `json:"events"` // in creation order, tombstones included
	Seq            int64             `json:"seq"`
	Transactions   map[string]string `json:"transactions"`
	Received       MessageCounts     `json:"received"`
	Seeded         bool              `json:"seeded"`
	SeededMeetings bool              `json:"seededMeetings"`
	SyncGeneration int               `json:"syncGeneration"`
	DeltaRounds    int               `json:"deltaRounds"`
	// Calendars are the secondary calendars, in creation order (absent in files written
	// before them; read as none).
	Calendars []calendarState `json:"calendars,omitempty"`
}

// calendarState is a secondary calendar with its events and the counters of its own store.
type calendarState struct {
	ID             string            `json:"id"`
	Name           string            `json:"name"`
	Color          string            `json:"color"`
	ChangeKey      string            `json:"changeKey"`
	Events         []eventState      `json:"events"` // in creation order, tombstones included
	Seq            int64             `json:"seq"`
	Transactions   map[string]string `json:"transactions"`
	SyncGeneration int               `json:"syncGeneration"`
	DeltaRounds    int               `json:"deltaRounds"`
}

type eventState struct {
	ID            string                   `json:"id"`
	Created       time.Time                `json:"created"`
	Modified      time.Time                `json:"modified"`
	ChangeKey     string                   `json:"changeKey"`
	Seq           int64                    `json:"seq"`
	VisibleSeq    int64                    `json:"visibleSeq"`
	Deleted       bool                     `json:"deleted"`
	ICalUID       string                   `json:"iCalUId"`
	TransactionID string                   `json:"transactionId"`
	IsOrganizer   bool                     `json:"isOrganizer"`
	Organizer     EmailAddress             `json:"organizer"`
	Content       contentState             `json:"content"`
	Recurrence    *PatternedRecurrence     `json:"recurrence"`
	Exceptions    map[int64]exceptionState `json:"exceptions"` // by original start, Unix seconds
	Cancelled     map[int64]bool           `json:"cancelled"`
	Copies        map[string]string        `json:"copies"`
	Origin        *eventRefState           `json:"origin"`
	ReportZoneAs  string                   `json:"reportZoneAs"`
}

type contentState struct {
	Subject           string                     `json:"subject"`
	Body              ItemBody                   `json:"body"`
	Location          Location                   `json:"location"`
	Start             time.Time                  `json:"start"`
	End               time.Time                  `json:"end"`
	StartZone         string                     `json:"startZone"`
	EndZone           string                     `json:"endZone"`
	IsAllDay          bool                       `json:"isAllDay"`
	ShowAs            string                     `json:"showAs"`
	Importance        string                     `json:"importance"`
	Sensitivity       string                     `json:"sensitivity"`
	IsReminderOn      bool                       `json:"isReminderOn"`
	ReminderMinutes   int                        `json:"reminderMinutes"`
	Categories        []string                   `json:"categories"`
	ResponseRequested bool                       `json:"responseRequested"`
	Attendees         []Attendee                 `json:"attendees"`
	Response          ResponseStatus             `json:"response"`
	IsCancelled       bool                       `json:"isCancelled"`
	ExtendedProps     []ExtendedProperty         `json:"extendedProperties"`
	Extra             map[string]json.RawMessage `json:"extra"`
	StartWall         time.Time                  `json:"startWall"`
}

type exceptionState struct {
	OriginalStart time.Time         `json:"originalStart"`
	Content       contentState      `json:"content"`
	Modified      time.Time         `json:"modified"`
	Invitees      map[string]string `json:"invitees"`
}

type eventRefState struct {
	MailboxID     string    `json:"mailboxId"`
	EventID       string    `json:"eventId"`
	OriginalStart time.Time `json:"originalStart"`
}

type accessState struct {
	Token     string    `json:"token"`
	MailboxID string    `json:"mailboxId"`
	ClientID  string    `json:"clientId"`
	Scopes    []string  `json:"scopes"`
	Expires   time.Time `json:"expires"`
	AppOnly   bool      `json:"appOnly,omitempty"`
	TenantID  string    `json:"tenantId,omitempty"`
	Roles     []string  `json:"roles,omitempty"`
}

// consentState is one tenant's admin consent for one app: its application permissions.
type consentState struct {
	Key   string   `json:"key"` // tenant/client, lower case
	Roles []string `json:"roles"`
}

type refreshState struct {
	Token     string    `json:"token"`
	MailboxID string    `json:"mailboxId"`
	ClientID  string    `json:"clientId"`
	Scopes    []string  `json:"scopes"`
	Issued    time.Time `json:"issued"`
	Revoked   bool      `json:"revoked"`
}

// deltaState is a delta token: the state after a completed round.
type deltaState struct {
	Token      string                     `json:"token"`
	MailboxID  string                     `json:"mailboxId"`
	CalendarID string                     `json:"calendarId,omitempty"` // "" for the default calendar
	Generation int                        `json:"generation"`
	From       time.Time                  `json:"from"`
	To         time.Time                  `json:"to"`
	Expires    time.Time                  `json:"expires"`
	Seq        int64                      `json:"seq"`
	Sent       map[string]map[string]bool `json:"sent"`
	RoundNo    int                        `json:"roundNo"`
}

// snapshotStateLocked copies the state into its file form.
func (s *Server) snapshotStateLocked() stateFile {
	st := stateFile{Format: stateFormat, Version: stateVersion, Mailboxes: []mailboxState{},
		AccessTokens: []accessState{}, RefreshTokens: []refreshState{}, DeltaTokens: []deltaState{}}
	for _, m := range s.mailboxes {
		ms := mailboxState{ID: m.id, Email: m.email, Name: m.name, TenantID: m.tenantID, Events: []eventState{},
			Seq: m.seq, Transactions: m.txns, Received: m.received, Seeded: m.seeded, SeededMeetings: m.seededMeetings,
			SyncGeneration: m.syncGeneration, DeltaRounds: m.deltaRounds}
		for _, id := range m.order {
			ms.Events = append(ms.Events, eventToState(m.events[id]))
		}
		for _, c := range m.calendars {
			cs := calendarState{ID: c.id, Name: c.name, Color: c.color, ChangeKey: c.changeKey, Events: []eventState{},
				Seq: c.store.seq, Transactions: c.store.txns, SyncGeneration: c.store.syncGeneration,
				DeltaRounds: c.store.deltaRounds}
			for _, id := range c.store.order {
				cs.Events = append(cs.Events, eventToState(c.store.events[id]))
			}
			ms.Calendars = append(ms.Calendars, cs)
		}
		st.Mailboxes = append(st.Mailboxes, ms)
	}
	for tok, at := range s.access {
		st.AccessTokens = append(st.AccessTokens, accessState{Token: tok, MailboxID: at.mailboxID, ClientID: at.clientID,
			Scopes: at.scopes, Expires: at.expires, AppOnly: at.appOnly, TenantID: at.tenantID, Roles: at.roles})
	}
	for key, roles := range s.consents {
		st.AdminConsents = append(st.AdminConsents, consentState{Key: key, Roles: roles})
	}
	slices.SortFunc(st.AdminConsents, func(a, b consentState) int { return strings.Compare(a.Key, b.Key) })
	for tok, rt := range s.refresh {
		st.RefreshTokens = append(st.RefreshTokens, refreshState{Token: tok, MailboxID: rt.mailboxID, ClientID: rt.clientID,
			Scopes: rt.scopes, Issued: rt.issued, Revoked: rt.revoked})
	}
	for tok, ss := range s.syncs {
		if !ss.isDelta {
			continue // a page of a round in progress: see the file comment
		}
		st.DeltaTokens = append(st.DeltaTokens, deltaState{Token: tok, MailboxID: ss.mailboxID, CalendarID: ss.calendarID, Generation: ss.generation,
			From: ss.from, To: ss.to, Expires: ss.expires, Seq: ss.seq, Sent: ss.sent, RoundNo: ss.roundNo})
	}
	// Sorted, so that an unchanged state encodes to the same bytes.
	slices.SortFunc(st.Mailboxes, func(a, b mailboxState) int { return strings.Compare(a.Email, b.Email) })
	slices.SortFunc(st.AccessTokens, func(a, b accessState) int { return strings.Compare(a.Token, b.Token) })
	slices.SortFunc(st.RefreshTokens, func(a, b refreshState) int { return strings.Compare(a.Token, b.Token) })
	slices.SortFunc(st.DeltaTokens, func(a, b deltaState) int { return strings.Compare(a.Token, b.Token) })
	for _, sub := range s.subs { // in creation order already
		ss := subscriptionState{ID: sub.id, ClientID: sub.clientID, AppOnly: sub.appOnly, Creator: sub.creator, OwnerID: sub.owner.id,
			Resource: sub.resource, ChangeTypes: sub.changeTypes, NotifyURL: sub.notifyURL, Lifecycle: sub.lifecycle,
			ClientState: sub.clientState, Expires: sub.expires}
		for _, c := range sub.owner.calendars {
			if c.store == sub.store {
				ss.CalendarID = c.id
			}
		}
		st.Subscriptions = append(st.Subscriptions, ss)
	}
	return st
}

func eventToState(ev *event) eventState {
	es := eventState{ID: ev.id, Created: ev.created, Modified: ev.modified, ChangeKey: ev.changeKey, Seq: ev.seq,
		VisibleSeq: ev.visibleSeq, Deleted: ev.deleted, ICalUID: ev.iCalUID, TransactionID: ev.transactionID,
		IsOrganizer: ev.isOrganizer, Organizer: ev.organizer, Content: contentToState(ev.content),
		Cancelled: ev.cancelled, Copies: ev.copies, ReportZoneAs: ev.reportZoneAs}
	if ev.rec != nil {
		r := ev.rec.state()
		es.Recurrence = &r
	}
	if ev.exceptions != nil {
		es.Exceptions = make(map[int64]exceptionState, len(ev.exceptions))
		for k, x := range ev.exceptions {
			es.Exceptions[k] = exceptionState{OriginalStart: x.originalStart, Content: contentToState(x.content),
				Modified: x.modified, Invitees: x.invitees}
		}
	}
	if ev.origin != nil {
		es.Origin = &eventRefState{MailboxID: ev.origin.mailboxID, EventID: ev.origin.eventID,
			OriginalStart: ev.origin.originalStart}
	}
	return es
}

func contentToState(c content) contentState {
	return contentState{Subject: c.subject, Body: c.body, Location: c.location, Start: c.start, End: c.end,
		StartZone: c.startZone, EndZone: c.endZone, IsAllDay: c.isAllDay, ShowAs: c.showAs, Importance: c.importance,
		Sensitivity: c.sensitivity, IsReminderOn: c.isReminderOn, ReminderMinutes: c.reminderMinutes,
		Categories: c.categories, ResponseRequested: c.responseRequested, Attendees: c.attendees, Response: c.response,
		IsCancelled: c.isCancelled, ExtendedProps: c.extProps, Extra: c.extra, StartWall: c.startWall}
}

// state is the recurrence in the file: Graph's patternedRecurrence with every field the fake
// keeps, including a count beside an end date (wire leaves out what the range type ignores).
// Loading parses it again, so a file cannot hold a pattern the fake would refuse.
func (r *recurrence) state() PatternedRecurrence {
	days := make([]string, 0, len(r.days))
	for _, d := range r.days {
		days = append(days, weekdayName(d))
	}
	var end string
	if !r.endDate.IsZero() {
		end = r.endDate.Format(dateLayout)
	}
	return PatternedRecurrence{
		Pattern: RecurrencePattern{Type: r.kind, Interval: r.interval, Month: r.month, DayOfMonth: r.dayOfMonth,
			DaysOfWeek: days, FirstDayOfWeek: weekdayName(r.firstDay), Index: indexNames()[r.index-1]},
		Range: RecurrenceRange{Type: r.rangeType, StartDate: r.startDate.Format(dateLayout), EndDate: end,
			RecurrenceTimeZone: r.tzName, NumberOfOccurrences: r.count},
	}
}

// loadedState is a state file turned back into the fake's types, checked.
type loadedState struct {
	mailboxes map[string]*mailbox
	byEmail   map[string]*mailbox
	access    map[string]*accessToken
	refresh   map[string]*refreshToken
	syncs     map[string]*syncState
	consents  map[string][]string
	subs      []*subscription
}

// fromState checks a decoded state file and builds the fake's state from it. Every check is
// something the fake relies on; a file that fails one is refused rather than half loaded.
func (s *Server) fromState(st stateFile) (loadedState, error) {
	ls := loadedState{mailboxes: map[string]*mailbox{}, byEmail: map[string]*mailbox{},
		access: map[string]*accessToken{}, refresh: map[string]*refreshToken{}, syncs: map[string]*syncState{},
		consents: map[string][]string{}}
	for _, c := range st.AdminConsents {
		if tenant, client, ok := strings.Cut(c.Key, "/"); !ok || tenant == "" || client == "" {
			return ls, fmt.Errorf("an admin consent of %q, not tenant/client", c.Key)
		}
		ls.consents[c.Key] = c.Roles
	}
	for _, ms := range st.Mailboxes {
		if ms.ID == "" {
			return ls, fmt.Errorf("mailbox %q has no id", ms.Email)
		}
		if addr, err := mail.ParseAddress(ms.Email); err != nil || addr.Address != ms.Email {
			return ls, fmt.Errorf("mailbox address %q is not a plain email address", ms.Email)
		}
		key := strings.ToLower(ms.Email)
		if ls.mailboxes[ms.ID] != nil || ls.byEmail[key] != nil {
			return ls, fmt.Errorf("mailbox %s (%s) appears twice", ms.Email, ms.ID)
		}
		m := &mailbox{id: ms.ID, email: ms.Email, name: ms.Name, tenantID: ms.TenantID, events: map[string]*event{},
			seq: ms.Seq, txns: ms.Transactions, received: ms.Received, seeded: ms.Seeded, seededMeetings: ms.SeededMeetings,
			syncGeneration: ms.SyncGeneration, deltaRounds: ms.DeltaRounds}
		if m.txns == nil {
			m.txns = map[string]string{}
		}
		seen := map[string]bool{}
		if err := s.eventsFromState(m, ms.Events, seen); err != nil {
			return ls, fmt.Errorf("mailbox %s: %w", ms.Email, err)
		}
		for _, cs := range ms.Calendars {
			c, err := s.calendarFromState(m, cs, seen)
			if err != nil {
				return ls, fmt.Errorf("mailbox %s: %w", ms.Email, err)
			}
			m.calendars = append(m.calendars, c)
		}
		ls.mailboxes[m.id], ls.byEmail[key] = m, m
	}
	known := func(kind, id string) error {
		if ls.mailboxes[id] == nil {
			return fmt.Errorf("%s of unknown mailbox %q", kind, id)
		}
		return nil
	}
	for _, a := range st.AccessTokens {
		if a.AppOnly && a.TenantID == "" {
			return ls, fmt.Errorf("an app-only access token without a tenant")
		}
		if err := known("an access token", a.MailboxID); err != nil && !a.AppOnly {
			return ls, err
		}
		ls.access[a.Token] = &accessToken{mailboxID: a.MailboxID, clientID: a.ClientID, scopes: a.Scopes, expires: a.Expires,
			appOnly: a.AppOnly, tenantID: a.TenantID, roles: a.Roles}
	}
	for _, r := range st.RefreshTokens {
		if err := known("a refresh token", r.MailboxID); err != nil {
			return ls, err
		}
		ls.refresh[r.Token] = &refreshToken{mailboxID: r.MailboxID, clientID: r.ClientID, scopes: r.Scopes,
			issued: r.Issued, revoked: r.Revoked}
	}
	for _, d := range st.DeltaTokens {
		if err := known("a delta token", d.MailboxID); err != nil {
			return ls, err
		}
		if d.CalendarID != "" && calendarByID(ls.mailboxes[d.MailboxID], d.CalendarID) == nil {
			return ls, fmt.Errorf("a delta token of unknown calendar %q", d.CalendarID)
		}
		ls.syncs[d.Token] = &syncState{mailboxID: d.MailboxID, calendarID: d.CalendarID, generation: d.Generation, from: d.From, to: d.To,
			expires: d.Expires, isDelta: true, seq: d.Seq, sent: d.Sent, roundNo: d.RoundNo}
	}
	for _, ss := range st.Subscriptions {
		if err := known("a subscription", ss.OwnerID); err != nil {
			return ls, err
		}
		owner := ls.mailboxes[ss.OwnerID]
		store := owner
		if ss.CalendarID != "" {
			c := calendarByID(owner, ss.CalendarID)
			if c == nil {
				return ls, fmt.Errorf("a subscription of unknown calendar %q", ss.CalendarID)
			}
			store = c.store
		}
		ls.subs = append(ls.subs, &subscription{id: ss.ID, clientID: ss.ClientID, appOnly: ss.AppOnly, creator: ss.Creator,
			owner: owner, store: store, resource: ss.Resource, changeTypes: ss.ChangeTypes, notifyURL: ss.NotifyURL,
			lifecycle: ss.Lifecycle, clientState: ss.ClientState, expires: ss.Expires})
	}
	return ls, nil
}

// eventsFromState fills a calendar's store with its events; seen holds the ids of the whole
// mailbox, which must not repeat across its calendars (meeting answers find an organizer's event
// by id alone).
func (s *Server) eventsFromState(store *mailbox, events []eventState, seen map[string]bool) error {
	for _, es := range events {
		ev, err := s.eventFromState(es)
		if err != nil {
			return err
		}
		if seen[ev.id] {
			return fmt.Errorf("event %s appears twice", ev.id)
		}
		seen[ev.id] = true
		store.events[ev.id] = ev
		store.order = append(store.order, ev.id)
	}
	return nil
}

// calendarFromState checks a secondary calendar and builds it, with its store, for m.
func (s *Server) calendarFromState(m *mailbox, cs calendarState, seen map[string]bool) (*calendar, error) {
	if cs.ID == "" {
		return nil, fmt.Errorf("a calendar %q has no id", cs.Name)
	}
	if calendarByID(m, cs.ID) != nil {
		return nil, fmt.Errorf("calendar %s appears twice", cs.ID)
	}
	if err := checkCalendarNameLocked(m, cs.Name, nil); err != nil || strings.TrimSpace(cs.Name) != cs.Name {
		return nil, fmt.Errorf("calendar %s: the name %q is empty, padded or already in use", cs.ID, cs.Name)
	}
	if !slices.Contains(calendarColors, cs.Color) {
		return nil, fmt.Errorf("calendar %s: unknown color %q", cs.ID, cs.Color)
	}
	c := &calendar{id: cs.ID, name: cs.Name, color: cs.Color, changeKey: cs.ChangeKey, store: newStore(m)}
	c.store.seq, c.store.syncGeneration, c.store.deltaRounds = cs.Seq, cs.SyncGeneration, cs.DeltaRounds
	if cs.Transactions != nil {
		c.store.txns = cs.Transactions
	}
	if err := s.eventsFromState(c.store, cs.Events, seen); err != nil {
		return nil, fmt.Errorf("calendar %s: %w", cs.ID, err)
	}
	return c, nil
}

func (s *Server) eventFromState(es eventState) (*event, error) {
	if es.ID == "" {
		return nil, fmt.Errorf("an event %q has no id", es.Content.Subject)
	}
	c, err := s.contentFromState(es.Content)
	if err != nil {
		return nil, fmt.Errorf("event %s: %w", es.ID, err)
	}
	ev := &event{id: es.ID, created: es.Created, modified: es.Modified, changeKey: es.ChangeKey, seq: es.Seq,
		visibleSeq: es.VisibleSeq, deleted: es.Deleted, iCalUID: es.ICalUID, transactionID: es.TransactionID,
		isOrganizer: es.IsOrganizer, organizer: es.Organizer, content: c, cancelled: es.Cancelled,
		copies: es.Copies, reportZoneAs: es.ReportZoneAs}
	if es.Recurrence != nil {
		r, err := parseRecurrence(*es.Recurrence)
		if err != nil {
			return nil, fmt.Errorf("event %s: %w", es.ID, err)
		}
		// parseRecurrence reads an end date only for an endDate range; the file keeps it whatever
		// the type, as the fake does.
		if es.Recurrence.Range.EndDate != "" {
			if r.endDate, err = time.Parse(dateLayout, es.Recurrence.Range.EndDate); err != nil {
				return nil, fmt.Errorf("event %s: recurrence end date: %w", es.ID, err)
			}
		}
		ev.rec = r
	}
	if es.Exceptions != nil {
		ev.exceptions = make(map[int64]*exception, len(es.Exceptions))
		for k, xs := range es.Exceptions {
			xc, err := s.contentFromState(xs.Content)
			if err != nil {
				return nil, fmt.Errorf("event %s, exception at %s: %w", es.ID, xs.OriginalStart.Format(time.RFC3339), err)
			}
			ev.exceptions[k] = &exception{originalStart: xs.OriginalStart, content: xc, modified: xs.Modified,
				invitees: xs.Invitees}
		}
	}
	if o := es.Origin; o != nil {
		ev.origin = &eventRef{mailboxID: o.MailboxID, eventID: o.EventID, originalStart: o.OriginalStart}
	}
	return ev, nil
}

func (s *Server) contentFromState(cs contentState) (content, error) {
	for _, z := range []string{cs.StartZone, cs.EndZone} {
		if _, _, err := s.zones.resolve(z); err != nil {
			return content{}, err
		}
	}
	return content{subject: cs.Subject, body: cs.Body, location: cs.Location, start: cs.Start, end: cs.End,
		startZone: cs.StartZone, endZone: cs.EndZone, isAllDay: cs.IsAllDay, showAs: cs.ShowAs, importance: cs.Importance,
		sensitivity: cs.Sensitivity, isReminderOn: cs.IsReminderOn, reminderMinutes: cs.ReminderMinutes,
		categories: cs.Categories, responseRequested: cs.ResponseRequested, attendees: cs.Attendees, response: cs.Response,
		isCancelled: cs.IsCancelled, extProps: cs.ExtendedProps, extra: cs.Extra, startWall: cs.StartWall}, nil
}
