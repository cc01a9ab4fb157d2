package outlooksync

import (
	"slices"
	"testing"

	"intracal/calendar"
)

func TestReconcilePrivateInOutlookMakesTheEventPrivateHere(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	rs := remoteOf(t, "M1", e.Segments[0], nil)
	rs.Master.Private = true
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, linked(e, 0, "M1", nil)))
	if len(p.Changed) != 1 || p.Changed[0].Privacy != calendar.Private {
		t.Fatalf("the event was not made private here: %s", p.Summary())
	}
	wantOps(t, p)
	if !p.Links[0].Base.Private {
		t.Fatal("the base does not remember the series as private")
	}
}

func TestReconcilePrivateHereIsSentAsSensitivity(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	e.Privacy = calendar.Private
	rs := remoteOf(t, "M1", e.Segments[0], nil)
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, linked(e, 0, "M1", nil)))
	wantOps(t, p, "update M1 sensitivity")
	if !p.Ops[0].Op.Write.Private {
		t.Fatal("the update does not make the series private")
	}
}

func TestReconcileImportsPrivateOutlookItemsAsPrivate(t *testing.T) {
	e := localEvent(t, 1, "Doctor", "2026-03-02T09:00:00", "")
	rs := remoteOf(t, "S1", e.Segments[0], nil)
	rs.Master.Private = true
	p := Reconcile(input(nil, map[string]*RemoteSeries{"S1": rs}))
	if len(p.Created) != 1 || p.Created[0].Privacy != calendar.Private {
		t.Fatalf("the import is not private: %s", p.Summary())
	}
}

func TestReconcileNewCreateOfADeletedSeriesTakesItsOwnTransactionID(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	l := linked(e, 0, "M1", nil)
	l.Base.Series.Location = "Room 1" // changed here since: the edit wins over the delete
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": {Master: RemoteEvent{ID: "M1"}, Gone: true}}, l))
	if len(p.Ops) != 1 || p.Ops[0].Op.Kind != OpCreate {
		t.Fatalf("plan %v, want the series created again", ops(p))
	}
	tx := p.Ops[0].Op.Write.TransactionID
	if tx == TransactionID(tUser, 1, e.Segments[0].UID) || tx != RecreateTransactionID(tUser, 1, e.Segments[0].UID, "M1") {
		t.Fatalf("transaction id %q: want one of its own, derived from the deleted item", tx)
	}
	if p.Links[0].Delete || p.Links[0].RemoteID != "M1" {
		t.Fatal("the link must keep naming the deleted item until the create succeeds (a retry sends the same id)")
	}
}

func TestBackstopTakesSeriesInTurn(t *testing.T) {
	all := []string{"d", "b", "a", "c", "e"}
	got, last, _ := nextInTurn(slices.Clone(all), "", 2)
	if !slices.Equal(got, []string{"a", "b"}) || last != "b" {
		t.Fatalf("first turn %v (last %q)", got, last)
	}
	got, last, _ = nextInTurn(slices.Clone(all), last, 2)
	if !slices.Equal(got, []string{"c", "d"}) {
		t.Fatalf("second turn %v", got)
	}
	got, _, _ = nextInTurn(slices.Clone(all), last, 2)
	if !slices.Equal(got, []string{"e", "a"}) {
		t.Fatalf("third turn goes round: %v", got)
	}
	got, _, _ = nextInTurn(slices.Clone(all), "bb", 10)
	if !slices.Equal(got, []string{"c", "d", "e", "a", "b"}) {
		t.Fatalf("after a series that is gone, with room for all: %v", got)
	}
}

func TestShortenedRecognisesTheFirstHalfOfAnOutlookSplit(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	b := LocalSeriesState(e.Segments[0])
	r := b
	short := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", "FREQ=WEEKLY;BYDAY=MO;COUNT=3")
	r.Rule = LocalSeriesState(short.Segments[0]).Rule
	if !shortened(b, r) {
		t.Fatalf("%q -> %q is not seen as a shortening", b.Rule, r.Rule)
	}
	other := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", "FREQ=WEEKLY;BYDAY=TU;COUNT=3")
	if shortened(b, LocalSeriesState(other.Segments[0])) {
		t.Fatal("a new weekday is not a shortening")
	}
}
