package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// propertiesUp creates the System Properties of the Control Panel and their audit trail.
// A property without a row has its default value. A secret's value is stored sealed
// (encrypted is true) and the audit never holds it.
func propertiesUp(tx *gorm.DB) error {
	// Frozen copies of the rows as of this migration.
	type systemProperty struct {
		Name      string    `gorm:"primaryKey;size:100"`
		Value     string    `gorm:"not null"` // sealed text when Encrypted
		Encrypted bool      `gorm:"not null"`
		UpdatedAt time.Time `gorm:"not null"`
		UpdatedBy *int64    // users.id; nil when changed from the command line
	}
	type propertyAudit struct {
		ID          int64     `gorm:"primaryKey"`
		Property    string    `gorm:"size:100;not null;index:ix_property_audit_property"`
		ActorUserID *int64    // users.id; nil for the command line
		Actor       string    `gorm:"size:400;not null"` // who, as shown: name and address, or "command line"
		Action      string    `gorm:"size:16;not null"`  // set, cleared
		Value       *string   `gorm:"size:400"`          // the new value; always nil for a secret
		ChangedAt   time.Time `gorm:"not null;index:ix_property_audit_changed"`
	}
	tables := []struct {
		name  string
		model any
	}{
		{"system_properties", &systemProperty{}},
		{"property_audit", &propertyAudit{}},
	}
	for _, t := range tables {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return fmt.Errorf("create table %s: %w", t.name, err)
		}
	}
	return nil
}
