package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// seedSeries creates n daily series of days occurrences, each with its second occurrence
// changed and its third deleted, and returns their ids.
func seedSeries(t *testing.T, f *fixture, n, days int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		start := today().AddDate(0, 0, 1).Add(time.Duration(8+i) * time.Hour)
		m, err := f.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{
			Subject: fmt.Sprintf("Daily %d", i), Start: start, End: start.Add(30 * time.Minute), TimeZone: "Europe/Berlin",
			Recurrence: &fakeoutlook.PatternedRecurrence{
				Pattern: fakeoutlook.RecurrencePattern{Type: "daily", Interval: 1},
				Range:   fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: days},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		room := "Room 9"
		if _, err := f.fake.UpdateOccurrence(mailbox, m.ID, start.AddDate(0, 0, 1), fakeoutlook.Change{Location: &room}); err != nil {
			t.Fatal(err)
		}
		if err := f.fake.DeleteOccurrence(mailbox, m.ID, start.AddDate(0, 0, 2)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	return ids
}

// seedSingles creates n single events and returns their ids.
func seedSingles(t *testing.T, f *fixture, n int) []string {
	t.Helper()
	var ids []string
	start := today().AddDate(0, 0, 3).Add(9 * time.Hour)
	for i := range n {
		ev, err := f.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: fmt.Sprintf("One-off %d", i),
			Start: start.Add(time.Duration(i) * time.Minute), End: start.Add(time.Duration(i+30) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ev.ID)
	}
	return ids
}

// signIn makes one request, so that only the read's requests are counted after it.
func signIn(t *testing.T, f *fixture) {
	t.Helper()
	if _, err := f.client.Me(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.fake.ResetRequests()
}

func sortedInstances(m map[string]*outlooksync.RemoteSeries) {
	for _, rs := range m {
		slices.SortFunc(rs.Instances, func(a, b outlooksync.RemoteEvent) int { return strings.Compare(a.ID, b.ID) })
	}
}

func TestReadSeriesReadsWhatEventAndInstancesReadInFewBatches(t *testing.T) {
	f := newFixture(t, Options{PageSize: 3})
	masters := seedSeries(t, f, 3, 8) // 7 instances each: three pages of at most 3
	singles := seedSingles(t, f, 40)
	const missing = "AAMkNoSuchEvent="
	ids := append(append(append([]string{}, singles...), masters...), missing, singles[0]) // 44 distinct
	signIn(t, f)

	got, err := f.client.ReadSeries(t.Context(), ids, window())
	if err != nil {
		t.Fatal(err)
	}
	// 44 events in 3 batches of at most 20, then the 3 masters' instances in one batch
	// per page: 3 pages.
	if n := f.fake.GraphRequestCount(mailbox); n != 6 {
		t.Errorf("the read took %d HTTP requests, want 6 $batch requests", n)
	}
	counts := f.fake.RequestCounts(mailbox)
	if counts[fakeoutlook.EndpointBatch] != 6 || counts[fakeoutlook.EndpointGetEvent] != 44 || counts[fakeoutlook.EndpointInstances] != 9 {
		t.Errorf("requests by endpoint %v, want 6 batches holding 44 event reads and 9 instance pages", counts)
	}
	for _, r := range f.fake.Requests() {
		if r.Status == http.StatusTooManyRequests {
			t.Errorf("%s %s was throttled: more than four requests were at Outlook at once", r.Method, r.Path)
		}
	}
	if len(got) != 44 {
		t.Errorf("read %d items, want 44", len(got))
	}
	if rs := got[missing]; rs == nil || !rs.Gone || rs.Master.ID != missing {
		t.Errorf("the missing item read as %+v, want Gone", rs)
	}
	for _, id := range masters {
		rs := got[id]
		if rs == nil || rs.Master.Type != outlooksync.TypeMaster || !rs.InstancesRead || len(rs.Instances) != 7 || rs.Master.Recurrence == nil {
			t.Fatalf("master %s read as %+v", id, rs)
		}
		var changed int
		for _, in := range rs.Instances {
			if in.Type == outlooksync.TypeException && in.Location == "Room 9" {
				changed++
			}
		}
		if changed != 1 || len(rs.Master.CancelledOccurrences) != 1 {
			t.Errorf("master %s: %d changed instances and cancelled occurrences %v, want 1 and 1", id, changed, rs.Master.CancelledOccurrences)
		}
	}
	if rs := got[singles[5]]; rs == nil || rs.Master.Type != outlooksync.TypeSingle || rs.InstancesRead || rs.Master.Subject != "One-off 5" {
		t.Errorf("single read as %+v", rs)
	}

	// The same as reading one item at a time.
	want, err := outlooksync.ReadEach(t.Context(), f.client, ids, window())
	if err != nil {
		t.Fatal(err)
	}
	sortedInstances(got)
	sortedInstances(want)
	if !reflect.DeepEqual(got, want) {
		for id := range want {
			if !reflect.DeepEqual(got[id], want[id]) {
				t.Errorf("%s: batched %+v\none at a time %+v", id, got[id], want[id])
			}
		}
	}
}

func TestReadSeriesOfNothingSendsNothing(t *testing.T) {
	f := newFixture(t, Options{})
	signIn(t, f)
	got, err := f.client.ReadSeries(t.Context(), nil, window())
	if err != nil || len(got) != 0 {
		t.Errorf("ReadSeries(nil) = %v, %v", got, err)
	}
	if n := f.fake.GraphRequestCount(mailbox); n != 0 {
		t.Errorf("reading nothing took %d requests", n)
	}
}

func TestReadSeriesResendsThrottledReads(t *testing.T) {
	f := newFixture(t, Options{PageSize: 3})
	masters := seedSeries(t, f, 2, 8)
	ids := append(seedSingles(t, f, 5), masters...)
	signIn(t, f)
	f.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultThrottle, Endpoint: fakeoutlook.EndpointGetEvent, Times: 3})
	f.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultUnavailable, Endpoint: fakeoutlook.EndpointInstances, Times: 2})
	got, err := f.client.ReadSeries(t.Context(), ids, window())
	if err != nil {
		t.Fatalf("after inner 429s and 503s: %v", err)
	}
	for _, id := range ids {
		if rs := got[id]; rs == nil || rs.Gone {
			t.Errorf("%s read as %+v", id, rs)
		}
	}
	for _, id := range masters {
		if n := len(got[id].Instances); n != 7 {
			t.Errorf("master %s: %d instances, want 7", id, n)
		}
	}
	var throttled int
	for _, r := range f.fake.Requests() {
		if r.InBatch && (r.Status == http.StatusTooManyRequests || r.Status == http.StatusServiceUnavailable) {
			throttled++
		}
	}
	if throttled != 5 {
		t.Errorf("%d inner requests were throttled, want the 5 injected", throttled)
	}

	// Throttled beyond the retries: the whole read fails.
	f.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultThrottle, Endpoint: fakeoutlook.EndpointGetEvent, Mailbox: mailbox})
	got, err = f.client.ReadSeries(t.Context(), ids, window())
	var thr *outlooksync.ThrottledError
	if !errors.As(err, &thr) || thr.Status != http.StatusTooManyRequests || got != nil {
		t.Errorf("always throttled: %v, %v; want a *ThrottledError and no result", got, err)
	}
}

