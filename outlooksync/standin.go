package outlooksync

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"intracal/calendar"
)

// A stand-in is a single Outlook event that shows an instance Outlook can no longer show:
// Outlook deleted the occurrence while My Calendar changed it. The edit wins (nothing is
// lost), but Outlook has no way to bring a deleted occurrence back, so the instance goes to
// Outlook as a single event of its own, linked to the instance. From then on the stand-in is
// that instance in Outlook: changes flow both ways, deleting it in Outlook cancels the
// instance, cancelling the instance here deletes it. A new schedule for the series brings
// the occurrence back in Outlook (Outlook drops its deletions), so the stand-in goes then.

// StandIn is the Outlook single event standing for one instance.
type StandIn struct {
	ID string `json:"id"`
}

// StandInMarker is the extended property value of a stand-in; it does not parse as a
// segment's Marker, so nothing takes a stand-in for a series.
func StandInMarker(eventID int64, segmentUID string, orig time.Time) string {
	return "intracal-instance:" + strconv.FormatInt(eventID, 10) + ":" + segmentUID + ":" + strconv.FormatInt(orig.Unix(), 10)
}

// parseStandInMarker reads a stand-in marker back.
func parseStandInMarker(m string) (eventID int64, uid string, orig time.Time, ok bool) {
	parts := strings.Split(m, ":")
	if len(parts) != 4 || parts[0] != "intracal-instance" {
		return 0, "", time.Time{}, false
	}
	id, err1 := strconv.ParseInt(parts[1], 10, 64)
	sec, err2 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil || parts[2] == "" {
		return 0, "", time.Time{}, false
	}
	return id, parts[2], time.Unix(sec, 0).UTC(), true
}

// standInTransaction is the transactionId of a stand-in's create.
func standInTransaction(userID int64, marker string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("intracal-standin:%d:%s", userID, marker)))
	h := fmt.Sprintf("%x", sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// standInState is what a stand-in read this cycle shows, as an instance.
func standInState(ev RemoteEvent, invitees string) InstanceState {
	return InstanceState{Subject: ev.Subject, Body: ev.Body, Location: ev.Location, Start: ev.Start.UTC(), End: ev.End.UTC(), Invitees: invitees}
}

// standIns folds the stand-ins of a link into Outlook's side of the instance merge: the
// instance is what its stand-in shows; a stand-in deleted in Outlook is a cancelled
// instance; one not read this cycle is unchanged since the base.
func (r *reconciler) standIns(lp *LinkPlan, remote map[string]InstanceState) {
	for k, si := range lp.Base.StandIns {
		base, bok := lp.Base.Instances[k]
		rs := r.in.Remote[si.ID]
		switch {
		case rs == nil:
			if bok {
				remote[k] = base
			}
		case rs.Gone || rs.Master.Removed || rs.Master.IsCancelled:
			remote[k] = InstanceState{Cancelled: true}
		default:
			remote[k] = standInState(rs.Master, base.Invitees)
		}
	}
}

// createStandIn plans the stand-in of an instance, or adopts one an earlier cycle created
// without recording it.
//
// salt tells apart the create of a stand-in that replaces one deleted in Outlook, so that its
// transactionId is new.
func (r *reconciler) createStandIn(e *calendar.Event, lp *LinkPlan, seg calendar.Segment, orig time.Time, st InstanceState, salt string) {
	k := instanceKey(orig)
	marker := StandInMarker(e.ID, lp.SegmentUID, orig)
	for id, rs := range r.in.Remote {
		if rs.Master.Marker == marker && !rs.Gone && !rs.Master.Removed && !r.linked[id] {
			r.linked[id] = true
			lp.setStandIn(k, StandIn{ID: id})
			r.pushStandIn(e, lp, seg, orig, st, standInState(rs.Master, st.Invitees))
			return
		}
	}
	w := &EventWrite{Fields: []string{"subject", "body", "location", "start", "end", "isAllDay"}, Subject: st.Subject, Body: st.Body,
		Location: st.Location, Start: st.Start, End: st.End, TimeZone: seg.TimeZone, IsAllDay: seg.AllDay,
		Private: e.Privacy == calendar.Private, Marker: marker, TransactionID: standInTransaction(r.in.UserID, marker+salt)}
	labelWrite(w, e) // a create sends every field: the stand-in is filed and reminds as the event does
	att := lp.Base.Attendees
	if st.Invitees != "" {
		att = append(append([]string(nil), att...), splitInvitees(st.Invitees)...)
	}
	if len(att) > 0 {
		w.Fields = append(w.Fields, "attendees")
		w.Attendees = attendeeList(nil, "", att, r.in.People)
	}
	r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpCreate, Write: w}, Link: lp, StandIn: k, Purpose: "Instance kept for Outlook"})
	r.history(e.ID, "conflict", "Deleted in Outlook but changed here: the change wins, and Outlook gets it as a single event (it cannot restore a deleted occurrence)", k)
}

