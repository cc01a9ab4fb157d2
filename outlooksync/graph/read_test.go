package graph

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

func TestEveryRequestIsAuthenticatedAndAsksForImmutableIDs(t *testing.T) {
	f := newFixture(t, Options{})
	acct, err := f.client.Me(t.Context())
	if err != nil {
		t.Fatalf("Me against the fake on %s: %v", f.srv.URL, err)
	}
	if acct.Mail != mailbox || acct.ID == "" || acct.DisplayName != "Anna Berg" {
		t.Errorf("Me = %+v", acct)
	}
	if _, err := f.client.Delta(t.Context(), "", window(), nil); err != nil {
		t.Fatal(err)
	}
	reqs := f.rec.all()
	if len(reqs) < 2 {
		t.Fatalf("recorded %d requests", len(reqs))
	}
	for _, r := range reqs {
		if !strings.HasPrefix(r.path, "/v1.0/me") {
			t.Errorf("%s %s: want a /v1.0/me path (the me-token-to-replace rewrite)", r.method, r.path)
		}
		if !strings.HasPrefix(r.header.Get("Authorization"), "Bearer ") {
			t.Errorf("%s %s went without a bearer token", r.method, r.path)
		}
		if !r.prefers(`IdType="ImmutableId"`) {
			t.Errorf("%s %s: no Prefer IdType=ImmutableId (got %q)", r.method, r.path, r.header.Values("Prefer"))
		}
	}
}

