package outlooksync

import (
	"context"
	"fmt"

	"intracal/calendar"
)

// invitees resolves the addresses of the local events' invitees.
func (en *Engine) invitees(ctx context.Context, local []*calendar.Event) (People, error) {
	p := People{Emails: map[int64]string{}, UserIDs: map[string]int64{}}
	if en.People == nil {
		return p, nil
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, e := range local {
		for _, in := range e.Invitations {
			if !seen[in.UserID] {
				seen[in.UserID] = true
				ids = append(ids, in.UserID)
			}
		}
	}
	if len(ids) == 0 {
		return p, nil
	}
	emails, err := en.People.Emails(ctx, ids)
	if err != nil {
		return p, fmt.Errorf("look up invitees: %w", err)
	}
	for id, m := range emails {
		m = normEmail(m)
		p.Emails[id] = m
		p.UserIDs[m] = id
	}
	return p, nil
}

// attendeesOf adds to p the site users among the attendees of the Outlook items read.
func (en *Engine) attendeesOf(ctx context.Context, remote map[string]*RemoteSeries, p *People) error {
	if en.People == nil {
		return nil
	}
	var emails []string
	seen := map[string]bool{}
	add := func(m string) {
		m = normEmail(m)
		if m != "" && !seen[m] {
			if _, known := p.UserIDs[m]; !known {
				seen[m] = true
				emails = append(emails, m)
			}
		}
	}
	for _, rs := range remote {
		add(rs.Master.Organizer)
		for _, a := range rs.Master.Attendees {
			add(a.Email)
		}
		for _, in := range rs.Instances {
			for _, a := range in.Attendees {
				add(a.Email)
			}
		}
	}
	if len(emails) == 0 {
		return nil
	}
	ids, err := en.People.UserIDs(ctx, emails)
	if err != nil {
		return fmt.Errorf("look up attendees: %w", err)
	}
	for m, id := range ids {
		m = normEmail(m)
		p.UserIDs[m] = id
		if p.Emails[id] == "" {
			p.Emails[id] = m
		}
	}
	return nil
}
