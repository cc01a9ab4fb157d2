package accounts

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// TestProfilesEditLocksAndDirectory: a person edits their own fields but not a locked one;
// an administrator edits and locks any (audited); values are checked (phones, length, one
// line) naming the field; the directory finds people by any word of name, address, title,
// department or office, narrows to a department and leaves disabled people out.
func TestProfilesEditLocksAndDirectory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		a := newTestStores(db)
		now := func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
		audit := NewAudit(db, now)
		ps := NewProfiles(db, audit, now)
		admin := addUser(t, a.users, "root@example.com", "Root", "correct horse", true)
		ann := addUser(t, a.users, "ann@example.com", "Ann Lee", "correct horse", false)
		bo := addUser(t, a.users, "bo@example.com", "Bo Berg", "correct horse", false)
		cy := addUser(t, a.users, "cy@example.com", "Cy Diaz", "correct horse", false)

		if _, err := ps.Update(ctx, ViewerOf(ann), ann, ProfileEdit{Values: map[string]string{
			FieldJobTitle: "  Payroll   lead ", FieldDepartment: "Finance", FieldMobilePhone: "+49 (170) 123-4567 x 12"}}, false); err != nil {
			t.Fatal(err)
		}
		p, err := ps.Get(ctx, ann.ID)
		if err != nil || p.JobTitle != "Payroll lead" || p.Department != "Finance" || p.MobilePhone != "+49 (170) 123-4567 x 12" {
			t.Fatalf("profile %+v %v", p, err)
		}
		bad := map[string]string{FieldOfficePhone: "call me", FieldJobTitle: "a\u0007b", FieldOfficeLocation: string(make([]byte, 300))}
		var ve *calendar.ValidationError
		if _, err := ps.Update(ctx, ViewerOf(ann), ann, ProfileEdit{Values: bad}, false); !errors.As(err, &ve) || len(ve.Fields) != 3 {
			t.Fatalf("bad values: %v", err)
		}

		// The administrator sets and locks the department.
		if _, err := ps.Update(ctx, ViewerOf(admin), ann, ProfileEdit{Values: map[string]string{FieldDepartment: "Finance & Payroll"},
			Lock: map[string]bool{FieldDepartment: true}}, true); err != nil {
			t.Fatal(err)
		}
		if _, err := ps.Update(ctx, ViewerOf(ann), ann, ProfileEdit{Values: map[string]string{FieldDepartment: "Sales"}}, false); !errors.As(err, &ve) || ve.Fields[FieldDepartment] == "" {
			t.Fatalf("a locked field changed by its owner: %v", err)
		}
		// Sending the locked field unchanged is fine (a form sends every field).
		if _, err := ps.Update(ctx, ViewerOf(ann), ann, ProfileEdit{Values: map[string]string{FieldDepartment: "Finance & Payroll", FieldJobTitle: "Head of payroll"}}, false); err != nil {
			t.Fatal(err)
		}
		changes, err := audit.List(ctx, ann.ID, 5)
		if err != nil || len(changes) != 1 || changes[0].Action != AuditProfileChanged || changes[0].Detail != "department, locks" {
			t.Fatalf("audit %+v %v", changes, err)
		}

		if _, err := ps.Update(ctx, ViewerOf(bo), bo, ProfileEdit{Values: map[string]string{FieldDepartment: "Sales", FieldOfficeLocation: "Berlin 3rd floor"}}, false); err != nil {
			t.Fatal(err)
		}
		if _, err := ps.Update(ctx, ViewerOf(cy), cy, ProfileEdit{Values: map[string]string{FieldDepartment: "Sales"}}, false); err != nil {
			t.Fatal(err)
		}
		if err := a.users.SetDisabled(ctx, cy.ID, new(now())); err != nil {
			t.Fatal(err)
		}
		names := func(q DirectoryQuery) []string {
			t.Helper()
			es, total, err := ps.Directory(ctx, q)
			if err != nil || int(total) != len(es) {
				t.Fatalf("directory %+v: %d of %d, %v", q, len(es), total, err)
			}
			var out []string
			for _, e := range es {
				out = append(out, e.User.Name)
			}
			return out
		}
		for _, c := range []struct {
			q    DirectoryQuery
			want []string
		}{
			{DirectoryQuery{}, []string{"Ann Lee", "Bo Berg", "Root"}},
			{DirectoryQuery{Q: "payroll"}, []string{"Ann Lee"}},
			{DirectoryQuery{Q: "berlin sales"}, []string{"Bo Berg"}},
			{DirectoryQuery{Q: "BERG"}, []string{"Bo Berg"}},
			{DirectoryQuery{Department: "sales"}, []string{"Bo Berg"}},
			{DirectoryQuery{Q: "100%_"}, nil},
		} {
			if got := names(c.q); len(got) != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) {
				t.Errorf("%+v: %v, want %v", c.q, got, c.want)
			}
		}
		deps, err := ps.Departments(ctx)
		if err != nil || len(deps) != 2 || deps[0] != "Finance & Payroll" || deps[1] != "Sales" {
			t.Fatalf("departments %v %v", deps, err)
		}
		if ids, err := ps.InDepartment(ctx, "SALES"); err != nil || len(ids) != 1 || ids[0] != bo.ID {
			t.Fatalf("in sales %v %v", ids, err)
		}
	})
}
