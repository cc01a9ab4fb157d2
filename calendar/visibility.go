package calendar

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Viewer is the person a query or change is made for.
type Viewer struct {
	UserID  int64
	IsAdmin bool
}

// ForbiddenError is ErrForbidden with a message for the person.
type ForbiddenError struct{ Message string }

func (e *ForbiddenError) Error() string { return e.Message }

// Is makes errors.Is(err, ErrForbidden) true.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

func forbidden(msg string) error { return &ForbiddenError{Message: msg} }

// invitedAll reports whether the user is invited to every instance.
func (e *Event) invitedAll(userID int64) bool {
	for _, in := range e.Invitations {
		if in.UserID == userID && in.Instance == nil {
			return true
		}
	}
	return false
}

// invitedTo reports whether the user is invited to the instance originally starting at orig.
func (e *Event) invitedTo(userID int64, orig time.Time) bool {
	for _, in := range e.Invitations {
		if in.UserID == userID && (in.Instance == nil || in.Instance.Equal(orig)) {
			return true
		}
	}
	return false
}

// invitedInstances returns the original starts of the user's one-instance invitations.
func (e *Event) invitedInstances(userID int64) []time.Time {
	var out []time.Time
	for _, in := range e.Invitations {
		if in.UserID == userID && in.Instance != nil {
			out = append(out, *in.Instance)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func (e *Event) isInvited(userID int64) bool {
	for _, in := range e.Invitations {
		if in.UserID == userID {
			return true
		}
	}
	return false
}

// CanSee reports whether the viewer may see the event at all: public events are seen by
// everyone, private ones by their organizer and invitees.
func (e *Event) CanSee(v Viewer) bool {
	if e.DeletedAt != nil {
		return false
	}
	return e.Privacy == Public || e.OrganizerID == v.UserID || e.isInvited(v.UserID)
}

// InstanceOnly reports whether the viewer sees only some instances of the event: an invitee
// of single instances of a private event, who sees each as a single event.
func (e *Event) InstanceOnly(v Viewer) bool {
	return e.Privacy == Private && e.OrganizerID != v.UserID && !e.invitedAll(v.UserID)
}

// seesInstance reports whether the viewer may see the instance originally starting at orig.
func (e *Event) seesInstance(v Viewer, orig time.Time) bool {
	if !e.InstanceOnly(v) {
		return e.CanSee(v)
	}
	return e.invitedTo(v.UserID, orig)
}

// CanEdit reports whether the viewer may edit, delete or invite: the organizer, or a site
// administrator who can see the event.
func (e *Event) CanEdit(v Viewer) bool {
	return e.CanSee(v) && !e.InstanceOnly(v) && (e.OrganizerID == v.UserID || v.IsAdmin)
}

// CheckRSVP says whether the viewer may answer with this scope: anyone who can see a public
// event; a private event only its invitees, within their invitation.
func (e *Event) CheckRSVP(v Viewer, scope Scope, orig time.Time) error {
	if !e.CanSee(v) {
		return ErrNotFound
	}
	if e.Privacy == Public || e.OrganizerID == v.UserID || e.invitedAll(v.UserID) {
		return nil
	}
	if scope != ScopeInstance {
		return forbidden("You were invited to one instance of this private event: you can answer only for that instance.")
	}
	if !e.invitedTo(v.UserID, orig.UTC()) {
		return forbidden("You were not invited to this instance.")
	}
	return nil
}

// ViewFor returns the event as the viewer may see it: the whole event, or, for an invitee of
// single instances of a private event, one single event per invited instance with the
// viewer's own invitations and answers only. Other people's answers to a private event are
// shown only to those who see all of it.
func (e *Event) ViewFor(v Viewer) *Event {
	if !e.InstanceOnly(v) {
		c := e.clone()
		if !e.ownsLabels(v) {
			c.Categories, c.Reminder = nil, Reminder{}
		}
		return c
	}
	c := e.clone()
	c.Categories, c.Reminder = nil, Reminder{}
	c.Segments = nil
	c.Overrides = nil
	for _, orig := range e.invitedInstances(v.UserID) {
		i := e.segmentOf(orig)
		if i < 0 {
			continue
		}
		o := e.override(orig)
		if o != nil && o.Cancelled {
			continue
		}
		seg := e.Segments[i]
		seg.Rule = nil
		seg.Content = effectiveContent(seg.Content, o)
		start, end := orig, orig.Add(seg.Duration)
		if o != nil && o.Start != nil {
			start = *o.Start
		}
		if o != nil && o.End != nil {
			end = *o.End
		}
		if seg.AllDay {
			seg.Start = start.UTC()
		} else {
			seg.Start = start.In(seg.Start.Location())
		}
		seg.Duration = end.Sub(start)
		c.Segments = append(c.Segments, seg)
	}
	var inv []Invitation
	for _, in := range c.Invitations {
		if in.UserID == v.UserID {
			inv = append(inv, in)
		}
	}
	c.Invitations = inv
	var rs []RSVP
	for _, r := range c.RSVPs {
		if r.UserID == v.UserID {
			rs = append(rs, r)
		}
	}
	c.RSVPs = rs
	return c
}

// MaxInvitations is the most invitations an event may hold; an invitation to all instances
// and one to a single instance count one each. Every invitee is a row that reading the
// event, its page and its API answer, and the organizer's Outlook sync go through.
const MaxInvitations = 50000

// Invite invites users to every instance or to the instance originally starting at instance.
// An invitation to all replaces the user's one-instance invitations. An invitation that
// would take the event past MaxInvitations changes nothing and is refused whole.
func (e *Event) Invite(userIDs []int64, scope Scope, instance time.Time) error {
	orig := instance.UTC()
	switch scope {
	case ScopeAll:
	case ScopeInstance:
		if !e.HasInstance(orig) {
			return invalid("instance", "The event has no instance starting at "+orig.Format(time.RFC3339)+".")
		}
	default:
		return invalid("scope", "Scope must be all or instance.")
	}
	// Looked up once: tens of thousands of invitees, each checked against every invitation,
	// took seconds.
	all := map[int64]bool{}    // invited to every instance
	one := map[int64]int{}     // one-instance invitations, by user
	atOrig := map[int64]bool{} // invited to the instance orig
	for _, in := range e.Invitations {
		if in.Instance == nil {
			all[in.UserID] = true
			continue
		}
		one[in.UserID]++
		if in.Instance.Equal(orig) {
			atOrig[in.UserID] = true
		}
	}
	var add []int64
	newAll := map[int64]bool{}
	replaced := 0 // one-instance invitations that the new invitations to all replace
	for _, uid := range userIDs {
		if uid == e.OrganizerID || all[uid] || newAll[uid] || (scope == ScopeInstance && atOrig[uid]) {
			continue
		}
		if scope == ScopeAll {
			newAll[uid] = true
			replaced += one[uid]
		} else {
			atOrig[uid] = true
		}
		add = append(add, uid)
	}
	if n := len(e.Invitations) - replaced + len(add); n > MaxInvitations {
		return invalid("invitees", fmt.Sprintf("An event can have at most %d invitations; this would make it %d. Nobody was invited.", MaxInvitations, n))
	}
	if replaced > 0 {
		e.Invitations = slices.DeleteFunc(e.Invitations, func(in Invitation) bool { return in.Instance != nil && newAll[in.UserID] })
	}
	for _, uid := range add {
		in := Invitation{UserID: uid}
		if scope == ScopeInstance {
			o := orig
			in.Instance = &o
		}
		e.Invitations = append(e.Invitations, in)
	}
	return nil
}

// ownsLabels reports whether the viewer sees the event's categories and reminder: its
// organizer, and whoever may edit it (a form that did not show them would clear them).
func (e *Event) ownsLabels(v Viewer) bool {
	return e.OrganizerID == v.UserID || e.CanEdit(v)
}

// labelsFor is the event's categories as the viewer may see them.
func (e *Event) labelsFor(v Viewer) []string {
	if !e.ownsLabels(v) {
		return nil
	}
	return e.Categories
}
