package fakeoutlook

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
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

func folderJSON(f *contactFolder, parent string) orderedObject {
	o := orderedObject{}
	o.add("id", f.id)
	o.add("displayName", f.name)
	o.add("parentFolderId", parent)
	return o
}

func (s *Server) listContactFolders(p *prepared) response {
	b := s.bookLocked(p.target)
	var out []orderedObject
	for _, f := range b.folders {
		out = append(out, folderJSON(f, b.defaultID))
	}
	return jsonResponse(http.StatusOK, map[string]any{"value": nonNil(out)})
}

func (s *Server) createContactFolder(p *prepared) response {
	var in struct {
		DisplayName string `json:"displayName"`
	}
	if err := json.Unmarshal(p.call.body, &in); err != nil || strings.TrimSpace(in.DisplayName) == "" {
		return errorResponse(http.StatusBadRequest, "ErrorInvalidRequest", "A contact folder needs a displayName.")
	}
	b := s.bookLocked(p.target)
	for _, f := range b.folders {
		if strings.EqualFold(f.name, in.DisplayName) {
			return errorResponse(http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists.")
		}
	}
	f := &contactFolder{id: "AAMkFolder" + newOpaqueToken(16), name: in.DisplayName}
	b.folders = append(b.folders, f)
	return jsonResponse(http.StatusCreated, folderJSON(f, b.defaultID))
}

func (s *Server) contactFolderCall(p *prepared) response {
	b := s.bookLocked(p.target)
	f := b.folder(p.route.folderID)
	if f == nil {
		return errNotFound().response()
	}
	switch p.route.endpoint {
	case EndpointDeleteContactFolder:
		if f.id == b.defaultID {
			return errorResponse(http.StatusBadRequest, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted.")
		}
		b.folders = slices.DeleteFunc(b.folders, func(x *contactFolder) bool { return x == f })
		for _, c := range b.contacts {
			if c.folderID == f.id && !c.deleted {
				b.remove(c)
			}
		}
		return noContent(http.StatusNoContent)
	case EndpointUpdateContactFolder:
		var in struct {
			DisplayName string `json:"displayName"`
		}
		if err := json.Unmarshal(p.call.body, &in); err != nil || strings.TrimSpace(in.DisplayName) == "" {
			return errorResponse(http.StatusBadRequest, "ErrorInvalidRequest", "A contact folder needs a displayName.")
		}
		f.name = in.DisplayName
	}
	return jsonResponse(http.StatusOK, folderJSON(f, b.defaultID))
}

// readContact checks a contact body: known properties of the right kinds, extended
// properties with an id.
func readContact(body []byte) (map[string]any, []ExtendedProperty, *opError) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, nil, &opError{status: 400, code: "BadRequest", msg: "The contact must be a JSON object."}
	}
	fields := map[string]any{}
	var props []ExtendedProperty
	for k, v := range raw {
		if strings.HasPrefix(k, "@odata.") {
			continue // annotations, such as the SDK's @odata.type
		}
		if k == "singleValueExtendedProperties" {
			var ps []struct{ ID, Value string }
			if err := json.Unmarshal(v, &ps); err != nil {
				return nil, nil, &opError{status: 400, code: "BadRequest", msg: "singleValueExtendedProperties must be a list of {id, value}."}
			}
			for _, ep := range ps {
				if ep.ID == "" {
					return nil, nil, &opError{status: 400, code: "BadRequest", msg: "singleValueExtendedProperties: id is required."}
				}
				props = append(props, ExtendedProperty{ID: ep.ID, Value: ep.Value})
			}
			continue
		}
		kind, ok := contactFields[k]
		if !ok {
			return nil, nil, &opError{status: 400, code: "RequestBodyRead", msg: fmt.Sprintf("The property '%s' does not exist on type 'microsoft.graph.contact'.", k)}
		}
		var val any
		var err error
		switch kind {
		case "string":
			var x *string
			err = json.Unmarshal(v, &x)
			if x != nil {
				val = *x
			}
		case "strings":
			var x []string
			err = json.Unmarshal(v, &x)
			val = x
		case "addresses":
			var x []struct {
				Name    string `json:"name"`
				Address string `json:"address"`
			}
			err = json.Unmarshal(v, &x)
			var out []map[string]string
			for _, a := range x {
				out = append(out, map[string]string{"name": a.Name, "address": a.Address})
			}
			val = out
		}
		if err != nil {
			return nil, nil, &opError{status: 400, code: "RequestBodyRead", msg: fmt.Sprintf("The value of '%s' is not a %s.", k, kind)}
		}
		fields[k] = val
	}
	return fields, props, nil
}

