package contacts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"intracal/calendar"
)

// Who a list's source or targets are.
const (
	KindEveryone   = "everyone"
	KindDepartment = "department"
	KindSpace      = "space"
	KindNone       = "none" // a source of people added by hand only
	kindDeleted    = "deleted"
)

// Where a list's contacts go.
const (
	FolderList    = "list"    // a contact folder named after the list
	FolderDefault = "default" // the default Contacts folder
)

// Spec names a group of people: everyone, a department (Value its name), a space's members
// (Value its id), or nobody.
type Spec struct {
	Kind, Value string
}

// List is a contact list.
type List struct {
	ID        int64
	Name      string
	Source    Spec
	Target    Spec
	Folder    string
	Write     []string // the optional fields written when a contact is made
	Overwrite []string // those put back on later runs; a subset of Write
	Interval  time.Duration
	NextRunAt time.Time
	LastRunAt *time.Time
	// Added and Excluded are the people added to the source by hand and left out of it.
	Added, Excluded []int64
	// Deleting: the list was deleted and its contacts are being removed.
	Deleting bool
}

type listRow struct {
	ID              int64 `gorm:"primaryKey"`
	Name            string
	SourceKind      string
	SourceValue     string
	TargetKind      string
	TargetValue     string
	Folder          string
	WriteFields     string
	OverwriteFields string
	IntervalMinutes int
	NextRunAt       time.Time
	LeaseHolder     string
	LeaseUntil      *time.Time
	LastRunAt       *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (listRow) TableName() string { return "contact_lists" }

type personRow struct {
	ListID int64 `gorm:"primaryKey;autoIncrement:false"`
	UserID int64 `gorm:"primaryKey;autoIncrement:false"`
	Role   string
}

func (personRow) TableName() string { return "contact_list_people" }

// Target is one target mailbox of a list.
type Target struct {
	ID        int64 `gorm:"primaryKey"`
	ListID    int64
	UserID    int64
	FolderID  string
	Leaving   bool
	LastRunAt *time.Time
	LastError string
	Failures  int
	CreatedAt time.Time
	// WrittenDigest names everything the last successful run left there (listDigest); ""
	// when unknown.
	WrittenDigest string
}

// TableName is contact_list_targets.
func (Target) TableName() string { return "contact_list_targets" }

// item is a managed contact of a target: the person, the contact's id, what was written.
type item struct {
	TargetID  int64 `gorm:"primaryKey;autoIncrement:false"`
	PersonID  int64 `gorm:"primaryKey;autoIncrement:false"`
	ContactID string
	Digest    string
}

func (item) TableName() string { return "contact_list_items" }

// Run is one run of a list, as its history shows it.
type Run struct {
	ID                                           int64 `gorm:"primaryKey"`
	ListID                                       int64
	Kind                                         string // check, changes
	StartedAt, FinishedAt                        time.Time
	Targets, Created, Updated, Restored, Removed int
	Failed                                       int
	Detail                                       string
}

// TableName is contact_list_runs.
func (Run) TableName() string { return "contact_list_runs" }

// Store keeps the contact lists and what each pushed where.
type Store struct{ db *gorm.DB }

// NewStore is the store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

func splitFields(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (s *Store) listOf(ctx context.Context, r listRow) (List, error) {
	l := List{ID: r.ID, Name: r.Name, Source: Spec{r.SourceKind, r.SourceValue}, Target: Spec{r.TargetKind, r.TargetValue},
		Folder: r.Folder, Write: splitFields(r.WriteFields), Overwrite: splitFields(r.OverwriteFields),
		Interval: time.Duration(r.IntervalMinutes) * time.Minute, NextRunAt: r.NextRunAt, LastRunAt: r.LastRunAt,
		Deleting: r.TargetKind == kindDeleted}
	var people []personRow
	if err := s.db.WithContext(ctx).Where("list_id = ?", r.ID).Order("user_id").Find(&people).Error; err != nil {
		return List{}, fmt.Errorf("read the people of contact list %d: %w", r.ID, err)
	}
	for _, p := range people {
		if p.Role == "exclude" {
			l.Excluded = append(l.Excluded, p.UserID)
		} else {
			l.Added = append(l.Added, p.UserID)
		}
	}
	return l, nil
}

// Lists returns every list, by name.
func (s *Store) Lists(ctx context.Context) ([]List, error) {
	var rows []listRow
	if err := s.db.WithContext(ctx).Order("name").Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read contact lists: %w", err)
	}
	out := make([]List, 0, len(rows))
	for _, r := range rows {
		l, err := s.listOf(ctx, r)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// List returns one list; calendar.ErrNotFound when there is none (or it is being deleted).
func (s *Store) List(ctx context.Context, id int64) (List, error) {
	var r listRow
	err := s.db.WithContext(ctx).Where("id = ? AND target_kind <> ?", id, kindDeleted).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return List{}, fmt.Errorf("contact list %d: %w", id, calendar.ErrNotFound)
	}
	if err != nil {
		return List{}, fmt.Errorf("read contact list %d: %w", id, err)
	}
	return s.listOf(ctx, r)
}

// Limits of a list.
const (
	MinInterval = 15 * time.Minute
	MaxInterval = 7 * 24 * time.Hour
)

// validate checks a list as an administrator sent it; problems name the field.
func validate(l List) error {
	var ve calendar.ValidationError
	switch n := utf8.RuneCountInString(strings.TrimSpace(l.Name)); {
	case n == 0:
		ve.Add("name", "Enter a name.")
	case n > 255:
		ve.Add("name", "Use at most 255 characters.")
	}
	checkSpec := func(field string, sp Spec, source bool) {
		switch sp.Kind {
		case KindEveryone:
		case KindNone:
			if !source {
				ve.Add(field, "Choose who receives the list.")
			}
		case KindDepartment:
			if strings.TrimSpace(sp.Value) == "" {
				ve.Add(field, "Choose a department.")
			}
		case KindSpace:
			if sp.Value == "" || strings.Trim(sp.Value, "0123456789") != "" {
				ve.Add(field, "Choose a space.")
			}
		default:
			ve.Add(field, "Choose everyone, a department or a space.")
		}
	}
	checkSpec("source", l.Source, true)
	checkSpec("target", l.Target, false)
	if l.Folder != FolderList && l.Folder != FolderDefault {
		ve.Add("folder", "Choose a folder named after the list or the default Contacts folder.")
	}
	for _, f := range l.Write {
		if !slices.Contains(Fields(), f) {
			ve.Add("write", "There is no field "+f+".")
		}
	}
	for _, f := range l.Overwrite {
		if !slices.Contains(l.Write, f) {
			ve.Add("overwrite", FieldLabel(f)+" can be overwritten only if it is written.")
		}
	}
	if l.Interval < MinInterval || l.Interval > MaxInterval {
		ve.Add("interval", "Check every 15 minutes to 7 days.")
	}
	return ve.Err()
}

// Save creates (ID 0) or changes a list with its hand-picked people. A list's folder, and in
// a folder named after it its name, stay as they were made: the contacts already pushed are
// there.
func (s *Store) Save(ctx context.Context, l List, now time.Time) (List, error) {
	l.Name = strings.TrimSpace(l.Name)
	if err := validate(l); err != nil {
		return List{}, err
	}
	row := listRow{ID: l.ID, Name: l.Name, SourceKind: l.Source.Kind, SourceValue: strings.TrimSpace(l.Source.Value),
		TargetKind: l.Target.Kind, TargetValue: strings.TrimSpace(l.Target.Value), Folder: l.Folder,
		WriteFields: strings.Join(l.Write, ","), OverwriteFields: strings.Join(l.Overwrite, ","),
		IntervalMinutes: int(l.Interval / time.Minute), NextRunAt: now, CreatedAt: now, UpdatedAt: now}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if l.ID != 0 {
			var cur listRow
			if err := tx.Where("id = ? AND target_kind <> ?", l.ID, kindDeleted).Take(&cur).Error; err != nil {
				if errors.Is(err, gorm.ErrRecordNotFound) {
					return fmt.Errorf("contact list %d: %w", l.ID, calendar.ErrNotFound)
				}
				return err
			}
			switch {
			case cur.Folder != l.Folder:
				return &calendar.ValidationError{Fields: map[string]string{"folder": "The folder of a list cannot change: make a new list instead."}}
			case cur.Folder == FolderList && cur.Name != l.Name:
				return &calendar.ValidationError{Fields: map[string]string{"name": "The contacts are in a folder named after the list: its name cannot change."}}
			}
			row.CreatedAt, row.LeaseHolder, row.LeaseUntil, row.LastRunAt = cur.CreatedAt, cur.LeaseHolder, cur.LeaseUntil, cur.LastRunAt
			if err := tx.Save(&row).Error; err != nil {
				return dupName(err)
			}
		} else if err := tx.Create(&row).Error; err != nil {
			return dupName(err)
		}
		if err := tx.Where("list_id = ?", row.ID).Delete(&personRow{}).Error; err != nil {
			return err
		}
		var people []personRow
		for _, id := range l.Added {
			people = append(people, personRow{ListID: row.ID, UserID: id, Role: "add"})
		}
		for _, id := range l.Excluded {
			if !slices.Contains(l.Added, id) {
				people = append(people, personRow{ListID: row.ID, UserID: id, Role: "exclude"})
			}
		}
		if len(people) > 0 {
			return tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(people, 200).Error
		}
		return nil
	})
	if err != nil {
		return List{}, err
	}
	return s.List(ctx, row.ID)
}

