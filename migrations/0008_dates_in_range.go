package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// datesInRangeUp repairs rows written before event dates were bounded (1900 to 2199): an
// event whose last instance ended in year 10000 was stored, and SQLite, which keeps times as
// text, could then not read the row back, so the event could be neither listed nor deleted.
// Times with a five-digit year are set to the end of the supported range, so that every such
// event can be read and deleted again. PostgreSQL reads such times and SQL Server never
// stored them: only SQLite needs it.
func datesInRangeUp(tx *gorm.DB) error {
	if tx.Dialector.Name() != "sqlite" {
		return nil
	}
	end := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ table, column string }{
		{"segments", "first_start_utc"}, {"segments", "last_end_utc"},
		{"overrides", "start_utc"}, {"overrides", "end_utc"},
	} {
		// A five-digit year: five characters before the first dash.
		q := fmt.Sprintf("UPDATE %s SET %s = ? WHERE %s LIKE '_____-%%'", c.table, c.column, c.column)
		if err := tx.Exec(q, end).Error; err != nil {
			return fmt.Errorf("repair %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}
