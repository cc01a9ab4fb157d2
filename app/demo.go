package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"intracal/app/accounts"
	"intracal/calendar"
)

// DemoPassword is the password of every demo account. Demo accounts exist only where
// `serve --demo` ran, which `make run` does on a local SQLite database.
const DemoPassword = "demo-password"

// demoPeople are the demo accounts; the first is the administrator.
var demoPeople = []accounts.NewUser{
	{Email: "admin@example.com", Name: "Ada Admin", IsAdmin: true, TimeZone: "Europe/Berlin"},
	{Email: "alice@example.com", Name: "Alice Andersen", TimeZone: "Europe/Berlin"},
	{Email: "bob@example.com", Name: "Bob Baker", TimeZone: "Europe/Berlin"},
	{Email: "carol@example.com", Name: "Carol Chen", TimeZone: "America/New_York"},
	{Email: "dave@example.com", Name: "Dave Diaz", TimeZone: "Europe/Berlin"},
}

// SeedDemo fills the database with demo users and a lived-in calendar for `serve --demo`:
// repeating series with changed and cancelled instances, a split series, private events,
// invitations to all and to one instance, and answers. It does nothing when the demo users
// exist already, and prints the logins to out.
func (a *App) SeedDemo(ctx context.Context, out io.Writer) error {
	if _, err := a.users.ByEmail(ctx, demoPeople[1].Email); err == nil {
		printDemoLogins(out)
		return nil
	} else if !errors.Is(err, calendar.ErrNotFound) {
		return err
	}
	ids := map[string]int64{}
	for _, p := range demoPeople {
		p.Password = DemoPassword
		u, err := a.users.Create(ctx, p)
		if err != nil {
			return fmt.Errorf("demo user %s: %w", p.Email, err)
		}
		ids[p.Email] = u.ID
	}
	d := &demoSeeder{a: a, ids: ids, monday: mondayOf(a.now(), "Europe/Berlin")}
	if err := d.seed(ctx); err != nil {
		return err
	}
	if err := a.seedDemoProfiles(ctx, ids); err != nil {
		return err
	}
	printDemoLogins(out)
	return nil
}

// demoProfiles are the demo people's directory fields, for the People page and contact lists.
var demoProfiles = map[string]map[string]string{
	"admin@example.com": {accounts.FieldJobTitle: "IT administrator", accounts.FieldDepartment: "IT", accounts.FieldOfficeLocation: "Berlin, 2nd floor", accounts.FieldOfficePhone: "+49 30 1234 100"},
	"alice@example.com": {accounts.FieldJobTitle: "Head of sales", accounts.FieldDepartment: "Sales", accounts.FieldOfficeLocation: "Berlin, 3rd floor", accounts.FieldOfficePhone: "+49 30 1234 201", accounts.FieldMobilePhone: "+49 170 555 0101"},
	"bob@example.com":   {accounts.FieldJobTitle: "Account manager", accounts.FieldDepartment: "Sales", accounts.FieldOfficeLocation: "Berlin, 3rd floor", accounts.FieldOfficePhone: "+49 30 1234 202"},
	"carol@example.com": {accounts.FieldJobTitle: "Controller", accounts.FieldDepartment: "Finance", accounts.FieldOfficeLocation: "New York", accounts.FieldOfficePhone: "+1 212 555 0199"},
	"dave@example.com":  {accounts.FieldJobTitle: "Developer", accounts.FieldDepartment: "IT", accounts.FieldOfficeLocation: "Berlin, 2nd floor", accounts.FieldMobilePhone: "+49 171 555 0104"},
}

// seedDemoProfiles fills the demo people's profiles, the department locked as HR would.
func (a *App) seedDemoProfiles(ctx context.Context, ids map[string]int64) error {
	admin, err := a.users.ByID(ctx, ids[demoPeople[0].Email])
	if err != nil {
		return err
	}
	for email, values := range demoProfiles {
		u, err := a.users.ByID(ctx, ids[email])
		if err != nil {
			return err
		}
		edit := accounts.ProfileEdit{Values: values, Lock: map[string]bool{accounts.FieldDepartment: true}}
		if _, err := a.profiles.Update(ctx, accounts.ViewerOf(admin), u, edit, true); err != nil {
			return fmt.Errorf("demo profile %s: %w", email, err)
		}
	}
	return nil
}

func printDemoLogins(out io.Writer) {
	fmt.Fprintln(out, "Demo logins (password for all: "+DemoPassword+"):")
	for _, p := range demoPeople {
		role := "member"
		if p.IsAdmin {
			role = "administrator"
		}
		fmt.Fprintf(out, "  %-20s %s (%s)\n", p.Email, p.Name, role)
	}
}

// mondayOf is the date of the Monday of t's week in the zone.
func mondayOf(t time.Time, zone string) time.Time {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	t = t.In(loc)
	offset := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-offset, 0, 0, 0, 0, loc)
}