func (b *contactBook) touch(c *contact, now time.Time) {
	b.seq++
	c.seq, c.modified, c.changeKey = b.seq, now, newChangeKey()
}

func (b *contactBook) remove(c *contact) {
	b.seq++
	c.deleted, c.seq = true, b.seq
}

func (s *Server) createContact(p *prepared) response {
	b := s.bookLocked(p.target)
	folderID := b.defaultID
	if p.route.folderID != "" {
		if b.folder(p.route.folderID) == nil {
			return errNotFound().response()
		}
		folderID = p.route.folderID
	}
	fields, props, err := readContact(p.call.body)
	if err != nil {
		return err.response()
	}
	now := s.now()
	c := &contact{id: "AAMkContact" + newOpaqueToken(24), folderID: folderID, fields: fields, extProps: props, created: now}
	b.touch(c, now)
	b.contacts[c.id] = c
	b.order = append(b.order, c.id)
	return jsonResponse(http.StatusCreated, s.contactJSON(c, nil))
}

// contactOf finds the contact of the call, in its folder when the path names one.
func (s *Server) contactOf(p *prepared) (*contactBook, *contact) {
	b := s.bookLocked(p.target)
	c, ok := b.contacts[p.route.contactID]
	if !ok || c.deleted || (p.route.folderID != "" && c.folderID != p.route.folderID) {
		return b, nil
	}
	return b, c
}

func (s *Server) contactCall(p *prepared) response {
	b, c := s.contactOf(p)
	if c == nil {
		return errNotFound().response()
	}
	switch p.route.endpoint {
	case EndpointDeleteContact:
		b.remove(c)
		return noContent(http.StatusNoContent)
	case EndpointUpdateContact:
		fields, props, err := readContact(p.call.body)
		if err != nil {
			return err.response()
		}
		for k, v := range fields {
			c.fields[k] = v
		}
		for _, np := range props {
			c.extProps = slices.DeleteFunc(c.extProps, func(ep ExtendedProperty) bool { return strings.EqualFold(ep.ID, np.ID) })
			c.extProps = append(c.extProps, np)
		}
		b.touch(c, s.now())
	}
	expand, err := expandedProps(p.call.query)
	if err != nil {
		return err.response()
	}
	return jsonResponse(http.StatusOK, s.contactJSON(c, expand))
}

func (s *Server) contactJSON(c *contact, expand []string) orderedObject {
	o := orderedObject{}
	o.add("id", c.id)
	o.add("changeKey", c.changeKey)
	o.add("parentFolderId", c.folderID)
	o.add("createdDateTime", c.created.UTC().Format(time.RFC3339))
	o.add("lastModifiedDateTime", c.modified.UTC().Format(time.RFC3339))
	keys := make([]string, 0, len(contactFields))
	for k := range contactFields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, ok := c.fields[k]
		switch {
		case ok && v != nil:
			o.add(k, v)
		case contactFields[k] == "string":
			o.add(k, nil)
		default:
			o.add(k, []any{})
		}
	}
	if len(expand) > 0 {
		var props []map[string]string
		for _, ep := range c.extProps {
			for _, id := range expand {
				if strings.EqualFold(ep.ID, id) {
					props = append(props, map[string]string{"id": ep.ID, "value": ep.Value})
				}
			}
		}
		if props != nil {
			o.add("singleValueExtendedProperties", props)
		}
	}
	return o
}

