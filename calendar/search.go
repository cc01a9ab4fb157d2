package calendar

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Search finds the events of the viewer's My Calendar whose title, location or description
// holds every word of a query, ignoring case. Each event found is shown by one instance: the
// next one that matches, or, when none is to come, the last one that did. Only what the
// viewer may see is searched: an instance they cannot see (another person's private event,
// the other dates of a private event they were invited to once) never matches, so a search
// cannot tell them what it holds.

// Limits of a search.
const (
	MinSearchLength = 2   // characters: shorter queries are not searched
	MaxSearchLength = 200 // characters
	MaxSearchWords  = 10  // words looked for; later ones are left out
	MaxSearchHits   = 50  // events one search returns
	// searchCandidates is how many events, newest first, one search reads at most.
	searchCandidates = 500
)

// How far from now a search looks for the instance it shows, nearest first.
var (
	searchAhead = []time.Duration{31 * 24 * time.Hour, 366 * 24 * time.Hour, 5 * 366 * 24 * time.Hour}
	searchBack  = []time.Duration{31 * 24 * time.Hour, 366 * 24 * time.Hour, 10 * 366 * 24 * time.Hour}
)

// SearchQuery is what a search looks for, and when it is asked (the instances ahead of Now
// come first).
type SearchQuery struct {
	Text string
	Now  time.Time
	Max  int // 0: MaxSearchHits
}

// SearchHit is one event a search found, shown by one of its instances.
type SearchHit struct {
	Occurrence
	// Upcoming says the instance has not ended: it is the next that matches. Otherwise it
	// is the last that matched, and none to come does.
	Upcoming bool
}

// SearchResult is what a search found, upcoming instances first (soonest first), then past
// ones (latest first).
type SearchResult struct {
	Hits []SearchHit
	More bool // more events match than Hits holds
}

// SearchWords is the query as the words a search looks for: lower case, each once, at most
// MaxSearchWords. A query shorter than MinSearchLength or longer than MaxSearchLength
// characters (after trimming) is refused with a ValidationError on "q".
func SearchWords(q string) ([]string, error) {
	q = strings.TrimSpace(q)
	switch n := utf8.RuneCountInString(q); {
	case !utf8.ValidString(q):
		return nil, invalid("q", "The search must be valid UTF-8 text.")
	case n < MinSearchLength:
		return nil, invalid("q", "Type at least 2 characters to search.")
	case n > MaxSearchLength:
		return nil, invalid("q", "A search is at most 200 characters long.")
	}
	var words []string
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !slices.Contains(words, w) && len(words) < MaxSearchWords {
			words = append(words, w)
		}
	}
	return words, nil
}

// matches reports whether every word is in the title, location or description.
func (c Content) matches(words []string) bool {
	text := strings.ToLower(c.Title) + "\n" + strings.ToLower(c.Location) + "\n" + strings.ToLower(c.Description)
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// searchHit finds the instance that shows the event in a search: the first to come (not
// yet ended at now) that the viewer sees in My Calendar and that matches the words, else
// the last past one. It looks a few years either way (searchAhead, searchBack).
func (e *Event) searchHit(v Viewer, words []string, now time.Time) (SearchHit, bool) {
	if e.DeletedAt != nil {
		return SearchHit{}, false
	}
	pick := func(from, to time.Time, better func(a, b time.Time) bool) (Occurrence, bool) {
		var best Occurrence
		found := false
		e.expandRaw(from, to, MaxOccurrences, func(i int, orig time.Time, ov int, start, _ time.Time) bool {
			o := e.overrideAt(ov)
			if (o != nil && o.Cancelled) || !e.includes(v, MyCalendar, orig) {
				return true
			}
			if found && !better(start, best.Start) {
				return true
			}
			oc, _ := e.occurrence(i, orig, o)
			if oc.Content.matches(words) {
				best, found = oc, true
			}
			return true
		})
		return best, found
	}
	earlier := func(a, b time.Time) bool { return a.Before(b) }
	later := func(a, b time.Time) bool { return a.After(b) }
	from := now
	for _, d := range searchAhead {
		if oc, ok := pick(from, now.Add(d), earlier); ok {
			return e.hit(v, oc, true), true
		}
		from = now.Add(d)
	}
	to := now
	for _, d := range searchBack {
		if oc, ok := pick(now.Add(-d), to, later); ok {
			return e.hit(v, oc, false), true
		}
		to = now.Add(-d)
	}
	return SearchHit{}, false
}

// hit is the instance as a search result for the viewer.
func (e *Event) hit(v Viewer, oc Occurrence, upcoming bool) SearchHit {
	oc.RSVP = e.EffectiveRSVP(v.UserID, oc.OriginalStart)
	oc.Categories = e.labelsFor(v)
	return SearchHit{Occurrence: oc, Upcoming: upcoming}
}

// sortHits puts upcoming hits first, soonest first, then past ones, latest first.
func sortHits(hits []SearchHit) {
	slices.SortFunc(hits, func(a, b SearchHit) int {
		switch {
		case a.Upcoming != b.Upcoming:
			if a.Upcoming {
				return -1
			}
			return 1
		case !a.Start.Equal(b.Start):
			if a.Upcoming {
				return a.Start.Compare(b.Start)
			}
			return b.Start.Compare(a.Start)
		}
		return cmp.Compare(a.EventID, b.EventID)
	})
}
