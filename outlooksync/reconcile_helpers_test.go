package outlooksync

import (
	"strings"
	"testing"
	"time"

	"intracal/calendar"
)

var (
	tNow    = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tWindow = Window{From: tNow.AddDate(0, 0, -2), To: tNow.AddDate(1, 0, 0)}
)

const tUser = int64(7)

func tp[T any](v T) *T { return &v }

// localEvent is a stored-looking event organized by the test user.
func localEvent(t *testing.T, id int64, title, start, rrule string) *calendar.Event {
	t.Helper()
	e, err := calendar.NewEvent(1, tUser, calendar.EventInput{Title: title, Start: start, End: "", TimeZone: "Europe/Berlin", RRule: rrule})
	if err != nil {
		t.Fatal(err)
	}
	e.ID, e.Version = id, 1
	e.UpdatedAt = tNow.Add(-time.Hour)
	return e
}

// remoteOf renders what Outlook holds for a segment: the master (or single) and its
// instances in the window, with the given exceptions and deleted occurrences.
func remoteOf(t *testing.T, id string, seg calendar.Segment, exceptions map[time.Time]func(*RemoteEvent), deleted ...time.Time) *RemoteSeries {
	t.Helper()
	first, _ := seg.Schedule().FirstStart()
	rec, err := RecurrenceOf(seg)
	if err != nil {
		t.Fatal(err)
	}
	m := RemoteEvent{ID: id, Type: TypeSingle, Subject: seg.Title, Body: seg.Description, Location: seg.Location,
		Start: first.UTC(), End: first.Add(seg.Duration).UTC(), TimeZone: seg.TimeZone, IsAllDay: seg.AllDay,
		Recurrence: rec, IsOrganizer: true, ChangeKey: "ck-" + id, LastModified: tNow.Add(-2 * time.Hour),
		Reminder: calendar.DefaultReminder} // what localEvent's events have, and Graph's default
	rs := &RemoteSeries{Master: m, InstancesRead: true}
	if rec == nil {
		return rs
	}
	rs.Master.Type = TypeMaster
	gone := map[time.Time]bool{}
	for _, d := range deleted {
		gone[d.UTC()] = true
	}
	for _, s := range seg.Schedule().Starts(tWindow.From, tWindow.To, 0) {
		o := s.UTC()
		if gone[o] {
			continue
		}
		in := RemoteEvent{ID: id + "-" + o.Format("20060102"), Type: TypeOccurrence, SeriesMasterID: id, Subject: seg.Title,
			Body: seg.Description, Location: seg.Location, Start: o, End: o.Add(seg.Duration), OriginalStart: tp(o), LastModified: m.LastModified}
		if f := exceptions[o]; f != nil {
			in.Type = TypeException
			f(&in)
		}
		rs.Instances = append(rs.Instances, in)
	}
	return rs
}

// linked is the link of a segment whose base is what both sides hold now.
func linked(e *calendar.Event, i int, remoteID string, instances map[string]InstanceState) Link {
	seg := e.Segments[i]
	return Link{EventID: e.ID, SegmentUID: seg.UID, RemoteID: remoteID, ChangeKey: "ck-" + remoteID,
		Base: Base{Series: LocalSeriesState(seg), Instances: instances, Reminder: reminderState(e.Reminder), Labels: true}}
}

func input(local []*calendar.Event, remote map[string]*RemoteSeries, links ...Link) Input {
	if remote == nil {
		remote = map[string]*RemoteSeries{}
	}
	return Input{UserID: tUser, CalendarID: 1, Window: tWindow, Now: tNow, Local: local, Remote: remote, Links: links}
}

// ops renders the plan's operations as "kind id fields" lines.
func ops(p *Plan) []string {
	var out []string
	for _, o := range p.Ops {
		s := string(o.Op.Kind) + " " + o.Op.ID
		if o.Op.Write != nil {
			s += " " + strings.Join(o.Op.Write.Fields, ",")
		}
		out = append(out, s)
	}
	return out
}

func wantOps(t *testing.T, p *Plan, want ...string) {
	t.Helper()
	got := ops(p)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("ops:\n  %s\nwant:\n  %s\nhistory: %+v", strings.Join(got, "\n  "), strings.Join(want, "\n  "), p.History)
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
