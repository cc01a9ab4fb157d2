package contacts

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// TestListsAreCheckedAndKept: a list is stored with its people added and excluded; what
// cannot work is refused naming the field; its folder, and in a folder of its own its name,
// stay; a deleted list is gone from List and runs once more (Lists) to remove its contacts.
func TestListsAreCheckedAndKept(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		s := NewStore(db)
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		good := List{Name: "Staff", Source: Spec{Kind: KindEveryone}, Target: Spec{Kind: KindDepartment, Value: "Sales"},
			Folder: FolderList, Write: []string{FieldJobTitle, FieldMobilePhone}, Overwrite: []string{FieldJobTitle}, Interval: time.Hour}
		for field, bad := range map[string]func(l *List){
			"name":      func(l *List) { l.Name = " " },
			"source":    func(l *List) { l.Source = Spec{Kind: "planet"} },
			"target":    func(l *List) { l.Target = Spec{Kind: KindNone} },
			"folder":    func(l *List) { l.Folder = "inbox" },
			"write":     func(l *List) { l.Write = append(l.Write, "salary") },
			"overwrite": func(l *List) { l.Overwrite = []string{FieldDepartment} },
			"interval":  func(l *List) { l.Interval = time.Minute },
		} {
			l := good
			bad(&l)
			var ve *calendar.ValidationError
			if _, err := s.Save(ctx, l, now); !errors.As(err, &ve) || ve.Fields[field] == "" {
				t.Errorf("%s: %v", field, err)
			}
		}
		l, err := s.Save(ctx, good, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(ctx, good, now); err == nil {
			t.Fatal("a second list of the same name")
		}
		renamed := l
		renamed.Name = "Everyone"
		if _, err := s.Save(ctx, renamed, now); err == nil {
			t.Fatal("a list in a folder of its own renamed")
		}
		moved := l
		moved.Folder = FolderDefault
		if _, err := s.Save(ctx, moved, now); err == nil {
			t.Fatal("a list's folder changed")
		}
		if err := s.Delete(ctx, l.ID, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.List(ctx, l.ID); !errors.Is(err, calendar.ErrNotFound) {
			t.Fatalf("a deleted list: %v", err)
		}
		if all, err := s.Lists(ctx); err != nil || len(all) != 1 || !all[0].Deleting {
			t.Fatalf("lists %+v %v", all, err)
		}
		if err := s.Delete(ctx, l.ID, now); !errors.Is(err, calendar.ErrNotFound) {
			t.Fatalf("deleted twice: %v", err)
		}
	})
}

// TestDigestNamesWhatWasWritten: the digest moves with an overwritten field, the name or
// the address, and not with a field that is only written, nor with the order of fields.
func TestDigestNamesWhatWasWritten(t *testing.T) {
	p := Person{Name: "Ann Lee", Email: "ann@example.com", Values: map[string]string{FieldJobTitle: "Rep", FieldMobilePhone: "1"}}
	over := []string{FieldJobTitle}
	base := digest(contactOf(p, over), over)
	p2 := p
	p2.Values = map[string]string{FieldJobTitle: "Rep", FieldMobilePhone: "2"}
	if digest(contactOf(p2, over), over) != base {
		t.Error("a field that is only written moved the digest")
	}
	p2.Values = map[string]string{FieldJobTitle: "Boss"}
	if digest(contactOf(p2, over), over) == base {
		t.Error("an overwritten field did not move the digest")
	}
	p3 := p
	p3.Name = "Ann Smith"
	if digest(contactOf(p3, over), over) == base {
		t.Error("the name did not move the digest")
	}
	two := []string{FieldJobTitle, FieldMobilePhone}
	if digest(contactOf(p, two), two) != digest(contactOf(p, []string{FieldMobilePhone, FieldJobTitle}), []string{FieldMobilePhone, FieldJobTitle}) {
		t.Error("the order of the fields moved the digest")
	}
	if g, s := splitName("Ann van Lee"); g != "Ann van" || s != "Lee" {
		t.Errorf("split %q %q", g, s)
	}
}