// demoSeeder writes the demo calendar relative to the current week, so it always looks lived-in.
type demoSeeder struct {
	a      *App
	ids    map[string]int64
	monday time.Time
	err    error
}

func (d *demoSeeder) viewer(email string) calendar.Viewer {
	return calendar.Viewer{UserID: d.ids[email]}
}

// day is the date weeks and days from this week's Monday at the wall time hh:mm.
func (d *demoSeeder) day(weeks, days, hh, mm int) time.Time {
	m := d.monday
	return time.Date(m.Year(), m.Month(), m.Day()+7*weeks+days, hh, mm, 0, 0, m.Location())
}

// create makes an event for the organizer and returns it, remembering the first error.
func (d *demoSeeder) create(ctx context.Context, organizer string, in calendar.EventInput, invitees ...string) *calendar.Event {
	if d.err != nil {
		return nil
	}
	uid := d.ids[organizer]
	cal, err := d.a.store.MyCalendar(ctx, uid)
	if err != nil {
		d.err = err
		return nil
	}
	e, err := calendar.NewEvent(cal, uid, in)
	if err != nil {
		d.err = fmt.Errorf("demo event %q: %w", in.Title, err)
		return nil
	}
	var inv []int64
	for _, em := range invitees {
		inv = append(inv, d.ids[em])
	}
	if err := e.Invite(inv, calendar.ScopeAll, time.Time{}); err != nil {
		d.err = err
		return nil
	}
	if err := d.a.store.Create(ctx, e); err != nil {
		d.err = fmt.Errorf("demo event %q: %w", in.Title, err)
		return nil
	}
	return e
}

func (d *demoSeeder) edit(ctx context.Context, who string, e *calendar.Event, scope calendar.Scope, at time.Time, ch calendar.Change) {
	if d.err != nil || e == nil {
		return
	}
	_, _, d.err = d.a.store.Edit(ctx, d.viewer(who), e.ID, nil, scope, at, ch)
}

func (d *demoSeeder) cancel(ctx context.Context, who string, e *calendar.Event, at time.Time) {
	if d.err != nil || e == nil {
		return
	}
	_, d.err = d.a.store.Delete(ctx, d.viewer(who), e.ID, nil, calendar.ScopeInstance, at)
}

func (d *demoSeeder) rsvp(ctx context.Context, who string, e *calendar.Event, scope calendar.Scope, at time.Time, r calendar.Response) {
	if d.err != nil || e == nil {
		return
	}
	_, d.err = d.a.store.SetRSVP(ctx, d.viewer(who), e.ID, scope, at, r)
}

func (d *demoSeeder) invite(ctx context.Context, who string, e *calendar.Event, at time.Time, emails ...string) {
	if d.err != nil || e == nil {
		return
	}
	var ids []int64
	for _, em := range emails {
		ids = append(ids, d.ids[em])
	}
	_, d.err = d.a.store.Invite(ctx, d.viewer(who), e.ID, ids, calendar.ScopeInstance, at)
}

func wall(t time.Time) string { return t.Format("2006-01-02T15:04:05") }

func date(t time.Time) string { return t.Format("2006-01-02") }

func sptr(s string) *string { return &s }