// pushStandIn makes a stand-in show st.
func (r *reconciler) pushStandIn(e *calendar.Event, lp *LinkPlan, seg calendar.Segment, orig time.Time, st, have InstanceState) {
	k := instanceKey(orig)
	si := lp.Base.StandIns[k]
	if st.Cancelled || !e.HasInstance(orig) {
		r.deleteStandIn(e, lp, k, "Instance cancelled in My Calendar")
		return
	}
	w := instanceWrite(st, have, seg)
	if len(w.Fields) == 0 {
		return
	}
	r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpUpdate, ID: si.ID, Write: w}, Link: lp, Purpose: "Instance changed in My Calendar"})
	r.history(e.ID, "to Outlook", "Changed in Outlook the single event that stands for one occurrence", k)
}

// deleteStandIn deletes a stand-in in Outlook and forgets it.
func (r *reconciler) deleteStandIn(e *calendar.Event, lp *LinkPlan, k, why string) {
	si, ok := lp.Base.StandIns[k]
	if !ok {
		return
	}
	if rs := r.in.Remote[si.ID]; rs == nil || !rs.Gone {
		r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpDelete, ID: si.ID}, Link: lp, Purpose: why})
		r.history(e.ID, "to Outlook", why+": deleted the single event that stood for it in Outlook", k)
	}
	lp.setStandIn(k, StandIn{})
}

// deleteStandIns deletes every stand-in of a link.
func (r *reconciler) deleteStandIns(e *calendar.Event, lp *LinkPlan, why string) {
	for _, k := range sortedKeys(lp.Base.StandIns) {
		r.deleteStandIn(e, lp, k, why)
	}
}

// setStandIn records (or, with an empty id, forgets) the stand-in of instance k, copying the
// map so that the input's base is never changed.
func (lp *LinkPlan) setStandIn(k string, si StandIn) {
	next := map[string]StandIn{}
	for kk, v := range lp.Base.StandIns {
		next[kk] = v
	}
	if si.ID == "" {
		delete(next, k)
	} else {
		next[k] = si
	}
	if len(next) == 0 {
		next = nil
	}
	lp.Base.StandIns = next
}

// dropOrphanStandIns deletes stand-ins in Outlook that no link claims: left by a cycle that
// stopped before recording them, for an instance that no longer needs one.
func (r *reconciler) dropOrphanStandIns() {
	for _, id := range sortedKeys(r.in.Remote) {
		rs := r.in.Remote[id]
		eventID, _, orig, ok := parseStandInMarker(rs.Master.Marker)
		if !ok || r.linked[id] || rs.Gone || rs.Master.Removed {
			continue
		}
		r.linked[id] = true
		r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpDelete, ID: id}, Purpose: "Unneeded single event for one occurrence"})
		r.history(eventID, "to Outlook", "Deleted a single event this calendar had made for one occurrence and no longer needs", instanceKey(orig))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
