package outlooksync

import (
	"context"
	"slices"
	"strings"
	"time"

	"intracal/calendar"
)

// Directory finds site users by e-mail address, for meetings: Outlook attendees who are site
// users become invitees, and invitees are sent to Outlook as attendees. Addresses compare
// case-insensitively.
type Directory interface {
	// UserIDs maps the addresses that belong to site users (lower-cased) to their ids.
	UserIDs(ctx context.Context, emails []string) (map[string]int64, error)
	// Emails maps user ids to their lower-cased addresses.
	Emails(ctx context.Context, ids []int64) (map[int64]string, error)
}

// People is what one reconciliation knows of the people involved: the addresses of the
// local events' invitees and the site users among the Outlook attendees.
type People struct {
	Emails  map[int64]string
	UserIDs map[string]int64
}

func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// localAttendees lists the addresses of the users invited to every instance of e, sorted.
func (p People) localAttendees(e *calendar.Event) []string {
	var out []string
	for _, in := range e.Invitations {
		if in.Instance != nil {
			continue
		}
		if m := p.Emails[in.UserID]; m != "" {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// remoteAttendees lists the addresses of an Outlook item's attendees who are site users,
// sorted, leaving out the organizer and resources.
func (p People) remoteAttendees(ev RemoteEvent) []string {
	var out []string
	for _, a := range ev.Attendees {
		m := normEmail(a.Email)
		if a.Type == "resource" || m == "" || m == normEmail(ev.Organizer) {
			continue
		}
		if _, ok := p.UserIDs[m]; ok {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// mergeAttendees merges the site-user attendee sets of both sides against the base, address
// by address: an address added or removed on one side is added or removed on the other.
func mergeAttendees(local, base, remote []string) []string {
	all := slices.Concat(local, base, remote)
	slices.Sort(all)
	all = slices.Compact(all)
	var out []string
	for _, m := range all {
		inL, inB, inR := slices.Contains(local, m), slices.Contains(base, m), slices.Contains(remote, m)
		if inL != inB {
			if inL {
				out = append(out, m)
			}
			continue
		}
		if inR {
			out = append(out, m)
		}
	}
	return out
}

// attendeeList is the full list to send to Outlook so that its site-user attendees become
// target: Outlook's other attendees (guests, rooms) stay as they are.
func attendeeList(have []Attendee, organizer string, target []string, people People) []Attendee {
	var out []Attendee
	seen := map[string]bool{}
	for _, a := range have {
		m := normEmail(a.Email)
		if m == "" || m == normEmail(organizer) || seen[m] {
			continue
		}
		if _, site := people.UserIDs[m]; site && a.Type != "resource" && !slices.Contains(target, m) {
			continue
		}
		seen[m] = true
		out = append(out, Attendee{Email: a.Email, Name: a.Name, Type: a.Type})
	}
	for _, m := range target {
		if !seen[m] {
			seen[m] = true
			out = append(out, Attendee{Email: m, Type: "required"})
		}
	}
	return out
}

// answerOf reads Outlook's response as a My Calendar answer ("" for none).
func answerOf(response string) calendar.Response {
	switch response {
	case "accepted":
		return calendar.Yes
	case "tentativelyAccepted":
		return calendar.Maybe
	case "declined":
		return calendar.No
	}
	return ""
}

// responseOf is the Outlook response that sends a My Calendar answer.
func responseOf(a calendar.Response) string {
	switch a {
	case calendar.Yes:
		return "accepted"
	case calendar.Maybe:
		return "tentativelyAccepted"
	case calendar.No:
		return "declined"
	}
	return ""
}

// instanceInvitees lists, comma separated, the addresses of the users invited to the instance
// of e originally starting at orig and not to every instance.
func (p People) instanceInvitees(e *calendar.Event, orig time.Time) string {
	var out []string
	for _, in := range e.Invitations {
		if in.Instance != nil && in.Instance.Equal(orig) {
			if m := p.Emails[in.UserID]; m != "" {
				out = append(out, m)
			}
		}
	}
	slices.Sort(out)
	return strings.Join(slices.Compact(out), ",")
}

// occurrenceInvitees lists, comma separated, the site users who attend an Outlook occurrence
// and not its series.
func (p People) occurrenceInvitees(master, occ RemoteEvent) string {
	series := p.remoteAttendees(master)
	var out []string
	for _, m := range p.remoteAttendees(occ) {
		if !slices.Contains(series, m) {
			out = append(out, m)
		}
	}
	return strings.Join(out, ",")
}

// splitInvitees reads an InstanceState's Invitees back.
func splitInvitees(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
