package calendar

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Store keeps events in the database through gorm. Every method that lists or loads events
// applies the visibility rules in its queries.
type Store struct {
	db    *gorm.DB
	now   func() time.Time
	zones *zoneCache
	cache *listCache // what listings read, by event version (store_cache.go)
	// copies, when set, says which parts of an event are copied elsewhere (store_undo.go).
	copies PartCopies
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store {
	return &Store{db: db, now: time.Now, zones: &zoneCache{}, cache: newListCache(defaultCachedSegments, defaultCachedOverrides)}
}

// WithClock returns a copy of the store that reads the time from now (tests).
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// MyCalendar returns the id of the user's My Calendar, creating it on first use.
func (s *Store) MyCalendar(ctx context.Context, userID int64) (int64, error) {
	var row calendarRow
	err := s.db.WithContext(ctx).Where("kind = ? AND owner_user_id = ?", "user", userID).Order("id").First(&row).Error
	if err == nil {
		return row.ID, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, fmt.Errorf("find my calendar of user %d: %w", userID, err)
	}
	uid := userID
	row = calendarRow{Kind: "user", OwnerUserID: &uid, Name: "My Calendar", CreatedAt: s.now().UTC()}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return 0, fmt.Errorf("create my calendar of user %d: %w", userID, err)
	}
	return row.ID, nil
}

// Calendar is a calendar's identity.
type Calendar struct {
	ID          int64
	Kind        string // "user" (a My Calendar) or "space"
	OwnerUserID int64
	Name        string
}

// CalendarByID returns a calendar, or ErrNotFound.
func (s *Store) CalendarByID(ctx context.Context, id int64) (Calendar, error) {
	var row calendarRow
	err := s.db.WithContext(ctx).First(&row, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Calendar{}, ErrNotFound
	}
	if err != nil {
		return Calendar{}, fmt.Errorf("load calendar %d: %w", id, err)
	}
	c := Calendar{ID: row.ID, Kind: row.Kind, Name: row.Name}
	if row.OwnerUserID != nil {
		c.OwnerUserID = *row.OwnerUserID
	}
	return c, nil
}

// Create stores a new event (from NewEvent) and sets its id and version.
func (s *Store) Create(ctx context.Context, e *Event) error { return s.CreateWith(ctx, e, nil) }

// CreateWith stores a new event like Create and runs also, when not nil, in the same
// transaction once the event has its id: what also writes is stored with the event or not
// at all (the sync saves an import's link so, so that a crash cannot leave one without the
// other).
func (s *Store) CreateWith(ctx context.Context, e *Event, also func(tx *gorm.DB) error) error {
	if e.ID != 0 {
		return fmt.Errorf("create event: already has id %d", e.ID)
	}
	invitees := make([]int64, 0, len(e.Invitations))
	for _, in := range e.Invitations {
		invitees = append(invitees, in.UserID)
	}
	if err := s.checkSpaceInvitees(ctx, e.CalendarID, invitees); err != nil {
		return err
	}
	now := s.now().UTC()
	var written childWrite
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cats, rem := labelColumns(e)
		row := eventRow{CalendarID: e.CalendarID, OrganizerID: e.OrganizerID, Privacy: string(e.Privacy),
			Categories: cats, ReminderMinutes: rem, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("create event: %w", err)
		}
		e.ID, e.Version, e.CreatedAt, e.UpdatedAt = row.ID, 1, now, now
		w, err := writeChildren(tx, e, true)
		written = w
		if err != nil || also == nil {
			return err
		}
		return also(tx)
	})
	if err != nil {
		return err
	}
	written.apply(e)
	return nil
}

// Get loads an event as the viewer may see it (see Event.ViewFor); an event the viewer may
// not see is ErrNotFound.
func (s *Store) Get(ctx context.Context, v Viewer, id int64) (*Event, error) {
	e, err := s.load(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if err := s.checkSees(ctx, s.db, v, e); err != nil {
		return nil, err
	}
	return e.ViewFor(v), nil
}

// checkSees is ErrNotFound unless the viewer may see the event: Event.CanSee, and its
// calendar is not a private space the viewer is not a member of.
func (s *Store) checkSees(ctx context.Context, db *gorm.DB, v Viewer, e *Event) error {
	if !e.CanSee(v) {
		return ErrNotFound
	}
	hidden, err := s.calendarHidden(ctx, db, v, e.CalendarID)
	if err != nil {
		return err
	}
	if hidden {
		return ErrNotFound
	}
	return nil
}

// GetFull loads an event with everything, whatever the viewer; for the sync and other
// trusted callers only.
func (s *Store) GetFull(ctx context.Context, id int64) (*Event, error) {
	return s.load(ctx, s.db, id)
}

// load reads one whole event, deleted ones included.
func (s *Store) load(ctx context.Context, db *gorm.DB, id int64) (*Event, error) {
	var row eventRow
	err := db.WithContext(ctx).First(&row, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load event %d: %w", id, err)
	}
	evs, err := s.assemble(ctx, db, []eventRow{row}, childFilter{})
	if err != nil {
		return nil, err
	}
	return evs[0], nil
}

// save writes a changed event if its stored version is still e.Version, and bumps it. The
// version update holds the event's row until the commit; answers take the same lock
// (Store.Answer), so none is given while the save compares and writes answers.
//
// also, when not nil, runs in the same transaction (Store.ReplaceWith).
func (s *Store) save(ctx context.Context, e *Event, also func(tx *gorm.DB) error) error {
	if e.partial {
		return fmt.Errorf("save event %d: refusing to save a partially loaded event", e.ID)
	}
	now := s.now().UTC()
	var written childWrite
	cats, rem := labelColumns(e)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&eventRow{}).Where("id = ? AND version = ?", e.ID, e.Version).Updates(map[string]any{
			"version": e.Version + 1, "updated_at": now, "privacy": string(e.Privacy), "deleted_at": utcPtr(e.DeletedAt),
			"categories": cats, "reminder_minutes": rem,
		})
		if res.Error != nil {
			return fmt.Errorf("update event %d: %w", e.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			var cur eventRow
			if err := tx.Select("version").First(&cur, e.ID).Error; err != nil {
				return fmt.Errorf("re-read event %d: %w", e.ID, err)
			}
			return &ConflictError{CurrentVersion: cur.Version}
		}
		var err error
		written, err = writeChildren(tx, e, false)
		if err != nil || also == nil {
			return err
		}
		return also(tx)
	})
	if err != nil {
		return err
	}
	e.Version++
	e.UpdatedAt = now
	written.apply(e)
	return nil
}
