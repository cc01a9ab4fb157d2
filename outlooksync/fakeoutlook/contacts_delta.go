package fakeoutlook

import (
	"fmt"
	"net/http"
	"net/url"
)

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
