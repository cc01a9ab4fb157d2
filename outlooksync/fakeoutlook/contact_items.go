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
	c := b.add(folderID, fields, props, s.now())
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