var expandRe = regexp.MustCompile(`(?i)^singleValueExtendedProperties\(\$filter=(.+)\)$`)

// expandedProps reads $expand=singleValueExtendedProperties($filter=id eq '...' or ...).
func expandedProps(q url.Values) ([]string, *opError) {
	e := q.Get("$expand")
	if e == "" {
		return nil, nil
	}
	m := expandRe.FindStringSubmatch(strings.TrimSpace(e))
	if m == nil {
		return nil, badQuery("Only $expand=singleValueExtendedProperties($filter=id eq '...') is supported on contacts.")
	}
	ids, ok := parseIDClauses(m[1])
	if !ok {
		return nil, badQuery("The $filter of singleValueExtendedProperties must be id eq '...' clauses joined by or.")
	}
	return ids, nil
}

var contactFilterRe = regexp.MustCompile(`(?i)^singleValueExtendedProperties/any\(\s*(\w+)\s*:\s*(\w+)/id\s+eq\s+'((?:[^']|'')*)'\s+and\s+(\w+)/value\s+eq\s+'((?:[^']|'')*)'\s*\)$`)

// listContacts is GET contacts (the default folder) or contactFolders/{id}/contacts, with
// $top (at most 1,000; 10 when not given), $skip, $filter on one extended property and
// $expand of extended properties.
func (s *Server) listContacts(p *prepared) response {
	b := s.bookLocked(p.target)
	folderID := b.defaultID
	if p.route.folderID != "" {
		if b.folder(p.route.folderID) == nil {
			return errNotFound().response()
		}
		folderID = p.route.folderID
	}
	q := p.call.query
	top, skip := 10, 0
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return badQuery("$top must be from 1 to 1000.").response()
		}
		top = n
	}
	if v := q.Get("$skip"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return badQuery("$skip must be a whole number.").response()
		}
		skip = n
	}
	var match func(*contact) bool
	if f := strings.TrimSpace(q.Get("$filter")); f != "" {
		m := contactFilterRe.FindStringSubmatch(f)
		if m == nil || !strings.EqualFold(m[1], m[2]) || !strings.EqualFold(m[1], m[4]) {
			return (&opError{status: 400, code: "ErrorInvalidUrlQueryFilter", msg: "The fake Outlook filters contacts by one extended property only."}).response()
		}
		id, value := unquote(m[3]), unquote(m[5])
		match = func(c *contact) bool {
			return slices.ContainsFunc(c.extProps, func(ep ExtendedProperty) bool { return strings.EqualFold(ep.ID, id) && ep.Value == value })
		}
	}
	expand, err := expandedProps(q)
	if err != nil {
		return err.response()
	}
	var all []*contact
	for _, id := range b.order {
		c := b.contacts[id]
		if !c.deleted && c.folderID == folderID && (match == nil || match(c)) {
			all = append(all, c)
		}
	}
	out := orderedObject{}
	var page []orderedObject
	for i := skip; i < len(all) && i < skip+top; i++ {
		page = append(page, s.contactJSON(all[i], expand))
	}
	out.add("value", nonNil(page))
	if skip+top < len(all) {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("$top", strconv.Itoa(top))
		next.Set("$skip", strconv.Itoa(skip+top))
		out.add("@odata.nextLink", p.call.graphBase+p.call.path+"?"+next.Encode())
	}
	return jsonResponse(http.StatusOK, out)
}

// contactDelta is one round's state: the folder, the book's sequence the client has seen,
// and for a page within a round the rest of the round.
type contactDelta struct {
	mailboxID, folderID string
	seen                int64
	pending             []string // ids still to send in this round
	upTo                int64    // the sequence this round is up to date with
}