func (d *demoSeeder) seed(ctx context.Context) error {
	const alice, bob, carol, dave, admin = "alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com", "admin@example.com"
	berlin := "Europe/Berlin"

	// A standup three times a week since two months, with a changed, a moved and a
	// cancelled instance.
	start := d.day(-8, 0, 9, 0)
	standup := d.create(ctx, alice, calendar.EventInput{Title: "Team standup", Location: "Room 2", Start: wall(start),
		End: wall(start.Add(15 * time.Minute)), TimeZone: berlin, RRule: "FREQ=WEEKLY;BYDAY=MO,WE,FR"}, bob, carol)
	d.edit(ctx, alice, standup, calendar.ScopeInstance, d.day(0, 2, 9, 0).UTC(), calendar.Change{Location: sptr("Room 4 (Room 2 is being painted)")})
	d.edit(ctx, alice, standup, calendar.ScopeInstance, d.day(1, 0, 9, 0).UTC(), calendar.Change{Start: wallAt(d.day(1, 0, 10, 30)), Title: sptr("Team standup (late: release morning)")})
	d.cancel(ctx, alice, standup, d.day(1, 4, 9, 0).UTC())
	d.rsvp(ctx, bob, standup, calendar.ScopeAll, time.Time{}, calendar.Yes)
	d.rsvp(ctx, carol, standup, calendar.ScopeAll, time.Time{}, calendar.Yes)
	d.rsvp(ctx, carol, standup, calendar.ScopeInstance, d.day(0, 4, 9, 0).UTC(), calendar.No)

	// Sprint planning every other Tuesday, split "this and following" into a new format.
	sp := d.day(-6, 1, 10, 0)
	planning := d.create(ctx, alice, calendar.EventInput{Title: "Sprint planning", Description: "Bring your estimates.", Location: "Blue room",
		Start: wall(sp), End: wall(sp.Add(time.Hour)), TimeZone: berlin, RRule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"}, bob, carol, dave)
	d.edit(ctx, alice, planning, calendar.ScopeFollowing, d.day(2, 1, 10, 0).UTC(), calendar.Change{
		Title: sptr("Sprint planning (new format)"), Start: wallAt(d.day(2, 1, 14, 0)), End: wallAt(d.day(2, 1, 15, 30)),
		Description: sptr("Shorter stand-up style planning; estimates done async beforehand.")})
	d.rsvp(ctx, dave, planning, calendar.ScopeFollowing, d.day(2, 1, 14, 0).UTC(), calendar.Maybe)

	// A private weekly 1:1 that ends after 20 meetings.
	one := d.day(-2, 3, 15, 0)
	d.create(ctx, alice, calendar.EventInput{Title: "1:1 Alice / Bob", Start: wall(one), End: wall(one.Add(30 * time.Minute)),
		TimeZone: berlin, RRule: "FREQ=WEEKLY;COUNT=20", Privacy: calendar.Private}, bob)

	// A private monthly leadership sync; Carol is invited to one instance only.
	lead := d.day(-4, 0, 11, 0)
	leadership := d.create(ctx, admin, calendar.EventInput{Title: "Leadership sync", Start: wall(lead), End: wall(lead.Add(time.Hour)),
		TimeZone: berlin, RRule: "FREQ=MONTHLY;BYDAY=2MO", Privacy: calendar.Private}, alice)
	if leadership != nil {
		if occ := leadership.Instances(d.viewer(admin), d.day(1, 0, 0, 0), d.day(10, 0, 0, 0), false); len(occ) > 0 {
			d.invite(ctx, admin, leadership, occ[0].OriginalStart, carol)
			d.rsvp(ctx, carol, leadership, calendar.ScopeInstance, occ[0].OriginalStart, calendar.Yes)
		}
	}

	// The monthly all-hands on the last Friday: everyone's invited.
	ah := d.day(-4, 4, 16, 0)
	allHands := d.create(ctx, admin, calendar.EventInput{Title: "Company all-hands", Location: "Main hall and online",
		Start: wall(ah), End: wall(ah.Add(time.Hour)), TimeZone: berlin, RRule: "FREQ=MONTHLY;BYDAY=-1FR"}, alice, bob, carol, dave)
	d.rsvp(ctx, bob, allHands, calendar.ScopeAll, time.Time{}, calendar.Yes)
	d.rsvp(ctx, alice, allHands, calendar.ScopeAll, time.Time{}, calendar.Maybe)

	// Bob's public lunch & learn on Thursdays for ten weeks; Alice skips one, says yes to the rest.
	ll := d.day(-1, 3, 12, 30)
	lunch := d.create(ctx, bob, calendar.EventInput{Title: "Lunch & learn: Go generics", Location: "Cafeteria",
		Start: wall(ll), End: wall(ll.Add(45 * time.Minute)), TimeZone: berlin, RRule: "FREQ=WEEKLY;BYDAY=TH;COUNT=10"})
	d.rsvp(ctx, alice, lunch, calendar.ScopeAll, time.Time{}, calendar.Yes)
	d.rsvp(ctx, alice, lunch, calendar.ScopeInstance, d.day(1, 3, 12, 30).UTC(), calendar.No)

	// All-day events: the office closes for a day, and a two-day offsite.
	d.create(ctx, admin, calendar.EventInput{Title: "Office closed (maintenance)", AllDay: true,
		Start: date(d.day(2, 4, 0, 0)), End: date(d.day(2, 4, 0, 0)), TimeZone: berlin}, alice, bob, carol, dave)
	d.create(ctx, alice, calendar.EventInput{Title: "Team offsite", Location: "Lake house", AllDay: true,
		Start: date(d.day(3, 2, 0, 0)), End: date(d.day(3, 3, 0, 0)), TimeZone: berlin}, bob, carol)

	// Carol, in New York, runs a quarterly review on the 31st (or the month's last day).
	q := time.Date(d.monday.Year(), d.monday.Month(), 1, 9, 0, 0, 0, time.UTC)
	nyc, err := time.LoadLocation("America/New_York")
	if err == nil {
		q = time.Date(q.Year(), q.Month(), 1, 9, 0, 0, 0, nyc)
		q = q.AddDate(0, 1, -1) // the last day of this month
		d.create(ctx, carol, calendar.EventInput{Title: "Month-end numbers", Start: wall(q), End: wall(q.Add(time.Hour)),
			TimeZone: "America/New_York", RRule: "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;COUNT=12"}, alice)
	}
	d.spaces(ctx)
	return d.err
}

// wallAt is t's wall clock as an edit's start or end.
func wallAt(t time.Time) *calendar.WallInput { w := calendar.WallClock(t, false); return &w }
