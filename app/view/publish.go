package view

import (
	"time"

	"intracal/app/accounts"
	"intracal/outlooksync"
	"intracal/outlooksync/publish"
)

// PublishRow is one member's side of a space published into the members' Outlook, as the
// space's settings page and the Control Panel list it (partials/publish_members.html).
type PublishRow struct {
	Name          string
	Email         string
	State         string // publish.MemberState: published, pending, failing, consent missing
	StateText     string
	Failing       bool
	LastPublished string // "never" before the first good run
	LastRun       string
	Failures      int
	Reason        string // the last run's error
	// Changes says how the member's edits of the copies in Outlook are seen: pushed by
	// change notifications, or found at the next check (and why).
	Changes string
}

// PublishRows turns a space's roster (publish.Roster, failures first) into rows in the
// viewer's zone, with the members' names and addresses from people.
// modes are the targets' push modes (outlooksync.Store.WatchStates), by target id.
func PublishRows(roster []publish.Target, people map[int64]accounts.Person, loc *time.Location, modes map[int64]outlooksync.WatchState) []PublishRow {
	const layout = "2 Jan 2006 15:04"
	when := func(t *time.Time) string {
		if t == nil {
			return "never"
		}
		return t.In(loc).Format(layout)
	}
	out := make([]PublishRow, len(roster))
	for i, t := range roster {
		st := publish.StateOf(t)
		who, known := people[t.UserID]
		r := PublishRow{Name: who.Name, Email: who.Email, State: string(st), StateText: stateText[st], Failing: publish.Failing(t),
			LastPublished: when(t.LastOKAt), LastRun: when(t.LastRunAt), Failures: t.Failures, Reason: t.LastError}
		if !known {
			r.Name = "(deleted user)"
		}
		r.Changes = "Checked every interval"
		if w, ok := modes[t.ID]; ok {
			switch {
			case w.Mode == outlooksync.ModePush && w.Expires != nil:
				r.Changes = "Push: Outlook notifies the member's edits"
			case w.Reason != "":
				r.Changes = "Checked every interval: " + w.Reason
			}
		}
		out[i] = r
	}
	return out
}

var stateText = map[publish.MemberState]string{
	publish.MemberPublished:      "Published",
	publish.MemberPending:        "Pending",
	publish.MemberFailing:        "Failing",
	publish.MemberConsentMissing: "Consent missing",
}
