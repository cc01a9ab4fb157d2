package fakeoutlook

import (
	"fmt"
	"net/mail"
	"strings"
)

// mailbox is one user's mailbox: the user's identity and calendar.
type mailbox struct {
	id       string // object id (GUID), immutable
	email    string
	name     string
	tenantID string

	events map[string]*event // masters and singles, including tombstones
	order  []string          // creation order, for listing
	seq    int64             // change counter for delta
	txns   map[string]string // transactionId -> event id
	// calendars are the secondary calendars (calendars.go); the fields above are the default
	// calendar's. A calendar's store is a mailbox of its own, without calendars.
	calendars []*calendar

	received MessageCounts // meeting messages this mailbox received
	seeded   bool          // the demo content was added
	// seededMeetings: the demo meetings this mailbox organizes were added (SeedDemo).
	seededMeetings bool
	// syncGeneration invalidates every delta token of the mailbox when it
	// changes (ExpireDeltaTokens).
	syncGeneration int
	// deltaRounds counts the delta rounds completed (delta links issued), so
	// that a token too many rounds old can be refused.
	deltaRounds int
}

// MailboxInfo describes a mailbox.
type MailboxInfo struct {
	ID       string
	Email    string
	Name     string
	TenantID string
}

func (m *mailbox) info() MailboxInfo {
	return MailboxInfo{ID: m.id, Email: m.email, Name: m.name, TenantID: m.tenantID}
}

// AddMailbox creates the mailbox of a user in the default tenant, or returns
// the existing one. An empty name is derived from the address.
func (s *Server) AddMailbox(email, name string) (MailboxInfo, error) {
	return s.AddMailboxInTenant(s.opts.DefaultTenantID, email, name)
}

// AddMailboxInTenant creates a mailbox in the given tenant, or returns the
// existing one (whatever its tenant).
func (s *Server) AddMailboxInTenant(tenantID, email, name string) (MailboxInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.ensureMailboxLocked(tenantID, email, name)
	if err != nil {
		return MailboxInfo{}, err
	}
	return m.info(), nil
}

// Mailboxes lists every mailbox.
func (s *Server) Mailboxes() []MailboxInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]MailboxInfo, 0, len(s.mailboxes))
	for _, m := range s.mailboxes {
		out = append(out, m.info())
	}
	return out
}

func (s *Server) ensureMailboxLocked(tenantID, email, name string) (*mailbox, error) {
	addr, err := mail.ParseAddress(strings.TrimSpace(email))
	if err != nil || addr.Address != strings.TrimSpace(email) {
		return nil, fmt.Errorf("mailbox address %q is not a plain email address", email)
	}
	key := strings.ToLower(addr.Address)
	if m, ok := s.byEmail[key]; ok {
		return m, nil
	}
	if name == "" {
		name = displayNameFromEmail(addr.Address)
	}
	m := &mailbox{
		id:       newGUID(),
		email:    addr.Address,
		name:     name,
		tenantID: tenantID,
		events:   map[string]*event{},
		txns:     map[string]string{},
	}
	s.mailboxes[m.id] = m
	s.byEmail[key] = m
	s.log.Info("fake outlook: mailbox created", "email", m.email, "tenant", tenantID)
	if s.opts.SeedDemo {
		if err := s.seedMailboxLocked(m); err != nil {
			s.log.Error("fake outlook: seeding demo events failed", "email", m.email, "err", err)
		}
	}
	return m, nil
}

// displayNameFromEmail turns "ada.lovelace@x" into "Ada Lovelace".
func displayNameFromEmail(email string) string {
	local, _, _ := strings.Cut(email, "@")
	parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' })
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, " ")
}

// mailboxByKeyLocked finds a mailbox by id or address.
func (s *Server) mailboxByKeyLocked(key string) *mailbox {
	if m, ok := s.mailboxes[key]; ok {
		return m
	}
	return s.byEmail[strings.ToLower(key)]
}

// mailboxByEmail is for the test helpers: it fails clearly on an unknown
// address.
func (s *Server) mailboxLocked(email string) (*mailbox, error) {
	m := s.mailboxByKeyLocked(email)
	if m == nil {
		return nil, fmt.Errorf("fake outlook: no mailbox %q", email)
	}
	return m, nil
}
