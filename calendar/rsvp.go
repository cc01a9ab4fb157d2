package calendar

import (
	"sort"
	"time"
)

// SetRSVP records a user's answer and normalises the user's answers: an answer for all
// removes the narrower ones, an answer for following removes those at and after its start, so
// that the effective answer of an instance is the most specific one that covers it.
func (e *Event) SetRSVP(userID int64, scope Scope, instance time.Time, resp Response, now time.Time) error {
	a, err := e.newRSVP(userID, scope, instance, resp, now)
	if err != nil {
		return err
	}
	kept := e.RSVPs[:0]
	for _, r := range e.RSVPs {
		if r.UserID == userID && supersedes(a, r) {
			continue
		}
		kept = append(kept, r)
	}
	e.RSVPs = append(kept, a)
	sort.SliceStable(e.RSVPs, func(i, j int) bool { return e.RSVPs[i].UserID < e.RSVPs[j].UserID })
	return nil
}

// newRSVP checks an answer and returns it as stored: an instance or following answer keyed
// by the instance's original start.
func (e *Event) newRSVP(userID int64, scope Scope, instance time.Time, resp Response, now time.Time) (RSVP, error) {
	switch resp {
	case Yes, No, Maybe:
	default:
		return RSVP{}, invalid("response", "Response must be yes, no or maybe.")
	}
	orig := instance.UTC()
	var key *time.Time
	switch scope {
	case ScopeAll:
	case ScopeInstance, ScopeFollowing:
		if !e.HasInstance(orig) {
			return RSVP{}, invalid("instance", "The event has no instance starting at "+orig.Format(time.RFC3339)+".")
		}
		key = &orig
	default:
		return RSVP{}, invalid("scope", "Scope must be instance, following or all.")
	}
	return RSVP{UserID: userID, Scope: scope, Instance: key, Response: resp, UpdatedAt: now.UTC()}, nil
}

// supersedes reports whether the new answer a replaces the same user's existing answer r.
func supersedes(a, r RSVP) bool {
	switch a.Scope {
	case ScopeAll:
		return true
	case ScopeFollowing:
		return r.Scope != ScopeAll && !r.Instance.Before(*a.Instance)
	default:
		return r.Scope == ScopeInstance && r.Instance.Equal(*a.Instance)
	}
}

// EffectiveRSVP returns the user's answer for the instance originally starting at orig: an
// answer for that instance, else the latest "following" answer that started at or before it,
// else the answer for all; "" when there is none.
func (e *Event) EffectiveRSVP(userID int64, orig time.Time) Response {
	var all, following Response
	var followingFrom time.Time
	for _, r := range e.RSVPs {
		if r.UserID != userID {
			continue
		}
		switch r.Scope {
		case ScopeInstance:
			if r.Instance.Equal(orig) {
				return r.Response
			}
		case ScopeFollowing:
			if !r.Instance.After(orig) && (following == "" || r.Instance.After(followingFrom)) {
				following, followingFrom = r.Response, *r.Instance
			}
		case ScopeAll:
			all = r.Response
		}
	}
	if following != "" {
		return following
	}
	return all
}

// Attendee is an invitee or answerer with their effective answer for one instance.
type Attendee struct {
	UserID   int64
	Invited  bool
	Response Response
}

// Attendees lists, for the instance originally starting at orig, the users invited to it or
// who answered for it, with their effective answers, ordered by user id.
func (e *Event) Attendees(orig time.Time) []Attendee {
	seen := map[int64]*Attendee{}
	var order []int64
	add := func(id int64) *Attendee {
		if a, ok := seen[id]; ok {
			return a
		}
		a := &Attendee{UserID: id}
		seen[id] = a
		order = append(order, id)
		return a
	}
	for _, in := range e.Invitations {
		if in.Instance == nil || in.Instance.Equal(orig) {
			add(in.UserID).Invited = true
		}
	}
	for _, r := range e.RSVPs {
		if resp := e.EffectiveRSVP(r.UserID, orig); resp != "" {
			add(r.UserID).Response = resp
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	out := make([]Attendee, 0, len(order))
	for _, id := range order {
		out = append(out, *seen[id])
	}
	return out
}
