package outlooksync

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

type attendanceRow struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     int64
	RemoteID   string
	ICalUID    string `gorm:"column:ical_uid"`
	Organizer  string
	EventID    int64
	SegmentUID string
	Instance   *time.Time
	Base       string
	UpdatedAt  time.Time
}

func (attendanceRow) TableName() string { return "sync_attendances" }

// Attendances returns the user's attendances (migration 6 made their table).
func (s *Store) Attendances(ctx context.Context, userID int64) ([]Attendance, error) {
	var rows []attendanceRow
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load sync attendances: %w", err)
	}
	out := make([]Attendance, 0, len(rows))
	for _, r := range rows {
		a := Attendance{RemoteID: r.RemoteID, ICalUID: r.ICalUID, Organizer: r.Organizer, EventID: r.EventID, SegmentUID: r.SegmentUID}
		if r.Instance != nil {
			t := r.Instance.UTC()
			a.Instance = &t
		}
		if err := json.Unmarshal([]byte(r.Base), &a.Base); err != nil {
			return nil, fmt.Errorf("sync attendance %d: base: %w", r.ID, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// SaveAttendance stores an attendance, replacing the one for the same Outlook copy.
func (s *Store) SaveAttendance(ctx context.Context, userID int64, a Attendance) error {
	base, err := json.Marshal(a.Base)
	if err != nil {
		return fmt.Errorf("sync attendance base: %w", err)
	}
	row := attendanceRow{UserID: userID, RemoteID: a.RemoteID, ICalUID: a.ICalUID, Organizer: a.Organizer, EventID: a.EventID,
		SegmentUID: a.SegmentUID, Instance: a.Instance, Base: string(base), UpdatedAt: s.now().UTC()}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ? AND remote_id = ?", userID, a.RemoteID).Delete(&attendanceRow{}).Error; err != nil {
			return fmt.Errorf("replace sync attendance: %w", err)
		}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("save sync attendance: %w", err)
		}
		return nil
	})
}

// DeleteAttendance forgets the attendance of an Outlook copy.
func (s *Store) DeleteAttendance(ctx context.Context, userID int64, remoteID string) error {
	if err := s.db.WithContext(ctx).Where("user_id = ? AND remote_id = ?", userID, remoteID).Delete(&attendanceRow{}).Error; err != nil {
		return fmt.Errorf("delete sync attendance: %w", err)
	}
	return nil
}