func dupName(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return &calendar.ValidationError{Fields: map[string]string{"name": "Another contact list has this name."}}
	}
	return fmt.Errorf("store the contact list: %w", err)
}

// Delete marks a list deleted: its next run removes its contacts from every target, then
// the list.
func (s *Store) Delete(ctx context.Context, id int64, now time.Time) error {
	res := s.db.WithContext(ctx).Model(&listRow{}).Where("id = ? AND target_kind <> ?", id, kindDeleted).
		Updates(map[string]any{"target_kind": kindDeleted, "name": fmt.Sprintf("(deleted %d)", id), "next_run_at": now, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("delete contact list %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("contact list %d: %w", id, calendar.ErrNotFound)
	}
	return nil
}

// RunNow makes the list's next run a check, at once (Sync now).
func (s *Store) RunNow(ctx context.Context, id int64, now time.Time) error {
	res := s.db.WithContext(ctx).Model(&listRow{}).Where("id = ?", id).Update("next_run_at", now)
	if res.Error != nil {
		return fmt.Errorf("run contact list %d now: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("contact list %d: %w", id, calendar.ErrNotFound)
	}
	return nil
}

// lease takes a list for holder until, unless another holder has it; a list being deleted
// is taken too.
func (s *Store) lease(ctx context.Context, id int64, holder string, now, until time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&listRow{}).
		Where("id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_holder = ?)", id, now, holder).
		Updates(map[string]any{"lease_holder": holder, "lease_until": until})
	if res.Error != nil {
		return false, fmt.Errorf("lease contact list %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// finish ends a run: the lease goes, the history gets the run, and after a check the next
// check is scheduled.
func (s *Store) finish(ctx context.Context, l List, run Run, check bool) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		up := map[string]any{"lease_holder": "", "lease_until": nil}
		if check {
			up["last_run_at"], up["next_run_at"] = run.FinishedAt, run.FinishedAt.Add(l.Interval)
		}
		if err := tx.Model(&listRow{}).Where("id = ?", l.ID).Updates(up).Error; err != nil {
			return fmt.Errorf("finish contact list %d: %w", l.ID, err)
		}
		if run.Created+run.Updated+run.Restored+run.Removed+run.Failed == 0 && !check {
			return nil // a changes run that found nothing to do leaves no history
		}
		if err := tx.Create(&run).Error; err != nil {
			return fmt.Errorf("record the run of contact list %d: %w", l.ID, err)
		}
		return nil
	})
}

// forget removes a deleted list once no target holds its contacts.
func (s *Store) forget(ctx context.Context, id int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, m := range []any{&personRow{}, &Run{}} {
			if err := tx.Where("list_id = ?", id).Delete(m).Error; err != nil {
				return err
			}
		}
		return tx.Where("id = ?", id).Delete(&listRow{}).Error
	})
}

