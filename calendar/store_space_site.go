package calendar

import (
	"context"
)

// What a site administrator sees of spaces in the Control Panel, where publishing into the
// members' Outlook is looked after for the whole site: every space, private ones included,
// with its members; never its events, which stay hidden from them as everywhere else.

// SiteSpaces lists every space by name, with the viewer's role where they are a member; site
// administrators only.
func (s *Store) SiteSpaces(ctx context.Context, v Viewer) ([]Space, error) {
	if !v.IsAdmin {
		return nil, forbidden("Only site administrators can list every space.")
	}
	return s.spacesOf(ctx, v, s.db.Model(&spaceRow{}))
}

// SiteSpace returns any space, as SiteSpaces lists it, with its members, administrators
// first; site administrators only. A space that does not exist is ErrNotFound.
func (s *Store) SiteSpace(ctx context.Context, v Viewer, id int64) (Space, []SpaceMember, error) {
	if !v.IsAdmin {
		return Space{}, nil, forbidden("Only site administrators can look at every space.")
	}
	list, err := s.spacesOf(ctx, v, s.db.Model(&spaceRow{}).Where("id = ?", id))
	if err != nil {
		return Space{}, nil, err
	}
	if len(list) == 0 {
		return Space{}, nil, ErrNotFound
	}
	members, err := s.members(ctx, id)
	if err != nil {
		return Space{}, nil, err
	}
	return list[0], members, nil
}
