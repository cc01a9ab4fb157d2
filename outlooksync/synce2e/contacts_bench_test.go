package synce2e

import (
	"context"
	"testing"
	"time"

	"intracal/migrations/dbtest"
	"intracal/outlooksync/contacts"
)

// BenchmarkContactList2000To500 pushes a list of 2,000 people into 500 target mailboxes
// against the fake through the Graph adapter and reports the HTTP requests to Graph and the
// wall time of the first push, of the changes run after one person changed, of an idle
// changes run, and of an idle check (reading every folder).
// Run: go test -run '^$' -bench ContactList2000To500 -benchtime 1x ./outlooksync/synce2e
func BenchmarkContactList2000To500(b *testing.B) {
	for range b.N {
		w := newContactsWorld(b, dbtest.SQLite(b), 2000)
		var targets []int64
		for i := 1; i <= 500; i++ {
			targets = append(targets, w.id(i))
		}
		w.dir.groups["space:1"] = targets
		l := w.save(contacts.List{Name: "Everyone", Source: contacts.Spec{Kind: contacts.KindEveryone},
			Target: contacts.Spec{Kind: contacts.KindSpace, Value: "1"}, Folder: contacts.FolderList,
			Write: contacts.Fields(), Overwrite: contacts.Fields(), Interval: time.Hour})
		measure := func(name string, prep func()) {
			prep()
			w.fake.ResetRequests()
			start := time.Now()
			runs := w.cycle()
			d := time.Since(start)
			if runs[0].Failed != 0 {
				b.Fatalf("%s: %+v", name, runs[0])
			}
			b.ReportMetric(float64(w.fake.GraphRequestCount("")), name+"-requests")
			b.ReportMetric(d.Seconds(), name+"-s")
			b.Logf("%s: %d requests, %s, %+v", name, w.fake.GraphRequestCount(""), d.Round(time.Millisecond), runs[0])
		}
		measure("first", func() {})
		measure("changed", func() {
			w.clock.Advance(time.Minute)
			w.dir.set(w.id(1234), contacts.FieldMobilePhone, "+49 170 555")
		})
		measure("idle", func() { w.clock.Advance(time.Minute) })
		measure("check", func() {
			if err := w.pusher.SyncNow(context.Background(), l.ID); err != nil {
				b.Fatal(err)
			}
		})
	}
}
