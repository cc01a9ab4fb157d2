package fakeoutlook

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

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