// contactsDelta is GET contactFolders/{id}/contacts/delta.
func (s *Server) contactsDelta(p *prepared) response {
	b := s.bookLocked(p.target)
	q := p.call.query
	for k := range q {
		if k != "$select" && k != "$skiptoken" && k != "$deltatoken" {
			return badQuery(fmt.Sprintf("The query option '%s' is not supported with delta on contacts.", k)).response()
		}
	}
	if b.folder(p.route.folderID) == nil {
		return errNotFound().response()
	}
	var st *contactDelta
	switch tok := q.Get("$skiptoken") + q.Get("$deltatoken"); {
	case tok != "":
		var ok bool
		st, ok = s.contactDeltas[tok]
		if !ok || st.mailboxID != p.target.id || st.folderID != p.route.folderID {
			return syncStateNotFound()
		}
		if q.Get("$deltatoken") != "" {
			st = s.newContactRound(b, p.route.folderID, st.seen)
		}
	default:
		st = s.newContactRound(b, p.route.folderID, -1)
	}
	size := 10
	if n := parsePrefer(p.call.header).maxPageSize; n > 0 {
		size = min(n, 1000)
	}
	var page []orderedObject
	for len(st.pending) > 0 && len(page) < size {
		c := b.contacts[st.pending[0]]
		st.pending = st.pending[1:]
		if c.deleted {
			o := orderedObject{}
			o.add("@odata.type", "#microsoft.graph.contact")
			o.add("id", c.id)
			o.add("@removed", map[string]string{"reason": "deleted"})
			page = append(page, o)
			continue
		}
		page = append(page, s.contactJSON(c, nil))
	}
	out := orderedObject{}
	out.add("value", nonNil(page))
	token := newOpaqueToken(24)
	link := p.call.graphBase + p.call.path + "?"
	if len(st.pending) > 0 {
		s.contactDeltas[token] = st
		out.add("@odata.nextLink", link+url.Values{"$skiptoken": {token}}.Encode())
	} else {
		s.contactDeltas[token] = &contactDelta{mailboxID: p.target.id, folderID: p.route.folderID, seen: st.upTo}
		out.add("@odata.deltaLink", link+url.Values{"$deltatoken": {token}}.Encode())
	}
	return jsonResponse(http.StatusOK, out)
}

// newContactRound starts a round of what changed in a folder after seen (-1: everything
// there now, without tombstones).
func (s *Server) newContactRound(b *contactBook, folderID string, seen int64) *contactDelta {
	st := &contactDelta{mailboxID: "", folderID: folderID, seen: seen, upTo: b.seq}
	for _, id := range b.order {
		c := b.contacts[id]
		if c.folderID != folderID || c.seq <= seen || (seen < 0 && c.deleted) {
			continue
		}
		st.pending = append(st.pending, id)
	}
	for mid, book := range s.contactBooks {
		if book == b {
			st.mailboxID = mid
		}
	}
	return st
}

// bookOfLocked is the contacts of the mailbox of an address.
func (s *Server) bookOfLocked(email string) (*contactBook, error) {
	m, err := s.mailboxLocked(email)
	if err != nil {
		return nil, err
	}
	return s.bookLocked(m), nil
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
	b, err := s.bookOfLocked(email)
	if err != nil {
		return err
	}
	c, ok := b.contacts[id]
	if !ok || c.deleted {
		return fmt.Errorf("fakeoutlook: no contact %s in %s", id, email)
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
	b, err := s.bookOfLocked(email)
	if err != nil {
		return err
	}
	c, ok := b.contacts[id]
	if !ok || c.deleted {
		return fmt.Errorf("fakeoutlook: no contact %s in %s", id, email)
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
	now := s.now()
	c := &contact{id: "AAMkContact" + newOpaqueToken(24), folderID: folderID, fields: map[string]any{}, created: now}
	for k, v := range fields {
		c.fields[k] = v
	}
	b.touch(c, now)
	b.contacts[c.id] = c
	b.order = append(b.order, c.id)
	return c.id, nil
}