// Runs returns a list's latest runs, newest first.
func (s *Store) Runs(ctx context.Context, listID int64, limit int) ([]Run, error) {
	var rs []Run
	if err := s.db.WithContext(ctx).Where("list_id = ?", listID).Order("id DESC").Limit(limit).Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("read the runs of contact list %d: %w", listID, err)
	}
	return rs, nil
}

// Targets returns a list's target mailboxes, by user.
func (s *Store) Targets(ctx context.Context, listID int64) ([]Target, error) {
	var ts []Target
	if err := s.db.WithContext(ctx).Where("list_id = ?", listID).Order("user_id").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("read the targets of contact list %d: %w", listID, err)
	}
	return ts, nil
}

// syncTargets makes the list's targets the given people: new ones added, the others leaving
// (their contacts are removed, then the target), returning ones staying.
func (s *Store) syncTargets(ctx context.Context, listID int64, users []int64, now time.Time) ([]Target, error) {
	cur, err := s.Targets(ctx, listID)
	if err != nil {
		return nil, err
	}
	want := map[int64]bool{}
	for _, u := range users {
		want[u] = true
	}
	db := s.db.WithContext(ctx)
	have := map[int64]bool{}
	for i := range cur {
		t := &cur[i]
		have[t.UserID] = true
		if leaving := !want[t.UserID]; leaving != t.Leaving {
			if err := db.Model(&Target{}).Where("id = ?", t.ID).Update("leaving", leaving).Error; err != nil {
				return nil, fmt.Errorf("mark a target of contact list %d: %w", listID, err)
			}
			t.Leaving = leaving
		}
	}
	var add []Target
	for _, u := range users {
		if !have[u] {
			add = append(add, Target{ListID: listID, UserID: u, CreatedAt: now})
		}
	}
	if len(add) > 0 {
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(add, 200).Error; err != nil {
			return nil, fmt.Errorf("add targets to contact list %d: %w", listID, err)
		}
		return s.Targets(ctx, listID)
	}
	return cur, nil
}

