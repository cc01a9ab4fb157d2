package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// directoryUp adds the directory's profile fields (app/accounts profiles): what an intranet's
// People page shows of each person, edited by the person or by administrators, with the fields
// an administrator locked, which are theirs alone.
func directoryUp(tx *gorm.DB) error {
	type user struct {
		ID int64 `gorm:"primaryKey"`
	}
	type userProfile struct {
		UserID         int64     `gorm:"primaryKey;autoIncrement:false"`
		User           *user     `gorm:"constraint:OnDelete:CASCADE"`
		JobTitle       string    `gorm:"size:255;not null"`
		Department     string    `gorm:"size:255;not null;index:ix_user_profiles_department"`
		OfficeLocation string    `gorm:"size:255;not null"`
		OfficePhone    string    `gorm:"size:64;not null"`
		MobilePhone    string    `gorm:"size:64;not null"`
		Locked         string    `gorm:"size:255;not null"` // field names, separated by commas
		UpdatedAt      time.Time `gorm:"not null"`
	}
	if err := tx.Table("user_profiles").Migrator().CreateTable(&userProfile{}); err != nil {
		return fmt.Errorf("create table user_profiles: %w", err)
	}
	return nil
}
