package calendar_test

import (
	"context"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// crowdedEvent stores, on SQLite, a public weekly event of 30 instances organized by alice
// with n invitees (user ids 100 on), each of whom has answered yes for all instances, and
// returns its id and its instances' original starts. The children are set directly: what is
// measured is the answer, not the setting up.
func crowdedEvent(tb testing.TB, st *calendar.Store, n int) (int64, []time.Time) {
	tb.Helper()
	ctx := context.Background()
	cal, err := st.MyCalendar(ctx, alice.UserID)
	if err != nil {
		tb.Fatal(err)
	}
	e, err := calendar.NewEvent(cal, alice.UserID, calendar.EventInput{Title: "All hands", Start: "2026-03-02T09:00:00",
		End: "2026-03-02T10:00:00", TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;COUNT=30"})
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		uid := int64(100 + i)
		e.Invitations = append(e.Invitations, calendar.Invitation{UserID: uid})
		e.RSVPs = append(e.RSVPs, calendar.RSVP{UserID: uid, Scope: calendar.ScopeAll, Response: calendar.Yes, UpdatedAt: now})
	}
	if err := st.Create(ctx, e); err != nil {
		tb.Fatal(err)
	}
	var origs []time.Time
	for _, oc := range e.Instances(alice, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"), false) {
		origs = append(origs, oc.OriginalStart)
	}
	if len(origs) != 30 {
		tb.Fatalf("%d instances, want 30", len(origs))
	}
	return e.ID, origs
}

// benchAnswer times one invitee's answer for one instance, through Store.Answer, on an
// event with n invitees who all answered.
func benchAnswer(b *testing.B, n int) {
	st := calendar.NewStore(dbtest.SQLite(b))
	id, origs := crowdedEvent(b, st, n)
	ctx := context.Background()
	answers := []calendar.Response{calendar.No, calendar.Maybe, calendar.Yes}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		who := calendar.Viewer{UserID: int64(100 + i%n)}
		if err := st.Answer(ctx, who, id, calendar.ScopeInstance, origs[i%len(origs)], answers[i%len(answers)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnswerOn10000InviteeEvent is the figure of issue 12 item 5: an answer on an event
// with 10,000 invitees must cost what it costs on a small one (BenchmarkAnswerOn10InviteeEvent).
func BenchmarkAnswerOn10000InviteeEvent(b *testing.B) { benchAnswer(b, 10000) }
func BenchmarkAnswerOn10InviteeEvent(b *testing.B)    { benchAnswer(b, 10) }
