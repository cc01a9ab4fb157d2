package calendar

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// likeAny matches a LIKE pattern against a row's title, location or description, ignoring
// the case of A to Z. '!' is the escape character: it works alike on SQLite, PostgreSQL and
// SQL Server, and so a backslash is an ordinary character everywhere.
const likeAny = "LOWER(title) LIKE ? ESCAPE '!' OR LOWER(location) LIKE ? ESCAPE '!' OR LOWER(description) LIKE ? ESCAPE '!'"

// likeEscaper makes a word match itself inside a LIKE pattern escaped with '!' ('[' is a
// wildcard on SQL Server).
var likeEscaper = strings.NewReplacer("!", "!!", "%", "!%", "_", "!_", "[", "![")

// Search finds the events of the viewer's My Calendar that hold every word of the query in
// their title, location or description (search.go). The database picks the events of My
// Calendar that hold each word in some part or instance change, newest first; each is then
// read as the viewer may see it and shown by the instance that matches (Event.searchHit), so
// that a word in what the viewer cannot see finds nothing.
func (s *Store) Search(ctx context.Context, v Viewer, q SearchQuery) (SearchResult, error) {
	words, err := SearchWords(q.Text)
	if err != nil {
		return SearchResult{}, err
	}
	max := q.Max
	if max <= 0 || max > MaxSearchHits {
		max = MaxSearchHits
	}
	sc, err := s.spaceScopeOf(ctx, v)
	if err != nil {
		return SearchResult{}, err
	}
	db := s.inMyCalendar(s.visibleCalendars(s.db.WithContext(ctx).Model(&eventRow{}).Where("events.deleted_at IS NULL"), sc), sc)
	for _, w := range words {
		frag := asciiPart(w)
		if frag == "" {
			continue // only the comparison below can tell
		}
		p := "%" + likeEscaper.Replace(frag) + "%"
		db = db.Where("events.id IN (?) OR events.id IN (?)",
			s.db.Model(&segmentRow{}).Select("event_id").Where(likeAny, p, p, p),
			s.db.Model(&overrideRow{}).Select("event_id").Where(likeAny, p, p, p))
	}
	var rows []eventRow
	if err := db.Order("events.id DESC").Limit(searchCandidates + 1).Find(&rows).Error; err != nil {
		return SearchResult{}, fmt.Errorf("search events: %w", err)
	}
	more := len(rows) > searchCandidates
	if more {
		rows = rows[:searchCandidates]
	}
	if len(rows) == 0 {
		return SearchResult{}, nil
	}
	// Only the viewer's invitations and answers: all that visibility and My Calendar need.
	events, err := s.assemble(ctx, s.db, rows, childFilter{viewer: &v})
	if err != nil {
		return SearchResult{}, err
	}
	if err := s.markShown(ctx, sc, events); err != nil {
		return SearchResult{}, err
	}
	var hits []SearchHit
	for _, e := range events {
		if h, ok := e.searchHit(v, words, q.Now); ok {
			hits = append(hits, h)
		}
	}
	sortHits(hits)
	if len(hits) > max {
		hits, more = hits[:max], true
	}
	return SearchResult{Hits: hits, More: more}, nil
}

// asciiPart is the longest run of ASCII characters in a word, what the database is asked
// for: SQLite's LOWER folds A to Z alone (and PostgreSQL's only what its collation knows), so
// "Über" would not find "über" there. The events the database picks so are a superset; the
// comparison of what the viewer sees (Content.matches) folds every letter.
func asciiPart(w string) string {
	best, start := "", -1
	for i := 0; i <= len(w); i++ {
		if i < len(w) && w[i] < utf8.RuneSelf {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start > len(best) {
			best = w[start:i]
		}
		start = -1
	}
	return best
}