func TestTokenProviderOnlyServesTheGraphHost(t *testing.T) {
	tp, err := newTokenProvider(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "secret-access"}), "graph.example.org")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, url, want string
		wantErr         bool
	}{
		{"the graph host", "https://graph.example.org/v1.0/me", "secret-access", false},
		{"the graph host in capitals", "https://GRAPH.example.org/v1.0/me", "secret-access", false},
		{"another host", "https://evil.example.net/v1.0/me", "", false},
		{"microsoft's host when another is configured", "https://graph.microsoft.com/v1.0/me", "", false},
		{"plain http off loopback", "http://graph.example.org/v1.0/me", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := url.Parse(tc.url)
			got, err := tp.GetAuthorizationToken(t.Context(), u, nil)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("token for %s = %q, %v; want %q (error %t)", tc.url, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestDeltaFollowsPagesUntilTheDeltaLink(t *testing.T) {
	f := newFixture(t, Options{PageSize: 3})
	start := today().Add(9 * time.Hour)
	master, err := f.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{
		Subject: "Stand-up", Start: start, End: start.Add(15 * time.Minute), TimeZone: "Europe/Berlin",
		Recurrence: &fakeoutlook.PatternedRecurrence{
			Pattern: fakeoutlook.RecurrencePattern{Type: "daily", Interval: 1},
			Range:   fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: 7},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var progress []int
	res, err := f.client.Delta(t.Context(), "", window(), func(n int) { progress = append(progress, n) })
	if err != nil {
		t.Fatal(err)
	}
	if res.DeltaLink == "" || res.Pages < 3 || len(progress) != res.Pages {
		t.Fatalf("delta: %d pages, link %q, progress %v", res.Pages, res.DeltaLink, progress)
	}
	var occurrences int
	for _, it := range res.Items {
		if it.Type == outlooksync.TypeOccurrence && it.SeriesMasterID == master.ID {
			occurrences++
			// Delta sends occurrences as stubs: id, type, master, start and end.
			if it.Start.IsZero() || !it.End.After(it.Start) {
				t.Errorf("occurrence stub without start and end: %+v", it)
			}
		}
	}
	if occurrences != 7 {
		t.Errorf("delta returned %d occurrences of the series, want 7", occurrences)
	}
	for _, r := range f.rec.all() {
		if strings.Contains(r.path, "delta") && !r.prefers("odata.maxpagesize=3") {
			t.Errorf("delta page request without Prefer odata.maxpagesize=3: %q", r.header.Values("Prefer"))
		}
	}

	// A change shows up on the next round, read from the delta link.
	subject := "Stand-up (moved online)"
	if _, err := f.fake.UpdateEvent(mailbox, master.ID, fakeoutlook.Change{Subject: &subject}); err != nil {
		t.Fatal(err)
	}
	next, err := f.client.Delta(t.Context(), res.DeltaLink, outlooksync.Window{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Delta has no series masters (as calendarView): the series shows through its occurrences.
	if !slices.ContainsFunc(next.Items, func(e outlooksync.RemoteEvent) bool { return e.SeriesMasterID == master.ID }) {
		t.Errorf("the change is not in the next delta: %+v", next.Items)
	}

	// An expired token means a full read, never "everything was deleted".
	if err := f.fake.ExpireDeltaTokens(mailbox); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Delta(t.Context(), next.DeltaLink, outlooksync.Window{}, nil); !errors.Is(err, outlooksync.ErrResyncNeeded) {
		t.Errorf("delta with an expired token: %v, want ErrResyncNeeded", err)
	}
}

func TestDeltaGivesUpOnEndlessPages(t *testing.T) {
	f := newFixture(t, Options{PageSize: 1, MaxDeltaPages: 2})
	start := today().Add(9 * time.Hour)
	for i := range 4 {
		if _, err := f.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "one-off", Start: start.Add(time.Duration(i) * time.Hour), End: start.Add(time.Duration(i)*time.Hour + time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.client.Delta(t.Context(), "", window(), nil); !errors.Is(err, outlooksync.ErrResyncNeeded) {
		t.Errorf("delta over the page cap: %v, want ErrResyncNeeded", err)
	}
}

func TestEventReadsRecurrenceCancelledOccurrencesAndInstances(t *testing.T) {
	f := newFixture(t, Options{})
	start := today().AddDate(0, 0, 1).Add(8 * time.Hour) // 09:00 or 10:00 in Berlin
	master, err := f.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{
		Subject: "Weekly review", Body: "Agenda & notes", Location: "Room 4",
		Start: start, End: start.Add(time.Hour), TimeZone: "W. Europe Standard Time",
		Recurrence: &fakeoutlook.PatternedRecurrence{
			Pattern: fakeoutlook.RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: []string{strings.ToLower(start.In(berlin(t)).Weekday().String())}},
			Range:   fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: 5},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	third := start.AddDate(0, 0, 14)
	if err := f.fake.DeleteOccurrence(mailbox, master.ID, third); err != nil {
		t.Fatal(err)
	}
	ev, err := f.client.Event(t.Context(), master.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != outlooksync.TypeMaster || ev.Subject != "Weekly review" || ev.Body != "Agenda & notes" ||
		ev.Location != "Room 4" || ev.TimeZone != "Europe/Berlin" || !ev.Start.Equal(start) {
		t.Errorf("master read as %+v", ev)
	}
	if ev.Recurrence == nil || ev.Recurrence.Pattern.Type != "weekly" || ev.Recurrence.Range.Type != "numbered" ||
		ev.Recurrence.Range.NumberOfOccurrences != 5 || ev.Recurrence.Range.RecurrenceTimeZone != "Europe/Berlin" {
		t.Errorf("recurrence read as %+v", ev.Recurrence)
	}
	wantDate := third.In(berlin(t)).Format("2006-01-02")
	if !slices.Equal(ev.CancelledOccurrences, []string{wantDate}) {
		t.Errorf("cancelled occurrences %v, want [%s]", ev.CancelledOccurrences, wantDate)
	}
	inst, err := f.client.Instances(t.Context(), master.ID, window())
	if err != nil {
		t.Fatal(err)
	}
	if len(inst) != 4 {
		t.Errorf("instances: %d, want the 4 left of 5", len(inst))
	}
	for _, in := range inst {
		if in.OriginalStart != nil && in.OriginalStart.Equal(third) {
			t.Errorf("the deleted occurrence is listed: %+v", in)
		}
	}
	if _, err := f.client.Event(t.Context(), "AAMkNoSuchEvent="); !errors.Is(err, outlooksync.ErrRemoteNotFound) {
		t.Errorf("reading a missing event: %v, want ErrRemoteNotFound", err)
	}
}

func TestThrottledRequestsAreRetriedAfterRetryAfter(t *testing.T) {
	f := newFixture(t, Options{MaxRetries: 2})
	f.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultThrottle, Endpoint: fakeoutlook.EndpointUser, Times: 2})
	if _, err := f.client.Me(t.Context()); err != nil {
		t.Fatalf("two 429s then success: %v", err)
	}
	f.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultThrottle, Endpoint: fakeoutlook.EndpointUser, Times: 5})
	_, err := f.client.Me(t.Context())
	var thr *outlooksync.ThrottledError
	if !errors.As(err, &thr) || thr.Status != 429 {
		t.Errorf("throttled beyond the retries: %v, want *ThrottledError", err)
	}
}

func TestExpiredAccessTokenIsRenewedOnce(t *testing.T) {
	f := newFixture(t, Options{})
	if _, err := f.client.Me(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := f.fake.ExpireAccessTokens(mailbox); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Me(t.Context()); err != nil {
		t.Fatalf("after the access token expired: %v", err)
	}
	if f.tokens.invalidated != 1 || f.tokens.fetches != 2 {
		t.Errorf("invalidated %d, fetched %d; want the 401 to fetch one new token", f.tokens.invalidated, f.tokens.fetches)
	}
}

func TestRefusedRefreshMeansReconnect(t *testing.T) {
	f := newFixture(t, Options{})
	f.tokens.err = &oauth2.RetrieveError{ErrorCode: "invalid_grant", ErrorDescription: "AADSTS50173: revoked"}
	_, err := f.client.Me(t.Context())
	if !errors.Is(err, outlooksync.ErrReconnectNeeded) {
		t.Errorf("invalid_grant: %v, want ErrReconnectNeeded", err)
	}
	results := f.client.Apply(t.Context(), []outlooksync.Op{{Kind: outlooksync.OpDelete, ID: "x"}})
	if !errors.Is(results[0].Err, outlooksync.ErrReconnectNeeded) {
		t.Errorf("batch with invalid_grant: %v, want ErrReconnectNeeded", results[0].Err)
	}
}

func TestAtMostFourRequestsAtOnceForAMailbox(t *testing.T) {
	f := newFixture(t, Options{})
	ids := make([]string, 6)
	start := today().Add(10 * time.Hour)
	for i := range ids {
		ev, err := f.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "slot", Start: start, End: start.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = ev.ID
	}
	if _, err := f.client.Me(t.Context()); err != nil { // sign in before the race
		t.Fatal(err)
	}
	release := make(chan struct{})
	f.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultSlow, Endpoint: fakeoutlook.EndpointGetEvent, Release: release})
	errs := make(chan error, len(ids))
	for _, id := range ids {
		go func() {
			_, err := f.client.Event(t.Context(), id)
			errs <- err
		}()
	}
	if err := f.fake.WaitInFlight(t.Context(), mailbox, 4); err != nil {
		t.Fatal(err)
	}
	close(release)
	for range ids {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	for _, r := range f.fake.Requests() {
		if r.Status == 429 {
			t.Errorf("%s %s was throttled: more than four requests were at Outlook at once", r.Method, r.Path)
		}
	}
}

func window() outlooksync.Window {
	return outlooksync.Window{From: today().AddDate(0, 0, -2), To: today().AddDate(0, 2, 0)}
}

func today() time.Time {
	return time.Now().UTC().Truncate(24 * time.Hour)
}

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