// items returns a target's managed contacts by person.
func (s *Store) items(ctx context.Context, targetID int64) (map[int64]item, error) {
	var rows []item
	if err := s.db.WithContext(ctx).Where("target_id = ?", targetID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read the contacts of target %d: %w", targetID, err)
	}
	out := make(map[int64]item, len(rows))
	for _, r := range rows {
		out[r.PersonID] = r
	}
	return out, nil
}

// saveTarget records a target's run: the contacts written and removed, the folder, the error.
func (s *Store) saveTarget(ctx context.Context, t Target, upsert []item, remove []int64, drop bool) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if drop {
			if err := tx.Where("target_id = ?", t.ID).Delete(&item{}).Error; err != nil {
				return err
			}
			return tx.Where("id = ?", t.ID).Delete(&Target{}).Error
		}
		for chunk := range slices.Chunk(remove, 500) {
			if err := tx.Where("target_id = ? AND person_id IN ?", t.ID, chunk).Delete(&item{}).Error; err != nil {
				return fmt.Errorf("forget removed contacts: %w", err)
			}
		}
		if len(upsert) > 0 {
			err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "target_id"}, {Name: "person_id"}},
				DoUpdates: clause.AssignmentColumns([]string{"contact_id", "digest"})}).CreateInBatches(upsert, 200).Error
			if err != nil {
				return fmt.Errorf("record written contacts: %w", err)
			}
		}
		return tx.Model(&Target{}).Where("id = ?", t.ID).Updates(map[string]any{
			"folder_id": t.FolderID, "last_run_at": t.LastRunAt, "last_error": t.LastError, "failures": t.Failures,
			"written_digest": t.WrittenDigest}).Error
	})
}
