package publish

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"intracal/calendar"
)

// MemberState is how a member's side of a published space stands, as the pages and the API
// name it.
type MemberState string

const (
	MemberPublished      MemberState = "published"       // the last run wrote their calendar
	MemberPending        MemberState = "pending"         // no run yet
	MemberFailing        MemberState = "failing"         // the last run failed; it is tried again
	MemberConsentMissing MemberState = "consent missing" // Graph refused for want of admin consent
)

// StateOf says how a target stands. A target that never ran, or a member the cycle has not
// made one for yet (a zero Target), is pending.
func StateOf(t Target) MemberState {
	switch {
	case strings.HasPrefix(t.LastError, ConsentMissing):
		return MemberConsentMissing
	case t.LastError != "" || t.Failures > 0:
		return MemberFailing
	case t.LastOKAt != nil:
		return MemberPublished
	}
	return MemberPending
}

// Failing reports whether the target's last run failed, for want of consent or otherwise.
func Failing(t Target) bool {
	s := StateOf(t)
	return s == MemberFailing || s == MemberConsentMissing
}

// Roster is a space's publication member by member. A published space has a row for each
// member (in the order given), their target when the cycle has made it and a zero Target of
// theirs (pending) until then; a target of someone no longer a member, or of a space no longer
// published, is listed too, since its copies are still to be removed. Failing rows come
// first, those failing longest first.
func Roster(spaceID int64, published bool, members []int64, targets []Target) []Target {
	byUser := make(map[int64]Target, len(targets))
	for _, t := range targets {
		byUser[t.UserID] = t
	}
	out := make([]Target, 0, len(members)+len(targets))
	listed := map[int64]bool{}
	if published {
		for _, uid := range members {
			t, ok := byUser[uid]
			if !ok {
				t = Target{SpaceID: spaceID, UserID: uid}
			}
			out = append(out, t)
			listed[uid] = true
		}
	}
	for _, t := range targets {
		if !listed[t.UserID] {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b Target) int {
		fa, fb := Failing(a), Failing(b)
		switch {
		case fa && !fb:
			return -1
		case fb && !fa:
			return 1
		}
		return b.Failures - a.Failures
	})
	return out
}

// Summary is how a space's publication stands, for the Control Panel's list of spaces.
type Summary struct {
	Published      bool
	Members        int  // targets whose last run wrote the calendar
	Failing        int  // targets whose last run failed
	ConsentMissing bool // one of them for want of admin consent
}

// SummaryOf sums up a space's targets (or its Roster).
func SummaryOf(published bool, targets []Target) Summary {
	sum := Summary{Published: published}
	for _, t := range targets {
		switch StateOf(t) {
		case MemberPublished:
			sum.Members++
		case MemberConsentMissing:
			sum.Failing++
			sum.ConsentMissing = true
		case MemberFailing:
			sum.Failing++
		}
	}
	return sum
}

// Summaries returns the Summary of every space that is published or has targets, by space
// id, in two queries.
func (s *Store) Summaries(ctx context.Context) (map[int64]Summary, error) {
	var pubs []publicationRow
	if err := s.db.WithContext(ctx).Where("enabled = ?", true).Find(&pubs).Error; err != nil {
		return nil, fmt.Errorf("list published spaces: %w", err)
	}
	var rows []targetRow
	if err := s.db.WithContext(ctx).Select("space_id", "user_id", "last_ok_at", "last_error", "failures").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list publish targets: %w", err)
	}
	published := make(map[int64]bool, len(pubs))
	for _, p := range pubs {
		published[p.SpaceID] = true
	}
	targets := map[int64][]Target{}
	for _, r := range rows {
		targets[r.SpaceID] = append(targets[r.SpaceID], targetOf(r))
	}
	out := make(map[int64]Summary, len(pubs))
	for id := range published {
		out[id] = SummaryOf(true, targets[id])
	}
	for id, ts := range targets {
		if !published[id] {
			out[id] = SummaryOf(false, ts)
		}
	}
	return out, nil
}

// Roster reads whether a space is published and its roster (Roster) for its members.
func (s *Store) Roster(ctx context.Context, spaceID int64, members []calendar.SpaceMember) (bool, []Target, error) {
	on, err := s.Published(ctx, spaceID)
	if err != nil {
		return false, nil, err
	}
	targets, err := s.Targets(ctx, spaceID)
	if err != nil {
		return false, nil, err
	}
	uids := make([]int64, len(members))
	for i, m := range members {
		uids[i] = m.UserID
	}
	return on, Roster(spaceID, on, uids, targets), nil
}