func TestReadSeriesFailsWholeOnAnInnerServerError(t *testing.T) {
	f := newFixture(t, Options{PageSize: 3})
	masters := seedSeries(t, f, 2, 8)
	singles := seedSingles(t, f, 3)
	ids := append(append([]string{}, singles...), masters...)
	tests := []struct {
		name  string
		fails func(body map[string]any) bool
	}{
		{"a single event's read", func(b map[string]any) bool { return b["id"] == singles[1] }},
		{"a master's instance page", func(b map[string]any) bool {
			ctx, _ := b["@odata.context"].(string)
			return strings.Contains(ctx, "('"+masters[1]+"')/instances") && b["@odata.nextLink"] == nil
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(f.srv.URL, f.tokens, &http.Client{Transport: &innerFailure{next: http.DefaultTransport, fails: tc.fails}}, Options{PageSize: 3})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.ReadSeries(t.Context(), ids, window())
			var ge *Error
			if !errors.As(err, &ge) || ge.Status != http.StatusInternalServerError || got != nil {
				t.Errorf("an inner 500 in %s: %v, %v; want a status 500 error and no result", tc.name, got, err)
			}
			if errors.Is(err, outlooksync.ErrRemoteNotFound) {
				t.Errorf("an inner 500 reads as not found: %v", err)
			}
		})
	}
}

// innerFailure answers 500 instead of the inner $batch answers whose body fails names.
type innerFailure struct {
	next  http.RoundTripper
	fails func(body map[string]any) bool
}

func (t *innerFailure) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/$batch") || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var batch struct {
		Responses []map[string]any `json:"responses"`
	}
	if err := json.Unmarshal(data, &batch); err != nil {
		return nil, err
	}
	for _, r := range batch.Responses {
		if body, ok := r["body"].(map[string]any); ok && t.fails(body) {
			r["status"] = http.StatusInternalServerError
			r["body"] = map[string]any{"error": map[string]any{"code": "InternalServerError", "message": "Something went wrong."}}
		}
	}
	if data, err = json.Marshal(batch); err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	resp.ContentLength = int64(len(data))
	resp.Header.Del("Content-Length")
	return resp, nil
}
