package fakeoutlook

import (
	"fmt"
	"maps"
)

// bookOfLocked is the contacts of the mailbox of an address.
func (s *Server) bookOfLocked(email string) (*contactBook, error) {
	m, err := s.mailboxLocked(email)
	if err != nil {
		return nil, err
	}
	return s.bookLocked(m), nil
}

// ownedContactLocked finds a live contact of a mailbox by id.
func (s *Server) ownedContactLocked(email, id string) (*contactBook, *contact, error) {
	b, err := s.bookOfLocked(email)
	if err != nil {
		return nil, nil, err
	}
	c, ok := b.contacts[id]
	if !ok || c.deleted {
		return nil, nil, fmt.Errorf("fakeoutlook: no contact %s in %s", id, email)
	}
	return b, c, nil
}

// ContactInfo is a contact as a test reads it.
type ContactInfo struct {
	ID, FolderID string
	Fields       map[string]any
	ExtProps     map[string]string
}

// Contacts lists a mailbox's contacts in a folder ("" for the default Contacts folder).
func (s *Server) Contacts(email, folderID string) ([]ContactInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bookOfLocked(email)
	if err != nil {
		return nil, err
	}
	if folderID == "" {
		folderID = b.defaultID
	}
	var out []ContactInfo
	for _, id := range b.order {
		c := b.contacts[id]
		if c.deleted || c.folderID != folderID {
			continue
		}
		ci := ContactInfo{ID: c.id, FolderID: c.folderID, Fields: map[string]any{}, ExtProps: map[string]string{}}
		for k, v := range c.fields {
			ci.Fields[k] = v
		}
		for _, ep := range c.extProps {
			ci.ExtProps[ep.ID] = ep.Value
		}
		out = append(out, ci)
	}
	return out, nil
}

// ContactFolders lists a mailbox's contact folders by name (the default one as "Contacts").
func (s *Server) ContactFolders(email string) (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bookOfLocked(email)
	if err != nil {
		return nil, err
	}
	out := map[string]string{"Contacts": b.defaultID}
	for _, f := range b.folders {
		out[f.name] = f.id
	}
	return out, nil
}

// EditContact changes a contact's fields as its owner would on a phone or in Outlook (nil
// removes a field).
func (s *Server) EditContact(email, id string, fields map[string]any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, c, err := s.ownedContactLocked(email, id)
	if err != nil {
		return err
	}
	for k, v := range fields {
		if v == nil {
			delete(c.fields, k)
		} else {
			c.fields[k] = v
		}
	}
	b.touch(c, s.now())
	return nil
}

// DeleteContact deletes a contact as its owner would.
func (s *Server) DeleteContact(email, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, c, err := s.ownedContactLocked(email, id)
	if err != nil {
		return err
	}
	b.remove(c)
	return nil
}

// AddContact adds a contact by hand, as its owner would, to a folder ("" for the default).
func (s *Server) AddContact(email, folderID string, fields map[string]any) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bookOfLocked(email)
	if err != nil {
		return "", err
	}
	if folderID == "" {
		folderID = b.defaultID
	}
	own := map[string]any{}
	maps.Copy(own, fields)
	return b.add(folderID, own, nil, s.now()).id, nil
}
