package fakeoutlook

import (
	"strings"
	"time"
)

// Contacts and contact folders, after api-reference/v1.0/resources/contact.md,
// contactfolder.md and contact-delta.md:
//   - /users/{id}/contacts is the default Contacts folder (Graph's list of contactFolders
//     holds only the folders under it); /users/{id}/contacts/{id} reaches a contact of any
//     folder; /contactFolders/{id}/contacts the contacts of one folder;
//   - a folder name is unique in a mailbox (ErrorFolderExists, 409);
//   - delta exists only per folder (contactFolders/{id}/contacts/delta): the first round
//     lists every contact, later rounds what changed, a deleted contact as
//     {"id", "@removed": {"reason": "deleted"}}; pages follow Prefer: odata.maxpagesize (up
//     to 1,000; 10 when not asked), next links carry $skiptoken, the last page $deltatoken;
//     only $select may be given, on the first call; an unknown token is 410;
//   - extended properties come back only when asked by $expand, and may be filtered on in
//     GET .../contacts as on events.
// Contacts live in memory: the state file does not keep them.

// contact is one contact of a mailbox.
type contact struct {
	id, folderID, changeKey string
	fields                  map[string]any // the writable properties as last set
	extProps                []ExtendedProperty
	created, modified       time.Time
	seq                     int64 // of the book's last change to it
	deleted                 bool  // a tombstone, for delta
}

type contactFolder struct {
	id, name string
}

// contactBook is a mailbox's contacts.
type contactBook struct {
	defaultID string
	folders   []*contactFolder // the folders under the default one, in creation order
	contacts  map[string]*contact
	order     []string
	seq       int64
}

// contactFields are the writable contact properties the fake keeps, with their JSON kinds.
var contactFields = map[string]string{
	"displayName": "string", "givenName": "string", "surname": "string", "middleName": "string",
	"nickName": "string", "title": "string", "jobTitle": "string", "department": "string",
	"companyName": "string", "officeLocation": "string", "mobilePhone": "string",
	"personalNotes": "string", "fileAs": "string", "initials": "string", "profession": "string",
	"businessPhones": "strings", "homePhones": "strings", "emailAddresses": "addresses",
	"categories": "strings",
}

// contactsCall answers a contact endpoint, holding the server's lock.
func (s *Server) contactsCall(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch p.route.endpoint {
	case EndpointListContactFolders:
		return s.listContactFolders(p)
	case EndpointCreateContactFolder:
		return s.createContactFolder(p)
	case EndpointGetContactFolder, EndpointUpdateContactFolder, EndpointDeleteContactFolder:
		return s.contactFolderCall(p)
	case EndpointListContacts:
		return s.listContacts(p)
	case EndpointCreateContact:
		return s.createContact(p)
	case EndpointGetContact, EndpointUpdateContact, EndpointDeleteContact:
		return s.contactCall(p)
	}
	return s.contactsDelta(p)
}

func (s *Server) bookLocked(m *mailbox) *contactBook {
	b, ok := s.contactBooks[m.id]
	if !ok {
		b = &contactBook{defaultID: "AAMkContacts" + strings.ReplaceAll(m.id, "-", ""), contacts: map[string]*contact{}}
		s.contactBooks[m.id] = b
	}
	return b
}

func (b *contactBook) folder(id string) *contactFolder {
	if id == b.defaultID {
		return &contactFolder{id: b.defaultID, name: "Contacts"}
	}
	for _, f := range b.folders {
		if f.id == id {
			return f
		}
	}
	return nil
}

func (b *contactBook) touch(c *contact, now time.Time) {
	b.seq++
	c.seq, c.modified, c.changeKey = b.seq, now, newChangeKey()
}

func (b *contactBook) remove(c *contact) {
	b.seq++
	c.deleted, c.seq = true, b.seq
}

// add stores a new contact in a folder and returns it.
func (b *contactBook) add(folderID string, fields map[string]any, props []ExtendedProperty, now time.Time) *contact {
	c := &contact{id: "AAMkContact" + newOpaqueToken(24), folderID: folderID, fields: fields, extProps: props, created: now}
	b.touch(c, now)
	b.contacts[c.id] = c
	b.order = append(b.order, c.id)
	return c
}
